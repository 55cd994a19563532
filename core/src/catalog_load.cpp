#include "gpufit/catalog_load.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "catalog_schema.hpp"
#include "entry_read.hpp"
#include "gpufit/weights_memory.hpp"
#include "json_read.hpp"
#include "mig_catalog.hpp"

namespace gpufit {

using detail::EntryKind;
using detail::FieldReader;
using detail::Json;
using detail::read_rows;
using detail::show;

namespace {

using Num = FieldReader::Num;

// Every catalog entry must say where its figures come from.
void require_source(FieldReader& r, const std::string& source) {
  if (r.ok() && source.empty()) r.fail("missing_field", "source", "is required (where the figures come from)");
}

// Reads `{"<key>": [entries]}` from one file, calling read(entry, path) for each entry.
template <class ReadEntry>
std::optional<Error> read_file(const std::string& text, const std::string& file, const std::string& key,
                               ReadEntry&& read, std::string& entries_json) {
  if (text.empty()) {  // a file the build left out (the wasm build loads benchmarks separately)
    entries_json = "[]";
    return std::nullopt;
  }
  auto parsed = detail::parse_json(text, file, 32u * 1024u * 1024u);
  if (!parsed) return parsed.error();
  const Json& root = parsed.value();
  FieldReader top(root, "", file);
  const Json* items = top.opt_array(key);
  top.skip("schema");
  top.skip("notes");
  top.reject_unknown();
  if (!top.ok()) return top.error();
  if (!items) return Error{"missing_field", "/" + key, "is required (an array of entries)", file};
  for (std::size_t i = 0; i < items->size(); ++i) {
    if (auto err = read((*items)[i], pointer("/" + key, i))) return err;
  }
  // The entries as written (the page's catalog view shows them): sliced, not re-serialized.
  entries_json = std::string(detail::member_text(text, key));
  return std::nullopt;
}

ComputePrecision parse_precision(FieldReader& r, std::string_view key) {
  const std::string c = r.string(key);
  if (c == "fp32") return ComputePrecision::kFp32;
  if (c == "fp16") return ComputePrecision::kFp16;
  if (c == "fp8") return ComputePrecision::kFp8;
  if (c == "int8") return ComputePrecision::kInt8;
  if (r.ok()) r.fail("invalid_value", key, "must be fp32, fp16, fp8 or int8, got " + show(c));
  return ComputePrecision::kFp16;
}

using TypeTable = std::map<std::string, BlockType, std::less<>>;

// formats.json's "ggml_types": each block type's bits, block and fallback.
std::optional<Error> read_ggml_types(const Json& types, TypeTable& out) {
  std::map<std::string, std::string> fallbacks;
  for (std::size_t i = 0; i < types.size(); ++i) {
    FieldReader r(types[i], pointer("/ggml_types", i), "formats.json");
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
      return Error{"unknown_id", "/ggml_types", "type " + id + " falls back to unknown type " + fb, "formats.json"};
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
    r.fail("unknown_id", key, "unknown ggml type " + show(*name));
    return std::nullopt;
  }
  if (r.ok() && std::fabs(it->second.bits_per_weight - bits) > 1e-9) {
    r.fail("invalid_value", "bits_per_weight",
           "must equal the bits of " + *name + " (" + show(it->second.bits_per_weight) + "), got " + show(bits));
  }
  return it->second;
}

std::optional<Error> read_weight_format(const Json& e, const std::string& path, const TypeTable& types,
                                        WeightFormat& f) {
  FieldReader r(e, path, "formats.json");
  read_rows(r, detail::weight_format_table(), f);
  f.type.bits_per_weight = f.bits_per_weight;
  f.type.fallback_bits = f.bits_per_weight;
  if (auto t = resolve_type(r, "ggml_type", types, f.bits_per_weight)) f.type = *t;
  f.compute = parse_precision(r, "compute");
  if (const Json* overrides = r.opt_array("tensor_overrides")) {
    for (std::size_t i = 0; i < overrides->size() && r.ok(); ++i) {
      FieldReader o((*overrides)[i], pointer(r.path_of("tensor_overrides"), i), "formats.json");
      TensorOverride t;
      t.tensor = o.string("tensor");
      t.type.bits_per_weight = o.number("bits_per_weight", Num::kPositive, 64);
      t.type.fallback_bits = t.type.bits_per_weight;
      if (auto bt = resolve_type(o, "type", types, t.type.bits_per_weight)) t.type = *bt;
      t.layers = o.opt_string("layers").value_or("all");
      t.when = o.opt_string("when").value_or("");
      o.skip("why");
      o.skip("notes");
      for (const FieldSpec& spec : detail::tensor_override_specs()) {
        if (spec.type != FieldType::kEnum || !o.ok()) continue;
        const std::string& v = spec.name == "tensor" ? t.tensor : t.when;
        if (!v.empty() && !detail::one_of(v, spec.words)) {
          o.fail("invalid_value", spec.name, "must be " + detail::words_list(spec.words) + ", got " + show(v));
        }
      }
      if (o.ok() && !layer_rule_valid(t.layers)) {
        o.fail("invalid_value", "layers",
               "must be all, more_bits, first_<n> or first_fraction_<k>, got " + show(t.layers));
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

std::optional<Error> read_kv_format(const Json& e, const std::string& path, KvFormat& f) {
  FieldReader r(e, path, "formats.json");
  read_rows(r, detail::kv_format_table(), f);
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

std::optional<Error> read_engine(const Json& e, const std::string& path, Engine& g) {
  FieldReader r(e, path, "engines.json");
  read_rows(r, detail::engine_table(), g);
  g.fp16_accumulate = r.opt_string("fp16_accumulate").value_or("fp32") == "fp16";
  if (const Json* v = r.opt_object("validation")) {
    for (const auto& m : v->members()) {
      if (m.value.is_string()) g.validation[m.key] = m.value.as_string();
    }
  }
  if (const Json* v = r.opt_object("error_pct")) {
    for (const auto& m : v->members()) {
      if (m.value.is_number() && std::isfinite(m.value.as_number()) && m.value.as_number() >= 0) {
        g.error_pct[m.key] = m.value.as_number();
      } else {
        r.fail("invalid_value", "error_pct/" + m.key, "must be a number >= 0, got " + show(m.value));
      }
    }
  }
  r.skip("field_sources");
  r.skip("fit");
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

std::optional<Error> read_interconnect(const Json& e, const std::string& path, Interconnect& c) {
  FieldReader r(e, path, "interconnects.json");
  read_rows(r, detail::interconnect_table(), c);
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

std::optional<Error> read_price(const Json& e, const std::string& path, Price& p) {
  FieldReader r(e, path, "prices.json");
  read_rows(r, detail::price_table(), p);
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

std::optional<Error> read_benchmark(const Json& e, const std::string& path, Benchmark& b) {
  FieldReader r(e, path, "benchmarks.json");
  read_rows(r, detail::benchmark_table(), b);
  // A file size depends on no GPU and no engine; every other kind names both.
  if (r.ok() && b.kind != "memory") {
    if (b.engine.empty())
      r.fail("missing_field", "engine", "is required");
    else if (b.gpu.empty())
      r.fail("missing_field", "gpu", "is required");
  }
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

template <class T>
const T* find_id(const std::vector<T>& items, std::string_view id) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const Gpu* Catalog::gpu(std::string_view id) const {
  return find_id(gpus, id);
}
const Model* Catalog::model(std::string_view id) const {
  return find_id(models, id);
}
const WeightFormat* Catalog::weight_format(std::string_view id) const {
  return find_id(weight_formats, id);
}
const KvFormat* Catalog::kv_format(std::string_view id) const {
  return find_id(kv_formats, id);
}
const Engine* Catalog::engine(std::string_view id) const {
  return find_id(engines, id);
}
const Interconnect* Catalog::interconnect(std::string_view id) const {
  return find_id(interconnects, id);
}

namespace {

// One file's entries read into `c`, in place of any that section held. Entries are checked alone
// here; their cross-references are check_catalog's.
std::optional<Error> read_catalog_file(CatalogFile which, const std::string& text, const CatalogFiles& options,
                                       Catalog& c) {
  const bool sources_required = options.sources_required;
  auto gpu = [&](const Json& e, const std::string& path) -> std::optional<Error> {
    FieldReader r(e, path, "gpus.json");
    Gpu g = detail::read_gpu(r, EntryKind::kCatalog);
    if (r.ok() && g.id.empty()) r.fail("missing_field", "id", "is required");
    if (sources_required) require_source(r, g.source);
    if (!r.ok()) return r.error();
    c.gpus.push_back(std::move(g));
    return std::nullopt;
  };
  auto model = [&](const Json& e, const std::string& path) -> std::optional<Error> {
    auto m = detail::read_model(e, path, EntryKind::kCatalog, "models.json");
    if (!m) return m.error();
    if (m.value().id.empty()) return Error{"missing_field", path + "/id", "is required", "models.json"};
    if (sources_required && m.value().source.empty()) {
      return Error{"missing_field", path + "/source", "is required (where the figures come from)", "models.json"};
    }
    c.models.push_back(std::move(m).value());
    return std::nullopt;
  };
  auto each = [](auto& vec, auto reader) {
    return [&vec, reader](const Json& e, const std::string& path) -> std::optional<Error> {
      typename std::decay_t<decltype(vec)>::value_type item;
      if (auto err = reader(e, path, item)) return err;
      vec.push_back(std::move(item));
      return std::nullopt;
    };
  };
  // A file of one array: its entries replace the section's.
  auto replace = [&](auto& vec, const char* file, const char* key, auto reader) {
    vec.clear();
    return read_file(text, file, key, each(vec, reader), c.entries_json[key]);
  };
  switch (which) {
    case CatalogFile::kGpus:
      c.gpus.clear();
      return read_file(text, "gpus.json", "gpus", gpu, c.entries_json["gpus"]);
    case CatalogFile::kModels:
      c.models.clear();
      return read_file(text, "models.json", "models", model, c.entries_json["models"]);
    case CatalogFile::kFormats: {  // formats.json holds three arrays
      c.weight_formats.clear();
      c.kv_formats.clear();
      auto parsed = detail::parse_json(text, "formats.json");
      if (!parsed) return parsed.error();
      const Json& root = parsed.value();
      FieldReader top(root, "", "formats.json");
      const Json* weights = top.opt_array("weights");
      const Json* kv = top.opt_array("kv_cache");
      const Json* ggml = top.opt_array("ggml_types");
      top.skip("schema");
      top.skip("notes");
      top.reject_unknown();
      if (!top.ok()) return top.error();
      if (!weights || !kv)
        return Error{"missing_field", "", "needs both \"weights\" and \"kv_cache\" arrays", "formats.json"};
      TypeTable types;
      if (ggml) {
        if (auto err = read_ggml_types(*ggml, types)) return *err;
      }
      for (std::size_t i = 0; i < weights->size(); ++i) {
        WeightFormat f;
        if (auto err = read_weight_format((*weights)[i], pointer("/weights", i), types, f)) return *err;
        c.weight_formats.push_back(std::move(f));
      }
      for (std::size_t i = 0; i < kv->size(); ++i) {
        KvFormat f;
        if (auto err = read_kv_format((*kv)[i], pointer("/kv_cache", i), f)) return *err;
        c.kv_formats.push_back(std::move(f));
      }
      c.entries_json["formats"] = std::string(detail::member_text(text, "weights"));
      c.entries_json["kv_cache_formats"] = std::string(detail::member_text(text, "kv_cache"));
      return std::nullopt;
    }
    case CatalogFile::kEngines:
      return replace(c.engines, "engines.json", "engines", read_engine);
    case CatalogFile::kInterconnects:
      return replace(c.interconnects, "interconnects.json", "interconnects", read_interconnect);
    case CatalogFile::kPrices:
      return replace(c.prices, "prices.json", "prices", read_price);
    case CatalogFile::kBenchmarks:
      return replace(c.benchmarks, "benchmarks.json", "benchmarks", read_benchmark);
    case CatalogFile::kMigProfiles:
      c.mig.clear();
      return detail::read_mig_profiles(text, c, sources_required);
    case CatalogFile::kWorkloads: {
      c.workloads = WorkloadCatalog{};
      c.entries_json.erase("workload_models");
      c.entries_json.erase("workload_engines");
      if (text.empty()) return std::nullopt;
      auto w = load_workloads(text, sources_required, options.defer_workload_rows);
      if (!w) return w.error();
      c.workloads = std::move(w).value();
      // The page's workload switch lists these (calc.catalog("workload_models"), "workload_engines").
      c.entries_json["workload_models"] = std::string(detail::member_text(text, "models"));
      c.entries_json["workload_engines"] = std::string(detail::member_text(text, "engines"));
      // Fitted on first use (WorkloadCatalog::fit), not stored in data/: the fit needs the GPUs.
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

Outcome<Catalog> load_catalog(const CatalogFiles& files) {
  Catalog c;
  const std::pair<CatalogFile, const std::string*> order[] = {
      {CatalogFile::kGpus, &files.gpus},
      {CatalogFile::kModels, &files.models},
      {CatalogFile::kFormats, &files.formats},
      {CatalogFile::kEngines, &files.engines},
      {CatalogFile::kInterconnects, &files.interconnects},
      {CatalogFile::kPrices, &files.prices},
      {CatalogFile::kBenchmarks, &files.benchmarks},
      {CatalogFile::kMigProfiles, &files.mig_profiles},
      {CatalogFile::kWorkloads, &files.workloads},
  };
  for (const auto& [which, text] : order) {
    if (auto err = read_catalog_file(which, *text, files, c)) return *err;
  }
  auto problems = check_catalog(c);
  if (!problems.empty()) return problems.front();
  return c;
}

std::optional<Error> replace_catalog_file(Catalog& c, CatalogFile which, const std::string& text,
                                          bool sources_required) {
  CatalogFiles options;
  options.sources_required = sources_required;
  if (auto err = read_catalog_file(which, text, options, c)) return err;
  auto problems = check_catalog(c);
  if (!problems.empty()) return problems.front();
  return std::nullopt;
}

Outcome<Catalog> with_catalog_file(Catalog base, CatalogFile which, const std::string& text, bool sources_required) {
  if (auto err = replace_catalog_file(base, which, text, sources_required)) return *err;
  return base;
}

std::vector<Error> check_catalog(const Catalog& c) {
  std::vector<Error> out;
  auto dupes = [&](const auto& items, const std::string& file, const std::string& key) {
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!seen.insert(items[i].id).second) {
        out.push_back({"invalid_catalog", pointer("/" + key, i) + "/id", "duplicate id " + show(items[i].id), file});
      }
    }
  };
  dupes(c.gpus, "gpus.json", "gpus");
  dupes(c.models, "models.json", "models");
  dupes(c.weight_formats, "formats.json", "weights");
  dupes(c.kv_formats, "formats.json", "kv_cache");
  dupes(c.engines, "engines.json", "engines");
  dupes(c.benchmarks, "benchmarks.json", "benchmarks");
  for (std::size_t i = 0; i < c.prices.size(); ++i) {
    if (!c.gpu(c.prices[i].gpu)) {
      out.push_back(
          {"unknown_id", pointer("/prices", i) + "/gpu", "unknown GPU id " + show(c.prices[i].gpu), "prices.json"});
    }
  }
  std::set<std::string, std::less<>> bench_ids;
  for (std::size_t i = 0; i < c.benchmarks.size(); ++i) {
    const Benchmark& b = c.benchmarks[i];
    bench_ids.insert(b.id);
    const std::string at = pointer("/benchmarks", i);
    const auto bad = [&](const char* key, std::string message) {
      out.push_back({"unknown_id", at + "/" + key, std::move(message), "benchmarks.json"});
    };
    const bool memory = b.kind == "memory";
    if (!c.gpu(b.gpu) && !(memory && b.gpu.empty())) bad("gpu", "unknown GPU id " + show(b.gpu));
    if (!c.model(b.model)) bad("model", "unknown model id " + show(b.model));
    if (!c.weight_format(b.weights)) bad("weights", "unknown weight format " + show(b.weights));
    if (!c.kv_format(b.kv_cache)) bad("kv_cache", "unknown KV-cache format " + show(b.kv_cache));
    if (!c.engine(b.engine) && !(memory && b.engine.empty())) bad("engine", "unknown engine " + show(b.engine));
  }
  for (std::size_t i = 0; i < c.engines.size(); ++i) {
    const Engine& e = c.engines[i];
    const std::string at = pointer("/engines", i);
    for (const auto& f : e.weight_formats) {
      if (!c.weight_format(f)) {
        out.push_back({"unknown_id", at + "/weight_formats", "unknown weight format " + show(f), "engines.json"});
      }
    }
    // A catalog loaded without its benchmarks (the wasm build fetches them later) cannot check these.
    for (const auto& id : e.fitted_on) {
      if (!c.benchmarks.empty() && !bench_ids.count(id)) {
        out.push_back({"unknown_id", at + "/fitted_on", "unknown benchmark id " + show(id), "engines.json"});
      }
    }
  }
  for (const char* id : {"nvlink", "pcie"}) {
    if (!c.interconnect(id)) {
      out.push_back({"missing_field", "", std::string("needs an entry with id \"") + id + "\"", "interconnects.json"});
    }
  }
  for (const char* id : {"bf16", "fp16"}) {
    if (!c.weight_format(id))
      out.push_back({"missing_field", "", std::string("needs weight format ") + id, "formats.json"});
  }
  if (!c.kv_format("fp16")) out.push_back({"missing_field", "", "needs KV-cache format fp16", "formats.json"});
  for (Error& e : check_workloads(c.workloads, c)) out.push_back(std::move(e));
  for (const char* id : {"ideal", "vllm", "pytorch"}) {
    if (!c.engine(id)) out.push_back({"missing_field", "", std::string("needs engine ") + id, "engines.json"});
  }
  return out;
}

Outcome<Catalog> with_custom_entries(const Catalog& base, std::string_view custom_json) {
  // Errors point into the custom entries as the page keeps them: /custom/gpus/0/memory_gb.
  auto parsed = detail::parse_json(custom_json, "custom");
  if (!parsed) return parsed.error();
  const Json& root = parsed.value();
  FieldReader top(root, "/custom");
  const Json* gpus = top.opt_array("gpus");
  const Json* models = top.opt_array("models");
  top.skip("version");
  top.reject_unknown();
  if (!top.ok()) return top.error();
  Catalog c = base;
  auto replace_or_add = [](auto& vec, auto item) {
    auto it = std::find_if(vec.begin(), vec.end(), [&](const auto& x) { return x.id == item.id; });
    if (it != vec.end())
      *it = std::move(item);
    else
      vec.push_back(std::move(item));
  };
  if (gpus) {
    for (std::size_t i = 0; i < gpus->size(); ++i) {
      FieldReader r((*gpus)[i], pointer("/custom/gpus", i));
      Gpu g = detail::read_gpu(r, EntryKind::kInline);
      if (r.ok() && (g.id.empty() || g.id == "custom")) r.fail("missing_field", "id", "is required");
      if (!r.ok()) return r.error();
      replace_or_add(c.gpus, std::move(g));
    }
  }
  if (models) {
    for (std::size_t i = 0; i < models->size(); ++i) {
      const std::string path = pointer("/custom/models", i);
      auto m = detail::read_model((*models)[i], path, EntryKind::kInline);
      if (!m) return m.error();
      if (m.value().id.empty() || m.value().id == "custom") return Error{"missing_field", path + "/id", "is required"};
      replace_or_add(c.models, std::move(m).value());
    }
  }
  return c;
}

}  // namespace gpufit
