// What the GPUs draw: board power at a utilization, energy per token, TFLOPS per watt, how many
// GPUs a power budget holds with a host overhead per server, and the yearly energy bill.
#pragma once

#include <optional>

#include "gpufit/scenario.hpp"

namespace gpufit {

struct Power {
  double watts = 0;                 // the replica's GPUs at `utilization` of TDP
  double joules_per_token = 0;      // watts / tokens per second (board energy, before PUE)
  double annual_energy_usd = 0;     // running all year, PUE and $/kWh applied
  double fp16_tflops_per_w = 0;     // dense FP16 tensor peak over TDP
  std::optional<double> fp32_tflops_per_w;
  std::optional<double> gpus_in_budget;  // GPUs at TDP (plus host share) within power_budget_w
};

// GPU draw scales with utilization from 0 to TDP: a plain, stated model (measured draws are shown
// beside it where the catalog has them).
double gpu_watts(const Gpu& gpu, double utilization);

// Largest number of GPUs whose TDP, plus host_w for each started server of gpus_per_server,
// fits in budget_w.
double gpus_within_budget(double budget_w, double gpu_w, double host_w, int gpus_per_server);

Power power_figures(const Setup& s, double tokens_per_s);

}  // namespace gpufit
