// What the GPUs draw: board power from what they do (an idle floor, a floor whenever kernels run,
// and a part that follows the tensor throughput each phase achieves, capped at TDP), energy per
// token and per request, TFLOPS per watt, how many GPUs a power budget holds with a host
// overhead per server, and the yearly energy bill. `utilization` in the scenario overrides the
// model with a plain share of TDP (the old behaviour).
#pragma once

#include <optional>
#include <string>

#include "gpufit/scenario.hpp"
#include "gpufit/throughput.hpp"

namespace gpufit {

// The shape of board power against work, per GPU:
//   watts = idle + (TDP - idle) x busy x min(1, active_share + compute_weight x ln(1 + u_flops / compute_knee))
// u_flops: achieved share of the dense tensor peak while the GPU is busy; busy: the share of the
// time it runs kernels (1, or 1/n for each GPU of a layer-split replica). As soon as kernels run,
// clocks and voltage go up and the board draws a floor well above idle (active_share); tensor work
// then adds a near-constant number of watts per doubling of the batch (the log) until the cap.
// DRAM traffic has no term of its own: in the measured readings it rises with the same steps as
// the floor and the tensor work, and a fitted bandwidth weight comes out at 0-0.06 with the
// grouped cross-validation no better for it (a ceiling below TDP, or a power law in place of the
// log, made it worse). Fitted by fit_power_curve() on the measured power rows of
// data/benchmarks.json (PowerCurve.DefaultIsTheFit checks it).
struct PowerCurve {
  double active_share = 0;    // of the idle-to-TDP range, drawn whenever kernels run
  double compute_weight = 0;  // per unit of ln(1 + u_flops / compute_knee)
  double compute_knee = 1;    // tensor share where the log term starts to count
};
// From a device-to-device copy on an H200 (shared/measurements; see power_fit.cpp).
inline constexpr double kCopyActiveShare = (342.0 - 78.0) / (700.0 - 78.0);
inline constexpr PowerCurve kPowerCurve{kCopyActiveShare, 0.1009, 0.0019};
// The curve's median error on measured power rows of sources left out of its fit (calibrate_power's
// grouped cross-validation; PowerCurve.DefaultIsTheFit keeps the two equal). Results carry it as
// the modelled draw's typical error.
inline constexpr double kPowerHeldOutMedianPct = 9.5;

// Idle board power over TDP where a GPU has no measured idle_w: the NVIDIA H200 measured in
// shared/measurements (78 W of a 700 W cap, nvidia-smi at rest).
inline constexpr double kIdleShareOfTdp = 0.11;

// What a GPU does during a phase.
struct Activity {
  double compute_util = 0;  // achieved FLOP/s over the dense tensor peak computed at, while busy
  double busy_share = 1;    // of the phase's time the GPU runs kernels
};

// One GPU's activity during a step (decode step, prefill, serving cycle): FLOPs over the step's
// whole time, overheads and communication included. Layer-split replicas run their GPUs in turn,
// so each is busy 1/gpu_count of the time.
Activity step_activity(const Setup& s, const StepTime& t);

double idle_watts(const Gpu& gpu);

// One GPU's board watts at an activity.
double board_watts(const Gpu& gpu, const Activity& a, const PowerCurve& curve = kPowerCurve);

struct Power {
  double watts = 0;              // the replica's GPUs at the scenario's mix (serving at batch_size)
  double joules_per_token = 0;   // watts / tokens per second (board energy, before PUE)
  double annual_energy_usd = 0;  // running all year, PUE and $/kWh applied
  double fp16_tflops_per_w = 0;  // dense FP16 tensor peak over TDP
  std::optional<double> fp32_tflops_per_w;
  std::optional<double> gpus_in_budget;  // GPUs at budget_w_per_gpu (plus host share) within power_budget_w
  // Per phase, the replica's GPUs (utilization given: all equal to watts).
  std::optional<double> decode_w;                 // decoding batch_size sequences (decoders only)
  double prefill_w = 0;                           // prefilling one prompt
  double idle_w = 0;                              // the replica's GPUs at rest
  std::optional<double> joules_per_request;       // watts / requests per second
  std::optional<double> joules_per_output_token;  // watts / output tokens per second (decoders)
  double energy_usd_per_million_tokens = 0;       // electricity for a million tokens counted, PUE applied
  double budget_w_per_gpu = 0;                    // what a power budget counts per GPU: the highest sustained draw
  std::string basis;                              // "work" (modelled) or "utilization" (the scenario's share of TDP)
  std::optional<double> typical_error_pct;        // the model's held-out median error (work basis only)
};

// Draw scaled linearly from 0 to TDP: the `utilization` override.
double gpu_watts(const Gpu& gpu, double utilization);

// Largest number of GPUs whose TDP, plus host_w for each started server of gpus_per_server,
// fits in budget_w.
double gpus_within_budget(double budget_w, double gpu_w, double host_w, int gpus_per_server);

// From what the replica does: its decode step (null for encoders), the prefill of one prompt and
// the serving cycle at batch_size; `tokens_per_s` are the tokens counted (output, or input for
// an encoder). With the scenario's utilization set, every draw is utilization x TDP and the
// budget counts TDP.
Power power_figures(const Setup& s, const StepTime* decode, const StepTime& prefill, const Serving& serving,
                    double tokens_per_s);

// The utilization model alone (utilization, default 1): kept for callers without step times.
Power power_figures(const Setup& s, double tokens_per_s);

}  // namespace gpufit
