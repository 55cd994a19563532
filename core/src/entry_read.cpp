#include "entry_read.hpp"

#include <cmath>

#include "gpufit/model_shape.hpp"
#include "hf_config.hpp"

namespace gpufit::detail {

namespace {

constexpr double kMaxMemoryGb = 1e5;         // 100 TB on one device: far beyond any GPU
constexpr double kMaxBandwidthGbs = 1e6;
constexpr double kMaxTflops = 1e6;
constexpr double kMaxWatts = 1e5;
constexpr double kMaxParams = 1e14;          // 100 trillion parameters
constexpr double kMaxContextTokens = 1u << 30;
constexpr int kMaxDim = 1 << 20;
constexpr int kMaxLayers = 4096;
constexpr int kMaxExperts = 65536;

void read_sources(FieldReader& r, std::map<std::string, std::string>& field_sources) {
  if (const json* fs = r.opt_object("field_sources")) {
    FieldReader sub(*fs, r.path_of("field_sources"), ".");
    for (const auto& [key, value] : fs->items()) {
      if (auto s = sub.opt_string(key)) field_sources[key] = *s;
    }
    if (!sub.ok()) r.fail(sub.error().code, "field_sources", sub.error().message);
  }
}

}  // namespace

Gpu read_gpu(FieldReader& r, EntryKind kind) {
  Gpu g;
  g.id = r.opt_string("id").value_or(kind == EntryKind::kInline ? "custom" : "");
  g.name = r.opt_string("name").value_or(g.id);
  g.vendor = r.opt_string("vendor").value_or("nvidia");
  if (g.vendor != "nvidia" && g.vendor != "amd" && g.vendor != "intel") {
    r.fail("invalid_value", "vendor", "must be \"nvidia\", \"amd\" or \"intel\", got " + show(json(g.vendor)));
  }
  g.architecture = r.opt_string("architecture").value_or("");
  g.release_year = r.opt_integer("release_year", 1990, 2100).value_or(0);
  g.memory_gb = r.number("memory_gb", FieldReader::Num::kPositive, kMaxMemoryGb);
  g.memory_type = r.opt_string("memory_type").value_or("");
  g.usable_memory_gb =
      r.opt_number("usable_memory_gb", FieldReader::Num::kPositive, kMaxMemoryGb).value_or(g.memory_gb);
  g.usable_memory_note = r.opt_string("usable_memory_note").value_or("");
  g.memory_bandwidth_gbs = r.number("memory_bandwidth_gbs", FieldReader::Num::kPositive, kMaxBandwidthGbs);
  g.fp16_tflops = r.number("fp16_tflops", FieldReader::Num::kPositive, kMaxTflops);
  g.fp16_acc16_tflops = r.opt_number("fp16_acc16_tflops", FieldReader::Num::kPositive, kMaxTflops);
  g.bf16_tflops = r.opt_number("bf16_tflops", FieldReader::Num::kPositive, kMaxTflops);
  g.fp8_tflops = r.opt_number("fp8_tflops", FieldReader::Num::kPositive, kMaxTflops);
  g.int8_tops = r.opt_number("int8_tops", FieldReader::Num::kPositive, kMaxTflops);
  g.fp32_tflops = r.opt_number("fp32_tflops", FieldReader::Num::kPositive, kMaxTflops);
  g.tdp_w = r.number("tdp_w", FieldReader::Num::kPositive, kMaxWatts);
  g.form_factor = r.opt_string("form_factor").value_or("");
  g.slots = r.opt_integer("slots", 1, 8);
  g.pcie_gen = r.opt_integer("pcie_gen", 1, 7).value_or(4);
  g.pcie_lanes = r.opt_integer("pcie_lanes", 1, 32).value_or(16);
  g.nvlink_bandwidth_gbs = r.opt_number("nvlink_bandwidth_gbs", FieldReader::Num::kPositive, kMaxBandwidthGbs);
  g.nvlink_max_gpus = r.opt_integer("nvlink_max_gpus", 2, 1024);
  g.xgmi_bandwidth_gbs = r.opt_number("xgmi_bandwidth_gbs", FieldReader::Num::kPositive, kMaxBandwidthGbs);
  g.mig_profiles = r.opt_string_array("mig_profiles");
  g.video_engines = r.opt_string("video_engines").value_or("");
  g.purchase_price_usd = r.opt_number("purchase_price_usd", FieldReader::Num::kPositive, 1e8);
  g.source = r.opt_string("source").value_or("");
  g.notes = r.opt_string("notes").value_or("");
  read_sources(r, g.field_sources);
  if (r.ok() && g.usable_memory_gb > g.memory_gb * 1.15) {
    r.fail("invalid_value", "usable_memory_gb",
           "must not exceed memory_gb by more than 15% (the driver reports about what is marketed), got " +
               show(json(g.usable_memory_gb)));
  }
  if (r.ok() && g.nvlink_bandwidth_gbs && !g.nvlink_max_gpus) g.nvlink_max_gpus = 8;
  r.reject_unknown();
  return g;
}

namespace {

Model read_native_model(FieldReader& r) {
  Model m;
  m.family = r.opt_string("family").value_or("");
  std::string arch = r.opt_string("architecture").value_or("decoder");
  if (arch == "encoder") {
    m.architecture = Architecture::kEncoder;
  } else if (arch != "decoder") {
    r.fail("invalid_value", "architecture", "must be \"decoder\" or \"encoder\", got " + show(json(arch)));
  }
  m.params = r.count("params", kMaxParams);
  m.active_params = r.opt_count("active_params", kMaxParams).value_or(m.params);
  m.layers = r.integer("layers", 1, kMaxLayers);
  m.hidden_size = r.integer("hidden_size", 1, kMaxDim);
  m.intermediate_size = r.opt_integer("intermediate_size", 1, kMaxDim).value_or(0);
  m.attention_heads = r.integer("attention_heads", 1, kMaxDim);
  m.kv_heads = r.opt_integer("kv_heads", 1, kMaxDim).value_or(m.attention_heads);
  m.head_dim = r.opt_integer("head_dim", 1, kMaxDim).value_or(0);
  m.vocab_size = r.integer("vocab_size", 1, 1 << 24);
  m.max_context_tokens = r.opt_count("max_context_tokens", kMaxContextTokens).value_or(0);
  m.tie_word_embeddings = r.opt_bool("tie_word_embeddings").value_or(false);
  m.sliding_window_tokens = r.opt_count("sliding_window_tokens", kMaxContextTokens).value_or(0);
  m.sliding_window_layers = r.opt_integer("sliding_window_layers", 0, kMaxLayers).value_or(0);
  m.experts = r.opt_integer("experts", 1, kMaxExperts).value_or(0);
  m.experts_per_token = r.opt_integer("experts_per_token", 1, kMaxExperts).value_or(0);
  m.shared_experts = r.opt_integer("shared_experts", 0, kMaxExperts).value_or(0);
  m.expert_intermediate_size = r.opt_integer("expert_intermediate_size", 1, kMaxDim).value_or(0);
  m.kv_lora_rank = r.opt_integer("kv_lora_rank", 1, kMaxDim).value_or(0);
  m.qk_rope_head_dim = r.opt_integer("qk_rope_head_dim", 1, kMaxDim).value_or(0);
  m.attention_params = r.opt_count("attention_params", kMaxParams);
  m.expert_params = r.opt_count("expert_params", kMaxParams);
  if (!r.ok()) return m;

  if (m.head_dim == 0) m.head_dim = std::max(1, m.hidden_size / m.attention_heads);
  if (m.kv_heads > m.attention_heads || m.attention_heads % m.kv_heads != 0) {
    r.fail("invalid_value", "kv_heads",
           "must divide attention_heads (" + std::to_string(m.attention_heads) + "), got " +
               std::to_string(m.kv_heads));
  } else if (m.active_params > m.params) {
    r.fail("invalid_value", "active_params",
           "must not exceed params (" + show(json(m.params)) + "), got " + show(json(m.active_params)));
  } else if (m.sliding_window_layers > m.layers) {
    r.fail("invalid_value", "sliding_window_layers",
           "must not exceed layers (" + std::to_string(m.layers) + "), got " +
               std::to_string(m.sliding_window_layers));
  } else if (m.experts_per_token > m.experts) {
    r.fail("invalid_value", "experts_per_token",
           "must not exceed experts (" + std::to_string(m.experts) + "), got " +
               std::to_string(m.experts_per_token));
  } else if ((m.experts > 0) != (m.experts_per_token > 0)) {
    r.fail("invalid_value", m.experts > 0 ? "experts_per_token" : "experts",
           "is required with " + std::string(m.experts > 0 ? "experts" : "experts_per_token") +
               " (an MoE model needs both)");
  } else if (m.expert_params && *m.expert_params > m.params) {
    r.fail("invalid_value", "expert_params",
           "must not exceed params (" + show(json(m.params)) + "), got " + show(json(*m.expert_params)));
  } else if (double floor = shape_floor_params(m); floor > m.params * 1.02) {
    // Embeddings, attention and norms alone need more than the stated total: one of the shape
    // figures or the count is wrong.
    r.fail("invalid_value", "params",
           "is too small for the shape given: embeddings, attention and experts alone hold " +
               show(json(std::round(floor))) + " parameters, got " + show(json(m.params)));
  }
  return m;
}

}  // namespace

Outcome<Model> read_model(const json& object, const std::string& path, std::string sep, EntryKind kind) {
  FieldReader r(object, path, std::move(sep));
  if (!r.ok()) return r.error();
  Model m;
  if (const json* cfg = r.opt_object("hf_config")) {
    auto imported = model_from_hf_config(*cfg, r.path_of("hf_config"));
    if (!imported) return imported.error();
    m = std::move(imported).value();
    // A few fields may sit beside the config: a name, and a context the config does not state.
    if (auto v = r.opt_count("max_context_tokens", kMaxContextTokens)) m.max_context_tokens = *v;
  } else if (!r.ok()) {
    return r.error();
  } else {
    m = read_native_model(r);
  }
  m.id = r.opt_string("id").value_or(kind == EntryKind::kInline ? "custom" : "");
  if (auto name = r.opt_string("name")) m.name = *name;
  if (m.name.empty()) m.name = m.id;
  m.source = r.opt_string("source").value_or("");
  m.notes = r.opt_string("notes").value_or("");
  read_sources(r, m.field_sources);
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return m;
}

}  // namespace gpufit::detail
