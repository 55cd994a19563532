#include "gpufit/throughput.hpp"

#include <algorithm>
#include <cmath>

#include "gpufit/memory_fit.hpp"
#include "gpufit/model_shape.hpp"
#include "gpufit/step_limits.hpp"
#include "gpufit/step_time.hpp"
#include "gpufit/weights_memory.hpp"

namespace gpufit {

namespace {

// The peak and precision; `warning`, when given, receives why the precision was substituted.
ComputePeak peak_for(const Gpu& gpu, const WeightFormat& weights, std::string* warning) {
  const auto why = [&](const char* what) {
    if (warning) *warning = (gpu.name.empty() ? gpu.id : gpu.name) + what;
  };
  switch (weights.compute) {
    case ComputePrecision::kFp32:
      // FP32 weights multiply on the FP32 units (no tensor cores without TF32 opt-in).
      if (gpu.fp32_tflops) return {*gpu.fp32_tflops, "fp32", false};
      why(" has no fp32_tflops: assumed a quarter of the FP16 tensor peak");
      return {gpu.fp16_tflops / 4, "fp32", true};
    case ComputePrecision::kFp8:
      if (gpu.fp8_tflops) return {*gpu.fp8_tflops, "fp8", false};
      why(" has no FP8 tensor cores: FP8 weights are widened to FP16 for the matrix multiplies "
          "(weight-only, as vLLM's Marlin kernels do), so compute runs at the FP16 peak");
      return {gpu.fp16_tflops, "fp16", true};
    case ComputePrecision::kInt8:
      if (gpu.int8_tops) return {*gpu.int8_tops, "int8", false};
      why(" has no INT8 tensor cores: INT8 weights compute at the FP16 peak");
      return {gpu.fp16_tflops, "fp16", true};
    case ComputePrecision::kFp16:
      break;
  }
  if (weights.id == "bf16") {
    if (gpu.bf16_tflops) return {*gpu.bf16_tflops, "bf16", false};
    why(" has no BF16 support: BF16 weights run as FP16 (engines cast them; values beyond FP16's "
        "range can overflow)");
    return {gpu.fp16_tflops, "fp16", true};
  }
  return {gpu.fp16_tflops, "fp16", false};
}

}  // namespace

ComputePeak compute_peak(const Gpu& gpu, const WeightFormat& weights) {
  return peak_for(gpu, weights, nullptr);
}

std::string compute_peak_warning(const Gpu& gpu, const WeightFormat& weights) {
  std::string warning;
  peak_for(gpu, weights, &warning);
  return warning;
}

namespace {

// PCIe bandwidth per lane, one direction, after line encoding (GB/s).
double pcie_lane_gbs(int gen) {
  switch (gen) {
    case 1:
      return 0.25;
    case 2:
      return 0.5;
    case 3:
      return 0.985;
    case 4:
      return 1.969;
    case 5:
      return 3.938;
    default:
      return 7.563;  // PCIe 6.0 and later
  }
}

Link make_link(const Catalog& catalog, std::string id, double one_way_gbs) {
  Link l;
  l.id = std::move(id);
  l.one_way_gbs = one_way_gbs;
  const Interconnect* ic = catalog.interconnect(l.id);
  if (!ic && l.id == "xgmi") ic = catalog.interconnect("nvlink");  // a point-to-point GPU fabric alike
  if (ic) {
    l.latency_us = ic->allreduce_latency_us;
    l.efficiency = ic->bandwidth_efficiency;
  }
  return l;
}

double sum_attended(const Model& m, double tokens) {
  int windowed = m.sliding_window_tokens > 0 ? std::clamp(m.sliding_window_layers, 0, m.layers) : 0;
  return (m.layers - windowed) * tokens + windowed * std::min(tokens, m.sliding_window_tokens);
}

// Causal prefill of a prompt: token i attends to min(i, window) tokens.
double sum_attended_causal(const Model& m, double prompt) {
  auto causal = [](double p, double window) {
    if (window <= 0 || p <= window) return p * (p + 1) / 2;
    return window * (window + 1) / 2 + (p - window) * window;
  };
  int windowed = m.sliding_window_tokens > 0 ? std::clamp(m.sliding_window_layers, 0, m.layers) : 0;
  return (m.layers - windowed) * causal(prompt, 0) + windowed * causal(prompt, m.sliding_window_tokens);
}

// FLOPs per (query token, attended token) pair over all heads: QK^T and PV, 2 FLOPs per MAC.
double attention_flops_per_pair(const Model& m) {
  if (m.architecture == Architecture::kEncoder) return 4.0 * m.attention_heads * m.head_dim;
  if (m.kv_lora_rank > 0) {
    // MLA with absorbed projections attends over the latent: qk in kv_lora_rank + rope, v in
    // kv_lora_rank.
    return 2.0 * m.attention_heads * (2.0 * m.kv_lora_rank + m.qk_rope_head_dim);
  }
  return 4.0 * m.attention_heads * m.head_dim;
}

struct LinearParams {
  double body;  // parameters every token multiplies through (MoE: active experts only)
  double head;  // the LM head (only the tokens that are sampled)
};
LinearParams linear_params(const Model& m) {
  const TensorParams t = tensor_params(m);
  double head = m.tie_word_embeddings ? t.embedding : t.output;
  if (m.architecture == Architecture::kEncoder) head = 0;
  double body = m.active_params - t.embedding - t.output - t.other;
  return {std::max(body, 0.0), head};
}

// From one achieved() per step: it takes a pow() and a few lookups, and a step's time asks for
// both rates (the limit searches evaluate dozens of steps per result).
double achieved_flops(const Achieved& a) {
  return a.peak_tflops * 1e12 * a.compute_fraction;
}

double achieved_bytes_per_s(const Setup& s, const Achieved& a) {
  return s.gpu.memory_bandwidth_gbs * kBytesPerGB * a.bandwidth_efficiency;
}

}  // namespace

Achieved achieved(const Setup& s) {
  Achieved a;
  const ComputePeak peak = compute_peak(s.gpu, s.weights);
  a.peak_tflops = peak.tflops;
  a.precision = peak.precision;
  // Engines whose FP16 GEMMs accumulate in FP16 get GeForce cards' doubled rate.
  if (s.engine.fp16_accumulate && s.gpu.fp16_acc16_tflops && (peak.precision == "fp16" || peak.precision == "bf16")) {
    a.peak_tflops = *s.gpu.fp16_acc16_tflops;
    a.fp16_accumulate = true;
  }
  // Wider GPUs are filled less by the same kernels (see Engine::compute_scaling); on a small
  // peak the scaling would pass 1, which no kernel achieves. A GPU whose best matmul is measured
  // further from its datasheet peak (MI300X: 51% with ROCm 6.3, against 80-87% on A100 and H100)
  // gives every engine that much less of it. Not the ideal engine: it stays the datasheet's bound.
  if (s.engine.id != "ideal") {
    a.matmul_factor = s.gpu.matmul_efficiency.value_or(kTypicalMatmulEfficiency) / kTypicalMatmulEfficiency;
  }
  a.compute_fraction = std::min(
      1.0, s.engine.compute_efficiency * a.matmul_factor * std::pow(a.peak_tflops / 100.0, -s.engine.compute_scaling));
  a.hbm_factor = has_hbm(s.gpu) && s.engine.hbm_bandwidth_efficiency.has_value();
  a.bandwidth_efficiency = a.hbm_factor ? *s.engine.hbm_bandwidth_efficiency : s.engine.bandwidth_efficiency;
  return a;
}

Link tensor_parallel_link(const Setup& s, const Catalog& catalog, int gpu_count) {
  const Gpu& g = s.gpu;
  if (g.nvlink_bandwidth_gbs && gpu_count <= g.nvlink_max_gpus.value_or(8)) {
    return make_link(catalog, "nvlink", *g.nvlink_bandwidth_gbs / 2);
  }
  if (g.xgmi_bandwidth_gbs && gpu_count <= 8) return make_link(catalog, "xgmi", *g.xgmi_bandwidth_gbs / 2);
  return make_link(catalog, "pcie", pcie_lane_gbs(g.pcie_gen) * g.pcie_lanes);
}

double allreduce_s(const Link& link, int gpu_count, double bytes) {
  if (gpu_count <= 1) return 0;
  double n = gpu_count;
  double moved = 2 * (n - 1) / n * bytes;
  return link.latency_us * 1e-6 + moved / (link.one_way_gbs * kBytesPerGB * link.efficiency);
}

double mean_attended_tokens(const Setup& s) {
  return s.prompt_tokens + s.output_tokens / 2;
}

StepCosts::StepCosts(const Setup& s, const Catalog& catalog)
    : s_(s), a_(gpufit::achieved(s)), n_(std::max(1, s.gpu_count)), by_layers_(layer_split(s.engine)) {
  const Model& m = s.model;
  link_ = tensor_parallel_link(s, catalog, n_);
  kv_share_ = kv_share_per_gpu(m, n_);
  const LinearParams lp = linear_params(m);
  body_params_ = lp.body;
  head_params_ = lp.head;
  attention_flops_per_pair_ = attention_flops_per_pair(m);
  flops_per_s_ = achieved_flops(a_);
  bytes_per_s_ = achieved_bytes_per_s(s, a_);
  step_overhead_s_ = step_overhead_s(s.engine, m);
  sequence_overhead_s_ = sequence_overhead_s(s.engine, s.gpu);
  chunk_tokens_ = step_limits(s.engine, s.gpu).chunk_tokens;
  kv_values_per_token_ = kv_values_per_token(m);
}

// What decides whether a step is compute-bound (bound_switch_batch asks this a dozen times; the
// link and overheads it adds nothing to).
StepTime StepCosts::decode_roofline(double batch, double kv_values, double attention_flops) const {
  const Model& m = s_.model;
  StepTime t;
  const double weights_read = s_.weights_bytes.read_per_step(m, batch);
  const double kv_read = batch * kv_values * s_.kv_cache.bits_per_value / 8;
  // Layer split runs the GPUs one after another: the whole model's traffic at one GPU's speed.
  const double per_gpu_bytes = by_layers_ ? weights_read + kv_read : weights_read / n_ + kv_read * kv_share_;
  t.memory_s = per_gpu_bytes / bytes_per_s_;

  const double flops = 2 * (body_params_ + head_params_) * batch + attention_flops * batch;
  t.compute_s = flops / (by_layers_ ? 1 : n_) / flops_per_s_;
  return t;
}

StepTime StepCosts::decode_step(double batch, double kv_tokens) const {
  const Model& m = s_.model;
  StepTime t = decode_roofline(batch, kv_values_per_sequence(m, kv_tokens),
                               attention_flops_per_pair_ * sum_attended(m, kv_tokens));
  if (n_ > 1) {
    if (by_layers_) {
      t.communication_s = (n_ - 1) * link_.latency_us * 1e-6;  // hand the activations to the next GPU
    } else {
      // Two all-reduces per layer (after attention and after the MLP) of the batch's hidden
      // states in 16 bits.
      t.communication_s = 2.0 * m.layers * allreduce_s(link_, n_, batch * m.hidden_size * 2.0);
    }
  }
  t.overhead_s = step_overhead_s_ + batch * sequence_overhead_s_;
  return t;
}

StepTime StepCosts::prefill_time(double sequences, double prompt_tokens) const {
  const Model& m = s_.model;
  StepTime t;
  const double tokens = sequences * prompt_tokens;
  if (tokens <= 0) return t;
  const double chunk = chunk_tokens_ > 0 ? std::min(tokens, chunk_tokens_) : tokens;
  const double chunks = std::ceil(tokens / chunk);

  const double sampled = m.architecture == Architecture::kEncoder ? 0 : sequences;
  const double flops = 2 * body_params_ * tokens + 2 * head_params_ * sampled +
                       attention_flops_per_pair_ * sum_attended_causal(m, prompt_tokens) * sequences;
  t.compute_s = flops / (by_layers_ ? 1 : n_) / flops_per_s_;

  // Every chunk reads the weights (its tokens touch most experts) and writes its KV cache.
  const double kv_write = tokens * kv_values_per_token_ * s_.kv_cache.bits_per_value / 8;
  const double bytes = chunks * s_.weights_bytes.read_per_step(m, chunk) + kv_write;
  t.memory_s = bytes / (by_layers_ ? 1 : n_) / bytes_per_s_;

  if (n_ > 1) {
    if (by_layers_) {
      t.communication_s = chunks * (n_ - 1) * link_.latency_us * 1e-6;
    } else {
      t.communication_s = chunks * 2.0 * m.layers * allreduce_s(link_, n_, chunk * m.hidden_size * 2.0);
    }
  }
  t.overhead_s = chunks * step_overhead_s_;
  return t;
}

std::optional<double> StepCosts::bound_switch_batch(double kv_tokens) const {
  const double kv_values = kv_values_per_sequence(s_.model, kv_tokens);
  const double attention_flops = attention_flops_per_pair_ * sum_attended(s_.model, kv_tokens);
  auto roofline = [&](double b) { return decode_roofline(b, kv_values, attention_flops); };
  auto compute_bound = [&](double b) { return roofline(b).compute_bound(); };
  if (compute_bound(1)) return 1.0;
  constexpr double kMost = 524288;  // the largest batch the search below tries
  if (s_.model.experts <= 0 || s_.weights_bytes.routed_experts <= 0) {
    // A dense model reads the same weights at any batch: memory time is affine in the batch and
    // compute time linear in it, so the switch is where the two lines cross. Rounding can put
    // that one off; the roofline itself settles it, as the search would.
    const StepTime t1 = roofline(1), t2 = roofline(2);
    const double m1 = t2.memory_s - t1.memory_s, m0 = t1.memory_s - m1, c1 = t2.compute_s - t1.compute_s;
    if (c1 > m1) {
      double b = std::max(2.0, std::floor(m0 / (c1 - m1)) + 1);
      for (int k = 0; k < 8 && b > 2 && compute_bound(b - 1); ++k) --b;
      for (int k = 0; k < 8 && b <= kMost && !compute_bound(b); ++k) ++b;
      if (b <= kMost && compute_bound(b) && (b == 2 || !compute_bound(b - 1))) return b;  // else: search
    }
  }
  double lo = 1, hi = 2;
  while (!compute_bound(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > 1e6) return std::nullopt;
  }
  while (hi - lo > 1) {
    double mid = std::floor((lo + hi) / 2);
    (compute_bound(mid) ? hi : lo) = mid;
  }
  return hi;
}

Serving StepCosts::serving_rate(double batch) const {
  // Continuous batching with chunked prefill, in steady state: each of `batch` slots takes a
  // request, prefills its prompt and decodes output_tokens. The engine's forward passes mix both:
  // a cycle of S steps carries batch * output decode tokens and batch * prompt prefill tokens,
  // S = max(output_tokens, all tokens / activation_chunk_tokens). Every step reads the weights
  // once; each decode token reads its sequence's KV cache; prefill tokens write theirs. The
  // cycle takes the longer of its memory traffic and its FLOPs, plus communication and overhead.
  const Setup& s = s_;
  const Model& m = s.model;
  const bool decoder = m.architecture == Architecture::kDecoder;
  const double decode_tokens = decoder ? batch * s.output_tokens : 0;
  const double prefill_tokens = batch * s.prompt_tokens;
  const double tokens = decode_tokens + prefill_tokens;
  Serving out;
  if (tokens <= 0) return out;
  double steps = decoder ? s.output_tokens : 1;
  if (chunk_tokens_ > 0) steps = std::max(steps, tokens / chunk_tokens_);  // continuous: no jump at chunk boundaries
  const double per_step = tokens / steps;

  const double kv_bits = s.kv_cache.bits_per_value;
  const double kv_share = by_layers_ ? 1.0 : kv_share_;
  const double kv_read = decode_tokens * kv_values_per_sequence(m, mean_attended_tokens(s)) * kv_bits / 8;
  const double kv_write = prefill_tokens * kv_values_per_token_ * kv_bits / 8;
  const double weights = steps * s.weights_bytes.read_per_step(m, per_step);
  const double bytes = by_layers_ ? weights + kv_read + kv_write : weights / n_ + (kv_read + kv_write) * kv_share;
  const double memory_s = bytes / bytes_per_s_;

  const double sampled = decoder ? decode_tokens : 0;
  const double flops = 2 * body_params_ * tokens + 2 * head_params_ * sampled +
                       attention_flops_per_pair_ * (decode_tokens * sum_attended(m, mean_attended_tokens(s)) +
                                                    batch * sum_attended_causal(m, s.prompt_tokens));
  const double compute_s = flops / (by_layers_ ? 1 : n_) / flops_per_s_;

  double communication_s = 0;
  if (n_ > 1) {
    communication_s = by_layers_ ? steps * (n_ - 1) * link_.latency_us * 1e-6
                                 : steps * 2.0 * m.layers * allreduce_s(link_, n_, per_step * m.hidden_size * 2.0);
  }
  const double overhead_s = steps * step_overhead_s_ + decode_tokens * sequence_overhead_s_;
  const double cycle = std::max(memory_s, compute_s) + communication_s + overhead_s;
  out.output_tokens_per_s = decode_tokens / cycle;
  out.input_tokens_per_s = prefill_tokens / cycle;
  out.requests_per_s = batch / cycle;
  out.request_s = cycle;
  out.cycle = {memory_s, compute_s, communication_s, overhead_s};
  return out;
}

StepTime decode_step(const Setup& s, const Catalog& catalog, double batch, double kv_tokens) {
  return StepCosts(s, catalog).decode_step(batch, kv_tokens);
}

StepTime prefill_time(const Setup& s, const Catalog& catalog, double sequences, double prompt_tokens) {
  return StepCosts(s, catalog).prefill_time(sequences, prompt_tokens);
}

std::optional<double> bound_switch_batch(const Setup& s, const Catalog& catalog, double kv_tokens) {
  return StepCosts(s, catalog).bound_switch_batch(kv_tokens);
}

Serving serving_rate(const Setup& s, const Catalog& catalog, double batch) {
  return StepCosts(s, catalog).serving_rate(batch);
}

}  // namespace gpufit
