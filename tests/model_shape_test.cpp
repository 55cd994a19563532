// Model shape: parameters per tensor role, KV-cache values per token (GQA, MQA, sliding windows,
// MLA), tensor-parallel KV share and MoE expert coverage.
#include "gpufit/model_shape.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

const Model& model(const char* id) {
  const Model* m = catalog().model(id);
  EXPECT_NE(m, nullptr) << id;
  static const Model kNone;
  return m ? *m : kNone;
}

TEST(ModelShape, RolesAddUpToTheParameterCount) {
  for (const Model& m : catalog().models) {
    EXPECT_NEAR(tensor_params(m).total() / m.params, 1.0, 1e-9) << m.id;
  }
}

TEST(ModelShape, OnlyTheClassicFamiliesHaveAnUngatedMlp) {
  const auto gated = [](const char* family) {
    Model m;
    m.family = family;
    return has_gated_mlp(m);
  };
  for (const char* f : {"falcon", "bert", "gpt2", "gpt_neox", "opt", "bloom", "mpt"}) EXPECT_FALSE(gated(f)) << f;
  // Every other name, those of the same lengths and near misses included.
  for (const char* f : {"llama", "mistral", "qwen2", "gemma", "phi3", "", "o", "opt2", "ops", "mpt7", "berts", "gpt3",
                        "blooms", "bloo", "falcom", "gpt_neo", "gpt_neox2", "deepseek_v3", "OPT"}) {
    EXPECT_TRUE(gated(f)) << f;
  }
  for (const Model& m : catalog().models) {  // the catalog's families agree with the list above
    const bool classic = m.family == "falcon" || m.family == "bert" || m.family == "gpt2" || m.family == "gpt_neox" ||
                         m.family == "opt" || m.family == "bloom" || m.family == "mpt";
    EXPECT_EQ(has_gated_mlp(m), !classic) << m.id;
  }
}

TEST(ModelShape, Llama31_8bAttentionAndEmbeddings) {
  const TensorParams t = tensor_params(model("llama-3.1-8b"));
  EXPECT_DOUBLE_EQ(t.attn_q, 32.0 * 4096 * 4096);
  EXPECT_DOUBLE_EQ(t.attn_k, 32.0 * 4096 * 1024);  // 8 KV heads of 128
  EXPECT_DOUBLE_EQ(t.embedding, 128256.0 * 4096);
  EXPECT_DOUBLE_EQ(t.output, 128256.0 * 4096);
  EXPECT_NEAR(t.ffn_down, 32.0 * 4096 * 14336, 1);
}

TEST(ModelShape, KvCacheHonoursGqaMqaAndMla) {
  // Llama 3.1 8B: 2 (K, V) x 8 KV heads x 128 x 32 layers = 65,536 values = 128 KiB at FP16.
  EXPECT_DOUBLE_EQ(kv_values_per_token(model("llama-3.1-8b")), 65536);
  // Llama 2 7B has no GQA: 32 KV heads, four times as much.
  EXPECT_DOUBLE_EQ(kv_values_per_token(model("llama-2-7b")), 262144);
  // Falcon 7B is multi-query: one KV head of 64 in each of 32 layers.
  EXPECT_DOUBLE_EQ(kv_values_per_token(model("falcon-7b")), 2.0 * 64 * 32);
  // DeepSeek-V3 caches the 512 + 64 latent, not K and V of 128 heads.
  EXPECT_DOUBLE_EQ(kv_values_per_token(model("deepseek-v3")), 576.0 * 61);
  // An encoder keeps no KV cache.
  EXPECT_DOUBLE_EQ(kv_values_per_token(model("bge-large-en-v1.5")), 0);
}

TEST(ModelShape, SlidingWindowsCapTheirLayers) {
  const Model& mistral = model("mistral-7b");  // window 4096 on all 32 layers
  EXPECT_DOUBLE_EQ(kv_values_per_sequence(mistral, 32768), kv_values_per_sequence(mistral, 4096));
  const Model& gemma = model("gemma-2-9b");  // window 4096 on 21 of 42 layers
  const double per_layer = kv_values_per_token(gemma) / 42;
  EXPECT_DOUBLE_EQ(kv_values_per_sequence(gemma, 8192), per_layer * (21 * 8192.0 + 21 * 4096.0));
  EXPECT_DOUBLE_EQ(kv_values_per_sequence(gemma, 1000), per_layer * 42 * 1000);
}

TEST(ModelShape, KvShareAcrossTensorParallelGpus) {
  EXPECT_DOUBLE_EQ(kv_share_per_gpu(model("llama-3.1-70b"), 8), 1.0 / 8);
  // 8 KV heads on 16 GPUs: each still keeps a whole head.
  EXPECT_DOUBLE_EQ(kv_share_per_gpu(model("llama-3.1-70b"), 16), 1.0 / 8);
  // MQA: the single head is copied to every GPU.
  EXPECT_DOUBLE_EQ(kv_share_per_gpu(model("falcon-7b"), 4), 1.0);
  // MLA's latent is replicated.
  EXPECT_DOUBLE_EQ(kv_share_per_gpu(model("deepseek-v3"), 8), 1.0);
}

TEST(ModelShape, ExpertCoverageGrowsWithTheBatch) {
  const Model& mixtral = model("mixtral-8x7b");
  EXPECT_DOUBLE_EQ(expert_coverage(mixtral, 1), 0.25);
  EXPECT_DOUBLE_EQ(expert_coverage(mixtral, 2), 1 - 0.75 * 0.75);
  EXPECT_GT(expert_coverage(mixtral, 64), 0.9999);
  EXPECT_DOUBLE_EQ(expert_coverage(model("llama-3.1-8b"), 1), 1.0);
}

TEST(ModelShape, RoutedExpertsFollowFromTotalAndActive) {
  Model m = model("mixtral-8x7b");
  m.expert_params.reset();
  // params - active = routed x (1 - 2/8).
  EXPECT_NEAR(routed_expert_params(m), (m.params - m.active_params) / 0.75, 1);
}

}  // namespace
}  // namespace gpufit::test
