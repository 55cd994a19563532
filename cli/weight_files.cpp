// gpucalc inspect: the headers of weight files on disk, read a prefix at a time.
#include "weight_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "gpufit/api.hpp"
#include "gpufit/file_header.hpp"

namespace gpucalc {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::uint64_t kFirstGgufRead = 256u << 10;  // then doubled: a 150,000-token tokenizer takes a few rounds
constexpr std::uint64_t kMaxSmallFile = 64u * 1024u * 1024u;  // config.json, the shard index

gpufit::Error file_error(const std::string& path, const std::string& message) {
  return gpufit::Error{"invalid_value", "", message, path};
}

// Reads [offset, offset + n) of an open file onto `out`.
bool read_range(std::ifstream& in, std::uint64_t offset, std::uint64_t n, std::string& out, std::uint64_t& counted) {
  const std::size_t old = out.size();
  out.resize(old + n);
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(out.data() + old, static_cast<std::streamsize>(n));
  counted += static_cast<std::uint64_t>(in.gcount());
  return static_cast<std::uint64_t>(in.gcount()) == n;
}

// The core's answer for one file's header, growing the prefix it is handed as it asks.
gpufit::Outcome<std::string> inspect_file(const std::string& path, const std::string& kind, std::uint64_t& bytes_read,
                                          std::string* header_text = nullptr) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return file_error(path, "cannot be read");
  std::error_code ec;
  const std::uint64_t size = fs::file_size(path, ec);
  if (ec) return file_error(path, "cannot be read");
  std::string prefix;
  std::uint64_t want = std::min<std::uint64_t>(size, kind == "gguf" ? kFirstGgufRead : 8);
  const std::string name = fs::path(path).filename().string();
  for (int round = 0; round < 64; ++round) {
    if (want > prefix.size() && !read_range(in, prefix.size(), want - prefix.size(), prefix, bytes_read)) {
      return file_error(path, "ended early while reading its header");
    }
    auto out = gpufit::inspect_header_json(prefix, kind, size, name);
    if (!out) {
      gpufit::Error e = out.error();
      e.input = path + ": " + e.input;
      return e;
    }
    const json j = json::parse(out.value());
    if (!j.contains("need_bytes")) {
      if (header_text && kind == "safetensors" && prefix.size() >= 8) {
        *header_text = prefix.substr(8, static_cast<std::size_t>(j["header_bytes"].get<double>()) - 8);
      }
      return out;
    }
    const auto need = static_cast<std::uint64_t>(j["need_bytes"].get<double>());
    // safetensors states its header's length: read exactly it. GGUF only says where the item it
    // stopped in ends: read at least twice as much, so a long tokenizer takes a few rounds.
    want = kind == "gguf" ? std::min(size, std::max(need, 2 * prefix.size())) : need;
  }
  return file_error(path, "its header did not end after 64 reads");
}

std::string read_small(const std::string& path, std::uint64_t& bytes_read, gpufit::Error& error) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (!in || ec) {
    error = file_error(path, "cannot be read");
    return "";
  }
  if (size > kMaxSmallFile) {
    error = file_error(path, "is larger than " + std::to_string(kMaxSmallFile) + " bytes");
    return "";
  }
  std::string text;
  read_range(in, 0, size, text, bytes_read);
  return text;
}

gpufit::Outcome<std::string> inspect_folder(const std::string& dir) {
  std::uint64_t bytes_read = 0;
  gpufit::Error error;
  const std::string config_path = (fs::path(dir) / "config.json").string();
  if (!fs::exists(config_path))
    return file_error(dir, "holds no config.json (a folder of safetensors shards needs it)");
  const std::string config = read_small(config_path, bytes_read, error);
  if (!error.message.empty()) return error;
  json config_json = json::parse(config, nullptr, false);
  if (config_json.is_discarded()) return file_error(config_path, "is not valid JSON");

  std::vector<std::string> files;
  const std::string index_path = (fs::path(dir) / "model.safetensors.index.json").string();
  if (fs::exists(index_path)) {
    const std::string index = read_small(index_path, bytes_read, error);
    if (!error.message.empty()) return error;
    json j = json::parse(index, nullptr, false);
    if (j.is_discarded() || !j.contains("weight_map") || !j["weight_map"].is_object()) {
      return file_error(index_path, "has no weight_map object");
    }
    std::set<std::string> unique;
    for (const auto& [tensor, file] : j["weight_map"].items()) {
      if (!file.is_string()) return file_error(index_path, "/weight_map/" + tensor + " must be a file name");
      const std::string f = file.get<std::string>();
      if (f.find('/') != std::string::npos || f.find("..") != std::string::npos) {
        return file_error(index_path, "/weight_map/" + tensor + " must name a file in the folder");
      }
      unique.insert(f);
    }
    files.assign(unique.begin(), unique.end());
  } else if (fs::exists(fs::path(dir) / "model.safetensors")) {
    files.push_back("model.safetensors");
  } else {
    return file_error(dir, "holds neither model.safetensors.index.json nor model.safetensors");
  }
  json headers = json::array();
  for (const std::string& f : files) {
    std::string text;
    auto out = inspect_file((fs::path(dir) / f).string(), "safetensors", bytes_read, &text);
    if (!out) return out.error();
    headers.push_back(text);
  }
  json request = {{"kind", "safetensors"},
                  {"id", fs::path(dir).filename().string()},
                  {"config", config_json},
                  {"headers", headers},
                  {"bytes_fetched", bytes_read}};
  auto out = gpufit::model_from_headers_json(request.dump());
  if (!out) return out.error();
  json j = json::parse(out.value());
  j["files"] = files.size();
  j["bytes_read"] = bytes_read;
  return j.dump();
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string gb(double bytes) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(3);
  s << bytes / 1e9 << " GB (" << static_cast<long long>(bytes) << " bytes)";
  return s.str();
}

}  // namespace

gpufit::Outcome<std::string> inspect_path(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    auto out = inspect_folder(path);
    if (!out) return out;
    json j = json::parse(out.value());
    j["path"] = path;
    return j.dump();
  }
  std::string kind;
  if (ends_with(path, ".gguf"))
    kind = "gguf";
  else if (ends_with(path, ".safetensors"))
    kind = "safetensors";
  else
    return file_error(path, "is not a .gguf or .safetensors file, nor a folder of shards");
  std::uint64_t bytes_read = 0;
  auto out = inspect_file(path, kind, bytes_read);
  if (!out) return out;
  json j = json::parse(out.value());
  j["path"] = path;
  j["bytes_read"] = bytes_read;
  if (j.contains("model")) j["model"]["file_source"]["bytes_fetched"] = bytes_read;
  return j.dump();
}

std::string inspect_table(const std::string& json_text) {
  const json j = json::parse(json_text);
  std::ostringstream s;
  s << j.value("path", std::string()) << " (" << j.value("kind", std::string()) << ")\n";
  if (j.contains("model")) {
    const json& m = j["model"];
    s << "  shape: " << m.value("layers", 0) << " layers, hidden " << m.value("hidden_size", 0) << ", "
      << m.value("attention_heads", 0) << " heads (" << m.value("kv_heads", 0) << " KV), vocabulary "
      << m.value("vocab_size", 0);
    if (m.contains("experts")) s << ", " << m["experts"] << " experts (" << m["experts_per_token"] << " per token)";
    s << "\n";
  }
  s << "  parameters: " << static_cast<long long>(j.value("params", 0.0)) << "\n";
  s << "  weights: " << gb(j.value("weights_bytes", 0.0));
  if (!j.value("weights", std::string()).empty()) s << " (format " << j["weights"].get<std::string>() << ")";
  s << "\n";
  for (const auto& [dtype, bytes] : j["weights_bytes_by_dtype"].items()) {
    s << "    " << dtype << ": " << gb(bytes.get<double>()) << "\n";
  }
  s << "  tied embeddings: " << (j.value("tied_embeddings", false) ? "yes" : "no") << "\n";
  s << "  bytes read: " << static_cast<long long>(j.value("bytes_read", 0.0)) << "\n";
  return s.str();
}

}  // namespace gpucalc
