// What the GPUs draw: board power from what they do (an idle floor plus a part that follows the
// achieved DRAM bandwidth and tensor throughput of each phase, capped near TDP), energy per
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
//   watts = idle + (TDP - idle) x min(ceiling, bandwidth_weight x u_mem + compute_weight x u_flops^compute_exponent)
// u_mem: achieved share of peak DRAM bandwidth over the phase; u_flops: achieved share of the
// tensor peak. Memory-bound decode at batch 1 streams weights at a high u_mem with the SMs almost
// idle; larger batches add tensor work at the same traffic, and power rises with it (concave:
// the SMs' clocks and voltage are up long before the tensor cores are busy); prefill's GEMMs run
// the board at its limit. Fitted by fit_power_curve() on the measured power rows of
// data/benchmarks.json (PowerCurve.DefaultIsTheFit checks it).
struct PowerCurve {
  double bandwidth_weight = 0;
  double compute_weight = 0;
  double compute_exponent = 1;
  double ceiling = 1;
};
// From a device-to-device copy on an H200 (shared/measurements; see power_fit.cpp).
inline constexpr double kCopyBandwidthWeight = 0.476;
inline constexpr PowerCurve kPowerCurve{0.476, 1.3273, 0.2441, 0.8447};

// Idle board power over TDP where a GPU has no measured idle_w: the NVIDIA H200 measured in
// shared/measurements (78 W of a 700 W cap, nvidia-smi at rest).
inline constexpr double kIdleShareOfTdp = 0.11;

// What a GPU does during a phase: shares of its peaks, averaged over the phase's time.
struct Activity {
  double bandwidth_util = 0;  // achieved bytes/s over datasheet peak bandwidth
  double compute_util = 0;    // achieved FLOP/s over the dense tensor peak computed at
};

// One GPU's activity during a step (decode step, prefill, serving cycle): traffic and FLOPs over
// the step's whole time, overheads and communication included. Layer-split replicas run their
// GPUs in turn, so each is busy 1/gpu_count of the time.
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
