// Accuracy against measured public results: the committed efficiency factors are what
// calibration produces from the committed benchmarks (nobody tuned them by hand), and the
// cross-validated errors (each GPU predicted by a fit that never saw it) hold the product's bars:
// decode at batch 1 median <= 15% and p90 <= 35%, prefill and serving median <= 25%.
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

// One calibration run (about half a minute) shared by the tests below.
const json& calibration() {
  static const json kResult = json::parse(calibration_json(catalog(), {}).value());
  return kResult;
}

TEST(Calibration, CommittedFactorsAreTheFit) {
  for (const auto& e : calibration()["engines"]) {
    if (e["fit"].is_null()) continue;
    const Engine* stored = catalog().engine(e["id"].get<std::string>());
    ASSERT_NE(stored, nullptr);
    const json& f = e["fit"];
    SCOPED_TRACE(stored->id + ": run gpucalc calibrate --data data --write after changing benchmarks");
    EXPECT_NEAR(stored->bandwidth_efficiency, f["bandwidth_efficiency"].get<double>(), 1e-9);
    EXPECT_NEAR(stored->compute_efficiency, f["compute_efficiency"].get<double>(), 1e-9);
    EXPECT_NEAR(stored->compute_scaling, f["compute_scaling"].get<double>(), 1e-9);
    EXPECT_NEAR(stored->step_overhead_ms, f["step_overhead_ms"].get<double>(), 1e-9);
    EXPECT_NEAR(stored->sequence_overhead_us, f["sequence_overhead_us"].get<double>(), 1e-9);
    EXPECT_EQ(stored->fitted_on, f["fitted_on"].get<std::vector<std::string>>());
    EXPECT_FALSE(stored->validation.empty());
  }
}

TEST(Calibration, CrossValidatedErrorsHoldTheBars) {
  const json& all = calibration()["cross_validated"];
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
