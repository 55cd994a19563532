#include "gpufit/weights_memory.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <vector>

namespace gpufit {

bool use_more_bits(int layer, int layers) {
  return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
}

namespace {

// Parses the number after a prefix ("first_12" -> 12); -1 when malformed.
int suffix_number(std::string_view rule, std::string_view prefix) {
  if (rule.substr(0, prefix.size()) != prefix) return -1;
  std::string_view digits = rule.substr(prefix.size());
  int n = -1;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || n <= 0) return -1;
  return n;
}

// One piece of the model for the format's rules: its parameters, whether it repeats per layer, its
// row length (the input width: a block type needs whole blocks per row), and the tensor names an
// override may use to address it.
using Tags = std::array<std::string_view, 4>;

struct Piece {
  double params;
  bool per_layer;
  double row;
  Tags tags;
};

bool tagged(const Piece& p, std::string_view name) {
  return std::find(p.tags.begin(), p.tags.end(), name) != p.tags.end();
}

// llama.cpp's LLM_TYPE_70B: an 80-layer llama with GQA, or an 80-layer qwen2.
bool type_70b(const Model& m) {
  if (m.layers != 80) return false;
  if (m.family == "llama") return m.attention_heads != m.kv_heads;
  return m.family == "qwen2";
}

bool condition_holds(const std::string& when, const Model& m) {
  if (when.empty()) return true;
  if (when == "experts_8") return m.experts == 8;
  if (when == "type_70b") return type_70b(m);
  if (when == "gqa_ge_4") return m.kv_heads > 0 && m.attention_heads / m.kv_heads >= 4;
  return false;
}

// The type of a piece in one layer: the first override that names the piece, holds for the model
// and covers the layer, else the format's main type.
const BlockType& type_for(const WeightFormat& f, const Model& m, const Piece& p, int layer, int layers) {
  for (const auto& o : f.tensor_overrides) {
    if (!tagged(p, o.tensor) || !condition_holds(o.when, m)) continue;
    if (!p.per_layer || layer_rule_matches(o.layers, layer, layers)) return o.type;
  }
  return f.type;
}

// Bits per weight once the row length is taken into account: a type whose block does not divide
// the row falls back (Q4_K -> Q5_0, ...), and a fallback that does not fit either leaves F16.
double stored_bits(const BlockType& t, double row) {
  auto divides = [row](int block) { return block <= 1 || std::fmod(row, block) == 0; };
  if (divides(t.block_weights)) return t.bits_per_weight;
  if (divides(t.fallback_block_weights)) return t.fallback_bits;
  return 16;
}

}  // namespace

bool layer_rule_matches(std::string_view rule, int layer, int layers) {
  if (rule == "all") return true;
  if (rule == "more_bits") return use_more_bits(layer, layers);
  if (int n = suffix_number(rule, "first_fraction_"); n > 0) return layer < layers / n;
  if (int n = suffix_number(rule, "first_"); n > 0) return layer < n;
  return false;
}

bool layer_rule_valid(std::string_view rule) {
  return rule == "all" || rule == "more_bits" || suffix_number(rule, "first_fraction_") > 0 ||
         suffix_number(rule, "first_") > 0;
}

WeightBytes weight_bytes(const Model& m, const WeightFormat& f) {
  // Read from the weight files' headers: exact, when the format asked for is the files' own.
  if (m.file_source && !m.file_source->weights.empty() && m.file_source->weights == f.id &&
      m.file_source->total_bytes() > 0) {
    WeightBytes out;
    out.total = m.file_source->total_bytes();
    out.embedding = m.file_source->embedding_bytes;
    out.routed_experts = m.file_source->routed_expert_bytes;
    return out;
  }
  const TensorParams t = tensor_params(m);
  const int layers = std::max(1, m.layers);
  const double h = m.hidden_size;
  const double q_dim = double(m.attention_heads) * m.head_dim;
  // MLP widths: as configured, else what the parameters imply.
  const double dense_ffn =
      (t.ffn_gate + t.ffn_up + t.ffn_down) / layers / (has_gated_mlp(m) ? 3 : 2) / std::max(1.0, h);
  const double inter = m.intermediate_size > 0 && m.experts == 0 ? m.intermediate_size : std::round(dense_ffn);
  const double expert_inter = m.expert_intermediate_size > 0
                                  ? m.expert_intermediate_size
                                  : (m.experts > 0 ? std::round(t.experts / (3.0 * m.experts * h * layers)) : 0);
  const double experts_third = t.experts / 3;
  // A tied embedding is also the output head: formats that treat the head specially (llama.cpp
  // gives token_embd the output's type when there is no output tensor) apply to it.
  const Tags embedding_tags =
      m.tie_word_embeddings ? Tags{"output", "embedding", "non_experts"} : Tags{"embedding", "non_experts", ""};
  // Fused QKV projections (Phi-3, Falcon) are one tensor: llama.cpp gives all of it attn_v's type.
  const bool fused_qkv = m.family == "phi3" || m.family == "falcon";
  const Tags q_tags =
      fused_qkv ? Tags{"attn_q", "attn_v", "attn", "non_experts"} : Tags{"attn_q", "attn", "non_experts", ""};
  const Tags k_tags =
      fused_qkv ? Tags{"attn_k", "attn_v", "attn", "non_experts"} : Tags{"attn_k", "attn", "non_experts", ""};
  const Piece pieces[] = {
      {t.embedding, false, h, embedding_tags},
      {t.output, false, h, {"output", "non_experts", ""}},
      {t.attn_q, true, h, q_tags},
      {t.attn_k, true, h, k_tags},
      {t.attn_v, true, h, {"attn_v", "attn", "non_experts"}},
      {t.attn_o, true, q_dim, {"attn_o", "attn", "non_experts"}},
      {t.attn_other, true, h, {"attn_other", "attn", "non_experts"}},
      {t.ffn_gate, true, h, {"ffn_gate", "non_experts", ""}},
      {t.ffn_up, true, h, {"ffn_up", "non_experts", ""}},
      {t.ffn_down, true, inter, {"ffn_down", "non_experts", ""}},
      {experts_third, true, h, {"experts", "ffn_gate", ""}},
      {experts_third, true, h, {"experts", "ffn_up", ""}},
      {experts_third, true, expert_inter, {"experts", "ffn_down", ""}},
      {t.other, false, 1, {"other", "non_experts", ""}},
  };
  constexpr int kEmbedding = 0, kFirstExpert = 10, kLastExpert = 12;
  WeightBytes out;
  int index = 0;
  for (const Piece& p : pieces) {
    double bytes = 0;
    if (p.params > 0) {
      bool layer_rules =
          p.per_layer && std::any_of(f.tensor_overrides.begin(), f.tensor_overrides.end(),
                                     [&](const TensorOverride& o) { return tagged(p, o.tensor) && o.layers != "all"; });
      if (!layer_rules) {
        bytes = p.params * stored_bits(type_for(f, m, p, 0, layers), p.row) / 8;
      } else {
        // Rules are per layer index: sum layer by layer (layers <= a few thousand).
        const double per_layer = p.params / layers;
        for (int i = 0; i < layers; ++i) bytes += per_layer * stored_bits(type_for(f, m, p, i, layers), p.row) / 8;
      }
    }
    out.total += bytes;
    if (index == kEmbedding) out.embedding = bytes;
    if (index >= kFirstExpert && index <= kLastExpert) out.routed_experts += bytes;
    ++index;
  }
  return out;
}

double WeightBytes::read_per_step(const Model& m, double batch) const {
  double read = total - routed_experts * (1.0 - expert_coverage(m, batch));
  if (!m.tie_word_embeddings) read -= embedding;
  return std::max(read, 0.0);
}

}  // namespace gpufit
