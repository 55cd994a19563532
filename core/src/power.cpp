#include "gpufit/power.hpp"

#include <algorithm>
#include <cmath>

#include "gpufit/memory_fit.hpp"

namespace gpufit {

double gpu_watts(const Gpu& gpu, double utilization) {
  return gpu.tdp_w * std::clamp(utilization, 0.0, 1.0);
}

double idle_watts(const Gpu& gpu) {
  return gpu.idle_w.value_or(kIdleShareOfTdp * gpu.tdp_w);
}

namespace {

// step_activity() with the achieved rates given: power_figures() asks for three phases' activity,
// and the rates take a pow() and a few lookups.
Activity activity(const Setup& s, const StepTime& t, const Achieved& ach) {
  Activity a;
  const double total = t.total_s();
  if (!(total > 0)) return a;
  // compute_s is FLOPs / (peak x fraction): FLOPs / peak / total = compute_s x fraction / total.
  a.compute_util = std::clamp(t.compute_s * ach.compute_fraction / total, 0.0, 1.0);
  if (s.gpu_count > 1 && layer_split(s.engine)) a.busy_share = 1.0 / s.gpu_count;
  return a;
}

}  // namespace

Activity step_activity(const Setup& s, const StepTime& t) {
  return activity(s, t, achieved(s));
}

double board_watts(const Gpu& gpu, const Activity& a, const PowerCurve& c) {
  const double idle = std::min(idle_watts(gpu), gpu.tdp_w);
  const double work =
      c.active_share + c.compute_weight * std::log1p(std::max(a.compute_util, 0.0) / std::max(c.compute_knee, 1e-9));
  return idle + (gpu.tdp_w - idle) * std::clamp(a.busy_share, 0.0, 1.0) * std::clamp(work, 0.0, 1.0);
}

double gpus_within_budget(double budget_w, double gpu_w, double host_w, int gpus_per_server) {
  if (gpu_w <= 0 || budget_w <= 0) return 0;
  const double per_server = gpus_per_server * gpu_w + host_w;
  double servers = std::floor(budget_w / per_server);
  double left = budget_w - servers * per_server;
  // A last, partly filled server needs its host power first.
  double extra = left > host_w ? std::min<double>(gpus_per_server - 1, std::floor((left - host_w) / gpu_w)) : 0;
  return servers * gpus_per_server + std::max(0.0, extra);
}

namespace {

void common(const Setup& s, double tokens_per_s, Power& p) {
  if (tokens_per_s > 0) {
    p.joules_per_token = p.watts / tokens_per_s;
    // J per token x 10^6 tokens, in kWh (3.6 x 10^6 J), at the facility (PUE).
    p.energy_usd_per_million_tokens = p.joules_per_token * 1e6 / 3.6e6 * s.pue * s.electricity_usd_per_kwh;
  }
  p.annual_energy_usd = p.watts * s.pue / 1000 * 24 * 365 * s.electricity_usd_per_kwh;
  p.fp16_tflops_per_w = s.gpu.fp16_tflops / s.gpu.tdp_w;
  if (s.gpu.fp32_tflops) p.fp32_tflops_per_w = *s.gpu.fp32_tflops / s.gpu.tdp_w;
  p.idle_w = idle_watts(s.gpu) * s.gpu_count;
  if (s.power_budget_w) {
    p.gpus_in_budget =
        gpus_within_budget(*s.power_budget_w, p.budget_w_per_gpu, s.host_w_per_server, s.gpus_per_server);
  }
}

}  // namespace

Power power_figures(const Setup& s, double tokens_per_s) {
  Power p;
  p.basis = "utilization";
  p.watts = gpu_watts(s.gpu, s.utilization.value_or(1)) * s.gpu_count;
  p.prefill_w = p.watts;
  p.decode_w = p.watts;
  // A budget is planned at TDP, not at today's utilization.
  p.budget_w_per_gpu = s.gpu.tdp_w;
  common(s, tokens_per_s, p);
  return p;
}

Power power_figures(const Setup& s, const StepTime* decode, const StepTime& prefill, const Serving& serving,
                    double tokens_per_s) {
  if (s.utilization) {
    Power p = power_figures(s, tokens_per_s);
    if (!decode) p.decode_w.reset();
    if (serving.requests_per_s > 0) p.joules_per_request = p.watts / serving.requests_per_s;
    if (decode && serving.output_tokens_per_s > 0) p.joules_per_output_token = p.watts / serving.output_tokens_per_s;
    return p;
  }
  Power p;
  p.basis = "work";
  p.typical_error_pct = kPowerHeldOutMedianPct;
  const double n = s.gpu_count;
  const Achieved ach = achieved(s);
  const double serving_gpu_w = board_watts(s.gpu, activity(s, serving.cycle, ach));
  const double prefill_gpu_w = board_watts(s.gpu, activity(s, prefill, ach));
  double highest = std::max(serving_gpu_w, prefill_gpu_w);
  if (decode) {
    const double decode_gpu_w = board_watts(s.gpu, activity(s, *decode, ach));
    p.decode_w = decode_gpu_w * n;
    highest = std::max(highest, decode_gpu_w);
  }
  p.watts = serving_gpu_w * n;
  p.prefill_w = prefill_gpu_w * n;
  if (serving.requests_per_s > 0) p.joules_per_request = p.watts / serving.requests_per_s;
  if (decode && serving.output_tokens_per_s > 0) p.joules_per_output_token = p.watts / serving.output_tokens_per_s;
  // A budget holds the highest draw the workload sustains (prefill bursts included), not the
  // average: breakers trip on peaks.
  p.budget_w_per_gpu = highest;
  common(s, tokens_per_s, p);
  return p;
}

}  // namespace gpufit
