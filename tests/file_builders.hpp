// Builds small safetensors and GGUF files in memory for the header tests (and the fuzz seeds):
// a header as the format writes it, then the data zero-filled (or left out: the parsers only
// need the header and the file's size).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace gpufit::testing {

struct TensorSpec {
  std::string name;
  std::string dtype;  // safetensors dtype, or for GGUF a ggml type id as text ("12" = Q4_K)
  std::vector<std::uint64_t> shape;
  std::uint64_t bytes = 0;  // safetensors: data bytes (0: elements x dtype size); GGUF: data bytes
};

inline std::string le64(std::uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}
inline std::string le32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

inline double st_dtype_size(const std::string& d) {
  if (d == "F32" || d == "I32" || d == "U32") return 4;
  if (d == "F16" || d == "BF16" || d == "I16" || d == "U16") return 2;
  if (d == "F64" || d == "I64" || d == "U64") return 8;
  if (d == "F4") return 0.5;
  return 1;
}

// The header JSON of a safetensors file whose tensors lie one after another.
inline std::string safetensors_json(const std::vector<TensorSpec>& tensors, const std::string& metadata_json = "",
                                    std::uint64_t* data_bytes = nullptr) {
  std::string j = "{";
  if (!metadata_json.empty()) j += "\"__metadata__\":" + metadata_json;
  std::uint64_t off = 0;
  for (const TensorSpec& t : tensors) {
    if (j.size() > 1) j += ",";
    std::uint64_t n = 1;
    std::string shape;
    for (auto d : t.shape) {
      n *= d;
      shape += (shape.empty() ? "" : ",") + std::to_string(d);
    }
    const std::uint64_t bytes =
        t.bytes ? t.bytes : static_cast<std::uint64_t>(static_cast<double>(n) * st_dtype_size(t.dtype));
    j += "\"" + t.name + "\":{\"dtype\":\"" + t.dtype + "\",\"shape\":[" + shape + "],\"data_offsets\":[" +
         std::to_string(off) + "," + std::to_string(off + bytes) + "]}";
    off += bytes;
  }
  j += "}";
  if (data_bytes) *data_bytes = off;
  return j;
}

// A whole safetensors file's header (length + JSON) and the file's size with its data.
inline std::pair<std::string, std::uint64_t> safetensors_file(const std::vector<TensorSpec>& tensors,
                                                              const std::string& metadata_json = "") {
  std::uint64_t data = 0;
  std::string j = safetensors_json(tensors, metadata_json, &data);
  while (j.size() % 8 != 0) j += ' ';  // padded as the reference writer does
  std::string bytes = le64(j.size()) + j;
  return {bytes, bytes.size() + data};
}

// GGUF metadata pairs, written as the format lays them out.
class GgufWriter {
 public:
  GgufWriter& str(const std::string& key, const std::string& v) {
    kv_ += gstr(key) + le32(8) + gstr(v);
    ++n_kv_;
    return *this;
  }
  GgufWriter& u32(const std::string& key, std::uint32_t v) {
    kv_ += gstr(key) + le32(4) + le32(v);
    ++n_kv_;
    return *this;
  }
  GgufWriter& f32(const std::string& key, float v) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    kv_ += gstr(key) + le32(6) + le32(bits);
    ++n_kv_;
    return *this;
  }
  GgufWriter& u32_array(const std::string& key, const std::vector<std::uint32_t>& items) {
    kv_ += gstr(key) + le32(9) + le32(4) + le64(items.size());
    for (auto v : items) kv_ += le32(v);
    ++n_kv_;
    return *this;
  }
  GgufWriter& str_array(const std::string& key, const std::vector<std::string>& items) {
    kv_ += gstr(key) + le32(9) + le32(8) + le64(items.size());
    for (const auto& v : items) kv_ += gstr(v);
    ++n_kv_;
    return *this;
  }
  // A tensor of ggml type `type` and `bytes` of data, placed after the previous one (aligned to 32).
  GgufWriter& tensor(const std::string& name, std::uint32_t type, const std::vector<std::uint64_t>& dims,
                     std::uint64_t bytes) {
    ti_ += gstr(name) + le32(static_cast<std::uint32_t>(dims.size()));
    for (auto d : dims) ti_ += le64(d);
    ti_ += le32(type) + le64(offset_);
    offset_ += (bytes + 31) / 32 * 32;
    ++n_t_;
    return *this;
  }
  // The header (padded to the data section) and the whole file's size.
  std::pair<std::string, std::uint64_t> file(std::uint32_t version = 3) const {
    std::string h = "GGUF" + le32(version) + le64(n_t_) + le64(n_kv_) + kv_ + ti_;
    while (h.size() % 32 != 0) h += '\0';
    return {h, h.size() + offset_};
  }
  static std::string gstr(const std::string& s) { return le64(s.size()) + s; }

 private:
  std::string kv_, ti_;
  std::uint64_t n_kv_ = 0, n_t_ = 0, offset_ = 0;
};

}  // namespace gpufit::testing
