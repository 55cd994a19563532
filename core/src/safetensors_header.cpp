// safetensors: an 8-byte little-endian header length N, N bytes of JSON
// ({"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}),
// then the tensors' bytes, offsets counted from the end of the header.
// Format: https://github.com/huggingface/safetensors (README, "Format"; safetensors/src/tensor.rs).
#include <algorithm>
#include <array>
#include <cmath>

#include "gpufit/file_header.hpp"
#include "json_read.hpp"
#include "json_value.hpp"

namespace gpufit {

namespace {

using detail::Json;

struct DtypeBits {
  std::string_view name;
  int bits;
};

// safetensors' Dtype enum (safetensors/src/tensor.rs, Dtype::bitsize).
constexpr std::array<DtypeBits, 20> kDtypes = {{
    {"BOOL", 8},    {"F4", 4},      {"F6_E2M3", 6}, {"F6_E3M2", 6}, {"U8", 8},   {"I8", 8},    {"F8_E5M2", 8},
    {"F8_E4M3", 8}, {"F8_E8M0", 8}, {"I16", 16},    {"U16", 16},    {"F16", 16}, {"BF16", 16}, {"I32", 32},
    {"U32", 32},    {"F32", 32},    {"C64", 64},    {"F64", 64},    {"I64", 64}, {"U64", 64},
}};

std::optional<int> dtype_bits(std::string_view dtype) {
  for (const auto& d : kDtypes) {
    if (d.name == dtype) return d.bits;
  }
  return std::nullopt;
}

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53: JSON numbers above it are not exact

std::optional<std::uint64_t> exact_uint(const Json& v) {
  if (!v.is_number_integer() || v.as_number() < 0 || v.as_number() > kMaxExactInteger) return std::nullopt;
  return static_cast<std::uint64_t>(v.as_number());
}

Error header_error(std::string code, const std::string& path, std::string message) {
  return Error{std::move(code), path, std::move(message), "safetensors header"};
}

}  // namespace

std::optional<double> safetensors_dtype_bytes(std::string_view dtype) {
  if (auto bits = dtype_bits(dtype)) return *bits / 8.0;
  return std::nullopt;
}

Outcome<FileHeader> parse_safetensors_header(std::string_view prefix, std::uint64_t file_size) {
  FileHeader h;
  h.kind = "safetensors";
  if (file_size != 0 && file_size < 8) {
    return header_error("length_past_end", "",
                        "the file is " + std::to_string(file_size) + " bytes, shorter than the 8-byte header length");
  }
  if (prefix.size() < 8) {
    h.need_bytes = 8;
    return h;
  }
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(prefix[static_cast<std::size_t>(i)]);
  if (n > kMaxHeaderBytes) {
    return header_error("header_too_large", "",
                        "the header length is " + std::to_string(n) + " bytes, more than the limit of " +
                            std::to_string(kMaxHeaderBytes));
  }
  if (file_size != 0 && 8 + n > file_size) {
    return header_error("length_past_end", "",
                        "the header length " + std::to_string(n) + " runs past the end of the " +
                            std::to_string(file_size) + "-byte file");
  }
  if (n < 2) return header_error("malformed_header", "", "the header length is " + std::to_string(n) + " bytes");
  if (prefix.size() < 8 + n) {
    h.need_bytes = 8 + n;
    return h;
  }
  h.header_bytes = 8 + n;
  const std::string_view text = prefix.substr(8, static_cast<std::size_t>(n));
  if (text.front() != '{') {
    return header_error("malformed_header", "", "the header does not start with '{'");
  }
  auto parsed = detail::parse_json(text, "safetensors header", static_cast<std::size_t>(kMaxHeaderBytes));
  if (!parsed) {
    Error e = parsed.error();
    e.code = e.code == "too_large" ? "header_too_large" : "malformed_header";
    return e;
  }
  const Json& root = parsed.value();
  if (!root.is_object()) return header_error("malformed_header", "", "the header is not a JSON object");
  if (root.size() > kMaxTensors + 1) {
    return header_error("header_too_large", "", "more than " + std::to_string(kMaxTensors) + " tensors");
  }

  const std::uint64_t data_size = file_size == 0 ? 0 : file_size - 8 - n;
  struct Span {
    std::uint64_t begin, end;
    std::size_t tensor;
  };
  std::vector<Span> spans;
  for (const detail::JsonMember& m : root.members()) {
    const std::string path = pointer("", m.key);
    if (m.key == "__metadata__") {
      if (!m.value.is_object()) return header_error("malformed_header", path, "must be an object of strings");
      for (const detail::JsonMember& kv : m.value.members()) {
        if (!kv.value.is_string()) {
          return header_error("malformed_header", pointer(path, kv.key), "must be a string");
        }
        h.text_metadata[kv.key] = kv.value.as_string();
      }
      continue;
    }
    const Json& t = m.value;
    if (!t.is_object()) return header_error("malformed_header", path, "must be an object");
    const Json* dtype = t.find("dtype");
    const Json* shape = t.find("shape");
    const Json* offsets = t.find("data_offsets");
    if (!dtype || !dtype->is_string()) return header_error("malformed_header", path, "needs a string dtype");
    if (!shape || !shape->is_array()) return header_error("malformed_header", path, "needs a shape array");
    if (!offsets || !offsets->is_array() || offsets->size() != 2) {
      return header_error("malformed_header", path, "needs data_offsets [begin, end]");
    }
    TensorInfo info;
    info.name = m.key;
    info.dtype = dtype->as_string();
    const auto bits = dtype_bits(info.dtype);
    if (!bits) {
      return header_error("unknown_type", pointer(path, "dtype"), "unknown dtype " + detail::show(info.dtype));
    }
    if (shape->size() > kMaxTensorDims) {
      return header_error("absurd_dimensions", pointer(path, "shape"),
                          std::to_string(shape->size()) + " dimensions, more than " + std::to_string(kMaxTensorDims));
    }
    std::uint64_t elements = 1;
    for (std::size_t i = 0; i < shape->size(); ++i) {
      const auto d = exact_uint((*shape)[i]);
      if (!d) {
        return header_error("absurd_dimensions", pointer(pointer(path, "shape"), i),
                            "must be a non-negative integer below 2^53, got " + detail::show((*shape)[i]));
      }
      info.shape.push_back(*d);
      if (*d != 0 && elements > UINT64_MAX / *d) {
        return header_error("absurd_dimensions", pointer(path, "shape"), "the element count overflows 64 bits");
      }
      elements *= *d;
    }
    if (elements > UINT64_MAX / 64) {
      return header_error("absurd_dimensions", pointer(path, "shape"), "the byte count overflows 64 bits");
    }
    const std::uint64_t total_bits = elements * static_cast<std::uint64_t>(*bits);
    if (total_bits % 8 != 0) {
      return header_error("absurd_dimensions", pointer(path, "shape"),
                          std::to_string(elements) + " elements of " + info.dtype + " are not a whole number of bytes");
    }
    info.elements = elements;
    info.bytes = total_bits / 8;
    const auto begin = exact_uint((*offsets)[0]);
    const auto end = exact_uint((*offsets)[1]);
    if (!begin || !end || *end < *begin) {
      return header_error("offset_out_of_range", pointer(path, "data_offsets"),
                          "must be two integers, begin <= end, got " + detail::show(*offsets));
    }
    if (*end - *begin != info.bytes) {
      return header_error("offset_out_of_range", pointer(path, "data_offsets"),
                          "span " + std::to_string(*end - *begin) + " bytes, but " + info.dtype + " " +
                              detail::show(*shape) + " needs " + std::to_string(info.bytes));
    }
    if (file_size != 0 && *end > data_size) {
      return header_error(
          "offset_out_of_range", pointer(path, "data_offsets"),
          "ends at " + std::to_string(*end) + ", past the " + std::to_string(data_size) + " bytes of data in the file");
    }
    info.offset = *begin;
    spans.push_back({*begin, *end, h.tensors.size()});
    h.data_bytes = std::max(h.data_bytes, *end);
    h.tensors.push_back(std::move(info));
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
  std::size_t last = 0;  // the span reaching furthest so far
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].begin == spans[i].end) continue;  // an empty tensor holds no bytes
    if (i > 0 && spans[i].begin < spans[last].end) {
      const std::string& a = h.tensors[spans[last].tensor].name;
      const std::string& b = h.tensors[spans[i].tensor].name;
      return header_error("overlapping_tensors", pointer("", b), "data_offsets overlap those of " + detail::show(a));
    }
    if (spans[i].end > spans[last].end || spans[last].begin == spans[last].end) last = i;
  }
  return h;
}

}  // namespace gpufit
