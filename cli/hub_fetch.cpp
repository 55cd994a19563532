// "model": {"hub": "org/name[@rev]"}: config.json and the safetensors headers from the Hugging Face
// Hub (or any server answering /{org}/{name}/resolve/{rev}/{file} with Range support), by libcurl.
#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "gpufit/api.hpp"
#include "gpufit/file_header.hpp"
#include "weight_files.hpp"

namespace gpucalc {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxConfigBytes = 8u * 1024u * 1024u;
constexpr std::size_t kMaxIndexBytes = 64u * 1024u * 1024u;

struct Response {
  long status = 0;
  std::string body;
  std::uint64_t total_size = 0;  // from Content-Range
  CURLcode code = CURLE_OK;
  std::string curl_error;
  std::size_t limit = 0;
  bool over_limit = false;
  CURL* curl = nullptr;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* r = static_cast<Response*>(user);
  const std::size_t bytes = size * n;
  long status = 0;
  curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 400) {
    r->body.append(data, std::min(bytes, r->limit - std::min(r->limit, r->body.size())));
    return bytes;  // an error page: its status is the answer, its text is not needed
  }
  if (r->body.size() + bytes > r->limit) {
    r->over_limit = true;
    return 0;  // aborts the transfer
  }
  r->body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* r = static_cast<Response*>(user);
  std::string line(data, size * n);
  // "Content-Range: bytes 0-7/123456" (a new response after a redirect starts over)
  if (line.rfind("HTTP/", 0) == 0) r->total_size = 0;
  std::string lower = line;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.rfind("content-range:", 0) == 0) {
    const auto slash = line.rfind('/');
    if (slash != std::string::npos) r->total_size = std::strtoull(line.c_str() + slash + 1, nullptr, 10);
  }
  return size * n;
}

class Hub {
 public:
  Hub(const HubOptions& o, std::string path) : options_(o), path_(std::move(path)) {
    if (const char* t = std::getenv("HF_TOKEN"); t && *t) token_ = t;
  }

  std::uint64_t fetched() const { return fetched_; }

  // GET url (Range bytes=first-last when last >= first); errors name the file.
  gpufit::Outcome<Response> get(const std::string& repo, const std::string& file, std::size_t limit,
                                std::uint64_t first = 0, std::uint64_t last = 0, bool missing_ok = false) {
    const std::string url = options_.endpoint + "/" + repo + "/resolve/" + rev_ + "/" + file;
    Response r;
    r.limit = limit;
    CURL* curl = curl_easy_init();
    if (!curl) return error("cannot start an HTTP client");
    r.curl = curl;
    char error_text[CURL_ERROR_SIZE] = {0};
    curl_slist* headers = nullptr;
    if (!token_.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + token_).c_str());
    const std::string range = std::to_string(first) + "-" + std::to_string(last);
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);  // the Hub redirects LFS files to its CDN
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, options_.timeout_s);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, options_.timeout_s);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "gpucalc (GPU Fit)");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r);
    if (headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (last >= first && last > 0) curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
    r.code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    fetched_ += r.body.size();
    const std::string what = repo + "@" + rev_ + ": " + file;
    if (r.over_limit) {
      return error(what + ": the server sent more than the " + std::to_string(limit) + " bytes asked for" +
                   (last > 0 ? " (it ignored the Range request)" : ""));
    }
    if (r.code == CURLE_OPERATION_TIMEDOUT) {
      return error(what + ": the Hub at " + options_.endpoint + " did not answer within " +
                   std::to_string(options_.timeout_s) + " s (timeout)");
    }
    if (r.code != CURLE_OK) {
      return error(what + ": cannot reach the Hub at " + options_.endpoint + " (" +
                   (error_text[0] ? std::string(error_text) : std::string(curl_easy_strerror(r.code))) + ")");
    }
    if (r.status == 401 || r.status == 403) {
      return error(repo + " is gated or private (HTTP " + std::to_string(r.status) + "): " +
                   (token_.empty() ? "accept its terms on the Hub and set HF_TOKEN to a token with access"
                                   : "the token in HF_TOKEN has no access to it"));
    }
    if (r.status == 404) {
      if (missing_ok) return r;
      return error(what + " was not found (HTTP 404): check the id and the revision");
    }
    if (r.status != 200 && r.status != 206) {
      return error(what + ": the Hub answered HTTP " + std::to_string(r.status));
    }
    if (last > 0 && r.status == 200 && r.body.size() > last - first + 1) {
      return error(what + ": the server ignored the Range request");
    }
    return r;
  }

  bool set_id(const std::string& hub_id, std::string& repo) {
    const auto at = hub_id.find('@');
    repo = hub_id.substr(0, at);
    std::string rev = at == std::string::npos ? "main" : hub_id.substr(at + 1);
    auto ok_char = [](char c, bool slash) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || (slash && c == '/');
    };
    const auto slash = repo.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == repo.size() ||
        repo.find('/', slash + 1) != std::string::npos || repo.size() > 200 || repo.find("..") != std::string::npos) {
      return false;
    }
    for (char c : repo)
      if (!ok_char(c, true)) return false;
    if (rev.empty() || rev.size() > 200 || rev.find("..") != std::string::npos) return false;
    for (char c : rev)
      if (!ok_char(c, true)) return false;
    rev_.clear();
    for (char c : rev) rev_ += c == '/' ? std::string("%2F") : std::string(1, c);  // refs/pr/1
    return true;
  }

  gpufit::Error error(const std::string& message) const { return gpufit::Error{"hub_error", path_, message}; }

 private:
  HubOptions options_;
  std::string path_, token_, rev_ = "main";
  std::uint64_t fetched_ = 0;
};

}  // namespace

gpufit::Outcome<std::string> fetch_hub_model(const std::string& hub_id, const HubOptions& options,
                                             const std::string& path) {
  static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  Hub hub(options, path);
  if (!curl_ready) return hub.error("cannot start an HTTP client");
  std::string repo;
  if (!hub.set_id(hub_id, repo)) {
    return gpufit::Error{"invalid_value", path,
                         "must be org/name or org/name@revision, got \"" + hub_id.substr(0, 200) + "\""};
  }
  auto config = hub.get(repo, "config.json", kMaxConfigBytes);
  if (!config) return config.error();
  json config_json = json::parse(config.value().body, nullptr, false);
  if (config_json.is_discarded() || !config_json.is_object())
    return hub.error(hub_id + ": config.json is not a JSON object");

  std::vector<std::string> files;
  auto index = hub.get(repo, "model.safetensors.index.json", kMaxIndexBytes, 0, 0, true);
  if (!index) return index.error();
  if (index.value().status == 404) {
    files.push_back("model.safetensors");
  } else {
    json j = json::parse(index.value().body, nullptr, false);
    if (j.is_discarded() || !j.contains("weight_map") || !j["weight_map"].is_object()) {
      return hub.error(hub_id + ": model.safetensors.index.json has no weight_map object");
    }
    std::set<std::string> unique;
    for (const auto& [tensor, file] : j["weight_map"].items()) {
      if (!file.is_string()) return hub.error(hub_id + ": the index maps " + tensor + " to no file name");
      const std::string f = file.get<std::string>();
      if (f.find("..") != std::string::npos || f.empty() || f.size() > 500) {
        return hub.error(hub_id + ": the index names a file outside the repository");
      }
      unique.insert(f);
    }
    files.assign(unique.begin(), unique.end());
  }
  json headers = json::array();
  for (const std::string& f : files) {
    // 8 bytes: the header's length; then exactly the header.
    auto head = hub.get(repo, f, 8, 0, 7, files.size() == 1 && f == "model.safetensors");
    if (!head) return head.error();
    if (head.value().status == 404) {
      return hub.error(hub_id +
                       " has neither model.safetensors.index.json nor model.safetensors: only safetensors "
                       "weights are read (for a GGUF file, use gpucalc inspect)");
    }
    if (head.value().body.size() < 8) return hub.error(hub_id + ": " + f + " is shorter than 8 bytes");
    auto first = gpufit::parse_safetensors_header(head.value().body, head.value().total_size);
    if (!first) return gpufit::Error{first.error().code, path, hub_id + ": " + f + ": " + first.error().message};
    const std::uint64_t need = first.value().need_bytes;
    if (need <= 8) return hub.error(hub_id + ": " + f + ": the header is empty");
    auto header = hub.get(repo, f, static_cast<std::size_t>(need - 8), 8, need - 1);
    if (!header) return header.error();
    if (header.value().body.size() != need - 8) return hub.error(hub_id + ": " + f + ": the header ended early");
    // Checked against the file's size here (the core sees only the header text).
    auto whole = gpufit::parse_safetensors_header(head.value().body + header.value().body, head.value().total_size);
    if (!whole) return gpufit::Error{whole.error().code, path, hub_id + ": " + f + ": " + whole.error().message};
    headers.push_back(header.value().body);
  }
  json request = {
      {"kind", "hub"}, {"id", hub_id}, {"config", config_json}, {"headers", headers}, {"bytes_fetched", hub.fetched()}};
  auto out = gpufit::model_from_headers_json(request.dump());
  if (!out) return gpufit::Error{out.error().code, path, hub_id + ": " + out.error().to_string()};
  json j = json::parse(out.value());
  j["files"] = files.size();
  return j.dump();
}

gpufit::Outcome<std::string> resolve_hub_models(const std::string& scenarios, const HubOptions& options) {
  json j = json::parse(scenarios, nullptr, false);
  if (j.is_discarded()) return scenarios;
  std::map<std::string, json> fetched;
  auto resolve_one = [&](json& s, const std::string& at) -> std::optional<gpufit::Error> {
    if (!s.is_object() || !s.contains("model") || !s["model"].is_object() || !s["model"].contains("hub")) {
      return std::nullopt;
    }
    const std::string path = at + "/model/hub";
    const json& id = s["model"]["hub"];
    if (!id.is_string()) return gpufit::Error{"invalid_value", path, "must be a string: org/name or org/name@revision"};
    if (s["model"].size() != 1) {
      return gpufit::Error{"invalid_value", at + "/model", "a Hub model takes no other fields than hub"};
    }
    const std::string key = id.get<std::string>();
    if (!fetched.count(key)) {
      auto out = fetch_hub_model(key, options, path);
      if (!out) return out.error();
      fetched[key] = json::parse(out.value())["model"];
    }
    s["model"] = fetched[key];
    return std::nullopt;
  };
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (auto e = resolve_one(j[i], "/" + std::to_string(i))) return *e;
    }
  } else if (auto e = resolve_one(j, "")) {
    return *e;
  }
  if (fetched.empty()) return scenarios;
  return j.dump();
}

}  // namespace gpucalc
