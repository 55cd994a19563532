// Power: draw at a utilization, energy per token, TFLOPS per watt, GPUs in a budget, yearly bill.
#include "gpufit/power.hpp"

#include <algorithm>
#include <cmath>

#include "gpufit/api.hpp"
#include "gpufit/validation.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

TEST(Power, DrawEnergyAndBill) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"},
                              {"gpu", "l4"},
                              {"gpu_count", 2},
                              {"utilization", 0.5},
                              {"pue", 1.5},
                              {"electricity_usd_per_kwh", 0.2}});
  Power p = power_figures(s, 100);
  EXPECT_DOUBLE_EQ(p.watts, 72);
  EXPECT_DOUBLE_EQ(p.joules_per_token, 0.72);
  EXPECT_DOUBLE_EQ(p.annual_energy_usd, 72 * 1.5 / 1000 * 8760 * 0.2);
  EXPECT_DOUBLE_EQ(p.fp16_tflops_per_w, 121.0 / 72);
}

TEST(Power, SeedsAnnualL4BillAtTenCents) {
  // The L4 vs A100 seed: ~$63 a year for one L4 at $0.10/kWh, 24/7, at TDP.
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"utilization", 1}});
  EXPECT_NEAR(power_figures(s, 1).annual_energy_usd, 63.07, 0.01);
}

TEST(Power, BudgetCountsHostPowerPerServer) {
  // The seed's "~27 L4s in 2 kW" ignores the host.
  EXPECT_EQ(gpus_within_budget(2000, 72, 0, 8), 27);
  // With 500 W per 8-GPU server: one full server (1,076 W), then a second host (500 W) and
  // floor(424 / 72) = 5 more GPUs.
  EXPECT_EQ(gpus_within_budget(2000, 72, 500, 8), 13);
  EXPECT_EQ(gpus_within_budget(2000, 400, 0, 8), 5);
  EXPECT_EQ(gpus_within_budget(100, 400, 0, 8), 0);
}

// The draw modelled from the work, against the H200 of shared/measurements (Llama 3.1 8B BF16,
// nvidia-smi): idle 78 W, decode 373 W at batch 1 rising to ~690 W at 128-256, prefill 614-692 W.
TEST(Power, FollowsTheWorkBetweenIdleAndTdp) {
  auto power_at = [](double batch) {
    json j = {{"model", "llama-3.1-8b"}, {"gpu", "h200-sxm"},    {"engine", "vllm"},      {"batch_size", batch},
              {"prompt_tokens", 1024},   {"output_tokens", 256}, {"context_tokens", 2048}};
    return json::parse(evaluate_json(j.dump(), catalog()).value())["power"];
  };
  const json b1 = power_at(1), b256 = power_at(256);
  EXPECT_EQ(b1["basis"], "work");
  EXPECT_DOUBLE_EQ(b1["typical_error_pct"].get<double>(), kPowerHeldOutMedianPct);
  EXPECT_DOUBLE_EQ(b1["idle_w"].get<double>(), 78);
  const double d1 = b1["decode_w"].get<double>(), d256 = b256["decode_w"].get<double>();
  EXPECT_GT(d1, 78);
  EXPECT_LT(d1, d256);
  EXPECT_LE(d256, 700);
  EXPECT_NEAR(d1, 373, 373 * 0.25);
  EXPECT_NEAR(d256, 691, 691 * 0.15);
  EXPECT_NEAR(b1["prefill_w"].get<double>(), 650, 650 * 0.15);
  // A budget counts the highest sustained draw (here prefill's), said in the result.
  EXPECT_DOUBLE_EQ(b1["budget_w_per_gpu"].get<double>(),
                   std::max({b1["watts"].get<double>(), d1, b1["prefill_w"].get<double>()}));
  // Energy per request and per output token follow the modelled draw.
  EXPECT_GT(b1["joules_per_request"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(b1["joules_per_output_token"].get<double>(), b1["joules_per_token"].get<double>());
  EXPECT_LT(b256["joules_per_output_token"].get<double>(), b1["joules_per_output_token"].get<double>());
}

TEST(Power, UtilizationOverridesTheModel) {
  json j = {{"model", "llama-3.1-8b"}, {"gpu", "h200-sxm"}, {"utilization", 0.5}, {"power_budget_w", 10000}};
  const json r = json::parse(evaluate_json(j.dump(), catalog()).value());
  EXPECT_EQ(r["power"]["basis"], "utilization");
  EXPECT_TRUE(r["power"]["typical_error_pct"].is_null());
  EXPECT_DOUBLE_EQ(r["power"]["watts"].get<double>(), 350);
  EXPECT_DOUBLE_EQ(r["power"]["budget_w_per_gpu"].get<double>(), 700);
  EXPECT_EQ(r["power"]["gpus_in_budget"].get<double>(), 14);
}

// kPowerCurve is what fit_power_curve gives on data/benchmarks.json's power rows (refit and copy
// the figures when the rows change), and its error on them holds.
TEST(PowerCurve, DefaultIsTheFit) {
  auto pc = calibrate_power(catalog());
  ASSERT_TRUE(pc.has_value());
  EXPECT_DOUBLE_EQ(pc->curve.active_share, kCopyActiveShare);
  EXPECT_NEAR(pc->curve.compute_weight, kPowerCurve.compute_weight, 0.005);
  EXPECT_NEAR(pc->curve.compute_knee, kPowerCurve.compute_knee, 0.0002);
  EXPECT_LE(pc->in_sample.median_abs_pct, 15);
  // Issue 10's bar, on sources the fit never saw: every source (ML.ENERGY's leaderboard, Argonne's
  // LLM-Inference-Bench, the inference-energy repository, the H200 probe) predicted by a curve
  // fitted on the others alone. Measured 9.5% median, 24.4% p90, bias -0.3% with AMD's MI300X
  // latency tables and the other rows of 2026-12-07 in the engines' fits (which set each power
  // row's activity); 9.3% / 24.6% / +0.4% since each GPU's
  // measured matmul efficiency scales its compute share (9.6% / 24.3% / -0.8% with the compute
  // scaling fitted on prefill rows only; 8.2% / 25.1% / -0.7% before, with vLLM's V1 engine fitted
  // apart; 10.9% / 27.1% / -1.7% before that; the bandwidth-and-power-law curve: 18.8% / 35.7% /
  // -13.5%).
  ASSERT_GE(pc->sources.size(), 4u);
  EXPECT_LE(pc->cross_validated.median_abs_pct, 15);
  // What results carry as the modelled draw's typical error.
  EXPECT_NEAR(pc->cross_validated.median_abs_pct, kPowerHeldOutMedianPct, 0.05);
  EXPECT_LE(pc->cross_validated.p90_abs_pct, 30);
  EXPECT_LE(std::abs(pc->cross_validated.bias_pct), 5);
}

// The floor is the H200 copy reading (power_fit.cpp); a layer-split GPU busy half the time draws
// half the work above idle.
TEST(PowerCurve, FloorIsTheCopyReadingAndScalesWithBusyTime) {
  const Gpu* h200 = catalog().gpu("h200-sxm");
  ASSERT_NE(h200, nullptr);
  const double copy_w = board_watts(*h200, Activity{0.0, 1.0});
  EXPECT_NEAR(copy_w, 342, 1e-9);
  EXPECT_NEAR(board_watts(*h200, Activity{0.0, 0.5}) - 78, (copy_w - 78) / 2, 1e-9);
  // Tensor work adds about the same watts per doubling, and never past TDP.
  const double w1 = board_watts(*h200, Activity{0.02, 1.0}), w2 = board_watts(*h200, Activity{0.04, 1.0}),
               w4 = board_watts(*h200, Activity{0.08, 1.0});
  EXPECT_GT(w2, w1);
  EXPECT_NEAR(w4 - w2, w2 - w1, (w2 - w1) * 0.25);
  EXPECT_DOUBLE_EQ(board_watts(*h200, Activity{1.0, 1.0}), 700);
}

}  // namespace
}  // namespace gpufit::test
