// The assembled result: every contract field filled, assumptions stated, warnings in plain words,
// measured results beside the estimate.
#include <set>

#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

bool has_warning(const json& r, const std::string& part) {
  for (const auto& w : r["warnings"]) {
    if (w.get<std::string>().find(part) != std::string::npos) return true;
  }
  return false;
}

json run(json s) {
  s["as_of_date"] = "2026-11-21";
  return evaluate(s);
}

TEST(Evaluate, FillsEveryContractField) {
  json r = run({{"model", "llama-3.1-8b"},
                {"gpu", "l4"},
                {"users", 50},
                {"min_tokens_per_s_per_user", 5},
                {"tokens_per_day", 1e6},
                {"power_budget_w", 2000}});
  for (const char* path : {"fits",
                           "memory.weights_gb",
                           "memory.kv_cache_gb",
                           "memory.activations_gb",
                           "memory.overhead_gb",
                           "memory.total_gb",
                           "memory.available_gb",
                           "memory.optimizer_gb",
                           "memory.gradients_gb",
                           "max_batch_size",
                           "max_context_tokens",
                           "min_gpus_to_fit",
                           "decode.tokens_per_s_per_sequence",
                           "decode.tokens_per_s_total",
                           "decode.bound",
                           "prefill.tokens_per_s",
                           "latency.ttft_s",
                           "latency.time_per_output_token_ms",
                           "serving.output_tokens_per_s",
                           "serving.requests_per_s",
                           "cost.usd_per_hour",
                           "cost.usd_per_million_tokens",
                           "cost.tokens_per_s_per_usd_per_hour",
                           "cost.usd_per_day",
                           "cost.usd_per_month",
                           "power.watts",
                           "power.joules_per_token",
                           "power.annual_energy_usd",
                           "power.gpus_in_budget",
                           "fleet.replicas",
                           "fleet.gpus_needed",
                           "fleet.users_per_replica",
                           "fleet.usd_per_hour",
                           "model.params",
                           "model.active_params",
                           "model.kv_cache_bytes_per_token",
                           "assumptions",
                           "warnings"}) {
    EXPECT_FALSE(at_path(r, path).is_null()) << path;
  }
  EXPECT_TRUE(r["decode"]["bound"] == "memory" || r["decode"]["bound"] == "compute");
}

TEST(Evaluate, FineTuningFillsTrainingFields) {
  json r = run({{"model", "llama-3.1-8b"}, {"gpu", "a100-80gb-sxm"}, {"mode", "qlora"}, {"train_tokens", 1e8}});
  EXPECT_GT(r["training"]["hours"].get<double>(), 0);
  EXPECT_GT(r["training"]["usd"].get<double>(), 0);
  EXPECT_GT(r["memory"]["optimizer_gb"].get<double>(), 0);
  EXPECT_GT(r["memory"]["gradients_gb"].get<double>(), 0);
}

TEST(Evaluate, WarnsInPlainWords) {
  EXPECT_TRUE(has_warning(run({{"model", "llama-3.1-8b"}, {"gpu", "a100-80gb-sxm"}, {"weights", "fp8"}}),
                          "no FP8 tensor cores"));
  EXPECT_TRUE(has_warning(run({{"model", "llama-3.1-70b"}, {"gpu", "l4"}, {"weights", "int4"}, {"gpu_count", 2}}),
                          "no NVLink on NVIDIA L4"));
  EXPECT_TRUE(has_warning(run({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"context_tokens", 200000}}),
                          "exceeds Llama 3.1 8B's trained maximum"));
  EXPECT_TRUE(has_warning(run({{"model", "llama-3.1-8b"}, {"gpu", "t4"}, {"weights", "bf16"}}), "no BF16 support"));
  EXPECT_TRUE(has_warning(run({{"model", "llama-3.1-70b"}, {"gpu", "l4"}}), "does not fit"));
  EXPECT_TRUE(has_warning(run({{"model", "llama-3.1-8b"}, {"gpu", "mi300x"}, {"engine", "tensorrt-llm"}}),
                          "does not run on amd GPUs"));
  EXPECT_TRUE(has_warning(run({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"engine", "llama.cpp"}, {"weights", "int4"}}),
                          "does not run"));
}

TEST(Evaluate, EncodersHaveNoDecode) {
  json r = run({{"model", "bge-large-en-v1.5"}, {"gpu", "l4"}, {"batch_size", 64}, {"prompt_tokens", 512}});
  EXPECT_EQ(r["decode"]["tokens_per_s_total"], 0);
  EXPECT_EQ(r["memory"]["kv_cache_gb"], 0);
  EXPECT_GT(r["serving"]["input_tokens_per_s"].get<double>(), 0);
  EXPECT_GT(r["cost"]["usd_per_million_tokens"].get<double>(), 0);
  EXPECT_TRUE(has_warning(r, "is an encoder"));
}

TEST(Evaluate, AssumptionsNameTheirSource) {
  json r = run({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"gpu_count", 2}});
  for (const char* k : {"bandwidth_efficiency", "compute_efficiency", "peak_tflops", "usd_per_gpu_hour", "interconnect",
                        "usable_memory_gb"}) {
    ASSERT_TRUE(r["assumptions"].contains(k)) << k;
    EXPECT_FALSE(r["assumptions"][k]["note"].get<std::string>().empty()) << k;
  }
}

// An object holds one value per key: no assumption may be stated twice, in any mode.
TEST(Evaluate, EachAssumptionIsStatedOnce) {
  for (const char* mode : {"inference", "lora", "qlora", "full_finetune"}) {
    for (int n : {1, 2, 8}) {
      json s = {{"model", "llama-3.1-8b"}, {"gpu", "a10g"},
                {"gpu_count", n},          {"mode", mode},
                {"train_tokens", 1e6},     {"weights", std::string(mode) == "qlora" ? "nf4" : "bf16"}};
      gpufit::Setup sc = scenario(s);
      const Result r = gpufit::evaluate(sc, catalog());
      std::set<std::string> keys;
      for (const Assumption& a : r.assumptions) EXPECT_TRUE(keys.insert(a.key).second) << mode << " " << a.key;
    }
  }
}

TEST(Evaluate, MeasuredResultsAppearBesideTheEstimate) {
  json r = run({{"model", "llama-3-8b"}, {"gpu", "rtx-4090"}, {"weights", "q4_k_m"}, {"engine", "llama.cpp"}});
  ASSERT_FALSE(r["measured"].empty());
  for (const auto& m : r["measured"]) {
    EXPECT_GT(m["value"].get<double>(), 0);
    EXPECT_GT(m["estimate"].get<double>(), 0);
    EXPECT_NEAR(m["error_pct"].get<double>(),
                (m["estimate"].get<double>() - m["value"].get<double>()) / m["value"].get<double>() * 100, 1e-9);
    EXPECT_TRUE(m["no_estimate_why"].is_null());
    EXPECT_FALSE(m["source"].get<std::string>().empty());
  }
}

// A measurement the calculator cannot estimate at its own settings (a power reading, a serving
// run of unstated lengths) says so: its estimate is null with the reason, never a 0 that would
// read as "-100%"; lengths its source did not state are null too.
TEST(Evaluate, AMeasurementWithoutAnEstimateSaysWhy) {
  json r = run({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"weights", "bf16"}, {"engine", "vllm"}});
  std::size_t without = 0;
  for (const auto& m : r["measured"]) {
    if (!m["estimate"].is_null()) {
      EXPECT_GT(m["estimate"].get<double>(), 0) << m["id"];
      continue;
    }
    ++without;
    EXPECT_FALSE(m["no_estimate_why"].get<std::string>().empty()) << m["id"];
    if (m["kind"] == "serving") EXPECT_TRUE(m["prompt_tokens"].is_null() || m["output_tokens"].is_null()) << m["id"];
  }
  EXPECT_GT(without, 0u);
}

}  // namespace
}  // namespace gpufit::test
