#include "gpufit/weights_memory.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>

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

// One piece of the model for the format's rules: its parameters, whether it repeats per layer,
// and the tensor names an override may use to address it.
struct Piece {
  double params;
  bool per_layer;
  std::array<std::string_view, 3> tags;
};

bool tagged(const Piece& p, std::string_view name) {
  return std::find(p.tags.begin(), p.tags.end(), name) != p.tags.end();
}

// Bits per weight of a piece in one layer: the first override that names the piece and covers the
// layer, else the format's main layout.
double bits_for(const WeightFormat& f, const Piece& p, int layer, int layers) {
  for (const auto& o : f.tensor_overrides) {
    if (!tagged(p, o.tensor)) continue;
    if (!p.per_layer || layer_rule_matches(o.layers, layer, layers)) return o.bits_per_weight;
  }
  return f.bits_per_weight;
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
  const TensorParams t = tensor_params(m);
  const double experts_third = t.experts / 3;
  const std::initializer_list<Piece> pieces = {
      {t.embedding, false, {"embedding", "non_experts", ""}},
      {t.output, false, {"output", "non_experts", ""}},
      {t.attn_q, true, {"attn_q", "attn", "non_experts"}},
      {t.attn_k, true, {"attn_k", "attn", "non_experts"}},
      {t.attn_v, true, {"attn_v", "attn", "non_experts"}},
      {t.attn_o, true, {"attn_o", "attn", "non_experts"}},
      {t.attn_other, true, {"attn_other", "attn", "non_experts"}},
      {t.ffn_gate, true, {"ffn_gate", "non_experts", ""}},
      {t.ffn_up, true, {"ffn_up", "non_experts", ""}},
      {t.ffn_down, true, {"ffn_down", "non_experts", ""}},
      {experts_third, true, {"experts", "ffn_gate", ""}},
      {experts_third, true, {"experts", "ffn_up", ""}},
      {experts_third, true, {"experts", "ffn_down", ""}},
      {t.other, false, {"other", "non_experts", ""}},
  };
  WeightBytes out;
  const int layers = std::max(1, m.layers);
  int index = 0;
  for (const Piece& p : pieces) {
    double bytes = 0;
    if (p.params > 0) {
      bool layer_rules = p.per_layer && std::any_of(f.tensor_overrides.begin(), f.tensor_overrides.end(),
                                                    [&](const TensorOverride& o) {
                                                      return tagged(p, o.tensor) && o.layers != "all";
                                                    });
      if (!layer_rules) {
        bytes = p.params * bits_for(f, p, 0, layers) / 8;
      } else {
        // Rules are per layer index: sum layer by layer (layers <= a few thousand).
        double per_layer = p.params / layers;
        for (int i = 0; i < layers; ++i) bytes += per_layer * bits_for(f, p, i, layers) / 8;
      }
    }
    out.total += bytes;
    if (index == 0) out.embedding = bytes;
    if (index >= 10 && index <= 12) out.routed_experts += bytes;
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
