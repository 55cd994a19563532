#include "entry_read.hpp"

#include <cmath>

#include "catalog_schema.hpp"
#include "gpufit/model_shape.hpp"
#include "hf_config.hpp"

namespace gpufit::detail {

namespace {

constexpr double kMaxMemoryGb = 1e5;
constexpr double kMaxParams = 1e14;
constexpr double kMaxContextTokens = 1u << 30;
constexpr int kMaxDim = 1 << 20;

void read_sources(FieldReader& r, std::map<std::string, std::string>& field_sources) {
  if (const Json* fs = r.opt_object("field_sources")) {
    FieldReader sub(*fs, r.path_of("field_sources"), r.input());
    for (const JsonMember& m : fs->members()) {
      if (auto s = sub.opt_string(m.key)) field_sources[m.key] = *s;
    }
    if (!sub.ok()) r.fail(sub.error().code, "field_sources", sub.error().message);
  }
}

}  // namespace

Gpu read_gpu(FieldReader& r, EntryKind kind) {
  Gpu g;
  read_rows(r, gpu_table(), g);
  if (g.id.empty() && kind == EntryKind::kInline) g.id = "custom";
  if (g.name.empty()) g.name = g.id;
  g.usable_memory_gb =
      r.opt_number("usable_memory_gb", FieldReader::Num::kPositive, kMaxMemoryGb).value_or(g.memory_gb);
  read_sources(r, g.field_sources);
  if (r.ok() && g.usable_memory_gb > g.memory_gb * 1.15) {
    r.fail("invalid_value", "usable_memory_gb",
           "must not exceed memory_gb by more than 15% (the driver reports about what is marketed), got " +
               show(g.usable_memory_gb));
  }
  if (r.ok() && g.nvlink_bandwidth_gbs && !g.nvlink_max_gpus) g.nvlink_max_gpus = 8;
  r.reject_unknown();
  return g;
}

namespace {

Model read_native_model(FieldReader& r) {
  Model m;
  read_rows(r, model_table(), m);
  const std::string arch = r.opt_string("architecture").value_or("decoder");
  if (arch == "encoder") {
    m.architecture = Architecture::kEncoder;
  } else if (arch != "decoder" && r.ok()) {
    r.fail("invalid_value", "architecture", "must be decoder or encoder, got " + show(arch));
  }
  m.active_params = r.opt_count("active_params", kMaxParams).value_or(m.params);
  m.kv_heads = r.opt_integer("kv_heads", 1, kMaxDim).value_or(m.attention_heads);
  if (!r.ok()) return m;

  if (m.head_dim == 0) m.head_dim = std::max(1, m.hidden_size / m.attention_heads);
  if (m.kv_heads > m.attention_heads || m.attention_heads % m.kv_heads != 0) {
    r.fail(
        "invalid_value", "kv_heads",
        "must divide attention_heads (" + std::to_string(m.attention_heads) + "), got " + std::to_string(m.kv_heads));
  } else if (m.active_params > m.params) {
    r.fail("invalid_value", "active_params",
           "must not exceed params (" + show(m.params) + "), got " + show(m.active_params));
  } else if (m.sliding_window_layers > m.layers) {
    r.fail("invalid_value", "sliding_window_layers",
           "must not exceed layers (" + std::to_string(m.layers) + "), got " + std::to_string(m.sliding_window_layers));
  } else if (m.experts_per_token > m.experts) {
    r.fail("invalid_value", "experts_per_token",
           "must not exceed experts (" + std::to_string(m.experts) + "), got " + std::to_string(m.experts_per_token));
  } else if ((m.experts > 0) != (m.experts_per_token > 0)) {
    r.fail("invalid_value", m.experts > 0 ? "experts_per_token" : "experts",
           "is required with " + std::string(m.experts > 0 ? "experts" : "experts_per_token") +
               " (an MoE model needs both)");
  } else if (m.expert_params && *m.expert_params > m.params) {
    r.fail("invalid_value", "expert_params",
           "must not exceed params (" + show(m.params) + "), got " + show(*m.expert_params));
  } else if (double floor = shape_floor_params(m); floor > m.params * 1.02) {
    // Embeddings, attention and norms alone need more than the stated total: one of the shape
    // figures or the count is wrong.
    r.fail("invalid_value", "params",
           "is too small for the shape given: embeddings, attention and experts alone hold " + show(std::round(floor)) +
               " parameters, got " + show(m.params));
  }
  return m;
}

// {"kind", "id", "weights_bytes_by_dtype", "bytes_fetched", "weights", "embedding_bytes",
// "routed_expert_bytes"}: what inspect_header_json / model_from_files_json wrote.
std::optional<Error> read_file_source(FieldReader& r, Model& m) {
  const Json* fs = r.opt_object("file_source");
  if (!fs) return std::nullopt;
  FieldReader sub(*fs, r.path_of("file_source"), r.input());
  ModelFileSource src;
  src.kind = sub.string("kind");
  if (sub.ok() && src.kind != "hub" && src.kind != "gguf" && src.kind != "safetensors") {
    sub.fail("invalid_value", "kind", "must be hub, gguf or safetensors, got " + show(src.kind));
  }
  src.id = sub.opt_string("id").value_or("");
  if (const Json* by = sub.opt_object("weights_bytes_by_dtype")) {
    FieldReader bytes(*by, sub.path_of("weights_bytes_by_dtype"), r.input());
    for (const JsonMember& d : by->members()) {
      if (auto v = bytes.opt_number(d.key, FieldReader::Num::kNonNegative, 1e15))
        src.weights_bytes_by_dtype[d.key] = *v;
    }
    if (!bytes.ok()) return bytes.error();
  }
  src.bytes_fetched = sub.opt_number("bytes_fetched", FieldReader::Num::kNonNegative, 1e15).value_or(0);
  src.weights = sub.opt_string("weights").value_or("");
  src.embedding_bytes = sub.opt_number("embedding_bytes", FieldReader::Num::kNonNegative, 1e15).value_or(0);
  src.routed_expert_bytes = sub.opt_number("routed_expert_bytes", FieldReader::Num::kNonNegative, 1e15).value_or(0);
  sub.reject_unknown();
  if (!sub.ok()) return sub.error();
  if (src.embedding_bytes + src.routed_expert_bytes > src.total_bytes() * (1 + 1e-9)) {
    return Error{
        "invalid_value", sub.path_of("weights_bytes_by_dtype"),
        "the bytes by dtype add up to " + show(src.total_bytes()) + ", less than the embedding and expert bytes",
        r.input()};
  }
  m.file_source = std::move(src);
  return std::nullopt;
}

}  // namespace

Outcome<Model> read_model(const Json& object, const std::string& path, EntryKind kind, const std::string& input) {
  FieldReader r(object, path, input);
  if (!r.ok()) return r.error();
  Model m;
  if (object.contains("hub")) {
    // {"hub": "org/name"} is resolved by the caller, which fetches the files (the core does no I/O).
    return Error{"invalid_value", r.path_of("hub"),
                 "names files on the Hub, which gpucalc evaluate and the page fetch; here, pass the model "
                 "model_from_headers_json built from them",
                 input};
  }
  if (const Json* cfg = r.opt_object("hf_config")) {
    auto imported = model_from_hf_config(*cfg, r.path_of("hf_config"));
    if (!imported) return imported.error();
    m = std::move(imported).value();
    // A few fields may sit beside the config: a name, and a context the config does not state.
    if (auto v = r.opt_count("max_context_tokens", kMaxContextTokens)) m.max_context_tokens = *v;
    m.id = r.opt_string("id").value_or("");
    if (auto name = r.opt_string("name")) m.name = *name;
    m.source = r.opt_string("source").value_or("");
    m.notes = r.opt_string("notes").value_or("");
  } else if (!r.ok()) {
    return r.error();
  } else {
    m = read_native_model(r);
  }
  if (m.id.empty() && kind == EntryKind::kInline) m.id = "custom";
  if (m.name.empty()) m.name = m.id;
  if (auto e = read_file_source(r, m)) return *e;
  read_sources(r, m.field_sources);
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return m;
}

}  // namespace gpufit::detail
