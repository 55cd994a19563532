// Fitting the power curve (power.hpp) on measured board power: each reading with the activity the
// calculator gives its phase, least squares on log errors, bounded.
#pragma once

#include <vector>

#include "gpufit/catalog.hpp"
#include "gpufit/power.hpp"

namespace gpufit {

struct PowerSample {
  const Gpu* gpu = nullptr;
  Activity activity;
  int gpu_count = 1;
  double measured_w = 0;  // the replica's GPUs together
};

double estimate_w(const PowerSample& s, const PowerCurve& curve);

// The curve that fits the samples best (pseudo-Huber on log errors, so a few odd readings cannot
// drag it), by a coarse grid and a shrinking coordinate search: deterministic.
PowerCurve fit_power_curve(const std::vector<PowerSample>& samples);

}  // namespace gpufit
