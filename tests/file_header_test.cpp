// The safetensors and GGUF header parsers (core/src/safetensors_header.cpp, gguf_header.cpp) and
// the models built from them (header_model.cpp), on files generated here, hostile ones included.
#include <gtest/gtest.h>

#include "file_builders.hpp"
#include "gpufit/file_header.hpp"
#include "header_model.hpp"
#include "json_value.hpp"

namespace gpufit {
namespace {

using testing::GgufWriter;
using testing::le32;
using testing::le64;
using testing::safetensors_file;
using testing::TensorSpec;

// ---- safetensors -------------------------------------------------------------------------

TEST(SafetensorsHeader, ReadsTensorsAndMetadata) {
  auto [bytes, size] = safetensors_file({{"model.embed_tokens.weight", "BF16", {1000, 64}},
                                         {"model.layers.0.self_attn.q_proj.weight", "BF16", {64, 64}},
                                         {"lm_head.weight", "F32", {1000, 64}}},
                                        R"({"format":"pt"})");
  auto h = parse_safetensors_header(bytes, size);
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  const FileHeader& f = h.value();
  EXPECT_EQ(f.need_bytes, 0u);
  EXPECT_EQ(f.header_bytes, bytes.size());
  ASSERT_EQ(f.tensors.size(), 3u);
  EXPECT_EQ(f.tensors[0].bytes, 128000u);
  EXPECT_EQ(f.tensors[2].offset, 128000u + 8192u);
  EXPECT_EQ(f.text_metadata.at("format"), "pt");
  WeightsSummary w;
  add_to_summary(w, f.tensors);
  EXPECT_EQ(w.params, 64000.0 * 2 + 4096);
  EXPECT_EQ(w.bytes_by_dtype.at("BF16"), 128000.0 + 8192);
  EXPECT_EQ(w.bytes_by_dtype.at("F32"), 256000.0);
  EXPECT_EQ(w.embedding_bytes, 128000.0);
  EXPECT_TRUE(w.has_output_head);
  EXPECT_EQ(w.attention_params, 4096.0);
  EXPECT_EQ(w.main_dtype, "F32");
}

TEST(SafetensorsHeader, AsksForExactlyTheBytesItNeeds) {
  auto [bytes, size] = safetensors_file({{"w", "F16", {4, 4}}});
  auto first = parse_safetensors_header(bytes.substr(0, 3), size);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.value().need_bytes, 8u);
  auto second = parse_safetensors_header(bytes.substr(0, 8), size);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.value().need_bytes, bytes.size());
  auto third = parse_safetensors_header(bytes, size);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third.value().need_bytes, 0u);
  EXPECT_EQ(third.value().tensors.size(), 1u);
}

Error st_error(const std::string& bytes, std::uint64_t size) {
  auto h = parse_safetensors_header(bytes, size);
  EXPECT_FALSE(h.ok());
  return h.ok() ? Error{} : h.error();
}

TEST(SafetensorsHeader, RefusesHostileHeaders) {
  // A stated length past the end of the file.
  std::string j = R"({"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}})";
  Error e = st_error(le64(j.size() + 100) + j, 8 + j.size() + 4);
  EXPECT_EQ(e.code, "length_past_end");
  EXPECT_EQ(e.to_string(), "safetensors header: the header length " + std::to_string(j.size() + 100) +
                               " runs past the end of the " + std::to_string(12 + j.size()) + "-byte file");
  // Over 100 MB.
  e = st_error(le64(200'000'000) + "{", 300'000'000);
  EXPECT_EQ(e.code, "header_too_large");
  // Overlapping data.
  j = R"({"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[4],"data_offsets":[4,12]}})";
  e = st_error(le64(j.size()) + j, 8 + j.size() + 12);
  EXPECT_EQ(e.code, "overlapping_tensors");
  EXPECT_EQ(e.to_string(), "safetensors header: /b: data_offsets overlap those of \"a\"");
  // Data past the end of the file.
  j = R"({"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}})";
  e = st_error(le64(j.size()) + j, 8 + j.size() + 6);
  EXPECT_EQ(e.code, "offset_out_of_range");
  // A span that does not match the shape.
  j = R"({"a":{"dtype":"F16","shape":[4],"data_offsets":[0,6]}})";
  e = st_error(le64(j.size()) + j, 0);
  EXPECT_EQ(e.code, "offset_out_of_range");
  // Unknown dtype.
  j = R"({"a":{"dtype":"Q4","shape":[4],"data_offsets":[0,2]}})";
  e = st_error(le64(j.size()) + j, 0);
  EXPECT_EQ(e.code, "unknown_type");
  EXPECT_EQ(e.path, "/a/dtype");
  // Dimensions whose product overflows.
  j = R"({"a":{"dtype":"F16","shape":[4294967296,4294967296,16],"data_offsets":[0,2]}})";
  e = st_error(le64(j.size()) + j, 0);
  EXPECT_EQ(e.code, "absurd_dimensions");
  j = R"({"a":{"dtype":"F16","shape":[1e300],"data_offsets":[0,2]}})";
  EXPECT_EQ(st_error(le64(j.size()) + j, 0).code, "absurd_dimensions");
  j = R"({"a":{"dtype":"F16","shape":[-1],"data_offsets":[0,2]}})";
  EXPECT_EQ(st_error(le64(j.size()) + j, 0).code, "absurd_dimensions");
  // Not JSON, not an object, too deep.
  EXPECT_EQ(st_error(le64(4) + "{]}x", 0).code, "malformed_header");
  EXPECT_EQ(st_error(le64(2) + "[]", 0).code, "malformed_header");
  const std::string deep = "{\"a\":" + std::string(99, '[') + std::string(99, ']') + "}";
  e = st_error(le64(deep.size()) + deep, 0);
  EXPECT_EQ(e.code, "header_too_large");
  EXPECT_EQ(e.message, "JSON nested deeper than 64 levels");
  // A file shorter than its length field.
  EXPECT_EQ(st_error("abc", 3).code, "length_past_end");
}

TEST(SafetensorsHeader, EmptyTensorsMayShareAnOffset) {
  std::string j =
      R"({"a":{"dtype":"F16","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}})";
  EXPECT_TRUE(parse_safetensors_header(le64(j.size()) + j, 8 + j.size() + 4).ok());
}

// ---- GGUF ------------------------------------------------------------------------------------

constexpr std::uint32_t kF32 = 0, kQ4_K = 12, kQ6_K = 14;

// A two-layer llama in Q4_K_M-like types: hidden 256, 4 heads, 2 KV heads, FFN 512, 1000 tokens.
GgufWriter tiny_llama(bool tied = false) {
  GgufWriter g;
  std::vector<std::string> tokens;
  for (int i = 0; i < 1000; ++i) tokens.push_back("t" + std::to_string(i));
  g.str("general.architecture", "llama")
      .str("general.name", "Tiny Llama")
      .u32("general.file_type", 15)
      .u32("llama.block_count", 2)
      .u32("llama.context_length", 4096)
      .u32("llama.embedding_length", 256)
      .u32("llama.feed_forward_length", 512)
      .u32("llama.attention.head_count", 4)
      .u32("llama.attention.head_count_kv", 2)
      .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
      .str_array("tokenizer.ggml.tokens", tokens);
  auto q4k = [](std::uint64_t n) { return n / 256 * 144; };
  auto q6k = [](std::uint64_t n) { return n / 256 * 210; };
  g.tensor("token_embd.weight", kQ4_K, {256, 1000}, q4k(256000));
  for (int l = 0; l < 2; ++l) {
    const std::string b = "blk." + std::to_string(l) + ".";
    g.tensor(b + "attn_norm.weight", kF32, {256}, 1024)
        .tensor(b + "attn_q.weight", kQ4_K, {256, 256}, q4k(65536))
        .tensor(b + "attn_k.weight", kQ4_K, {256, 128}, q4k(32768))
        .tensor(b + "attn_v.weight", kQ6_K, {256, 128}, q6k(32768))
        .tensor(b + "attn_output.weight", kQ4_K, {256, 256}, q4k(65536))
        .tensor(b + "ffn_norm.weight", kF32, {256}, 1024)
        .tensor(b + "ffn_gate.weight", kQ4_K, {256, 512}, q4k(131072))
        .tensor(b + "ffn_up.weight", kQ4_K, {256, 512}, q4k(131072))
        .tensor(b + "ffn_down.weight", kQ6_K, {512, 256}, q6k(131072));
  }
  g.tensor("output_norm.weight", kF32, {256}, 1024);
  if (!tied) g.tensor("output.weight", kQ6_K, {256, 1000}, q6k(256000));
  return g;
}

TEST(GgufHeader, ReadsMetadataAndTensors) {
  auto [bytes, size] = tiny_llama().file();
  auto h = parse_gguf_header(bytes, size);
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  const FileHeader& f = h.value();
  EXPECT_EQ(f.version, 3u);
  EXPECT_EQ(f.header_bytes, bytes.size());
  EXPECT_EQ(f.metadata.at("general.architecture").text, "llama");
  EXPECT_EQ(f.metadata.at("tokenizer.ggml.tokens").count, 1000u);
  EXPECT_EQ(f.metadata.at("tokenizer.ggml.tokens").item_type, "string");
  EXPECT_FLOAT_EQ(static_cast<float>(f.metadata.at("llama.attention.layer_norm_rms_epsilon").number), 1e-5f);
  ASSERT_EQ(f.tensors.size(), 21u);
  EXPECT_EQ(f.tensors[0].dtype, "Q4_K");
  EXPECT_EQ(f.tensors[0].bytes, 144000u);
  EXPECT_EQ(gguf_file_type_format(f), "q4_k_m");
  // A file type no int holds (found by fuzz_gguf: 3.47e9) is simply not one we know.
  FileHeader odd = f;
  odd.metadata["general.file_type"].number = 3.47288e9;
  EXPECT_EQ(gguf_file_type_format(odd), "");

  auto m = model_from_gguf(f);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m.value().layers, 2);
  EXPECT_EQ(m.value().hidden_size, 256);
  EXPECT_EQ(m.value().attention_heads, 4);
  EXPECT_EQ(m.value().kv_heads, 2);
  EXPECT_EQ(m.value().head_dim, 64);
  EXPECT_EQ(m.value().intermediate_size, 512);
  EXPECT_EQ(m.value().vocab_size, 1000);
  EXPECT_EQ(m.value().max_context_tokens, 4096);
  EXPECT_EQ(m.value().params, 1692928);
  EXPECT_EQ(*m.value().attention_params, 2 * 196608.0);
  EXPECT_FALSE(m.value().tie_word_embeddings);
  EXPECT_EQ(m.value().name, "Tiny Llama");
  auto tied = parse_gguf_header(tiny_llama(true).file().first, 0);
  ASSERT_TRUE(tied.ok());
  EXPECT_TRUE(model_from_gguf(tied.value()).value().tie_word_embeddings);
}

TEST(GgufHeader, AsksForMoreBytesUntilTheHeaderIsWhole) {
  auto [bytes, size] = tiny_llama().file();
  std::uint64_t have = 16, rounds = 0;
  while (true) {
    auto h = parse_gguf_header(std::string_view(bytes).substr(0, have), size);
    ASSERT_TRUE(h.ok()) << h.error().to_string();
    if (h.value().need_bytes == 0) break;
    ASSERT_GT(h.value().need_bytes, have);
    ASSERT_LE(h.value().need_bytes, bytes.size());
    have = h.value().need_bytes;
    ASSERT_LT(++rounds, 5000u);
  }
  EXPECT_LE(have, bytes.size());
}

Error gguf_error(const std::string& bytes, std::uint64_t size) {
  auto h = parse_gguf_header(bytes, size);
  EXPECT_FALSE(h.ok());
  return h.ok() ? Error{} : h.error();
}

TEST(GgufHeader, RefusesHostileHeaders) {
  EXPECT_EQ(gguf_error("GGML" + std::string(40, '\0'), 0).code, "bad_magic");
  EXPECT_EQ(gguf_error("GGUF" + le32(1) + le64(0) + le64(0), 0).code, "unsupported_version");
  // Counts absurdly high.
  EXPECT_EQ(gguf_error("GGUF" + le32(3) + le64(1ull << 40) + le64(0), 0).code, "header_too_large");
  // A string running past the end of the file.
  std::string head = "GGUF" + le32(3) + le64(0) + le64(1) + le64(1000) + "key";
  Error e = gguf_error(head, head.size());
  EXPECT_EQ(e.code, "length_past_end");
  EXPECT_EQ(e.to_string(), "GGUF header: /metadata/0: runs to byte 1032, past the end of the 35-byte file");
  // A string over 100 MB.
  EXPECT_EQ(gguf_error("GGUF" + le32(3) + le64(0) + le64(1) + le64(3) + "key" + le32(8) + le64(1ull << 40), 0).code,
            "header_too_large");
  // Unknown metadata and tensor types.
  EXPECT_EQ(gguf_error("GGUF" + le32(3) + le64(0) + le64(1) + le64(1) + "k" + le32(13) + le64(0), 0).code,
            "unknown_type");
  GgufWriter bad_type;
  bad_type.tensor("w", 4 /* Q4_2, removed */, {32}, 32);
  e = gguf_error(bad_type.file().first, 0);
  EXPECT_EQ(e.code, "unknown_type");
  EXPECT_EQ(e.message, "ggml type 4 of \"w\" is not defined (or was removed from GGUF)");
  // Dimensions: too many, overflowing, not whole blocks.
  GgufWriter dims5;
  dims5.tensor("w", kF32, {1, 1, 1, 1, 1}, 4);
  EXPECT_EQ(gguf_error(dims5.file().first, 0).code, "absurd_dimensions");
  GgufWriter huge;
  huge.tensor("w", kF32, {1ull << 32, 1ull << 32, 16}, 4);
  EXPECT_EQ(gguf_error(huge.file().first, 0).code, "absurd_dimensions");
  GgufWriter partial;
  partial.tensor("w", kQ4_K, {100, 2}, 288);
  EXPECT_EQ(gguf_error(partial.file().first, 0).code, "absurd_dimensions");
  // Data past the end of the file, overlapping data.
  auto [bytes, size] = tiny_llama().file();
  const FileHeader whole = parse_gguf_header(bytes, size).value();
  EXPECT_EQ(gguf_error(bytes, whole.header_bytes + whole.data_bytes - 1).code, "offset_out_of_range");
  std::string overlap = "GGUF" + le32(3) + le64(2) + le64(0) + GgufWriter::gstr("a") + le32(1) + le64(64) + le32(kF32) +
                        le64(0) + GgufWriter::gstr("b") + le32(1) + le64(64) + le32(kF32) + le64(128);
  EXPECT_EQ(gguf_error(overlap, 0).code, "overlapping_tensors");
  std::string misaligned =
      "GGUF" + le32(3) + le64(1) + le64(0) + GgufWriter::gstr("a") + le32(1) + le64(8) + le32(kF32) + le64(3);
  EXPECT_EQ(gguf_error(misaligned, 0).code, "offset_out_of_range");
  // Found by fuzz_gguf: a version-2 file of no tensors and no metadata, 26 bytes, whose aligned
  // header (32 bytes) passes its end. It read tensors[0] of an empty list; there is nothing to place.
  const std::string empty_v2 = "GGUF" + le32(2) + le64(0) + le64(0) + std::string(2, '\0');
  const auto parsed = parse_gguf_header(empty_v2, empty_v2.size());
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_TRUE(parsed.value().tensors.empty());
}

TEST(GgufHeader, KeepsPerLayerArraysAndRefusesAShapeThatDoesNotAddUp) {
  GgufWriter g;
  g.str("general.architecture", "llama")
      .u32("llama.block_count", 1)
      .u32("llama.embedding_length", 64)
      .u32("llama.attention.head_count", 4)
      .u32_array("llama.attention.head_count_kv", {3})
      .u32("llama.vocab_size", 10)
      .tensor("token_embd.weight", kF32, {64, 10}, 2560);
  auto h = parse_gguf_header(g.file().first, 0);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h.value().metadata.at("llama.attention.head_count_kv").items.size(), 1u);
  auto m = model_from_gguf(h.value(), "/model/gguf");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(), "/model/gguf/llama.attention.head_count_kv: must divide the head count (4), got 3");
}

TEST(GgmlTypes, BitsPerWeightMatchLlamaCpp) {
  // bits per weight from the block layouts (llama.cpp's quantize table states the same).
  auto bpw = [](std::uint32_t id) {
    auto t = ggml_type(id);
    return 8.0 * t->block_bytes / t->block_weights;
  };
  EXPECT_EQ(bpw(2), 4.5);      // Q4_0
  EXPECT_EQ(bpw(8), 8.5);      // Q8_0
  EXPECT_EQ(bpw(10), 2.625);   // Q2_K
  EXPECT_EQ(bpw(12), 4.5);     // Q4_K
  EXPECT_EQ(bpw(14), 6.5625);  // Q6_K
  EXPECT_EQ(bpw(16), 2.0625);  // IQ2_XXS
  EXPECT_EQ(bpw(23), 4.25);    // IQ4_XS
  EXPECT_EQ(bpw(39), 4.25);    // MXFP4
  EXPECT_FALSE(ggml_type(4).has_value());
  EXPECT_FALSE(ggml_type(31).has_value());
  EXPECT_FALSE(ggml_type(1000).has_value());
}

// ---- config.json + safetensors ---------------------------------------------------------------

TEST(HeaderModel, AwqCheckpointCountsPackedWeights) {
  auto cfg = detail::parse_json(R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 1,
    "num_attention_heads": 4, "num_key_value_heads": 4, "intermediate_size": 128, "vocab_size": 100,
    "quantization_config": {"quant_method": "awq", "bits": 4, "group_size": 64}})",
                                "config.json");
  ASSERT_TRUE(cfg.ok());
  int packed = 0;
  EXPECT_EQ(detail::hf_quant_format(cfg.value(), packed), "int4");
  EXPECT_EQ(packed, 4);
  std::vector<TensorSpec> specs = {{"model.embed_tokens.weight", "F16", {100, 64}},
                                   {"lm_head.weight", "F16", {100, 64}}};
  for (std::string p : {"q_proj", "k_proj", "v_proj", "o_proj"}) {
    specs.push_back({"model.layers.0.self_attn." + p + ".qweight", "I32", {64, 8}});
    specs.push_back({"model.layers.0.self_attn." + p + ".qzeros", "I32", {1, 8}});
    specs.push_back({"model.layers.0.self_attn." + p + ".scales", "F16", {1, 64}});
  }
  for (std::string p : {"gate_proj", "up_proj"})
    specs.push_back({"model.layers.0.mlp." + p + ".qweight", "I32", {64, 16}});
  specs.push_back({"model.layers.0.mlp.down_proj.qweight", "I32", {128, 8}});
  specs.push_back({"model.layers.0.input_layernorm.weight", "F16", {64}});
  specs.push_back({"model.layers.0.post_attention_layernorm.weight", "F16", {64}});
  specs.push_back({"model.norm.weight", "F16", {64}});
  auto [bytes, size] = safetensors_file(specs);
  auto h = parse_safetensors_header(bytes, size);
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  WeightsSummary w;
  add_to_summary(w, h.value().tensors, packed);
  const double expect = 2 * 6400 + 4 * 4096 + 3 * 8192 + 3 * 64;
  EXPECT_EQ(w.params, expect);
  auto m = detail::model_from_config_and_weights(cfg.value(), w, "/model/hf_config");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m.value().params, expect);  // the same as the config's shape gives
  EXPECT_FALSE(m.value().tie_word_embeddings);
}

TEST(HeaderModel, QuantizationConfigs) {
  auto fmt = [](const char* q) {
    auto cfg = detail::parse_json(std::string(R"({"quantization_config": )") + q + "}", "config.json");
    int packed = 0;
    const std::string format = detail::hf_quant_format(cfg.value(), packed);
    return format + "/" + std::to_string(packed);
  };
  EXPECT_EQ(fmt(R"({"quant_method": "gptq", "bits": 4})"), "int4/4");
  EXPECT_EQ(fmt(R"({"quant_method": "gptq", "bits": 8})"), "int8/8");
  EXPECT_EQ(fmt(R"({"quant_method": "gptq", "bits": 3})"), "/0");
  EXPECT_EQ(fmt(R"({"quant_method": "bitsandbytes", "load_in_4bit": true})"), "nf4/4");
  EXPECT_EQ(fmt(R"({"quant_method": "fp8", "weight_block_size": [128, 128]})"), "fp8/0");
  EXPECT_EQ(
      fmt(R"({"quant_method": "compressed-tensors", "config_groups": {"group_0": {"weights": {"num_bits": 8, "type": "float"}}}})"),
      "fp8/0");
  EXPECT_EQ(fmt(R"({"quant_method": "mxfp4"})"), "mxfp4/0");
}

}  // namespace
}  // namespace gpufit
