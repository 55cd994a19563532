// Weight files' headers: safetensors and GGUF (v2, v3) state every tensor's name, shape and type
// before the data, so a model's exact weight bytes, parameter count and (for GGUF) architecture
// shape are known from the first kilobytes (safetensors) or megabytes (GGUF, whose header holds
// the tokenizer) of the file. The parsers here are handed the bytes of a file's start and never
// read anything themselves: the command line reads files or makes HTTP Range requests, the page
// slices a dropped File.
//
// Hostile files are refused with a named error (Error::code):
//   "header_truncated"   the bytes end inside the header although the file is no longer
//   "length_past_end"    the header's stated length runs past the end of the file
//   "header_too_large"   a header over kMaxHeaderBytes
//   "bad_magic", "unsupported_version", "malformed_header"
//   "unknown_type"       a tensor or metadata type the format does not define
//   "absurd_dimensions"  a shape whose element or byte count overflows 64 bits or is not a whole
//                        number of quantization blocks
//   "offset_out_of_range", "overlapping_tensors"  tensor data outside the file or sharing bytes
// A prefix that ends too early but could be fine is no error: FileHeader::need_bytes says how
// many bytes from the start to hand in next (exact for safetensors; for GGUF the end of the item
// that was cut, a lower bound).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gpufit/catalog.hpp"
#include "gpufit/error.hpp"

namespace gpufit {

inline constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;  // 100 MB: the largest GGUF tokenizers are ~10 MB
inline constexpr std::size_t kMaxTensorDims = 8;               // safetensors tensors in the wild use <= 5; GGUF <= 4
inline constexpr std::uint64_t kMaxTensors = 1'000'000;        // DeepSeek-V3's 671B checkpoint has ~91,000

struct TensorInfo {
  std::string name;
  // safetensors: its dtype as written ("BF16", "F8_E4M3", "I32"); GGUF: ggml's type name ("Q4_K").
  std::string dtype;
  std::vector<std::uint64_t> shape;  // as written (GGUF: ggml's order, fastest dimension first)
  std::uint64_t elements = 0;
  std::uint64_t bytes = 0;
  std::uint64_t offset = 0;  // from the start of the data section
};

// A GGUF metadata value. Arrays keep their element type and length, and their items only up to
// kMaxKeptArrayItems (per-layer head counts; a tokenizer's 150,000 tokens are counted, not kept).
struct MetaValue {
  std::string type;   // uint8 int8 uint16 int16 uint32 int32 float32 bool string array uint64 int64 float64
  double number = 0;  // numbers and bools (1/0)
  std::uint64_t unsigned_value = 0;  // unsigned integers, exactly
  std::string text;                  // strings
  std::string item_type;             // arrays: the items' type
  std::uint64_t count = 0;           // arrays: the number of items
  std::vector<MetaValue> items;      // arrays: the first kMaxKeptArrayItems items
};
inline constexpr std::size_t kMaxKeptArrayItems = 4096;

struct FileHeader {
  std::string kind;                // "safetensors" | "gguf"
  std::uint64_t need_bytes = 0;    // > 0: hand in the file's first need_bytes bytes; nothing else is set
  std::uint64_t header_bytes = 0;  // from the file's start to its data section
  std::uint64_t data_bytes = 0;    // the end of the last tensor's data, from the data section's start
  std::uint32_t version = 0;       // GGUF version
  std::vector<TensorInfo> tensors;
  std::map<std::string, std::string> text_metadata;  // safetensors' __metadata__
  std::map<std::string, MetaValue> metadata;         // GGUF key-value pairs
};

// `prefix`: the file's first bytes (all of them, or at least the header); `file_size`: the file's
// length in bytes (0: unknown, then only what the prefix shows is checked).
Outcome<FileHeader> parse_safetensors_header(std::string_view prefix, std::uint64_t file_size);
Outcome<FileHeader> parse_gguf_header(std::string_view prefix, std::uint64_t file_size);

// ggml's block layout of a GGUF tensor type: weights per block and bytes per block, as in ggml's
// type_traits table (ggml/src/ggml.c) and the block structs of ggml/src/ggml-common.h.
struct GgmlType {
  std::uint32_t id = 0;
  const char* name = "";
  std::uint32_t block_weights = 0;
  std::uint32_t block_bytes = 0;
};
std::optional<GgmlType> ggml_type(std::uint32_t id);

// Bytes per element of a safetensors dtype ("BF16" -> 2, "F8_E4M3" -> 1, "F4" -> 0.5); nullopt
// for a dtype safetensors does not define.
std::optional<double> safetensors_dtype_bytes(std::string_view dtype);

// What the tensors of one or more files (shards) add up to.
struct WeightsSummary {
  double params = 0;  // weights: packed integers (AWQ/GPTQ qweight) unpacked, quantization scales left out
  double bytes = 0;
  std::map<std::string, double> bytes_by_dtype;              // dtype as in TensorInfo -> bytes
  double embedding_bytes = 0, embedding_params = 0;          // the token embedding table
  double routed_expert_bytes = 0, routed_expert_params = 0;  // tensors of routed experts
  double attention_params = 0;                               // attention projections (not norms)
  bool has_output_head = false;                              // a separate lm_head / output tensor
  std::string main_dtype;                                    // the dtype holding the most bytes
  int tensors = 0;
};
// `packed_bits`: integer weight tensors pack weights of this many bits (4: an AWQ/GPTQ qweight
// I32 holds 8, a bitsandbytes 4-bit U8 holds 2); 0: none are packed.
void add_to_summary(WeightsSummary& s, const std::vector<TensorInfo>& tensors, int packed_bits = 0);

// A GGUF header -> the model it holds: shape from `<arch>.block_count`, `embedding_length`,
// `attention.head_count(_kv)`, `feed_forward_length`, `context_length`, `expert_count`,
// `expert_used_count`, vocabulary from the tokenizer's token list; parameters and bytes from the
// tensors. `path` names the input in errors.
Outcome<Model> model_from_gguf(const FileHeader& header, const std::string& path = "");

// The format id a GGUF file's general.file_type names ("q4_k_m"), or "" when the catalog's
// formats hold no such mix.
std::string gguf_file_type_format(const FileHeader& header);

}  // namespace gpufit
