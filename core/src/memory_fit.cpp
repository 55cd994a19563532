#include "gpufit/memory_fit.hpp"

#include <algorithm>
#include <cmath>

#include "gpufit/model_shape.hpp"
#include "gpufit/step_limits.hpp"

namespace gpufit {

const EngineSpec& training_engine(const Setup& s, const Catalog& catalog) {
  if (const Engine* e = catalog.engine(kTrainingEngine)) return *e;
  return s.engine;
}

const EngineSpec& memory_engine(const Setup& s, const EngineSpec& training_engine) {
  if (s.mode == Mode::kInference || s.engine.id == "ideal") return s.engine;
  return training_engine;
}

bool layer_split(const EngineSpec& e) {
  return e.multi_gpu == "layer";
}

namespace {

// Active MLP width per layer: the intermediate size a token's MLP actually uses (MoE: its
// experts_per_token experts and any shared expert).
double active_ffn_width(const Model& m) {
  const TensorParams t = tensor_params(m);
  double per_layer = (t.ffn_gate + t.ffn_up + t.ffn_down) / std::max(1, m.layers);
  if (m.experts > 0) per_layer += t.experts * double(m.experts_per_token) / m.experts / std::max(1, m.layers);
  double mats = has_gated_mlp(m) ? 3 : 2;
  return per_layer / (mats * std::max(1, m.hidden_size));
}

// Inference memory at one GPU count, with what the batch and the context leave unchanged worked
// out once (the MLP width takes the model's tensor split, the chunk the engine's step limits):
// the limit searches below ask for a dozen points per result. Each point is the same arithmetic,
// in the same order, as a fresh inference_memory().
class InferenceMemory {
 public:
  InferenceMemory(const Setup& s, int gpu_count)
      : s_(s),
        by_layers_(layer_split(s.engine)),
        chunk_(step_limits(s.engine, s.gpu).chunk_tokens),
        ffn_width_(active_ffn_width(s.model)),
        overhead_gb_(s.engine.runtime_overhead_gb + s.engine.memory_reserve_fraction * s.gpu.usable_memory_gb) {
    set_gpu_count(gpu_count);
  }

  // The same setup at another GPU count (the fewest-GPUs search).
  void set_gpu_count(int gpu_count) {
    const Model& m = s_.model;
    n_ = std::max(1, gpu_count);
    shard_ = by_layers_ ? 1.0 : n_;
    weights_gb_ = s_.weights_bytes.total / n_ / kBytesPerGB;
    kv_share_ = by_layers_ ? 1.0 / n_ : kv_share_per_gpu(m, n_);
    values_ = 4.0 * m.hidden_size + 4.0 * ffn_width_ / shard_;
  }

  MemoryBreakdown at(double batch, double context_tokens) const {
    const Model& m = s_.model;
    MemoryBreakdown mem;
    mem.available_gb = s_.gpu.usable_memory_gb;
    mem.weights_gb = weights_gb_;

    // KV cache: every sequence holds its context (windowed layers at most their window).
    mem.kv_cache_gb =
        batch * kv_values_per_sequence(m, context_tokens) * s_.kv_cache.bits_per_value / 8 * kv_share_ / kBytesPerGB;

    // Activations: the engine plans for one forward pass of activation_chunk_tokens tokens (vLLM's
    // profile run); its peak is in the MLP of one layer (input, gate, up, activation: about
    // 4h + 4*ffn values per token at 2 bytes), plus FP32 logits for each sequence sampled.
    double tokens = chunk_ > 0 ? chunk_ : batch;
    if (m.architecture == Architecture::kEncoder)
      tokens = chunk_ > 0 ? chunk_ : batch * std::max(1.0, s_.prompt_tokens);
    tokens = std::max(tokens, batch);
    double logits = m.architecture == Architecture::kEncoder ? 0 : batch * double(m.vocab_size) * 4 / shard_;
    mem.activations_gb = (tokens * values_ * 2 + logits) / kBytesPerGB;

    mem.overhead_gb = overhead_gb_;
    mem.total_gb = mem.weights_gb + mem.kv_cache_gb + mem.activations_gb + mem.overhead_gb;
    return mem;
  }

 private:
  const Setup& s_;
  bool by_layers_;
  double chunk_;
  double ffn_width_;  // active_ffn_width()
  double overhead_gb_;
  int n_ = 1;
  double shard_ = 1;  // the activations' split: 1 with layer split, n_ with tensor parallel
  double weights_gb_ = 0, kv_share_ = 0, values_ = 0;
};

// scenario_memory() at one GPU count, prepared once for a search over the batch, the context or
// the GPU count.
class ScenarioMemory {
 public:
  ScenarioMemory(const Setup& s, const EngineSpec& training_engine, int gpu_count)
      : s_(s), training_engine_(training_engine), gpu_count_(gpu_count) {
    if (s.mode == Mode::kInference) inference_.emplace(s, gpu_count);
  }
  MemoryBreakdown operator()(double batch, double context_tokens) const {
    if (inference_) return inference_->at(batch, context_tokens);
    return training_memory(s_, training_engine_, gpu_count_, batch, context_tokens);
  }
  void set_gpu_count(int gpu_count) {
    gpu_count_ = gpu_count;
    if (inference_) inference_->set_gpu_count(gpu_count);
  }

 private:
  const Setup& s_;
  const EngineSpec& training_engine_;
  int gpu_count_;
  std::optional<InferenceMemory> inference_;
};

}  // namespace

MemoryBreakdown inference_memory(const Setup& s, int gpu_count, double batch, double context_tokens) {
  return InferenceMemory(s, gpu_count).at(batch, context_tokens);
}

double lora_adapter_params(const Model& m, int rank) {
  // LoRA adds A (in x r) and B (r x out) beside each linear layer: r * (in + out) parameters.
  const double h = m.hidden_size, q = double(m.attention_heads) * m.head_dim, kv = double(m.kv_heads) * m.head_dim;
  const double attn = (h + q) + 2 * (h + kv) + (q + h);
  const TensorParams t = tensor_params(m);
  double ffn_per_layer = (t.ffn_gate + t.ffn_up + t.ffn_down) / std::max(1, m.layers);
  double mats = has_gated_mlp(m) ? 3 : 2;
  double inter = ffn_per_layer / (mats * std::max(1.0, h));
  double ffn = inter > 0 ? mats * (h + inter) : 0;
  double experts = 0;
  if (m.experts > 0 && t.experts > 0) {
    double expert_inter = t.experts / (m.experts * 3.0 * h * std::max(1, m.layers));
    experts = m.experts * 3.0 * (h + expert_inter);
  }
  return double(rank) * m.layers * (attn + ffn + experts);
}

MemoryBreakdown training_memory(const Setup& s, const EngineSpec& training_engine, int gpu_count, double batch,
                                double context_tokens) {
  const Model& m = s.model;
  const int n = std::max(1, gpu_count);
  MemoryBreakdown mem;
  mem.available_gb = s.gpu.usable_memory_gb;
  const double params = m.params;
  if (s.mode == Mode::kFullFinetune) {
    // AdamW mixed precision: weights and gradients in the training dtype, FP32 master weights and
    // two FP32 moments (12 bytes per parameter); all sharded across GPUs (FSDP / ZeRO-3).
    const double bytes = s.weights.bits_per_weight / 8;
    mem.weights_gb = params * bytes / n / kBytesPerGB;
    mem.gradients_gb = params * bytes / n / kBytesPerGB;
    mem.optimizer_gb = params * 12 / n / kBytesPerGB;
  } else {
    // LoRA / QLoRA: the frozen base at its format, adapters in FP32 with FP32 gradients and two
    // AdamW moments.
    const double adapters = lora_adapter_params(m, s.lora_rank);
    mem.weights_gb = (s.weights_bytes.total / n + adapters * 4) / kBytesPerGB;
    mem.gradients_gb = adapters * 4 / kBytesPerGB;
    mem.optimizer_gb = adapters * 8 / kBytesPerGB;
  }
  // Activations kept for the backward pass, per token per layer, BF16: the block's input and norm
  // output, q, k, v and attention output (flash attention keeps no score matrix), the MLP's input,
  // norm output, gate, up, activation and product: 4h + 2q + 2kv + 4*ffn values.
  const double h = m.hidden_size, q = double(m.attention_heads) * m.head_dim, kv = double(m.kv_heads) * m.head_dim;
  const double per_layer_values = 4 * h + 2 * q + 2 * kv + 4 * active_ffn_width(m);
  const double tokens = batch * context_tokens;
  double layer_values = s.gradient_checkpointing
                            // Only each layer's input is kept; one layer is recomputed at a time.
                            ? m.layers * h + per_layer_values
                            : m.layers * per_layer_values;
  // Logits in FP32 and their gradient for the loss.
  const double logits_bytes = tokens * double(m.vocab_size) * 8;
  mem.activations_gb = (tokens * layer_values * 2 + logits_bytes) / kBytesPerGB;
  mem.overhead_gb =
      training_engine.runtime_overhead_gb + training_engine.memory_reserve_fraction * s.gpu.usable_memory_gb;
  mem.total_gb =
      mem.weights_gb + mem.kv_cache_gb + mem.activations_gb + mem.overhead_gb + mem.optimizer_gb + mem.gradients_gb;
  return mem;
}

MemoryBreakdown scenario_memory(const Setup& s, const EngineSpec& training_engine, int gpu_count, double batch,
                                double context_tokens) {
  return ScenarioMemory(s, training_engine, gpu_count)(batch, context_tokens);
}

namespace {

// The largest whole x in [lo, hi) that fits, given free_gb(lo) >= 0 > free_gb(hi): memory grows
// monotonically in the batch and in the context, and nearly linearly (KV cache and activations per
// sequence or token), so a guess interpolated from the free memory at the bracket's ends usually
// lands on the answer, and x + 1 confirms it. A guess that misses still shrinks the bracket; every
// other step bisects, so the worst case stays near 2 log2(hi) evaluations (bisection alone took
// log2(hi), 10-17 per search, and every result runs two searches).
template <class FreeGb>
double largest_fitting(double lo, double free_lo, double hi, double free_hi, FreeGb free_gb) {
  bool interpolate = true;
  while (hi - lo > 1) {
    double x = std::floor((lo + hi) / 2);
    if (interpolate && free_lo > free_hi) {
      x = std::clamp(std::floor(lo + free_lo * (hi - lo) / (free_lo - free_hi)), lo + 1, hi - 1);
    }
    const double f = free_gb(x);
    if (f >= 0) {
      lo = x, free_lo = f;
      if (interpolate && x + 1 < hi) {  // the guess fits: is the next one out?
        const double g = free_gb(x + 1);
        if (g < 0) return x;
        lo = x + 1, free_lo = g;
      }
    } else {
      hi = x, free_hi = f;
    }
    interpolate = !interpolate;
  }
  return lo;
}

}  // namespace

double max_batch_that_fits(const Setup& s, const EngineSpec& training_engine, double context_tokens, double max_batch) {
  const ScenarioMemory memory(s, training_engine, s.gpu_count);
  auto free_gb = [&](double b) { return memory(b, context_tokens).free_gb(); };
  const double one = free_gb(1);
  if (one < 0) return 0;
  const double all = free_gb(max_batch);
  if (all >= 0) return max_batch;
  return largest_fitting(1, one, max_batch, all, free_gb);
}

double max_context_that_fits(const Setup& s, const EngineSpec& training_engine, double batch, double cap) {
  if (cap < 1) return 0;
  const ScenarioMemory memory(s, training_engine, s.gpu_count);
  auto free_gb = [&](double c) { return memory(batch, c).free_gb(); };
  const double one = free_gb(1);
  if (one < 0) return 0;
  const double all = free_gb(cap);
  if (all >= 0) return cap;
  return largest_fitting(1, one, cap, all, free_gb);
}

int min_gpus_that_fit(const Setup& s, const EngineSpec& training_engine) {
  // Inference: the model's share of the memory is worked out once, and each count only rescales it.
  ScenarioMemory memory(s, training_engine, 1);
  for (int n = 1; n <= 64; n *= 2) {
    memory.set_gpu_count(n);
    if (memory(s.batch_size, s.context_tokens).fits()) return n;
  }
  return 0;
}

}  // namespace gpufit
