#include "header_model.hpp"

#include <algorithm>
#include <cmath>

#include "hf_config.hpp"
#include "json_read.hpp"

namespace gpufit {

namespace {

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}
bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

bool is_integer_dtype(std::string_view d) {
  return d == "I8" || d == "U8" || d == "I16" || d == "U16" || d == "I32" || d == "U32" || d == "I64" || d == "U64";
}

// Quantization side tensors: scales, zero points, group indices, bitsandbytes' quant state.
bool is_quant_aux(std::string_view name) {
  for (std::string_view tail : {".scales", ".qzeros", ".g_idx", ".weight_scale", ".weight_scale_inv", ".input_scale",
                                ".absmax", ".quant_map", ".nested_absmax", ".nested_quant_map", "_scales",
                                ".weight_zero_point", ".weight_g_idx", ".k_scale", ".v_scale"}) {
    if (ends_with(name, tail)) return true;
  }
  return contains(name, ".quant_state.");
}

bool is_embedding(std::string_view name) {
  for (std::string_view tail :
       {"embed_tokens.weight", "tok_embeddings.weight", "wte.weight", "word_embeddings.weight", "embed_in.weight"}) {
    if (ends_with(name, tail)) return true;
  }
  return name == "token_embd.weight";
}

bool is_output_head(std::string_view name) {
  return name == "output.weight" || ends_with(name, "lm_head.weight") || ends_with(name, "lm_head.qweight") ||
         ends_with(name, "embed_out.weight");
}

bool is_routed_expert(std::string_view name) {
  return contains(name, ".experts.") || contains(name, "_exps.");
}

bool is_attention_projection(std::string_view name) {
  if (contains(name, "norm")) return false;
  return contains(name, ".self_attn.") || contains(name, ".attn_") || contains(name, ".attention.");
}

}  // namespace

double ModelFileSource::total_bytes() const {
  double t = 0;
  for (const auto& [dtype, bytes] : weights_bytes_by_dtype) t += bytes;
  return t;
}

void add_to_summary(WeightsSummary& s, const std::vector<TensorInfo>& tensors, int packed_bits) {
  for (const TensorInfo& t : tensors) {
    const double bytes = static_cast<double>(t.bytes);
    s.bytes += bytes;
    s.bytes_by_dtype[t.dtype] += bytes;
    ++s.tensors;
    double params = static_cast<double>(t.elements);
    if (is_quant_aux(t.name)) {
      params = 0;
    } else if (ends_with(t.name, "_blocks") && t.dtype == "U8") {
      params *= 2;  // MXFP4 blocks (gpt-oss): two 4-bit values a byte
    } else if (packed_bits > 0 && is_integer_dtype(t.dtype) &&
               (ends_with(t.name, ".qweight") || ends_with(t.name, ".weight"))) {
      const auto storage = safetensors_dtype_bytes(t.dtype);
      params *= (storage ? *storage * 8 : 8) / packed_bits;
    }
    s.params += params;
    if (is_embedding(t.name)) {
      s.embedding_bytes += bytes;
      s.embedding_params += params;
    }
    if (is_output_head(t.name)) s.has_output_head = true;
    if (is_routed_expert(t.name)) {
      s.routed_expert_bytes += bytes;
      s.routed_expert_params += params;
    }
    if (is_attention_projection(t.name)) s.attention_params += params;
  }
  double most = -1;
  for (const auto& [dtype, bytes] : s.bytes_by_dtype) {
    if (bytes > most) {
      most = bytes;
      s.main_dtype = dtype;
    }
  }
}

namespace {

constexpr int kMaxDim = 1 << 20;
constexpr int kMaxLayers = 4096;
constexpr int kMaxExperts = 65536;

const MetaValue* meta(const FileHeader& h, const std::string& key) {
  auto it = h.metadata.find(key);
  return it == h.metadata.end() ? nullptr : &it->second;
}

// A number, or the largest of a per-layer array of numbers (head counts that vary by layer).
std::optional<double> meta_number(const FileHeader& h, const std::string& key) {
  const MetaValue* v = meta(h, key);
  if (!v) return std::nullopt;
  if (v->type == "array") {
    double most = 0;
    bool any = false;
    for (const MetaValue& item : v->items) {
      if (item.type == "string" || item.type == "array") return std::nullopt;
      most = std::max(most, item.number);
      any = true;
    }
    return any ? std::optional<double>(most) : std::nullopt;
  }
  if (v->type == "string") return std::nullopt;
  return v->number;
}

}  // namespace

Outcome<Model> model_from_gguf(const FileHeader& h, const std::string& path) {
  const MetaValue* arch_v = meta(h, "general.architecture");
  if (!arch_v || arch_v->type != "string" || arch_v->text.empty()) {
    return Error{"missing_field", pointer(path, "general.architecture"), "the GGUF metadata names no architecture"};
  }
  const std::string arch = arch_v->text;
  Error err;
  bool failed = false;
  auto need = [&](const std::string& suffix, double lo, double hi, bool required) -> double {
    const std::string key = arch + "." + suffix;
    auto v = meta_number(h, key);
    if (!v) {
      if (required && !failed) {
        err = Error{"missing_field", pointer(path, key), "is required to know the shape (a number)"};
        failed = true;
      }
      return 0;
    }
    if (!(*v >= lo && *v <= hi) || std::floor(*v) != *v) {
      if (!failed) {
        err = Error{
            "invalid_value", pointer(path, key),
            "must be an integer in [" + detail::show(lo) + ", " + detail::show(hi) + "], got " + detail::show(*v)};
        failed = true;
      }
      return 0;
    }
    return *v;
  };
  Model m;
  m.family = arch;
  m.layers = static_cast<int>(need("block_count", 1, kMaxLayers, true));
  m.hidden_size = static_cast<int>(need("embedding_length", 1, kMaxDim, true));
  m.attention_heads = static_cast<int>(need("attention.head_count", 1, kMaxDim, true));
  m.kv_heads = static_cast<int>(need("attention.head_count_kv", 1, kMaxDim, false));
  m.head_dim = static_cast<int>(need("attention.key_length", 1, kMaxDim, false));
  m.intermediate_size = static_cast<int>(need("feed_forward_length", 0, kMaxDim, false));
  m.max_context_tokens = need("context_length", 1, 1 << 30, false);
  m.experts = static_cast<int>(need("expert_count", 0, kMaxExperts, false));
  m.experts_per_token = static_cast<int>(need("expert_used_count", 0, kMaxExperts, false));
  m.shared_experts = static_cast<int>(need("expert_shared_count", 0, kMaxExperts, false));
  m.expert_intermediate_size = static_cast<int>(need("expert_feed_forward_length", 0, kMaxDim, false));
  const double kv_lora = need("attention.kv_lora_rank", 0, kMaxDim, false);
  const double rope_dims = need("rope.dimension_count", 0, kMaxDim, false);
  const double window = need("attention.sliding_window", 0, 1 << 30, false);
  double vocab = need("vocab_size", 1, 1 << 24, false);
  if (failed) return err;
  if (vocab == 0) {
    if (const MetaValue* tokens = meta(h, "tokenizer.ggml.tokens"); tokens && tokens->type == "array") {
      vocab = static_cast<double>(tokens->count);
    }
  }
  for (const TensorInfo& t : h.tensors) {
    if (vocab == 0 && t.name == "token_embd.weight" && t.shape.size() == 2) vocab = static_cast<double>(t.shape[1]);
  }
  if (!(vocab >= 1 && vocab <= (1 << 24))) {
    return Error{"missing_field", pointer(path, "tokenizer.ggml.tokens"),
                 "the vocabulary size is stated nowhere (no " + arch + ".vocab_size, token list or token_embd.weight)"};
  }
  m.vocab_size = static_cast<int>(vocab);
  if (m.kv_heads == 0) m.kv_heads = m.attention_heads;
  if (m.attention_heads % m.kv_heads != 0) {
    return Error{
        "invalid_value", pointer(path, arch + ".attention.head_count_kv"),
        "must divide the head count (" + std::to_string(m.attention_heads) + "), got " + std::to_string(m.kv_heads)};
  }
  if (m.head_dim == 0) m.head_dim = std::max(1, m.hidden_size / m.attention_heads);
  if (kv_lora > 0) {
    m.kv_lora_rank = static_cast<int>(kv_lora);
    m.qk_rope_head_dim = static_cast<int>(rope_dims);
  }
  if (m.experts_per_token > m.experts || (m.experts > 0) != (m.experts_per_token > 0)) {
    return Error{"invalid_value", pointer(path, arch + ".expert_used_count"),
                 "must be between 1 and the expert count (" + std::to_string(m.experts) + "), got " +
                     std::to_string(m.experts_per_token)};
  }
  if (window > 0) {
    // Which layers use the window is not in GGUF metadata for most architectures: Gemma 2 and
    // gpt-oss alternate (every other layer), Gemma 3 keeps one global layer in six.
    m.sliding_window_tokens = window;
    if (arch == "gemma2" || arch == "gpt-oss") {
      m.sliding_window_layers = (m.layers + 1) / 2;
    } else if (arch == "gemma3") {
      m.sliding_window_layers = m.layers - m.layers / 6;
    } else {
      m.sliding_window_layers = m.layers;
    }
  }

  WeightsSummary w;
  add_to_summary(w, h.tensors);
  if (w.params <= 0) return Error{"invalid_value", pointer(path, "tensors"), "the file holds no weights"};
  m.params = w.params;
  m.tie_word_embeddings = !w.has_output_head;
  if (w.attention_params > 0) m.attention_params = w.attention_params;
  if (m.experts > 0 && w.routed_expert_params > 0) {
    m.expert_params = w.routed_expert_params;
    m.active_params = m.params - w.routed_expert_params * (1.0 - double(m.experts_per_token) / m.experts);
  } else {
    m.active_params = m.params;
  }
  const MetaValue* name = meta(h, "general.name");
  m.name = name && name->type == "string" && !name->text.empty() ? name->text.substr(0, 200) : arch;
  return m;
}

std::string gguf_file_type_format(const FileHeader& h) {
  const MetaValue* v = nullptr;
  if (auto it = h.metadata.find("general.file_type"); it != h.metadata.end()) v = &it->second;
  if (!v || v->type == "string" || v->type == "array") return "";
  // Any number may stand here; only small whole ones are file types (and only those convert to int).
  if (!(v->number >= 0 && v->number <= 1024)) return "";
  // llama.cpp's llama_ftype (include/llama.h) -> the catalog's GGUF formats.
  switch (static_cast<int>(v->number)) {
    case 0:
      return "fp32";
    case 1:
      return "fp16";
    case 2:
      return "q4_0";
    case 7:
      return "q8_0";
    case 10:
      return "q2_k";
    case 12:
      return "q3_k_m";
    case 14:
      return "q4_k_s";
    case 15:
      return "q4_k_m";
    case 17:
      return "q5_k_m";
    case 18:
      return "q6_k";
    case 32:
      return "bf16";
    case 38:
      return "mxfp4_moe";
    default:
      return "";
  }
}

namespace detail {

std::string hf_quant_format(const Json& config, int& packed_bits) {
  packed_bits = 0;
  const Json* q = config.find("quantization_config");
  if (!q || !q->is_object()) return "";
  const Json* method = q->find("quant_method");
  const std::string m = method && method->is_string() ? method->as_string() : "";
  auto number = [&](std::string_view key) -> double {
    const Json* v = q->find(key);
    return v && v->is_number() ? v->as_number() : 0;
  };
  auto flag = [&](std::string_view key) {
    const Json* v = q->find(key);
    return v && v->is_boolean() && v->as_bool();
  };
  if (m == "awq" || m == "gptq") {
    const double bits = number("bits") > 0 ? number("bits") : number("w_bit");
    if (bits == 4) {
      packed_bits = 4;
      return "int4";
    }
    if (bits == 8) {
      packed_bits = 8;
      return "int8";
    }
    return "";
  }
  if (m == "bitsandbytes") {
    if (flag("load_in_4bit")) {
      packed_bits = 4;
      return "nf4";
    }
    return flag("load_in_8bit") ? "int8" : "";
  }
  if (m == "fp8" || m == "fbgemm_fp8") return "fp8";
  if (m == "mxfp4") return "mxfp4";
  if (m == "compressed-tensors") {
    // {"config_groups": {"group_0": {"weights": {"num_bits": 8, "type": "float"}}}}
    if (const Json* groups = q->find("config_groups"); groups && groups->is_object()) {
      for (const JsonMember& g : groups->members()) {
        const Json* wts = g.value.find("weights");
        if (!wts) continue;
        const Json* bits = wts->find("num_bits");
        const Json* type = wts->find("type");
        const double b = bits && bits->is_number() ? bits->as_number() : 0;
        const std::string t = type && type->is_string() ? type->as_string() : "";
        if (b == 8 && t == "float") return "fp8";
        if (b == 8 && t == "int") return "int8";
        if (b == 4 && t == "int") {
          packed_bits = 4;
          return "int4";
        }
      }
    }
  }
  return "";
}

Outcome<Model> model_from_config_and_weights(const Json& config, const WeightsSummary& w, const std::string& path) {
  auto imported = model_from_hf_config(config, path);
  if (!imported) return imported.error();
  Model m = std::move(imported).value();
  if (w.params <= 0) return m;
  // The tensors are the model as stored: their count replaces the one derived from the shape.
  m.params = w.params;
  m.tie_word_embeddings = !w.has_output_head;
  if (m.experts > 0 && w.routed_expert_params > 0) {
    m.expert_params = w.routed_expert_params;
    m.active_params = m.params - w.routed_expert_params * (1.0 - double(m.experts_per_token) / m.experts);
  } else {
    m.active_params = m.params;
  }
  if (m.attention_params && *m.attention_params > m.params) m.attention_params.reset();
  return m;
}

}  // namespace detail

}  // namespace gpufit
