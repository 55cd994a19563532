// Memory fit: the parts of the total, tensor-parallel sharding, the limits (largest batch, longest
// context, fewest GPUs) and the fine-tuning modes.
#include "gpufit/memory_fit.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

const Engine& trainer() {
  return *catalog().engine("pytorch");
}

TEST(MemoryFit, KvCacheIsLayersTimesHeadsTimesTokens) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"batch_size", 3}, {"context_tokens", 8192}});
  MemoryBreakdown m = inference_memory(s, 1, 3, 8192);
  // 2 x 8 KV heads x 128 x 32 layers x 2 bytes = 131,072 bytes per token.
  EXPECT_DOUBLE_EQ(m.kv_cache_gb, 3 * 8192 * 131072.0 / 1e9);
  EXPECT_DOUBLE_EQ(m.weights_gb, 8030261248.0 * 2 / 1e9);
  EXPECT_DOUBLE_EQ(m.total_gb, m.weights_gb + m.kv_cache_gb + m.activations_gb + m.overhead_gb);
  EXPECT_DOUBLE_EQ(m.available_gb, s.gpu.usable_memory_gb);
}

TEST(MemoryFit, Fp8KvCacheHalvesIt) {
  gpufit::Setup a = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}});
  gpufit::Setup b = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"kv_cache", "fp8"}});
  EXPECT_DOUBLE_EQ(inference_memory(b, 1, 4, 4096).kv_cache_gb * 2, inference_memory(a, 1, 4, 4096).kv_cache_gb);
}

TEST(MemoryFit, TensorParallelShardsWeightsAndKv) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"}});
  MemoryBreakdown one = inference_memory(s, 1, 8, 4096), four = inference_memory(s, 4, 8, 4096);
  EXPECT_DOUBLE_EQ(four.weights_gb * 4, one.weights_gb);
  EXPECT_DOUBLE_EQ(four.kv_cache_gb * 4, one.kv_cache_gb);
}

// The limits' search guesses from the free memory at the bracket's ends (memory_fit.cpp): it must
// land where plain bisection does, for every catalog model on small and large cards, in every
// mode, at short and long contexts and several GPU counts.
TEST(MemoryFit, LimitSearchAgreesWithBisection) {
  auto bisect = [](auto fits, double hi) {
    if (!fits(1.0)) return 0.0;
    if (fits(hi)) return hi;
    double lo = 1;
    while (hi - lo > 1) {
      const double mid = std::floor((lo + hi) / 2);
      (fits(mid) ? lo : hi) = mid;
    }
    return lo;
  };
  int searched = 0;
  for (const Model& m : catalog().models) {
    for (const char* gpu : {"rtx-3060", "l4", "a100-80gb-sxm", "b200"}) {
      for (const char* mode : {"inference", "qlora"}) {
        for (int gpus : {1, 4}) {
          json in = {{"model", m.id}, {"gpu", gpu}, {"mode", mode}, {"gpu_count", gpus}};
          auto setup = read_setup_json(in.dump(), catalog());
          if (!setup) continue;
          const gpufit::Setup& s = setup.value();
          const EngineSpec& te = training_engine(s, catalog());
          for (double context : {512.0, 32768.0}) {
            auto fits_batch = [&](double b) { return scenario_memory(s, te, s.gpu_count, b, context).fits(); };
            EXPECT_EQ(max_batch_that_fits(s, te, context, 1024), bisect(fits_batch, 1024))
                << m.id << " on " << gpus << "x " << gpu << " " << mode << " at " << context;
          }
          for (double batch : {1.0, 16.0}) {
            auto fits_context = [&](double c) { return scenario_memory(s, te, s.gpu_count, batch, c).fits(); };
            EXPECT_EQ(max_context_that_fits(s, te, batch, 1 << 20), bisect(fits_context, 1 << 20))
                << m.id << " on " << gpus << "x " << gpu << " " << mode << " at batch " << batch;
          }
          ++searched;
        }
      }
    }
  }
  EXPECT_GT(searched, 200);
}

TEST(MemoryFit, LimitsAreTight) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"context_tokens", 4096}});
  double b = max_batch_that_fits(s, trainer(), 4096);
  ASSERT_GT(b, 1);
  EXPECT_TRUE(inference_memory(s, 1, b, 4096).fits());
  EXPECT_FALSE(inference_memory(s, 1, b + 1, 4096).fits());
  double c = max_context_that_fits(s, trainer(), 2, 1e9);
  EXPECT_TRUE(inference_memory(s, 1, 2, c).fits());
  EXPECT_FALSE(inference_memory(s, 1, 2, c + 1).fits());
}

TEST(MemoryFit, FewestGpus) {
  // Llama 3.1 70B in BF16 is 141 GB of weights: one 85.5 GB H100 cannot hold it; two can
  // (70.6 GB each, under 90% of 85.5 GB with room for the KV cache).
  gpufit::Setup s = scenario({{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"}});
  EXPECT_EQ(min_gpus_that_fit(s, trainer()), 2);
  gpufit::Setup l4 = scenario({{"model", "llama-3.1-70b"}, {"gpu", "l4"}, {"weights", "int4"}});
  EXPECT_EQ(min_gpus_that_fit(l4, trainer()), 2);
}

TEST(MemoryFit, FullFineTuneIsSixteenBytesPerParameter) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"mode", "full_finetune"}});
  MemoryBreakdown m = training_memory(s, trainer(), 1, 1, 2048);
  const double p = 8030261248.0;
  EXPECT_DOUBLE_EQ(m.weights_gb, p * 2 / 1e9);
  EXPECT_DOUBLE_EQ(m.gradients_gb, p * 2 / 1e9);
  EXPECT_DOUBLE_EQ(m.optimizer_gb, p * 12 / 1e9);
  MemoryBreakdown sharded = training_memory(s, trainer(), 8, 1, 2048);
  EXPECT_DOUBLE_EQ(sharded.optimizer_gb * 8, m.optimizer_gb);
}

TEST(MemoryFit, LoraAdapterCountMatchesPeft) {
  // PEFT prints "trainable params: 19,988,480" for Llama 2 7B, r=8 on all linear layers.
  EXPECT_DOUBLE_EQ(lora_adapter_params(*catalog().model("llama-2-7b"), 8), 19988480);
}

TEST(MemoryFit, QloraStoresTheBaseIn4Bits) {
  gpufit::Setup lora = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"mode", "lora"}});
  gpufit::Setup qlora = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"mode", "qlora"}});
  EXPECT_LT(training_memory(qlora, trainer(), 1, 1, 2048).weights_gb,
            training_memory(lora, trainer(), 1, 1, 2048).weights_gb / 2.5);
}

TEST(MemoryFit, GradientCheckpointingCutsActivations) {
  gpufit::Setup on = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"mode", "lora"}});
  gpufit::Setup off =
      scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"mode", "lora"}, {"gradient_checkpointing", false}});
  double a_on = training_memory(on, trainer(), 1, 4, 4096).activations_gb;
  double a_off = training_memory(off, trainer(), 1, 4, 4096).activations_gb;
  EXPECT_LT(a_on * 3, a_off);
}

}  // namespace
}  // namespace gpufit::test
