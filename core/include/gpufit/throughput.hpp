// Decode and prefill time from a roofline: a step takes the longer of reading what it must read
// from DRAM (weights of the active parameters, the KV cache of every sequence) at the engine's
// achieved bandwidth, and doing its FLOPs at the engine's achieved share of the tensor peak of
// the precision actually computed; plus tensor-parallel all-reduces over NVLink or PCIe and the
// engine's fixed per-step overhead.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gpufit/scenario.hpp"

namespace gpufit {

// The tensor peak a format computes at on a GPU. Cheap: every step time asks for it.
struct ComputePeak {
  double tflops = 0;
  std::string_view precision;  // "fp16", "bf16", "fp8", "int8", "fp32"
  bool substituted = false;    // the GPU lacks the format's own precision (see the warning)
};
ComputePeak compute_peak(const Gpu& gpu, const WeightFormat& weights);

// Why the peak is not the format's own precision; empty when it is.
std::string compute_peak_warning(const Gpu& gpu, const WeightFormat& weights);

// The median of the measured matmul efficiencies (Gpu::matmul_efficiency): the six GPUs of the
// BF16 table data/gpus.json cites, A100 SXM 0.869, GH200 0.836, A100 PCIe 0.811, H100 SXM 0.803,
// MI325X 0.604, MI300X 0.514. An engine's compute_efficiency holds on a GPU of this median; a GPU
// measured above or below it achieves proportionally more or less.
inline constexpr double kTypicalMatmulEfficiency = (0.803 + 0.811) / 2;

// What the engine achieves on the scenario's GPU: the numbers every step time divides by, and
// that the result's assumptions state.
struct Achieved {
  double peak_tflops = 0;           // the dense tensor peak computed at (FP16-accumulate where used)
  std::string_view precision;       // of that peak
  bool fp16_accumulate = false;     // the engine's FP16 GEMMs run at the GeForce FP16-accumulate rate
  double compute_fraction = 0;      // share of peak_tflops achieved, at most 1
  double matmul_factor = 1;         // the GPU's matmul efficiency over kTypicalMatmulEfficiency
  double bandwidth_efficiency = 0;  // share of peak DRAM bandwidth achieved
  bool hbm_factor = false;          // bandwidth_efficiency is the engine's HBM factor
};
Achieved achieved(const Setup& s);

// The link tensor parallelism uses: NVLink/xGMI when the replica fits in one link domain,
// otherwise PCIe.
struct Link {
  std::string id;          // "nvlink", "xgmi", "pcie"
  double one_way_gbs = 0;  // one direction, per GPU
  double latency_us = 0;   // per all-reduce
  double efficiency = 1;   // achieved share of one_way_gbs
};
Link tensor_parallel_link(const Setup& s, const Catalog& catalog, int gpu_count);

// Time of one all-reduce of `bytes` across `gpu_count` GPUs (ring: 2(n-1)/n of the data crosses
// each link).
double allreduce_s(const Link& link, int gpu_count, double bytes);

struct StepTime {
  double memory_s = 0;         // DRAM traffic at achieved bandwidth
  double compute_s = 0;        // FLOPs at achieved tensor throughput
  double communication_s = 0;  // tensor-parallel all-reduces (or layer-split hand-offs)
  double overhead_s = 0;       // engine's fixed time
  double total_s() const { return std::max(memory_s, compute_s) + communication_s + overhead_s; }
  bool compute_bound() const { return compute_s > memory_s; }
};

// KV tokens a decode step attends to on average over a request: the prompt plus half the output.
double mean_attended_tokens(const Setup& s);

// One decode step of `batch` sequences each attending to `kv_tokens` tokens.
StepTime decode_step(const Setup& s, const Catalog& catalog, double batch, double kv_tokens);

// Prefilling `sequences` prompts of `prompt_tokens` each (chunked as the engine does).
StepTime prefill_time(const Setup& s, const Catalog& catalog, double sequences, double prompt_tokens);

// Smallest batch at which a decode step becomes compute-bound, if any up to 10^6.
std::optional<double> bound_switch_batch(const Setup& s, const Catalog& catalog, double kv_tokens);

struct Serving {
  double output_tokens_per_s = 0;  // one replica, `batch` concurrent requests, prefill included
  double input_tokens_per_s = 0;   // prompt tokens processed
  double requests_per_s = 0;
  double request_s = 0;  // one request's time from admission to last token
  StepTime cycle;        // the cycle's parts (per GPU), for the power its work draws
};
Serving serving_rate(const Setup& s, const Catalog& catalog, double batch);

// The step times of one setup, with what they share worked out once: the achieved rates (a
// pow()), the link, the model's linear parameters (its tensor split), the overheads (another
// pow()). One result asks for dozens of step times (the bound switch search, the fleet's bisection
// over the batch), each of which then costs a few multiplies. The free functions above build one
// per call; either way the figures are the same to the bit (the same operations in the same order).
// Holds a reference to the setup: it must outlive this, and its engine, GPU, model, format and
// GPU count must not change while this is used (they are read once; batch and tokens are read live).
class StepCosts {
 public:
  StepCosts(const Setup& s, const Catalog& catalog);
  StepCosts(Setup&&, const Catalog&) = delete;  // a temporary setup would dangle
  const Achieved& achieved() const { return a_; }
  const Link& link() const { return link_; }  // for gpu_count GPUs (one GPU: the link it would use)
  StepTime decode_step(double batch, double kv_tokens) const;
  StepTime prefill_time(double sequences, double prompt_tokens) const;
  std::optional<double> bound_switch_batch(double kv_tokens) const;
  Serving serving_rate(double batch) const;

 private:
  // A decode step's memory and compute times, given the KV values one sequence reads and the
  // attention FLOPs per sequence at its kv_tokens.
  StepTime decode_roofline(double batch, double kv_values, double attention_flops) const;

  const Setup& s_;
  Achieved a_;
  Link link_;
  int n_ = 1;               // GPUs of the replica, at least 1
  bool by_layers_ = false;  // layer split rather than tensor parallel
  double kv_share_ = 1;     // kv_share_per_gpu at n_
  double body_params_ = 0, head_params_ = 0;
  double attention_flops_per_pair_ = 0;
  double flops_per_s_ = 0, bytes_per_s_ = 0;  // achieved
  double step_overhead_s_ = 0, sequence_overhead_s_ = 0;
  double chunk_tokens_ = 0;  // the engine's planned tokens per forward pass on this GPU
  double kv_values_per_token_ = 0;
};

}  // namespace gpufit
