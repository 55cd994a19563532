#include "gpufit/power.hpp"

#include <algorithm>
#include <cmath>

namespace gpufit {

double gpu_watts(const Gpu& gpu, double utilization) { return gpu.tdp_w * std::clamp(utilization, 0.0, 1.0); }

double gpus_within_budget(double budget_w, double gpu_w, double host_w, int gpus_per_server) {
  if (gpu_w <= 0 || budget_w <= 0) return 0;
  const double per_server = gpus_per_server * gpu_w + host_w;
  double servers = std::floor(budget_w / per_server);
  double left = budget_w - servers * per_server;
  // A last, partly filled server needs its host power first.
  double extra = left > host_w ? std::min<double>(gpus_per_server - 1, std::floor((left - host_w) / gpu_w)) : 0;
  return servers * gpus_per_server + std::max(0.0, extra);
}

Power power_figures(const Setup& s, double tokens_per_s) {
  Power p;
  p.watts = gpu_watts(s.gpu, s.utilization) * s.gpu_count;
  if (tokens_per_s > 0) p.joules_per_token = p.watts / tokens_per_s;
  p.annual_energy_usd = p.watts * s.pue / 1000 * 24 * 365 * s.electricity_usd_per_kwh;
  p.fp16_tflops_per_w = s.gpu.fp16_tflops / s.gpu.tdp_w;
  if (s.gpu.fp32_tflops) p.fp32_tflops_per_w = *s.gpu.fp32_tflops / s.gpu.tdp_w;
  if (s.power_budget_w) {
    // A budget is planned at TDP, not at today's utilization.
    p.gpus_in_budget = gpus_within_budget(*s.power_budget_w, s.gpu.tdp_w, s.host_w_per_server, s.gpus_per_server);
  }
  return p;
}

}  // namespace gpufit
