#include "hf_config.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "gpufit/model_shape.hpp"

namespace gpufit::detail {

namespace {

const std::vector<std::string>& supported_types() {
  static const std::vector<std::string> kTypes = {"llama",     "mistral",     "mixtral",     "qwen2",
                                                  "qwen2_moe", "qwen3",       "qwen3_moe",   "gemma2",
                                                  "phi3",      "deepseek_v2", "deepseek_v3", "gpt_oss"};
  return kTypes;
}

constexpr int kMaxDim = 1 << 20;  // hidden sizes, vocabularies: far above any published model
constexpr int kMaxLayers = 4096;
constexpr int kMaxExperts = 65536;

// Parameters of one SwiGLU MLP (gate, up, down), without bias.
double gated_mlp(double hidden, double inter) {
  return 3.0 * hidden * inter;
}

}  // namespace

Outcome<Model> model_from_hf_config(const Json& config, const std::string& path) {
  FieldReader r(config, path);
  if (!r.ok()) return r.error();
  Model m;
  std::string type = r.string("model_type");
  if (!r.ok()) return r.error();
  const auto& types = supported_types();
  if (std::find(types.begin(), types.end(), type) == types.end()) {
    std::string list;
    for (const auto& t : types) list += (list.empty() ? "" : ", ") + t;
    return Error{"invalid_value", r.path_of("model_type"),
                 show(type) + " is not supported (supported: " + list + "); enter the shape by hand instead"};
  }
  m.family = type;
  m.architecture = Architecture::kDecoder;

  const double h = r.integer("hidden_size", 1, kMaxDim);
  const int L = r.integer("num_hidden_layers", 1, kMaxLayers);
  const int heads = r.integer("num_attention_heads", 1, kMaxDim);
  const int kv_heads = r.opt_integer("num_key_value_heads", 1, kMaxDim).value_or(heads);
  const double vocab = r.integer("vocab_size", 1, 1 << 24);
  const double max_pos = r.opt_integer("max_position_embeddings", 1, 1 << 30).value_or(0);
  if (!r.ok()) return r.error();
  if (heads % kv_heads != 0) {
    return Error{"invalid_value", r.path_of("num_key_value_heads"),
                 "must divide num_attention_heads (" + std::to_string(heads) + "), got " + std::to_string(kv_heads)};
  }
  const bool is_deepseek = type == "deepseek_v2" || type == "deepseek_v3";
  const bool is_gemma = type == "gemma2";
  // Gemma ties its output head to the embeddings by default; the others do not.
  const bool tie = r.opt_bool("tie_word_embeddings").value_or(is_gemma);
  int head_dim = r.opt_integer("head_dim", 1, kMaxDim).value_or(0);
  if (head_dim == 0) head_dim = static_cast<int>(h) / heads;
  if (!r.ok()) return r.error();

  m.layers = L;
  m.hidden_size = static_cast<int>(h);
  m.attention_heads = heads;
  m.kv_heads = kv_heads;
  m.head_dim = head_dim;
  m.vocab_size = static_cast<int>(vocab);
  m.max_context_tokens = max_pos;
  m.tie_word_embeddings = tie;

  // --- attention, per layer -------------------------------------------------------------
  double attn_per_layer = 0;
  double norms_per_layer = 2 * h;  // input and post-attention RMSNorm
  if (is_deepseek) {
    // Multi-head latent attention: queries through an optional low rank, keys and values through
    // a shared compressed latent of kv_lora_rank plus a decoupled RoPE key.
    const auto q_lora = r.opt_integer("q_lora_rank", 1, kMaxDim);
    const double kv_lora = r.integer("kv_lora_rank", 1, kMaxDim);
    const double nope = r.integer("qk_nope_head_dim", 1, kMaxDim);
    const double rope = r.integer("qk_rope_head_dim", 1, kMaxDim);
    const double v_dim = r.integer("v_head_dim", 1, kMaxDim);
    if (!r.ok()) return r.error();
    double q_dim = heads * (nope + rope);
    double q = q_lora ? h * *q_lora + *q_lora /*norm*/ + double(*q_lora) * q_dim : h * q_dim;
    attn_per_layer = q + h * (kv_lora + rope) + kv_lora /*norm*/ + kv_lora * heads * (nope + v_dim) + heads * v_dim * h;
    m.kv_lora_rank = static_cast<int>(kv_lora);
    m.qk_rope_head_dim = static_cast<int>(rope);
    m.head_dim = static_cast<int>(nope + rope);
  } else {
    double q_dim = double(heads) * head_dim, kv_dim = double(kv_heads) * head_dim;
    attn_per_layer = h * q_dim + 2 * h * kv_dim + q_dim * h;
    bool qkv_bias = type == "qwen2" || type == "qwen2_moe";
    if (type == "llama" || type == "qwen3" || type == "qwen3_moe") {
      qkv_bias = r.opt_bool("attention_bias").value_or(false);
    }
    if (type == "gpt_oss") qkv_bias = r.opt_bool("attention_bias").value_or(true);
    if (qkv_bias) attn_per_layer += q_dim + 2 * kv_dim;
    if ((type == "llama" || type == "gpt_oss") && qkv_bias) attn_per_layer += h;    // o_proj bias as well
    if (type == "gpt_oss") attn_per_layer += heads;                                 // one attention-sink logit per head
    if (type == "qwen3" || type == "qwen3_moe") norms_per_layer += 2.0 * head_dim;  // q/k norms
    if (is_gemma) norms_per_layer = 4 * h;  // pre/post norms around attention and MLP
  }

  // --- sliding windows ---------------------------------------------------------------------
  const auto window = r.opt_integer("sliding_window", 1, 1 << 30);
  bool use_window = r.opt_bool("use_sliding_window").value_or(true);
  if (!r.ok()) return r.error();
  if (window && use_window) {
    m.sliding_window_tokens = *window;
    if (const Json* kinds = r.opt_array("layer_types")) {
      // Newer configs list each layer's attention ("sliding_attention" / "full_attention").
      m.sliding_window_layers =
          static_cast<int>(std::count_if(kinds->items().begin(), kinds->items().end(), [](const Json& k) {
            return k.is_string() && k.as_string() == "sliding_attention";
          }));
    } else if (is_gemma) {
      m.sliding_window_layers = (L + 1) / 2;  // layers 0, 2, 4, ... use the local window
    } else if (type == "qwen2" || type == "qwen2_moe" || type == "qwen3" || type == "qwen3_moe") {
      m.sliding_window_layers = std::min(L, r.opt_integer("max_window_layers", 0, kMaxLayers).value_or(L));
    } else {
      m.sliding_window_layers = L;
    }
  }

  // --- MLP and experts, layer by layer --------------------------------------------------
  double dense_mlp = 0, routed = 0, always_on = 0;  // always_on: shared experts, routers, gates
  int experts = 0, top_k = 0, shared = 0;
  const double inter = r.opt_integer("intermediate_size", 1, kMaxDim).value_or(0);
  if (type == "llama" || type == "mistral" || type == "qwen2" || type == "qwen3" || type == "gemma2" ||
      type == "phi3") {
    if (inter <= 0) return Error{"missing_field", r.path_of("intermediate_size"), "is required (a positive integer)"};
    dense_mlp = L * gated_mlp(h, inter);
    if (type == "llama" && r.opt_bool("mlp_bias").value_or(false)) dense_mlp += L * (2 * inter + h);
    m.intermediate_size = static_cast<int>(inter);
  } else if (type == "gpt_oss") {
    // Experts with biased gate_up (2 x inter) and down projections, a biased router.
    experts = r.integer("num_local_experts", 1, kMaxExperts);
    top_k = r.opt_integer("num_experts_per_tok", 1, kMaxExperts)
                .value_or(r.opt_integer("experts_per_token", 1, kMaxExperts).value_or(0));
    if (top_k == 0) return Error{"missing_field", r.path_of("num_experts_per_tok"), "is required (a positive integer)"};
    routed = L * experts * (gated_mlp(h, inter) + 2 * inter + h);
    always_on = L * (h * experts + experts);
    m.expert_intermediate_size = static_cast<int>(inter);
  } else if (type == "mixtral") {
    experts = r.integer("num_local_experts", 1, kMaxExperts);
    top_k = r.integer("num_experts_per_tok", 1, kMaxExperts);
    if (!r.ok()) return r.error();
    routed = L * experts * gated_mlp(h, inter);
    always_on = L * h * experts;  // router
    m.expert_intermediate_size = static_cast<int>(inter);
  } else if (type == "qwen2_moe" || type == "qwen3_moe") {
    experts = r.integer("num_experts", 1, kMaxExperts);
    top_k = r.integer("num_experts_per_tok", 1, kMaxExperts);
    const double moe_inter = r.integer("moe_intermediate_size", 1, kMaxDim);
    const int step = r.opt_integer("decoder_sparse_step", 1, kMaxLayers).value_or(1);
    const double shared_inter =
        type == "qwen2_moe" ? r.opt_integer("shared_expert_intermediate_size", 0, kMaxDim).value_or(0) : 0;
    std::set<int> mlp_only;
    if (const Json* only = r.opt_array("mlp_only_layers")) {
      for (const Json& v : only->items()) {
        if (v.is_number_integer() && std::fabs(v.as_number()) < 1e9) mlp_only.insert(static_cast<int>(v.as_number()));
      }
    }
    if (!r.ok()) return r.error();
    for (int i = 0; i < L; ++i) {
      bool sparse = !mlp_only.count(i) && (i + 1) % step == 0;
      if (sparse) {
        routed += experts * gated_mlp(h, moe_inter);
        always_on += h * experts;                                           // router
        if (shared_inter > 0) always_on += gated_mlp(h, shared_inter) + h;  // shared expert + its gate
      } else {
        dense_mlp += gated_mlp(h, inter);
      }
    }
    if (shared_inter > 0) shared = 1;
    if (inter > 0) m.intermediate_size = static_cast<int>(inter);
    m.expert_intermediate_size = static_cast<int>(moe_inter);
  } else if (is_deepseek) {
    experts = r.integer("n_routed_experts", 1, kMaxExperts);
    top_k = r.integer("num_experts_per_tok", 1, kMaxExperts);
    shared = r.opt_integer("n_shared_experts", 0, kMaxExperts).value_or(0);
    const double moe_inter = r.integer("moe_intermediate_size", 1, kMaxDim);
    const int first_dense = r.opt_integer("first_k_dense_replace", 0, kMaxLayers).value_or(0);
    const int freq = r.opt_integer("moe_layer_freq", 1, kMaxLayers).value_or(1);
    // DeepSeek-V3's aux-loss-free routing keeps a bias per expert in every MoE layer.
    const bool score_bias = r.opt_string("topk_method").value_or("") == "noaux_tc";
    if (!r.ok()) return r.error();
    for (int i = 0; i < L; ++i) {
      if (i >= first_dense && i % freq == 0) {
        routed += experts * gated_mlp(h, moe_inter);
        always_on += shared * gated_mlp(h, moe_inter) + h * experts + (score_bias ? experts : 0);
      } else {
        dense_mlp += gated_mlp(h, inter);
      }
    }
    if (inter > 0) m.intermediate_size = static_cast<int>(inter);
    m.expert_intermediate_size = static_cast<int>(moe_inter);
  }
  if (!r.ok()) return r.error();
  if (experts > 0 && top_k > experts) {
    return Error{
        "invalid_value", r.path_of("num_experts_per_tok"),
        "must be at most the number of experts (" + std::to_string(experts) + "), got " + std::to_string(top_k)};
  }

  const double embed = vocab * h;
  const double output = tie ? 0 : embed;
  const double attention = L * attn_per_layer;
  const double norms = L * norms_per_layer + h;  // + the final norm
  m.params = embed + output + attention + dense_mlp + routed + always_on + norms;
  m.attention_params = attention;
  m.experts = experts;
  m.experts_per_token = top_k;
  m.shared_experts = shared;
  if (experts > 0) {
    m.expert_params = routed;
    m.active_params = m.params - routed * (1.0 - double(top_k) / experts);
  } else {
    m.active_params = m.params;
  }
  m.name = r.opt_string("_name_or_path").value_or("config.json (" + type + ")");
  return m;
}

}  // namespace gpufit::detail
