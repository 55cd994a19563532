#include "gpufit/step_time.hpp"

#include <algorithm>
#include <cmath>

namespace gpufit {

double step_overhead_s(const EngineSpec& engine, const Model& model) {
  // Every layer launches the same few kernels (norms, projections, attention, MLP); each costs a
  // launch and a ramp that do not shrink with the model, so a deep small model pays more per
  // byte than a shallow one. Tensor-parallel GPUs launch theirs side by side and layer-split
  // GPUs one after another: either way a step runs every layer once.
  return engine.step_overhead_ms / 1000 + std::max(0, model.layers) * engine.layer_overhead_us * 1e-6;
}

double sequence_overhead_s(const EngineSpec& engine, const Gpu& gpu) {
  // Stated at 1 TB/s of memory bandwidth: with sequence_scaling 0 a fixed host-side cost (the
  // scheduler's and sampler's work per sequence), with 1 a cost that scales with the GPU's speed
  // (per-sequence kernel work the roofline's bytes do not count).
  if (engine.sequence_overhead_us <= 0) return 0;
  const double speed = std::max(gpu.memory_bandwidth_gbs, 1.0) / 1000.0;
  return engine.sequence_overhead_us * 1e-6 * std::pow(speed, -engine.sequence_scaling);
}

}  // namespace gpufit
