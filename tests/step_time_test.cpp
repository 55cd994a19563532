// The time a step costs beyond its bytes and FLOPs (step_time.cpp): a constant plus a time per
// layer, and per sequence a time stated at 1 TB/s that scales with the GPU's bandwidth.
#include "gpufit/step_time.hpp"

#include <gtest/gtest.h>

namespace gpufit::test {
namespace {

TEST(StepTime, ConstantPlusTimePerLayer) {
  Engine e;
  e.step_overhead_ms = 0.5;
  e.layer_overhead_us = 100;
  Model m;
  m.layers = 32;
  EXPECT_NEAR(step_overhead_s(e, m), 0.5e-3 + 32 * 100e-6, 1e-12);
  m.layers = 80;  // a deeper model launches more kernels per step
  EXPECT_NEAR(step_overhead_s(e, m), 0.5e-3 + 80 * 100e-6, 1e-12);
  e.layer_overhead_us = 0;  // the fixed time per step of older catalogs
  EXPECT_NEAR(step_overhead_s(e, m), 0.5e-3, 1e-12);
}

TEST(StepTime, SequenceTimeScalesWithBandwidth) {
  Engine e;
  e.sequence_overhead_us = 80;
  Gpu g;
  g.memory_bandwidth_gbs = 4000;
  EXPECT_NEAR(sequence_overhead_s(e, g), 80e-6, 1e-12);  // scaling 0: a fixed host-side time
  e.sequence_scaling = 1;
  EXPECT_NEAR(sequence_overhead_s(e, g), 20e-6, 1e-12);  // 4 TB/s: a quarter of the 1 TB/s time
  e.sequence_scaling = 0.5;
  EXPECT_NEAR(sequence_overhead_s(e, g), 40e-6, 1e-12);
  g.memory_bandwidth_gbs = 1000;
  EXPECT_NEAR(sequence_overhead_s(e, g), 80e-6, 1e-12);
  e.sequence_overhead_us = 0;
  EXPECT_EQ(sequence_overhead_s(e, g), 0);
}

}  // namespace
}  // namespace gpufit::test
