// Embeddings: one forward pass of an encoder (or a decoder backbone used as one) per batch of
// sequences. Compute-bound at any useful batch: 2 FLOPs per parameter per token through the layers
// plus attention (4 x layers x tokens^2 x attention width per sequence); the weights are read once
// per batch, which only matters at a batch of a few short sequences.
#include <algorithm>
#include <cmath>

#include "workload_common.hpp"

namespace gpufit::detail {

WorkloadFigures embedding_figures(const Setup& s, const WorkloadFit& fit) {
  const WorkloadModel& m = *s.workload_model;
  WorkloadFigures f;
  f.workload = "embedding";
  f.fit = fit;
  const double n = s.sequence_tokens;
  const double b = s.batch_size;
  const double attn_width = double(m.attention_heads) * m.head_dim;
  const double kv_width = double(m.kv_heads) * m.head_dim;
  // Parameters a token passes through: attention projections and the MLP of every layer (the
  // embedding table is a lookup, not a product).
  const double layer_params = m.layers * (double(m.hidden_size) * (2 * attn_width + 2 * kv_width) +
                                          double(m.hidden_size) * m.intermediate_size * (m.gated_mlp ? 3 : 2));
  const double flops_per_seq = 2 * n * layer_params + 4.0 * m.layers * n * n * attn_width;
  f.flops = flops_per_seq * b;

  // --- memory ------------------------------------------------------------------------------
  f.weights_gb = bytes_at(s, m.params) / kBytesPerGB;
  // The widest tensors of one layer live at once: the MLP's intermediate (twice for a gated MLP)
  // and a few hidden-wide ones, at 2 bytes; attention runs fused (no tokens^2 score matrix).
  f.activations_gb =
      b * n * (double(m.intermediate_size) * (m.gated_mlp ? 2 : 1) + 4.0 * m.hidden_size) * 2 / kBytesPerGB;
  f.overhead_gb = kWorkloadRuntimeOverheadGb;
  f.memory_components_gb = {{"weights", f.weights_gb}, {"activations", f.activations_gb}};

  // --- time --------------------------------------------------------------------------------
  const double speed = fit.speed_of(s.workload_engine);
  f.compute_s = f.flops / (peak_flops_per_s(s) * fit.compute_efficiency) / speed;
  f.memory_s = bytes_at(s, m.params) / (bandwidth_bytes_per_s(s) * fit.bandwidth_efficiency) / speed;
  f.overhead_s = fit.step_overhead_ms / 1000 / speed;  // per batch: tokenizing, launches, pooling
  f.seconds_per_batch = std::max(f.compute_s, f.memory_s) + f.overhead_s;
  f.bound = f.compute_s >= f.memory_s ? "compute" : "memory";
  f.sequences_per_s = b / f.seconds_per_batch * s.gpu_count;
  f.tokens_per_s = f.sequences_per_s * n;
  f.assumptions.push_back("one forward pass per batch: 2 FLOPs per parameter per token + attention");
  return f;
}

}  // namespace gpufit::detail
