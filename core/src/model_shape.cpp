#include "gpufit/model_shape.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

namespace gpufit {

bool has_gated_mlp(const Model& m) {
  // The family's length picks the one or two names to compare (this runs in every memory
  // bisection step of evaluate; in the size-optimized WebAssembly build a loop of string_view
  // comparisons was 3% of a ranking, each comparison a call).
  const char* const f = m.family.data();
  const auto is = [&](const char* name) { return std::memcmp(f, name, m.family.size()) == 0; };
  switch (m.family.size()) {
    case 3:
      return !is("opt") && !is("mpt");
    case 4:
      return !is("bert") && !is("gpt2");
    case 5:
      return !is("bloom");
    case 6:
      return !is("falcon");
    case 8:
      return !is("gpt_neox");
    default:
      return true;
  }
}

double routed_expert_params(const Model& m) {
  if (m.expert_params) return *m.expert_params;
  if (m.experts <= 0 || m.experts_per_token <= 0 || m.experts_per_token >= m.experts) return 0;
  // params - active = the experts a token does not use = routed * (1 - k/E).
  double inactive = m.params - m.active_params;
  if (inactive <= 0) return 0;
  return inactive / (1.0 - static_cast<double>(m.experts_per_token) / m.experts);
}

namespace {

double attention_qkvo(const Model& m, TensorParams& t) {
  double L = m.layers, h = m.hidden_size, q = double(m.attention_heads) * m.head_dim,
         kv = double(m.kv_heads) * m.head_dim;
  t.attn_q = L * h * q;
  t.attn_k = L * h * kv;
  t.attn_v = L * h * kv;
  t.attn_o = L * q * h;
  return t.attn_q + t.attn_k + t.attn_v + t.attn_o;
}

double norm_params(const Model& m) {
  return (2.0 * m.layers + 1.0) * m.hidden_size;
}

}  // namespace

double shape_floor_params(const Model& m) {
  TensorParams t;
  double embed = double(m.vocab_size) * m.hidden_size;
  double output = m.tie_word_embeddings ? 0 : embed;
  double attn = m.attention_params ? *m.attention_params : attention_qkvo(m, t);
  return embed + output + attn + routed_expert_params(m) + norm_params(m);
}

TensorParams tensor_params(const Model& m) {
  TensorParams t;
  t.embedding = double(m.vocab_size) * m.hidden_size;
  t.output = m.tie_word_embeddings ? 0 : t.embedding;
  if (m.attention_params && m.kv_lora_rank > 0) {
    t.attn_other = *m.attention_params;  // MLA: low-rank q/kv projections, no k/v matrices
  } else {
    double qkvo = attention_qkvo(m, t);
    if (m.attention_params) t.attn_other = std::max(0.0, *m.attention_params - qkvo);  // biases
  }
  t.experts = routed_expert_params(m);
  t.other = norm_params(m);
  double rest = m.params - t.total();
  const bool gated = has_gated_mlp(m);
  if (m.intermediate_size > 0 && m.experts == 0) {
    // Dense model with a known MLP width: count it, and leave what remains (biases, extra norms)
    // in `other`.
    double mats = gated ? 3 : 2;
    double ffn = std::min(std::max(rest, 0.0), mats * m.layers * double(m.hidden_size) * m.intermediate_size);
    rest -= ffn;
    t.other += std::max(rest, 0.0);
    rest = ffn;
  }
  rest = std::max(rest, 0.0);
  if (gated) {
    t.ffn_gate = t.ffn_up = t.ffn_down = rest / 3;
  } else {
    t.ffn_up = t.ffn_down = rest / 2;
  }
  return t;
}

double expert_coverage(const Model& m, double batch) {
  if (m.experts <= 0 || m.experts_per_token <= 0) return 1;
  double k_over_e = std::min(1.0, double(m.experts_per_token) / m.experts);
  double b = std::max(1.0, batch);
  return 1.0 - std::pow(1.0 - k_over_e, b);
}

double kv_values_per_token(const Model& m) {
  if (m.architecture == Architecture::kEncoder) return 0;
  double per_layer = m.kv_lora_rank > 0 ? double(m.kv_lora_rank) + m.qk_rope_head_dim : 2.0 * m.kv_heads * m.head_dim;
  return per_layer * m.layers;
}

double kv_values_per_sequence(const Model& m, double context_tokens) {
  if (m.layers <= 0) return 0;
  double per_layer = kv_values_per_token(m) / m.layers;
  int windowed = m.sliding_window_tokens > 0 ? std::clamp(m.sliding_window_layers, 0, m.layers) : 0;
  double window_tokens = std::min(context_tokens, m.sliding_window_tokens);
  return per_layer * ((m.layers - windowed) * context_tokens + windowed * window_tokens);
}

double kv_share_per_gpu(const Model& m, int gpu_count) {
  if (gpu_count <= 1 || m.kv_lora_rank > 0) return 1;
  double heads_per_gpu = std::ceil(double(m.kv_heads) / gpu_count);
  return std::min(1.0, heads_per_gpu / m.kv_heads);
}

}  // namespace gpufit
