#include "gpufit/training_time.hpp"

#include <algorithm>

#include "gpufit/model_shape.hpp"

namespace gpufit {

Training training_time(const Setup& s, const EngineSpec& training_engine, double train_tokens) {
  Training t;
  const Model& m = s.model;
  const bool full = s.mode == Mode::kFullFinetune;
  double per_param = full ? 6 : 4;
  if (s.gradient_checkpointing) per_param += 2;
  // Attention: each token attends to half the sequence on average (causal); forward 1x, backward
  // 2x, recomputed once more with checkpointing.
  double passes = s.gradient_checkpointing ? 4 : 3;
  double attention = 4.0 * m.attention_heads * m.head_dim * m.layers * (s.context_tokens / 2) * passes;
  t.flops_per_token = per_param * m.active_params + attention;
  // Training runs in BF16 (FP16 where BF16 is missing), whatever the frozen base is stored in.
  const double peak = s.gpu.bf16_tflops.value_or(s.gpu.fp16_tflops) * 1e12;
  t.mfu = s.mfu.value_or(training_engine.training_mfu);
  t.tokens_per_s = s.gpu_count * peak * t.mfu / t.flops_per_token;
  t.hours = t.tokens_per_s > 0 ? train_tokens / t.tokens_per_s / 3600 : 0;
  return t;
}

}  // namespace gpufit
