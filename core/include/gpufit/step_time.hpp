#pragma once

#include "gpufit/catalog.hpp"

namespace gpufit {

// The time a forward pass costs beyond its FLOPs and bytes, in two parts (see step_time.cpp):
// per step, a constant (scheduling, the host's turn) plus a time per layer (the kernels each
// layer launches: small ones, and launches, cost time a roofline does not count); and per
// sequence in the step (sampling, bookkeeping, the attention kernel's own setup), which on a
// faster GPU shrinks as the engine's sequence_scaling says.
double step_overhead_s(const EngineSpec& engine, const Model& model);
double sequence_overhead_s(const EngineSpec& engine, const Gpu& gpu);

}  // namespace gpufit
