// What a model's architecture implies for memory and traffic: parameters per tensor role (so a
// weight format can keep some tensors at higher precision), KV-cache values per token (GQA, MQA,
// sliding windows, MLA), and the parameters read per decode step.
#pragma once

#include "gpufit/catalog.hpp"

namespace gpufit {

// Parameter counts per tensor role, summed over layers.
struct TensorParams {
  double embedding = 0;  // token embedding table: a decode step reads only the rows it looks up
  double output = 0;     // LM head; 0 when tied to the embedding (then the embedding is read whole)
  double attn_q = 0, attn_k = 0, attn_v = 0, attn_o = 0;
  double attn_other = 0;                          // attention not in q/k/v/o form (MLA's low-rank projections)
  double ffn_gate = 0, ffn_up = 0, ffn_down = 0;  // dense MLPs and shared experts
  double experts = 0;                             // all routed experts (gate + up + down)
  double other = 0;                               // norms, biases, routers
  double total() const {
    return embedding + output + attn_q + attn_k + attn_v + attn_o + attn_other + ffn_gate + ffn_up + ffn_down +
           experts + other;
  }
};

// True for MLPs with a gate projection (SwiGLU/GeGLU: three matrices), false for the classic
// two-matrix MLP (Falcon, BERT).
bool has_gated_mlp(const Model& m);

// Splits m.params into tensor roles from the shape. Exact where the importer filled
// attention_params/expert_params, otherwise the dense MLP is what remains after embeddings,
// attention, experts and norms.
TensorParams tensor_params(const Model& m);

// Sum of all tensor roles implied by the shape alone (embeddings + attention + experts + norms):
// used to refuse a params figure too small for the shape.
double shape_floor_params(const Model& m);

// Parameters in all routed experts (0 for dense models).
double routed_expert_params(const Model& m);

// Expected fraction of routed experts a decode step at `batch` sequences touches, per layer:
// each sequence picks experts_per_token of experts (uniform routing), so
// 1 - (1 - k/E)^batch. 1 for dense models.
double expert_coverage(const Model& m, double batch);

// KV-cache values (not bytes) one token adds across all layers, for layers without a window.
// MLA caches the compressed latent (kv_lora_rank + qk_rope_head_dim) instead of K and V.
double kv_values_per_token(const Model& m);

// KV-cache values one sequence of `context_tokens` holds: sliding-window layers keep at most
// their window.
double kv_values_per_sequence(const Model& m, double context_tokens);

// Share of a replica's KV cache each of `gpu_count` tensor-parallel GPUs holds: KV heads are
// split across GPUs, but a GPU holds at least one head (MQA replicates), and MLA's latent is
// replicated on every GPU.
double kv_share_per_gpu(const Model& m, int gpu_count);

}  // namespace gpufit
