// Weight bytes per format: bits per weight from the GGUF block layouts, the K-quant mixes, the
// tensors kept at 16 bits, and published file sizes within 3%.
#include "gpufit/weights_memory.hpp"
#include "gpufit/benchmark_estimate.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

double bits(const char* id) {
  return catalog().weight_format(id)->bits_per_weight;
}

TEST(WeightsMemory, GgufBitsFollowTheBlockLayouts) {
  // ggml-common.h: bytes per block / weights per block * 8.
  EXPECT_DOUBLE_EQ(bits("q4_0"), (2 + 16) * 8.0 / 32);               // fp16 d + 32 nibbles
  EXPECT_DOUBLE_EQ(bits("q8_0"), (2 + 32) * 8.0 / 32);               // fp16 d + 32 int8
  EXPECT_DOUBLE_EQ(bits("q4_k_m"), (2 + 2 + 12 + 128) * 8.0 / 256);  // Q4_K
  EXPECT_DOUBLE_EQ(bits("q5_k_m"), (2 + 2 + 12 + 32 + 128) * 8.0 / 256);
  EXPECT_DOUBLE_EQ(bits("q6_k"), (128 + 64 + 16 + 2) * 8.0 / 256);
  EXPECT_DOUBLE_EQ(bits("q3_k_m"), (32 + 64 + 12 + 2) * 8.0 / 256);
  EXPECT_DOUBLE_EQ(bits("q2_k"), (16 + 64 + 2 + 2) * 8.0 / 256);
  // AWQ/GPTQ group 128: 4-bit weights, an FP16 scale and a 4-bit zero point per group.
  EXPECT_DOUBLE_EQ(bits("int4"), 4 + (16 + 4) / 128.0);
  // MXFP4: 32 FP4 values share one E8M0 scale byte.
  EXPECT_DOUBLE_EQ(bits("mxfp4"), 4 + 8 / 32.0);
}

TEST(WeightsMemory, UseMoreBitsPicksHalfOf32Layers) {
  int n = 0;
  for (int i = 0; i < 32; ++i) n += use_more_bits(i, 32);
  EXPECT_EQ(n, 16);
  EXPECT_TRUE(use_more_bits(0, 32));
  EXPECT_TRUE(use_more_bits(6, 32));
  EXPECT_FALSE(use_more_bits(5, 32));
  EXPECT_TRUE(use_more_bits(31, 32));
}

TEST(WeightsMemory, FloatFormatsAreParamsTimesBytes) {
  const Model& m = *catalog().model("llama-3.1-8b");
  EXPECT_DOUBLE_EQ(weight_bytes(m, *catalog().weight_format("bf16")).total, m.params * 2);
  EXPECT_DOUBLE_EQ(weight_bytes(m, *catalog().weight_format("fp32")).total, m.params * 4);
}

TEST(WeightsMemory, QuantizedFormatsKeepEmbeddingsAndHeadAt16Bits) {
  const Model& m = *catalog().model("llama-3.1-8b");
  const double embed = 128256.0 * 4096;
  const double body = m.params - 2 * embed;
  // Hand arithmetic: the body at the format's bits, embeddings and head at 2 bytes.
  EXPECT_NEAR(weight_bytes(m, *catalog().weight_format("int4")).total, body * bits("int4") / 8 + 2 * embed * 2, 1e6);
  EXPECT_NEAR(weight_bytes(m, *catalog().weight_format("fp8")).total, body * 1 + 2 * embed * 2, 1e6);
}

TEST(WeightsMemory, Q4KMixGivesHalfTheLayersQ6KForAttnVAndFfnDown) {
  const Model& m = *catalog().model("llama-3.1-8b");
  const double embed = 128256.0 * 4096, ffn_down = 32.0 * 4096 * 14336, attn_v = 32.0 * 4096 * 1024;
  // token_embd at Q4_K, output at Q6_K, half of attn_v and ffn_down at Q6_K.
  const double expect =
      (m.params - embed) * 4.5 / 8 + embed * 6.5625 / 8 + (ffn_down + attn_v) / 2 * (6.5625 - 4.5) / 8;
  EXPECT_NEAR(weight_bytes(m, *catalog().weight_format("q4_k_m")).total / expect, 1.0, 1e-3);
}

TEST(WeightsMemory, PublishedFileSizesWithinThreePercent) {
  int n = 0;
  for (const Benchmark& b : catalog().benchmarks) {
    if (b.kind != "memory" || !b.excluded.empty()) continue;
    auto est = estimate_benchmark(b, catalog());
    ASSERT_TRUE(est.has_value()) << b.id;
    EXPECT_NEAR(*est / b.value, 1.0, 0.03) << b.id << " (" << b.model << " " << b.weights << ")";
    ++n;
  }
  EXPECT_GE(n, 10);
}

TEST(WeightsMemory, DecodeReadsOnlyTheActiveExpertsAndNotTheEmbeddingTable) {
  const Model& m = *catalog().model("mixtral-8x7b");
  const WeightBytes wb = weight_bytes(m, *catalog().weight_format("bf16"));
  const double embed_bytes = 32000.0 * 4096 * 2;
  EXPECT_NEAR(wb.read_per_step(m, 1), wb.total - embed_bytes - wb.routed_experts * 0.75, 1);
  EXPECT_NEAR(wb.read_per_step(m, 1e6), wb.total - embed_bytes, 1e3);
}

}  // namespace
}  // namespace gpufit::test
