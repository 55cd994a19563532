// The host API's weight-file calls (api.hpp): a header's bytes -> what it says, and config.json +
// safetensors headers -> a custom model object a scenario takes as its "model".
#include <cmath>

#include "gpufit/api.hpp"
#include "gpufit/file_header.hpp"
#include "header_model.hpp"
#include "hf_config.hpp"
#include "json_read.hpp"
#include "json_write.hpp"

namespace gpufit {

using detail::Json;
using detail::JsonWriter;

namespace {

// The catalog format a safetensors checkpoint is in, from its quantization_config or else the
// dtype holding most of its bytes.
std::string format_of_dtype(const std::string& dtype) {
  if (dtype == "BF16") return "bf16";
  if (dtype == "F16") return "fp16";
  if (dtype == "F32") return "fp32";
  if (dtype == "F8_E4M3" || dtype == "F8_E5M2") return "fp8";
  return "";
}

void write_bytes_by_dtype(JsonWriter& w, const std::map<std::string, double>& by) {
  w.begin_object();
  for (const auto& [dtype, bytes] : by) w.field(dtype, bytes);
  w.end_object();
}

void write_summary(JsonWriter& w, const WeightsSummary& s) {
  w.field("tensor_count", s.tensors)
      .field("params", s.params)
      .field("weights_bytes", s.bytes)
      .key("weights_bytes_by_dtype");
  write_bytes_by_dtype(w, s.bytes_by_dtype);
  w.field("main_dtype", s.main_dtype)
      .field("embedding_bytes", s.embedding_bytes)
      .field("routed_expert_bytes", s.routed_expert_bytes)
      .field("tied_embeddings", !s.has_output_head);
}

ModelFileSource source_of(const std::string& kind, const std::string& id, const WeightsSummary& s, double fetched,
                          const std::string& weights) {
  ModelFileSource src;
  src.kind = kind;
  src.id = id;
  src.weights_bytes_by_dtype = s.bytes_by_dtype;
  src.bytes_fetched = fetched;
  src.weights = weights;
  src.embedding_bytes = s.embedding_bytes;
  src.routed_expert_bytes = s.routed_expert_bytes;
  return src;
}

// The native model object (scenario "model"), read back by entry_read.cpp's read_model.
void write_model_object(JsonWriter& w, const Model& m, const ModelFileSource& src) {
  w.begin_object();
  w.field("name", m.name).field("family", m.family).field("params", m.params);
  w.field("active_params", m.active_params).field("layers", m.layers).field("hidden_size", m.hidden_size);
  if (m.intermediate_size > 0) w.field("intermediate_size", m.intermediate_size);
  w.field("attention_heads", m.attention_heads)
      .field("kv_heads", m.kv_heads)
      .field("head_dim", m.head_dim)
      .field("vocab_size", m.vocab_size);
  if (m.max_context_tokens > 0) w.field("max_context_tokens", m.max_context_tokens);
  w.field("tie_word_embeddings", m.tie_word_embeddings);
  if (m.sliding_window_tokens > 0 && m.sliding_window_layers > 0) {
    w.field("sliding_window_tokens", m.sliding_window_tokens).field("sliding_window_layers", m.sliding_window_layers);
  }
  if (m.experts > 0) {
    w.field("experts", m.experts).field("experts_per_token", m.experts_per_token);
    if (m.shared_experts > 0) w.field("shared_experts", m.shared_experts);
    if (m.expert_intermediate_size > 0) w.field("expert_intermediate_size", m.expert_intermediate_size);
  }
  if (m.kv_lora_rank > 0) w.field("kv_lora_rank", m.kv_lora_rank);
  if (m.kv_lora_rank > 0 && m.qk_rope_head_dim > 0) w.field("qk_rope_head_dim", m.qk_rope_head_dim);
  if (m.attention_params) w.field("attention_params", m.attention_params);
  if (m.expert_params) w.field("expert_params", m.expert_params);
  w.key("file_source").begin_object().field("kind", src.kind).field("id", src.id).key("weights_bytes_by_dtype");
  write_bytes_by_dtype(w, src.weights_bytes_by_dtype);
  w.field("bytes_fetched", src.bytes_fetched)
      .field("weights", src.weights)
      .field("embedding_bytes", src.embedding_bytes)
      .field("routed_expert_bytes", src.routed_expert_bytes)
      .end_object();
  w.end_object();
}

// GGUF metadata scalars for the reader (arrays by their length; the tokenizer is long).
void write_gguf_metadata(JsonWriter& w, const FileHeader& h) {
  w.begin_object();
  for (const auto& [key, v] : h.metadata) {
    if (v.type == "string") {
      w.field(key, v.text.size() > 256 ? v.text.substr(0, 256) + "..." : v.text);
    } else if (v.type == "array") {
      w.key(key).begin_object().field("type", v.item_type).field("count", static_cast<double>(v.count)).end_object();
    } else if (v.type == "bool") {
      w.field(key, v.number != 0);
    } else {
      w.field(key, std::isfinite(v.number) ? v.number : 0.0);
    }
  }
  w.end_object();
}

}  // namespace

Outcome<std::string> inspect_header_json(std::string_view bytes, std::string_view kind, std::uint64_t file_size,
                                         std::string_view name) {
  const bool gguf = kind == "gguf";
  if (!gguf && kind != "safetensors") {
    return Error{"invalid_value", "", "the kind must be gguf or safetensors, got " + detail::show(kind), "kind"};
  }
  auto parsed = gguf ? parse_gguf_header(bytes, file_size) : parse_safetensors_header(bytes, file_size);
  if (!parsed) return parsed.error();
  const FileHeader& h = parsed.value();
  JsonWriter w;
  w.begin_object().field("kind", h.kind);
  if (h.need_bytes > 0) {
    w.field("need_bytes", static_cast<double>(h.need_bytes)).end_object();
    return w.take();
  }
  WeightsSummary s;
  add_to_summary(s, h.tensors);
  w.field("header_bytes", static_cast<double>(h.header_bytes)).field("data_bytes", static_cast<double>(h.data_bytes));
  write_summary(w, s);
  if (gguf) {
    w.field("version", static_cast<int>(h.version));
    const std::string format = gguf_file_type_format(h);
    w.field("weights", format);
    w.key("metadata");
    write_gguf_metadata(w, h);
    auto m = model_from_gguf(h, "/metadata");
    if (!m) return Error{m.error().code, m.error().path, m.error().message, "GGUF header"};
    w.key("model");
    write_model_object(w, m.value(),
                       source_of("gguf", std::string(name), s, static_cast<double>(h.header_bytes), format));
  } else {
    w.field("weights", format_of_dtype(s.main_dtype));
    w.key("metadata").begin_object();
    for (const auto& [key, value] : h.text_metadata) w.field(key, value);
    w.end_object();
  }
  w.end_object();
  return w.take();
}

Outcome<std::string> model_from_headers_json(std::string_view request) {
  auto parsed = detail::parse_json(request, "request", static_cast<std::size_t>(kMaxHeaderBytes));
  if (!parsed) return parsed.error();
  const Json& root = parsed.value();
  detail::FieldReader r(root, "", "request");
  if (!r.ok()) return r.error();
  const std::string kind = r.string("kind");
  if (r.ok() && kind != "hub" && kind != "safetensors") {
    r.fail("invalid_value", "kind", "must be hub or safetensors, got " + detail::show(kind));
  }
  const std::string id = r.opt_string("id").value_or("");
  const double fetched = r.opt_number("bytes_fetched", detail::FieldReader::Num::kNonNegative).value_or(0);
  const Json* config = r.opt_object("config");
  const Json* headers = r.opt_array("headers");
  if (r.ok() && !config) r.fail("missing_field", "config", "is required (the model's config.json)");
  if (r.ok() && (!headers || headers->size() == 0)) {
    r.fail("missing_field", "headers", "is required (each safetensors file's header JSON, as text)");
  }
  r.reject_unknown();
  if (!r.ok()) return r.error();

  int packed_bits = 0;
  const std::string quant = detail::hf_quant_format(*config, packed_bits);
  WeightsSummary s;
  std::size_t i = 0;
  for (const Json& text : headers->items()) {
    const std::string path = pointer("/headers", i++);
    if (!text.is_string()) return Error{"invalid_value", path, "must be a header's JSON text", "request"};
    std::string file;
    const std::uint64_t n = text.as_string().size();
    for (int b = 0; b < 8; ++b) file += static_cast<char>((n >> (8 * b)) & 0xff);
    file += text.as_string();
    auto h = parse_safetensors_header(file, 0);
    if (!h) {
      Error e = h.error();
      e.path = path + e.path;
      return e;
    }
    add_to_summary(s, h.value().tensors, packed_bits);
  }
  auto m = detail::model_from_config_and_weights(*config, s, "/config");
  if (!m) {
    Error e = m.error();
    e.input = "request";
    return e;
  }
  Model model = std::move(m).value();
  if (model.name.empty() || model.name.rfind("config.json", 0) == 0) model.name = id.empty() ? model.name : id;
  const std::string weights = !quant.empty() ? quant : format_of_dtype(s.main_dtype);
  auto derived = detail::model_from_hf_config(*config, "/config");
  JsonWriter w;
  w.begin_object().field("kind", kind).field("id", id).field("weights", weights);
  write_summary(w, s);
  if (derived) w.field("config_params", derived.value().params);
  w.field("bytes_fetched", fetched);
  w.key("model");
  write_model_object(w, model, source_of(kind, id, s, fetched, weights));
  w.end_object();
  return w.take();
}

}  // namespace gpufit
