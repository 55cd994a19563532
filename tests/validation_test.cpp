// Accuracy against measured public results: the committed efficiency factors are what
// calibration produces from the committed benchmarks (nobody tuned them by hand), and the
// cross-validated errors (each GPU predicted by a fit that never saw it), pooled over the engines,
// hold the product's bars: decode at batch 1 median <= 15% and p90 <= 35%, prefill and serving
// median <= 25%. Per engine the figures are looser (vLLM decode p90, vLLM serving median and SGLang
// decode median miss these bars); they are what the page shows beside each estimate.
#include "gpufit/validation.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

TEST(Validation, EveryKindHasEstimates) {
  const Validation v = validate(catalog());
  std::set<std::string> kinds;
  for (const auto& g : v.groups) kinds.insert(g.kind);
  for (const char* k : {"decode", "prefill", "serving", "memory"}) EXPECT_TRUE(kinds.count(k)) << k;
  EXPECT_GE(v.points.size(), 500u);
}

TEST(Validation, WorstCasesCarryTheirSources) {
  for (const auto& g : validate(catalog()).groups) {
    EXPECT_LE(g.worst.size(), 5u);
    for (const auto& p : g.worst) EXPECT_FALSE(p.benchmark->source.empty()) << p.benchmark->id;
  }
}

// One test, so one calibration run (half a minute; ctest runs each test in its own process).
TEST(Calibration, CommittedFactorsAreTheFitAndHoldTheBars) {
  const json calibration = json::parse(calibration_json(catalog(), {}).value());
  int compared = 0;
  for (const auto& e : calibration["engines"]) {
    if (e["fit"].is_null()) continue;
    const Engine* stored = catalog().engine(e["id"].get<std::string>());
    ASSERT_NE(stored, nullptr);
    const json& f = e["fit"];
    SCOPED_TRACE(stored->id + ": run gpucalc calibrate --data data --write after changing benchmarks");
    EXPECT_NEAR(stored->bandwidth_efficiency, f["bandwidth_efficiency"].get<double>(), 1e-9);
    if (f["hbm_bandwidth_efficiency"].is_number()) {
      ASSERT_TRUE(stored->hbm_bandwidth_efficiency.has_value());
      EXPECT_NEAR(*stored->hbm_bandwidth_efficiency, f["hbm_bandwidth_efficiency"].get<double>(), 1e-9);
    } else {
      EXPECT_FALSE(stored->hbm_bandwidth_efficiency.has_value());
    }
    EXPECT_NEAR(stored->compute_efficiency, f["compute_efficiency"].get<double>(), 1e-9);
    EXPECT_NEAR(stored->compute_scaling, f["compute_scaling"].get<double>(), 1e-9);
    EXPECT_NEAR(stored->step_overhead_ms, f["step_overhead_ms"].get<double>(), 1e-9);
    EXPECT_NEAR(stored->sequence_overhead_us, f["sequence_overhead_us"].get<double>(), 1e-9);
    EXPECT_EQ(stored->fitted_on, f["fitted_on"].get<std::vector<std::string>>());
    EXPECT_FALSE(stored->validation.empty());
    ++compared;
  }
  EXPECT_GE(compared, 4);  // llama.cpp, vLLM, TensorRT-LLM, SGLang

  const json& all = calibration["cross_validated"];
  ASSERT_TRUE(all.contains("decode") && all.contains("prefill") && all.contains("serving"));
  EXPECT_LE(all["decode"]["median_abs_pct"].get<double>(), 15.0);
  EXPECT_LE(all["decode"]["p90_abs_pct"].get<double>(), 35.0);
  EXPECT_LE(all["prefill"]["median_abs_pct"].get<double>(), 25.0);
  EXPECT_LE(all["serving"]["median_abs_pct"].get<double>(), 25.0);
  EXPECT_GE(all["decode"]["n"].get<int>(), 100);
}

TEST(Calibration, EnginesStateTheirErrorForThePage) {
  for (const char* id : {"llama.cpp", "vllm", "tensorrt-llm", "sglang"}) {
    const Engine* e = catalog().engine(id);
    ASSERT_NE(e, nullptr);
    EXPECT_FALSE(e->error_pct.empty()) << id;
    EXPECT_FALSE(e->fitted_on.empty()) << id;
  }
}

}  // namespace
}  // namespace gpufit::test
