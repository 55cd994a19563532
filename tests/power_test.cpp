// Power: draw at a utilization, energy per token, TFLOPS per watt, GPUs in a budget, yearly bill.
#include "gpufit/power.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

TEST(Power, DrawEnergyAndBill) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"gpu_count", 2}, {"utilization", 0.5},
                         {"pue", 1.5}, {"electricity_usd_per_kwh", 0.2}});
  Power p = power_figures(s, 100);
  EXPECT_DOUBLE_EQ(p.watts, 72);
  EXPECT_DOUBLE_EQ(p.joules_per_token, 0.72);
  EXPECT_DOUBLE_EQ(p.annual_energy_usd, 72 * 1.5 / 1000 * 8760 * 0.2);
  EXPECT_DOUBLE_EQ(p.fp16_tflops_per_w, 121.0 / 72);
}

TEST(Power, SeedsAnnualL4BillAtTenCents) {
  // The L4 vs A100 seed: ~$63 a year for one L4 at $0.10/kWh, 24/7.
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}});
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

}  // namespace
}  // namespace gpufit::test
