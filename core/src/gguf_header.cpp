// GGUF (versions 2 and 3), little-endian: "GGUF", uint32 version, uint64 tensor count, uint64
// metadata count; the metadata key-value pairs (uint64-length strings, a uint32 value type, the
// value; arrays: item type, uint64 count, items); the tensor infos (name, uint32 dims, uint64
// each dimension, uint32 ggml type, uint64 offset into the data section); then padding to
// general.alignment (default 32) and the data.
// Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md; ggml/src/gguf.cpp.
#include <algorithm>
#include <array>
#include <cstring>

#include "gpufit/file_header.hpp"
#include "json_read.hpp"

namespace gpufit {

namespace {

// ggml's type_traits (ggml/src/ggml.c): name, weights per block (blck_size), bytes per block
// (type_size = sizeof(block_*) in ggml/src/ggml-common.h). Ids 4, 5 (Q4_2, Q4_3), 31-33
// (Q4_0_4_4 ...) and 36-38 (IQ4_NL_4_4 ...) were removed from GGUF files and stay unknown.
constexpr std::array<GgmlType, 36> kGgmlTypes = {{
    {0, "F32", 1, 4},
    {1, "F16", 1, 2},
    {2, "Q4_0", 32, 18},
    {3, "Q4_1", 32, 20},
    {6, "Q5_0", 32, 22},
    {7, "Q5_1", 32, 24},
    {8, "Q8_0", 32, 34},
    {9, "Q8_1", 32, 36},
    {10, "Q2_K", 256, 84},
    {11, "Q3_K", 256, 110},
    {12, "Q4_K", 256, 144},
    {13, "Q5_K", 256, 176},
    {14, "Q6_K", 256, 210},
    {15, "Q8_K", 256, 292},
    {16, "IQ2_XXS", 256, 66},
    {17, "IQ2_XS", 256, 74},
    {18, "IQ3_XXS", 256, 98},
    {19, "IQ1_S", 256, 50},
    {20, "IQ4_NL", 32, 18},
    {21, "IQ3_S", 256, 110},
    {22, "IQ2_S", 256, 82},
    {23, "IQ4_XS", 256, 136},
    {24, "I8", 1, 1},
    {25, "I16", 1, 2},
    {26, "I32", 1, 4},
    {27, "I64", 1, 8},
    {28, "F64", 1, 8},
    {29, "IQ1_M", 256, 56},
    {30, "BF16", 1, 2},
    {34, "TQ1_0", 256, 54},
    {35, "TQ2_0", 256, 66},
    {39, "MXFP4", 32, 17},
    {40, "NVFP4", 64, 36},
    {0, "", 0, 0},
    {0, "", 0, 0},
    {0, "", 0, 0},
}};

// GGUF metadata value types (gguf.md, gguf_metadata_value_type).
constexpr std::array<const char*, 13> kValueTypes = {"uint8",  "int8",    "uint16", "int16",  "uint32",
                                                     "int32",  "float32", "bool",   "string", "array",
                                                     "uint64", "int64",   "float64"};
constexpr std::array<int, 13> kValueSizes = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};  // 0: variable

constexpr std::uint32_t kMaxGgmlDims = 4;  // GGML_MAX_DIMS
constexpr std::uint64_t kMaxMetadataPairs = 1'000'000;
constexpr std::uint64_t kMaxKeyBytes = 65535;  // gguf.md: keys are at most 2^16 - 1 bytes

Error gguf_error(std::string code, const std::string& path, std::string message) {
  return Error{std::move(code), path, std::move(message), "GGUF header"};
}

// A cursor over the prefix. Reading past its end records how far the file must reach.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}

  std::uint64_t pos() const { return pos_; }
  // Whether `n` more bytes are at hand; if not, `short_by` says where the item ends.
  bool have(std::uint64_t n) {
    if (n <= bytes_.size() - pos_) return true;
    wanted_ = pos_ + n < pos_ ? UINT64_MAX : pos_ + n;
    return false;
  }
  std::uint64_t wanted() const { return wanted_; }
  std::uint64_t left() const { return bytes_.size() - pos_; }
  template <class T>
  T read() {  // after have(sizeof(T))
    T v;
    std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;  // little-endian hosts only (x86, ARM, WebAssembly)
  }
  std::string_view take(std::uint64_t n) {  // after have(n)
    std::string_view s = bytes_.substr(static_cast<std::size_t>(pos_), static_cast<std::size_t>(n));
    pos_ += n;
    return s;
  }
  void skip(std::uint64_t n) { pos_ += n; }

 private:
  std::string_view bytes_;
  std::uint64_t pos_ = 0;
  std::uint64_t wanted_ = 0;
};

// Where an error points (a JSON Pointer), written out only when there is one: building the
// pointer of every key and tensor as the reader passed it was a tenth of reading a header.
struct Where {
  std::string_view parent;  // "/metadata", "/tensors", or the whole path
  std::string_view key;     // the metadata key, once read
  std::uint64_t index = 0;  // the entry's number, before its key is read
  enum { kPath, kIndex, kKey } kind = kPath;

  static Where entry(std::string_view parent, std::uint64_t i) { return {parent, {}, i, kIndex}; }
  static Where key_of(std::string_view parent, std::string_view key) { return {parent, key, 0, kKey}; }
  std::string str() const {
    if (kind == kIndex) return std::string(parent) + "/" + std::to_string(index);
    if (kind == kKey) return pointer(parent, key);
    return std::string(parent);
  }
};

// What to answer when the cursor ran out: a request for more bytes, or an error when the file
// (or the header limit) ends first.
Outcome<FileHeader> ran_out(const Cursor& c, std::uint64_t file_size, const Where& where) {
  if (c.wanted() > kMaxHeaderBytes) {
    return gguf_error("header_too_large", where.str(),
                      "the header reaches past " + std::to_string(kMaxHeaderBytes) + " bytes");
  }
  if (file_size != 0 && c.wanted() > file_size) {
    return gguf_error("length_past_end", where.str(),
                      "runs to byte " + std::to_string(c.wanted()) + ", past the end of the " +
                          std::to_string(file_size) + "-byte file");
  }
  FileHeader h;
  h.kind = "gguf";
  h.need_bytes = c.wanted();
  return h;
}

enum class Step { kOk, kShort, kError };

struct Reader {
  Cursor& c;
  std::uint64_t file_size;
  Error error;

  Step fail(std::string code, const Where& where, std::string message) {
    error = gguf_error(std::move(code), where.str(), std::move(message));
    return Step::kError;
  }

  Step string(std::string& out, const Where& where, std::uint64_t max_bytes) {
    if (!c.have(8)) return Step::kShort;
    const auto n = c.read<std::uint64_t>();
    if (n > max_bytes) {
      return fail(n > kMaxHeaderBytes ? "header_too_large" : "malformed_header", where,
                  "a string of " + std::to_string(n) + " bytes, more than " + std::to_string(max_bytes));
    }
    if (!c.have(n)) return Step::kShort;
    out.assign(c.take(n));
    return Step::kOk;
  }

  Step scalar(std::uint32_t type, MetaValue& v, const Where& where) {
    v.type = kValueTypes[type];
    if (type == 8) return string(v.text, where, kMaxHeaderBytes);
    if (!c.have(static_cast<std::uint64_t>(kValueSizes[type]))) return Step::kShort;
    switch (type) {
      case 0:
        v.unsigned_value = c.read<std::uint8_t>();
        v.number = double(v.unsigned_value);
        break;
      case 1:
        v.number = c.read<std::int8_t>();
        break;
      case 2:
        v.unsigned_value = c.read<std::uint16_t>();
        v.number = double(v.unsigned_value);
        break;
      case 3:
        v.number = c.read<std::int16_t>();
        break;
      case 4:
        v.unsigned_value = c.read<std::uint32_t>();
        v.number = double(v.unsigned_value);
        break;
      case 5:
        v.number = c.read<std::int32_t>();
        break;
      case 6:
        v.number = double(c.read<float>());
        break;
      case 7: {
        const auto b = c.read<std::uint8_t>();
        if (b > 1) return fail("malformed_header", where, "a bool of value " + std::to_string(b));
        v.number = b;
        break;
      }
      case 10:
        v.unsigned_value = c.read<std::uint64_t>();
        v.number = double(v.unsigned_value);
        break;
      case 11:
        v.number = double(c.read<std::int64_t>());
        break;
      case 12:
        v.number = c.read<double>();
        break;
      default:
        break;
    }
    if (v.number != v.number) v.number = 0;  // a NaN float in metadata is kept as 0, never passed on
    return Step::kOk;
  }

  Step value(std::uint32_t type, MetaValue& v, const Where& where) {
    if (type >= kValueTypes.size()) {
      return fail("unknown_type", where, "metadata value type " + std::to_string(type) + " is not defined");
    }
    if (type != 9) return scalar(type, v, where);
    v.type = "array";
    if (!c.have(12)) return Step::kShort;
    const auto item_type = c.read<std::uint32_t>();
    const auto count = c.read<std::uint64_t>();
    if (item_type >= kValueTypes.size()) {
      return fail("unknown_type", where, "array item type " + std::to_string(item_type) + " is not defined");
    }
    if (item_type == 9) return fail("malformed_header", where, "arrays of arrays are not supported");
    v.item_type = kValueTypes[item_type];
    v.count = count;
    const std::uint64_t min_item = item_type == 8 ? 8 : static_cast<std::uint64_t>(kValueSizes[item_type]);
    if (count > kMaxHeaderBytes / min_item) {
      return fail("header_too_large", where, "an array of " + std::to_string(count) + " items");
    }
    if (item_type != 8) {
      // Fixed-size items: keep the first few, step over the rest at once.
      const std::uint64_t kept = std::min<std::uint64_t>(count, kMaxKeptArrayItems);
      // Only as many as the bytes at hand can hold: the count is the file's claim.
      v.items.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(kept, c.left() / min_item + 1)));
      for (std::uint64_t i = 0; i < kept; ++i) {
        MetaValue item;
        if (Step s = scalar(item_type, item, where); s != Step::kOk) return s;
        v.items.push_back(std::move(item));
      }
      const std::uint64_t rest = (count - kept) * min_item;
      if (!c.have(rest)) return Step::kShort;
      c.skip(rest);
      return Step::kOk;
    }
    v.items.reserve(
        static_cast<std::size_t>(std::min<std::uint64_t>({count, kMaxKeptArrayItems, c.left() / min_item + 1})));
    for (std::uint64_t i = 0; i < count; ++i) {
      MetaValue item;
      if (Step s = scalar(item_type, item, where); s != Step::kOk) return s;
      if (i < kMaxKeptArrayItems) v.items.push_back(std::move(item));
    }
    return Step::kOk;
  }
};

std::uint64_t align_up(std::uint64_t x, std::uint64_t a) {
  return (x + a - 1) / a * a;
}

}  // namespace

std::optional<GgmlType> ggml_type(std::uint32_t id) {
  for (const GgmlType& t : kGgmlTypes) {
    if (t.block_weights != 0 && t.id == id) return t;
  }
  return std::nullopt;
}

Outcome<FileHeader> parse_gguf_header(std::string_view prefix, std::uint64_t file_size) {
  Cursor c(prefix);
  Reader r{c, file_size, {}};
  if (!c.have(24)) {
    if (prefix.size() >= 4 && prefix.substr(0, 4) != "GGUF") {
      return gguf_error("bad_magic", "", "the file does not start with \"GGUF\"");
    }
    return ran_out(c, file_size, Where{});
  }
  if (prefix.substr(0, 4) != "GGUF") return gguf_error("bad_magic", "", "the file does not start with \"GGUF\"");
  c.skip(4);
  FileHeader h;
  h.kind = "gguf";
  h.version = c.read<std::uint32_t>();
  if (h.version != 2 && h.version != 3) {
    return gguf_error("unsupported_version", "/version",
                      "GGUF version " + std::to_string(h.version) +
                          (h.version > 0xffff ? " (a big-endian file?)" : "") + "; versions 2 and 3 are read");
  }
  const auto n_tensors = c.read<std::uint64_t>();
  const auto n_kv = c.read<std::uint64_t>();
  if (n_tensors > kMaxTensors) {
    return gguf_error("header_too_large", "/tensor_count",
                      std::to_string(n_tensors) + " tensors, more than " + std::to_string(kMaxTensors));
  }
  if (n_kv > kMaxMetadataPairs) {
    return gguf_error("header_too_large", "/metadata_kv_count",
                      std::to_string(n_kv) + " metadata pairs, more than " + std::to_string(kMaxMetadataPairs));
  }

  for (std::uint64_t i = 0; i < n_kv; ++i) {
    const Where where = Where::entry("/metadata", i);
    std::string key;
    Step s = r.string(key, where, kMaxKeyBytes);
    if (s == Step::kOk && !c.have(4)) s = Step::kShort;
    if (s == Step::kShort) return ran_out(c, file_size, where);
    if (s == Step::kError) return r.error;
    const Where key_path = Where::key_of("/metadata", key);
    const auto type = c.read<std::uint32_t>();
    MetaValue v;
    s = r.value(type, v, key_path);
    if (s == Step::kShort) return ran_out(c, file_size, key_path);
    if (s == Step::kError) return r.error;
    if (h.metadata.count(key)) return gguf_error("malformed_header", key_path.str(), "the key appears twice");
    h.metadata.emplace(std::move(key), std::move(v));
  }

  std::uint64_t alignment = 32;
  if (auto it = h.metadata.find("general.alignment"); it != h.metadata.end()) {
    const MetaValue& a = it->second;
    if (a.type != "uint32" || a.unsigned_value == 0 || (a.unsigned_value & (a.unsigned_value - 1)) != 0) {
      return gguf_error("malformed_header", "/metadata/general.alignment", "must be a power of two (uint32)");
    }
    alignment = a.unsigned_value;
  }

  // Room for the tensors the bytes at hand can describe (a name's length, the dimension count, the
  // type and the offset take 24 bytes at least), not for what the count claims: a 40-byte file
  // claiming 65,536 tensors would have the reader set aside megabytes first.
  constexpr std::uint64_t kMinTensorInfoBytes = 24;
  h.tensors.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(n_tensors, c.left() / kMinTensorInfoBytes + 1)));
  for (std::uint64_t i = 0; i < n_tensors; ++i) {
    const Where where = Where::entry("/tensors", i);
    TensorInfo t;
    Step s = r.string(t.name, where, kMaxKeyBytes);
    if (s == Step::kOk && !c.have(4)) s = Step::kShort;
    if (s == Step::kShort) return ran_out(c, file_size, where);
    if (s == Step::kError) return r.error;
    const auto n_dims = c.read<std::uint32_t>();
    if (n_dims > kMaxGgmlDims) {
      return gguf_error("absurd_dimensions", where.str(),
                        std::to_string(n_dims) + " dimensions in " + detail::show(t.name) + ", more than " +
                            std::to_string(kMaxGgmlDims));
    }
    if (!c.have(8ull * n_dims + 12)) return ran_out(c, file_size, where);
    std::uint64_t elements = 1;
    for (std::uint32_t d = 0; d < n_dims; ++d) {
      const auto dim = c.read<std::uint64_t>();
      t.shape.push_back(dim);
      if (dim != 0 && elements > UINT64_MAX / dim) {
        return gguf_error("absurd_dimensions", where.str(),
                          "the element count of " + detail::show(t.name) + " overflows 64 bits");
      }
      elements *= dim;
    }
    const auto type_id = c.read<std::uint32_t>();
    t.offset = c.read<std::uint64_t>();
    const auto type = ggml_type(type_id);
    if (!type) {
      return gguf_error("unknown_type", where.str(),
                        "ggml type " + std::to_string(type_id) + " of " + detail::show(t.name) +
                            " is not defined (or was removed from GGUF)");
    }
    t.dtype = type->name;
    const std::uint64_t row = n_dims == 0 ? 1 : t.shape[0];
    if (row % type->block_weights != 0) {
      return gguf_error("absurd_dimensions", where.str(),
                        detail::show(t.name) + ": rows of " + std::to_string(row) + " are not a whole number of " +
                            type->name + " blocks of " + std::to_string(type->block_weights));
    }
    const std::uint64_t blocks = elements / type->block_weights;
    if (blocks > UINT64_MAX / type->block_bytes) {
      return gguf_error("absurd_dimensions", where.str(),
                        "the byte count of " + detail::show(t.name) + " overflows 64 bits");
    }
    t.elements = elements;
    t.bytes = blocks * type->block_bytes;
    if (t.offset % alignment != 0) {
      return gguf_error("offset_out_of_range", where.str(),
                        "the offset of " + detail::show(t.name) + " (" + std::to_string(t.offset) +
                            ") is not a multiple of the alignment " + std::to_string(alignment));
    }
    if (t.offset > UINT64_MAX - t.bytes) {
      return gguf_error("offset_out_of_range", where.str(), "the data of " + detail::show(t.name) + " ends past 2^64");
    }
    h.tensors.push_back(std::move(t));
  }
  h.header_bytes = align_up(c.pos(), alignment);

  // Data spans: inside the file, none sharing bytes.
  std::vector<std::size_t> order(h.tensors.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return h.tensors[a].offset < h.tensors[b].offset; });
  std::uint64_t reach = 0;
  std::size_t reach_tensor = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const TensorInfo& t = h.tensors[order[k]];
    if (t.bytes == 0) continue;
    if (k > 0 && t.offset < reach) {
      return gguf_error(
          "overlapping_tensors", "/tensors/" + std::to_string(order[k]),
          "the data of " + detail::show(t.name) + " overlaps that of " + detail::show(h.tensors[reach_tensor].name));
    }
    if (t.offset + t.bytes > reach) {
      reach = t.offset + t.bytes;
      reach_tensor = order[k];
    }
  }
  h.data_bytes = reach;
  // A file with no tensors has no data to place (and writers may leave off the final padding).
  if (!h.tensors.empty() && file_size != 0 && (h.header_bytes > file_size || reach > file_size - h.header_bytes)) {
    return gguf_error("offset_out_of_range", "/tensors/" + std::to_string(reach_tensor),
                      "the data of " + detail::show(h.tensors[reach_tensor].name) + " ends at byte " +
                          std::to_string(h.header_bytes + reach) + ", past the end of the " +
                          std::to_string(file_size) + "-byte file");
  }
  return h;
}

}  // namespace gpufit
