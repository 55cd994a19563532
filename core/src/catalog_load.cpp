#include "gpufit/catalog_load.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "entry_read.hpp"
#include "gpufit/weights_memory.hpp"
#include "json_read.hpp"

namespace gpufit {

using detail::EntryKind;
using detail::FieldReader;
using detail::json;
using detail::show;

namespace {

using Num = FieldReader::Num;

bool valid_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  int month = (d[5] - '0') * 10 + (d[6] - '0'), day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// Every catalog entry must say where its figures come from.
void require_source(FieldReader& r, const std::string& source) {
  if (r.ok() && source.empty()) r.fail("missing_field", "source", "is required (where the figures come from)");
}

// Reads `{"<key>": [entries]}` from one file, calling read(entry_reader) for each entry.
template <class ReadEntry>
std::optional<Error> read_file(const std::string& text, const std::string& file, const std::string& key,
                               ReadEntry&& read, std::string& entries_json) {
  if (text.empty()) {  // a file the build left out (the wasm build loads benchmarks separately)
    entries_json = "[]";
    return std::nullopt;
  }
  auto parsed = detail::parse_json(text, file, 32u * 1024u * 1024u);
  if (!parsed) return parsed.error();
  const json& root = parsed.value();
  FieldReader top(root, file + ":", " /");
  const json* items = top.opt_array(key);
  top.skip("schema");
  top.skip("notes");
  top.reject_unknown();
  if (!top.ok()) return top.error();
  if (!items) return Error{"missing_field", file + ": /" + key, "is required (an array of entries)"};
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string path = file + ": /" + key + "/" + std::to_string(i);
    if (auto err = read((*items)[i], path)) return err;
  }
  entries_json = items->dump(-1, ' ', false, json::error_handler_t::replace);
  return std::nullopt;
}

ComputePrecision parse_precision(FieldReader& r, std::string_view key) {
  std::string c = r.string(key);
  if (c == "fp32") return ComputePrecision::kFp32;
  if (c == "fp16") return ComputePrecision::kFp16;
  if (c == "fp8") return ComputePrecision::kFp8;
  if (c == "int8") return ComputePrecision::kInt8;
  if (r.ok()) r.fail("invalid_value", key, "must be fp32, fp16, fp8 or int8, got " + show(json(c)));
  return ComputePrecision::kFp16;
}

const std::set<std::string, std::less<>>& tensor_names() {
  static const std::set<std::string, std::less<>> kNames = {
      "embedding", "output", "attn_q", "attn_k", "attn_v", "attn_o", "attn_other", "attn", "ffn_gate",
      "ffn_up", "ffn_down", "experts", "non_experts", "other"};
  return kNames;
}

using TypeTable = std::map<std::string, BlockType, std::less<>>;

// formats.json's "ggml_types": each block type's bits, block and fallback.
std::optional<Error> read_ggml_types(const json& types, TypeTable& out) {
  std::map<std::string, std::string> fallbacks;
  for (std::size_t i = 0; i < types.size(); ++i) {
    FieldReader r(types[i], "formats.json: /ggml_types/" + std::to_string(i), "/");
    std::string id = r.string("id");
    BlockType t;
    t.bits_per_weight = r.number("bits_per_weight", Num::kPositive, 64);
    t.block_weights = r.integer("block_weights", 1, 4096);
    if (auto fb = r.opt_string("fallback")) fallbacks[id] = *fb;
    r.skip("layout");
    r.skip("source");
    r.reject_unknown();
    if (!r.ok()) return r.error();
    out[id] = t;
  }
  for (const auto& [id, fb] : fallbacks) {
    auto it = out.find(fb);
    if (it == out.end()) {
      return Error{"unknown_id", "formats.json: /ggml_types", "type " + id + " falls back to unknown type " + fb};
    }
    out[id].fallback_bits = it->second.bits_per_weight;
    out[id].fallback_block_weights = it->second.block_weights;
  }
  return std::nullopt;
}

// A block type by name ("Q6_K"), checked against the bits the entry states.
std::optional<BlockType> resolve_type(FieldReader& r, std::string_view key, const TypeTable& types, double bits) {
  auto name = r.opt_string(key);
  if (!name) return std::nullopt;
  auto it = types.find(*name);
  if (it == types.end()) {
    r.fail("unknown_id", key, "unknown ggml type " + show(json(*name)));
    return std::nullopt;
  }
  if (r.ok() && std::fabs(it->second.bits_per_weight - bits) > 1e-9) {
    r.fail("invalid_value", "bits_per_weight",
           "must equal the bits of " + *name + " (" + show(json(it->second.bits_per_weight)) + "), got " + show(json(bits)));
  }
  return it->second;
}

std::optional<Error> read_weight_format(const json& e, const std::string& path, const TypeTable& types,
                                        WeightFormat& f) {
  FieldReader r(e, path, "/");
  f.id = r.string("id");
  f.name = r.string("name");
  f.kind = r.string("kind");
  f.bits_per_weight = r.number("bits_per_weight", Num::kPositive, 64);
  f.type.bits_per_weight = f.bits_per_weight;
  f.type.fallback_bits = f.bits_per_weight;
  if (auto t = resolve_type(r, "ggml_type", types, f.bits_per_weight)) f.type = *t;
  f.compute = parse_precision(r, "compute");
  f.layout = r.opt_string("layout").value_or("");
  f.source = r.string("source");
  f.notes = r.opt_string("notes").value_or("");
  if (const json* overrides = r.opt_array("tensor_overrides")) {
    for (std::size_t i = 0; i < overrides->size() && r.ok(); ++i) {
      FieldReader o((*overrides)[i], r.path_of("tensor_overrides/" + std::to_string(i)), "/");
      TensorOverride t;
      t.tensor = o.string("tensor");
      t.type.bits_per_weight = o.number("bits_per_weight", Num::kPositive, 64);
      t.type.fallback_bits = t.type.bits_per_weight;
      if (auto bt = resolve_type(o, "type", types, t.type.bits_per_weight)) t.type = *bt;
      t.layers = o.opt_string("layers").value_or("all");
      t.when = o.opt_string("when").value_or("");
      o.skip("why");
      o.skip("notes");
      if (o.ok() && !tensor_names().count(t.tensor)) {
        o.fail("invalid_value", "tensor", "is not a known tensor role, got " + show(json(t.tensor)));
      }
      if (o.ok() && !layer_rule_valid(t.layers)) {
        o.fail("invalid_value", "layers",
               "must be all, more_bits, first_<n> or first_fraction_<k>, got " + show(json(t.layers)));
      }
      if (o.ok() && !t.when.empty() && t.when != "experts_8" && t.when != "type_70b" && t.when != "gqa_ge_4") {
        o.fail("invalid_value", "when", "must be experts_8, type_70b or gqa_ge_4, got " + show(json(t.when)));
      }
      o.reject_unknown();
      if (!o.ok()) return o.error();
      f.tensor_overrides.push_back(t);
    }
  }
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

std::optional<Error> read_kv_format(const json& e, const std::string& path, KvFormat& f) {
  FieldReader r(e, path, "/");
  f.id = r.string("id");
  f.name = r.string("name");
  f.bits_per_value = r.number("bits_per_value", Num::kPositive, 64);
  f.source = r.string("source");
  r.skip("notes");
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

std::optional<Error> read_engine(const json& e, const std::string& path, Engine& g) {
  FieldReader r(e, path, "/");
  g.id = r.string("id");
  g.name = r.string("name");
  g.version = r.opt_string("version").value_or("");
  g.bandwidth_efficiency = r.number("bandwidth_efficiency", Num::kFraction);
  g.compute_efficiency = r.number("compute_efficiency", Num::kFraction);
  g.hbm_bandwidth_efficiency = r.opt_number("hbm_bandwidth_efficiency", Num::kFraction);
  g.compute_scaling = r.opt_number("compute_scaling", Num::kNonNegative, 1).value_or(0);
  const std::string acc = r.opt_string("fp16_accumulate").value_or("fp32");
  if (r.ok() && acc != "fp32" && acc != "fp16") {
    r.fail("invalid_value", "fp16_accumulate", "must be \"fp32\" or \"fp16\", got " + show(json(acc)));
  }
  g.fp16_accumulate = acc == "fp16";
  g.step_overhead_ms = r.number("step_overhead_ms", Num::kNonNegative, 1000);
  g.sequence_overhead_us = r.opt_number("sequence_overhead_us", Num::kNonNegative, 1e6).value_or(0);
  g.memory_reserve_fraction = r.number("memory_reserve_fraction", Num::kUnit);
  g.runtime_overhead_gb = r.number("runtime_overhead_gb", Num::kNonNegative, 1000);
  g.activation_chunk_tokens = r.number("activation_chunk_tokens", Num::kNonNegative, 1e7);
  g.training_mfu = r.opt_number("training_mfu", Num::kFraction).value_or(0.35);
  g.multi_gpu = r.opt_string("multi_gpu").value_or("tensor");
  if (r.ok() && g.multi_gpu != "tensor" && g.multi_gpu != "layer") {
    r.fail("invalid_value", "multi_gpu", "must be \"tensor\" or \"layer\", got " + show(json(g.multi_gpu)));
  }
  g.weight_formats = r.opt_string_array("weight_formats");
  g.vendors = r.opt_string_array("vendors");
  g.fitted_on = r.opt_string_array("fitted_on");
  if (const json* v = r.opt_object("validation")) {
    for (const auto& [k, val] : v->items()) {
      if (val.is_string()) g.validation[k] = val.get<std::string>();
    }
  }
  if (const json* v = r.opt_object("error_pct")) {
    for (const auto& [k, val] : v->items()) {
      if (val.is_number() && std::isfinite(val.get<double>()) && val.get<double>() >= 0) {
        g.error_pct[k] = val.get<double>();
      } else {
        r.fail("invalid_value", "error_pct/" + k, "must be a number >= 0, got " + show(val));
      }
    }
  }
  g.source = r.string("source");
  g.notes = r.opt_string("notes").value_or("");
  r.skip("field_sources");
  r.skip("fit");
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

std::optional<Error> read_interconnect(const json& e, const std::string& path, Interconnect& c) {
  FieldReader r(e, path, "/");
  c.id = r.string("id");
  c.name = r.string("name");
  c.allreduce_latency_us = r.number("allreduce_latency_us", Num::kPositive, 1e6);
  c.bandwidth_efficiency = r.number("bandwidth_efficiency", Num::kFraction);
  c.source = r.string("source");
  r.skip("notes");
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

std::optional<Error> read_price(const json& e, const std::string& path, Price& p) {
  FieldReader r(e, path, "/");
  p.provider = r.string("provider");
  p.gpu = r.string("gpu");
  p.usd_per_hour = r.number("usd_per_hour", Num::kPositive, 1e4);
  p.pricing = r.string("pricing");
  p.date_seen = r.string("date_seen");
  p.source = r.string("source");
  p.notes = r.opt_string("notes").value_or("");
  r.skip("region");
  r.reject_unknown();
  if (r.ok() && p.pricing != "on_demand" && p.pricing != "spot" && p.pricing != "reserved") {
    r.fail("invalid_value", "pricing", "must be on_demand, spot or reserved, got " + show(json(p.pricing)));
  }
  if (r.ok() && !valid_date(p.date_seen)) {
    r.fail("invalid_value", "date_seen", "must be a date YYYY-MM-DD, got " + show(json(p.date_seen)));
  }
  if (!r.ok()) return r.error();
  return std::nullopt;
}

std::optional<Error> read_benchmark(const json& e, const std::string& path, Benchmark& b) {
  FieldReader r(e, path, "/");
  b.id = r.string("id");
  b.kind = r.string("kind");
  // A file size depends on no GPU and no engine.
  const bool memory = b.kind == "memory";
  b.engine = memory ? r.opt_string("engine").value_or("") : r.string("engine");
  b.engine_version = r.opt_string("engine_version").value_or("");
  b.gpu = memory ? r.opt_string("gpu").value_or("") : r.string("gpu");
  b.gpu_count = r.opt_integer("gpu_count", 1, 1024).value_or(1);
  b.model = r.string("model");
  b.weights = r.string("weights");
  b.kv_cache = r.opt_string("kv_cache").value_or("fp16");
  b.batch_size = r.opt_number("batch_size", Num::kPositive, 1e7);
  b.prompt_tokens = r.opt_number("prompt_tokens", Num::kNonNegative, 1e8);
  b.output_tokens = r.opt_number("output_tokens", Num::kNonNegative, 1e8);
  b.context_tokens = r.opt_number("context_tokens", Num::kNonNegative, 1e8);
  b.value = r.number("value", Num::kPositive, 1e15);
  b.unit = r.string("unit");
  b.source = r.string("source");
  b.date = r.opt_string("date").value_or("");
  b.notes = r.opt_string("notes").value_or("");
  b.excluded = r.opt_string("excluded").value_or("");
  r.skip("measured_by");
  r.skip("field_sources");
  r.reject_unknown();
  static const std::set<std::string, std::less<>> kKinds = {"decode", "prefill", "serving", "power", "memory"};
  if (r.ok() && !kKinds.count(b.kind)) {
    r.fail("invalid_value", "kind", "must be decode, prefill, serving, power or memory, got " + show(json(b.kind)));
  }
  if (!r.ok()) return r.error();
  return std::nullopt;
}

template <class T>
const T* find_id(const std::vector<T>& items, std::string_view id) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const Gpu* Catalog::gpu(std::string_view id) const { return find_id(gpus, id); }
const Model* Catalog::model(std::string_view id) const { return find_id(models, id); }
const WeightFormat* Catalog::weight_format(std::string_view id) const { return find_id(weight_formats, id); }
const KvFormat* Catalog::kv_format(std::string_view id) const { return find_id(kv_formats, id); }
const Engine* Catalog::engine(std::string_view id) const { return find_id(engines, id); }
const Interconnect* Catalog::interconnect(std::string_view id) const { return find_id(interconnects, id); }

Outcome<Catalog> load_catalog(const CatalogFiles& files) {
  Catalog c;
  auto gpu = [&](const json& e, const std::string& path) -> std::optional<Error> {
    FieldReader r(e, path, "/");
    Gpu g = detail::read_gpu(r, EntryKind::kCatalog);
    if (r.ok() && g.id.empty()) r.fail("missing_field", "id", "is required");
    require_source(r, g.source);
    if (!r.ok()) return r.error();
    c.gpus.push_back(std::move(g));
    return std::nullopt;
  };
  auto model = [&](const json& e, const std::string& path) -> std::optional<Error> {
    auto m = detail::read_model(e, path, "/", EntryKind::kCatalog);
    if (!m) return m.error();
    if (m.value().id.empty()) return Error{"missing_field", path + "/id", "is required"};
    if (m.value().source.empty()) return Error{"missing_field", path + "/source", "is required (where the figures come from)"};
    c.models.push_back(std::move(m).value());
    return std::nullopt;
  };
  std::string formats_weights_json, formats_kv_json;
  if (auto err = read_file(files.gpus, "gpus.json", "gpus", gpu, c.entries_json["gpus"])) return *err;
  if (auto err = read_file(files.models, "models.json", "models", model, c.entries_json["models"])) return *err;

  // formats.json holds two arrays.
  {
    auto parsed = detail::parse_json(files.formats, "formats.json");
    if (!parsed) return parsed.error();
    const json& root = parsed.value();
    FieldReader top(root, "formats.json:", " /");
    const json* weights = top.opt_array("weights");
    const json* kv = top.opt_array("kv_cache");
    const json* ggml = top.opt_array("ggml_types");
    top.skip("schema");
    top.skip("notes");
    top.reject_unknown();
    if (!top.ok()) return top.error();
    if (!weights || !kv) return Error{"missing_field", "formats.json", "needs both \"weights\" and \"kv_cache\" arrays"};
    TypeTable types;
    if (ggml) {
      if (auto err = read_ggml_types(*ggml, types)) return *err;
    }
    for (std::size_t i = 0; i < weights->size(); ++i) {
      WeightFormat f;
      if (auto err = read_weight_format((*weights)[i], "formats.json: /weights/" + std::to_string(i), types, f)) {
        return *err;
      }
      c.weight_formats.push_back(std::move(f));
    }
    for (std::size_t i = 0; i < kv->size(); ++i) {
      KvFormat f;
      if (auto err = read_kv_format((*kv)[i], "formats.json: /kv_cache/" + std::to_string(i), f)) return *err;
      c.kv_formats.push_back(std::move(f));
    }
    c.entries_json["formats"] = weights->dump(-1, ' ', false, json::error_handler_t::replace);
    c.entries_json["kv_cache_formats"] = kv->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  auto each = [](auto& vec, auto reader) {
    return [&vec, reader](const json& e, const std::string& path) -> std::optional<Error> {
      typename std::decay_t<decltype(vec)>::value_type item;
      if (auto err = reader(e, path, item)) return err;
      vec.push_back(std::move(item));
      return std::nullopt;
    };
  };
  if (auto err = read_file(files.engines, "engines.json", "engines", each(c.engines, read_engine),
                           c.entries_json["engines"])) {
    return *err;
  }
  if (auto err = read_file(files.interconnects, "interconnects.json", "interconnects",
                           each(c.interconnects, read_interconnect), c.entries_json["interconnects"])) {
    return *err;
  }
  if (auto err = read_file(files.prices, "prices.json", "prices", each(c.prices, read_price),
                           c.entries_json["prices"])) {
    return *err;
  }
  if (auto err = read_file(files.benchmarks, "benchmarks.json", "benchmarks", each(c.benchmarks, read_benchmark),
                           c.entries_json["benchmarks"])) {
    return *err;
  }
  auto problems = check_catalog(c);
  if (!problems.empty()) return problems.front();
  return c;
}

std::vector<Error> check_catalog(const Catalog& c) {
  std::vector<Error> out;
  auto dupes = [&](const auto& items, const std::string& file) {
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!seen.insert(items[i].id).second) {
        out.push_back({"invalid_catalog", file + ": /" + std::to_string(i) + "/id",
                       "duplicate id " + show(json(items[i].id))});
      }
    }
  };
  dupes(c.gpus, "gpus.json");
  dupes(c.models, "models.json");
  dupes(c.weight_formats, "formats.json");
  dupes(c.kv_formats, "formats.json");
  dupes(c.engines, "engines.json");
  dupes(c.benchmarks, "benchmarks.json");
  for (std::size_t i = 0; i < c.prices.size(); ++i) {
    if (!c.gpu(c.prices[i].gpu)) {
      out.push_back({"unknown_id", "prices.json: /prices/" + std::to_string(i) + "/gpu",
                     "unknown GPU id " + show(json(c.prices[i].gpu))});
    }
  }
  std::set<std::string, std::less<>> bench_ids;
  for (std::size_t i = 0; i < c.benchmarks.size(); ++i) {
    const Benchmark& b = c.benchmarks[i];
    bench_ids.insert(b.id);
    std::string at = "benchmarks.json: /benchmarks/" + std::to_string(i);
    const bool memory = b.kind == "memory";
    if (!c.gpu(b.gpu) && !(memory && b.gpu.empty())) {
      out.push_back({"unknown_id", at + "/gpu", "unknown GPU id " + show(json(b.gpu))});
    }
    if (!c.model(b.model)) out.push_back({"unknown_id", at + "/model", "unknown model id " + show(json(b.model))});
    if (!c.weight_format(b.weights)) {
      out.push_back({"unknown_id", at + "/weights", "unknown weight format " + show(json(b.weights))});
    }
    if (!c.kv_format(b.kv_cache)) {
      out.push_back({"unknown_id", at + "/kv_cache", "unknown KV-cache format " + show(json(b.kv_cache))});
    }
    if (!c.engine(b.engine) && !(memory && b.engine.empty())) {
      out.push_back({"unknown_id", at + "/engine", "unknown engine " + show(json(b.engine))});
    }
  }
  for (std::size_t i = 0; i < c.engines.size(); ++i) {
    const Engine& e = c.engines[i];
    std::string at = "engines.json: /engines/" + std::to_string(i);
    for (const auto& f : e.weight_formats) {
      if (!c.weight_format(f)) out.push_back({"unknown_id", at + "/weight_formats", "unknown weight format " + show(json(f))});
    }
    // A catalog loaded without its benchmarks (the wasm build fetches them later) cannot check these.
    for (const auto& id : e.fitted_on) {
      if (!c.benchmarks.empty() && !bench_ids.count(id)) {
        out.push_back({"unknown_id", at + "/fitted_on", "unknown benchmark id " + show(json(id))});
      }
    }
  }
  for (const char* id : {"nvlink", "pcie"}) {
    if (!c.interconnect(id)) {
      out.push_back({"missing_field", "interconnects.json", std::string("needs an entry with id \"") + id + "\""});
    }
  }
  for (const char* id : {"bf16", "fp16"}) {
    if (!c.weight_format(id)) out.push_back({"missing_field", "formats.json", std::string("needs weight format ") + id});
  }
  if (!c.kv_format("fp16")) out.push_back({"missing_field", "formats.json", "needs KV-cache format fp16"});
  for (const char* id : {"ideal", "vllm", "pytorch"}) {
    if (!c.engine(id)) out.push_back({"missing_field", "engines.json", std::string("needs engine ") + id});
  }
  return out;
}

Outcome<Catalog> with_custom_entries(const Catalog& base, std::string_view custom_json) {
  auto parsed = detail::parse_json(custom_json, "custom catalog");
  if (!parsed) return parsed.error();
  const json& root = parsed.value();
  FieldReader top(root, "custom", ".");
  const json* gpus = top.opt_array("gpus");
  const json* models = top.opt_array("models");
  top.skip("version");
  top.reject_unknown();
  if (!top.ok()) return top.error();
  Catalog c = base;
  auto replace_or_add = [](auto& vec, auto item) {
    auto it = std::find_if(vec.begin(), vec.end(), [&](const auto& x) { return x.id == item.id; });
    if (it != vec.end()) *it = std::move(item);
    else vec.push_back(std::move(item));
  };
  if (gpus) {
    for (std::size_t i = 0; i < gpus->size(); ++i) {
      FieldReader r((*gpus)[i], "custom.gpus[" + std::to_string(i) + "]", ".");
      Gpu g = detail::read_gpu(r, EntryKind::kInline);
      if (r.ok() && (g.id.empty() || g.id == "custom")) r.fail("missing_field", "id", "is required");
      if (!r.ok()) return r.error();
      replace_or_add(c.gpus, std::move(g));
    }
  }
  if (models) {
    for (std::size_t i = 0; i < models->size(); ++i) {
      std::string path = "custom.models[" + std::to_string(i) + "]";
      auto m = detail::read_model((*models)[i], path, ".", EntryKind::kInline);
      if (!m) return m.error();
      if (m.value().id.empty() || m.value().id == "custom") return Error{"missing_field", path + ".id", "is required"};
      replace_or_add(c.models, std::move(m).value());
    }
  }
  return c;
}

}  // namespace gpufit
