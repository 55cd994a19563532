#include "gpufit/scenario_read.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>

#include "entry_read.hpp"
#include "json_read.hpp"
#include "scenario_json.hpp"
#include "scenario_schema.hpp"

namespace gpufit {

using detail::FieldReader;
using detail::json;
using detail::show;

std::string_view mode_name(Mode m) {
  switch (m) {
    case Mode::kInference:
      return "inference";
    case Mode::kLora:
      return "lora";
    case Mode::kQlora:
      return "qlora";
    case Mode::kFullFinetune:
      return "full_finetune";
  }
  return "inference";
}

const std::vector<std::string>& scenario_field_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& b : detail::scenario_table()) names.emplace_back(b.spec.name);
    return names;
  }();
  return kNames;
}

namespace {

template <class T>
std::vector<std::string> ids_of(const std::vector<T>& items) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto& x : items) out.push_back(x.id);
  return out;
}

std::string list_of(const std::vector<std::string>& ids) {
  std::string s;
  for (const auto& id : ids) s += (s.empty() ? "" : ", ") + id;
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "unknown GPU \"h100\" (did you mean \"h100-pcie\", \"h100-sxm\" or \"h100-nvl\"?)": ids that start
// with what was typed first, else the closest spelling, else the list (when short).
std::string unknown(std::string_view what, const std::string& id, const std::vector<std::string>& ids, bool list_all) {
  std::string msg = "unknown " + std::string(what) + " " + show(id);
  std::vector<std::string> starts;
  const std::string low = lower(id);
  for (const auto& known : ids) {
    if (!low.empty() && lower(known).rfind(low, 0) == 0) starts.push_back(known);
  }
  if (!starts.empty() && starts.size() <= 4) {
    std::string s;
    for (std::size_t i = 0; i < starts.size(); ++i) {
      s += (i == 0 ? "" : i + 1 == starts.size() ? " or " : ", ") + show(starts[i]);
    }
    return msg + " (did you mean " + s + "?)";
  }
  // Else the closest spellings (all of them on a tie), if close enough to be a typo.
  std::size_t best = std::string::npos;
  std::vector<std::string> hints;
  const std::size_t limit = detail::typo_limit(low);
  for (const auto& known : ids) {
    const std::size_t d = detail::edit_distance(low, lower(known), limit);
    if (d < best) best = d, hints.clear();
    if (d == best) hints.push_back(known);
  }
  if (best <= limit && hints.size() <= 3) {
    std::string s;
    for (std::size_t i = 0; i < hints.size(); ++i) {
      s += (i == 0 ? "" : i + 1 == hints.size() ? " or " : ", ") + show(hints[i]);
    }
    return msg + " (did you mean " + s + "?)";
  }
  if (list_all) return msg + " (known: " + list_of(ids) + ")";
  return msg + " (see gpucalc catalog)";
}

bool is_low_bit(const WeightFormat& f) {
  return f.bits_per_weight < 8;
}

// An image, speech or embedding model of workloads.json; its id, name and parameters also fill
// the Model the result's writer reads.
std::optional<Error> resolve_workload_model(const Scenario& in, const Catalog& catalog, const std::string& model_at,
                                            Setup& s) {
  if (in.model_inline) {
    return Error{"invalid_value", model_at,
                 "the " + in.workload + " workload takes a catalog model id (" +
                     list_of(catalog.workloads.model_ids(in.workload)) + ")"};
  }
  const WorkloadModel* m = catalog.workloads.model(in.model_id);
  if (!m || m->workload != in.workload) {
    return Error{"unknown_id", model_at,
                 unknown(in.workload + " model", in.model_id, catalog.workloads.model_ids(in.workload), true)};
  }
  s.workload_model = *m;
  s.model = Model{};
  s.model.id = m->id;
  s.model.name = m->name;
  s.model.params = s.model.active_params = m->params;
  s.model.layers = m->workload == "speech" ? m->encoder_layers + m->decoder_layers : m->layers;
  s.model.hidden_size = m->workload == "speech" ? m->d_model : m->hidden_size;
  s.model.attention_heads = m->attention_heads;
  s.model.kv_heads = m->kv_heads;
  s.model.head_dim = m->head_dim;
  s.model.vocab_size = m->vocab_size;
  s.model.max_context_tokens = m->max_sequence_tokens;
  s.model.architecture = Architecture::kEncoder;
  s.model_ref = m->id;
  return std::nullopt;
}

}  // namespace

namespace detail {

Outcome<Scenario> read_scenario(const Json& object, const std::string& path) {
  FieldReader r(object, path);
  if (!r.ok()) return r.error();
  Scenario s = default_scenario();
  // model and gpu: an id (looked up by resolve()) or an inline object (read here, in full).
  if (const Json* v = r.raw("model")) {
    if (v->is_string()) {
      s.model_id = r.opt_string("model").value_or("");
    } else if (v->is_object()) {
      if (r.ok()) {
        auto m = read_model(*v, r.path_of("model"), EntryKind::kInline);
        if (!m) return m.error();
        s.model_inline = std::move(m).value();
      }
    } else {
      r.fail("invalid_value", "model", "must be a catalog id or an object, got " + show(*v));
    }
  } else if (r.ok()) {
    r.fail("missing_field", "model", "is required (a catalog id such as \"llama-3.1-8b\", or an object)");
  }
  if (const Json* v = r.raw("gpu")) {
    if (v->is_string()) {
      s.gpu_id = r.opt_string("gpu").value_or("");
    } else if (v->is_object()) {
      if (r.ok()) {
        FieldReader g(*v, r.path_of("gpu"));
        Gpu gpu = read_gpu(g, EntryKind::kInline);
        if (!g.ok()) return g.error();
        s.gpu_inline = std::move(gpu);
      }
    } else {
      r.fail("invalid_value", "gpu", "must be a catalog id or an object, got " + show(*v));
    }
  } else if (r.ok()) {
    r.fail("missing_field", "gpu", "is required (a catalog id such as \"h100-sxm\", or an object)");
  }

  read_rows(r, scenario_table(), s);  // after model and gpu: their errors come first, as the table orders them
  // load and slo: nested objects, each read through its own table (errors at /load/...).
  if (const Json* v = r.opt_object("load"); v && r.ok()) {
    FieldReader l(*v, r.path_of("load"));
    Load load;
    read_rows(l, load_table(), load);
    if (l.ok() && load.concurrency.has_value() == load.request_rate_per_s.has_value()) {
      l.fail_here("invalid_value", load.concurrency
                                       ? "takes concurrency or request_rate_per_s, not both"
                                       : "needs concurrency (users) or request_rate_per_s (Poisson arrivals)");
    }
    l.reject_unknown();
    if (!l.ok()) return l.error();
    s.load = load;
  }
  if (const Json* v = r.opt_object("slo"); v && r.ok()) {
    FieldReader l(*v, r.path_of("slo"));
    Slo slo;
    read_rows(l, slo_table(), slo);
    if (l.ok() && !slo.ttft_p99_ms && !slo.tpot_p99_ms) {
      l.fail_here("invalid_value", "needs ttft_p99_ms or tpot_p99_ms");
    }
    l.reject_unknown();
    if (!l.ok()) return l.error();
    s.slo = slo;
  }

  const std::string mode = r.opt_string("mode").value_or("inference");
  if (mode == "inference")
    s.mode = Mode::kInference;
  else if (mode == "lora")
    s.mode = Mode::kLora;
  else if (mode == "qlora")
    s.mode = Mode::kQlora;
  else if (mode == "full_finetune")
    s.mode = Mode::kFullFinetune;
  else if (r.ok())
    r.fail("invalid_value", "mode", "must be inference, lora, qlora or full_finetune, got " + show(mode));
  s.weights = r.opt_string("weights").value_or("");
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return s;
}

}  // namespace detail

Outcome<Setup> resolve(const Scenario& in, const Catalog& catalog, const std::string& path) {
  const auto at = [&](std::string_view key) { return pointer(path, key); };
  Setup s;
  static_cast<Workload&>(s) = in;

  const bool other_workload = !in.workload.empty() && in.workload != kWorkloadLlm;
  if (other_workload) {
    if (auto err = resolve_workload_model(in, catalog, at("model"), s)) return *err;
  } else if (in.model_inline) {
    s.model = *in.model_inline;
    s.model_ref = "custom";
  } else if (const Model* m = catalog.model(in.model_id)) {
    s.model = *m;
    s.model_ref = in.model_id;
  } else {
    return Error{"unknown_id", at("model"), unknown("model", in.model_id, ids_of(catalog.models), false)};
  }
  if (in.gpu_inline) {
    s.gpu = *in.gpu_inline;
    s.gpu_ref = "custom";
  } else if (const Gpu* g = catalog.gpu(in.gpu_id)) {
    s.gpu = *g;
    s.gpu_ref = in.gpu_id;
  } else {
    return Error{"unknown_id", at("gpu"), unknown("GPU", in.gpu_id, ids_of(catalog.gpus), false)};
  }
  if (in.mig_profile) {
    const Gpu card = s.gpu;
    if (auto error = place_on_slice(s, card, catalog, *in.mig_profile, path)) return *error;
    if (in.gpu_count > 1) {
      return Error{
          "invalid_value", at("gpu_count"),
          "a MIG slice has no peer links to split a model across slices: gpu_count must be 1 with mig_profile"};
    }
  }

  // A model read from weight files runs in the files' own format unless the scenario names one.
  const ModelFileSource* file = s.model.file_source ? &*s.model.file_source : nullptr;
  const bool file_format = file && !file->weights.empty() && catalog.weight_format(file->weights) &&
                           (in.mode == Mode::kInference || in.mode == Mode::kLora);
  const std::string weights = !in.weights.empty()       ? in.weights
                              : other_workload          ? std::string("fp16")  // runs on GPUs without BF16 too
                              : file_format             ? file->weights
                              : in.mode == Mode::kQlora ? std::string(kDefaultQloraWeights)
                                                        : std::string(kDefaultWeights);
  if (const WeightFormat* f = catalog.weight_format(weights)) {
    s.weights = *f;
  } else {
    return Error{"unknown_id", at("weights"), unknown("weight format", weights, ids_of(catalog.weight_formats), true)};
  }
  if (const KvFormat* f = catalog.kv_format(in.kv_cache)) {
    s.kv_cache = *f;
  } else {
    return Error{"unknown_id", at("kv_cache"),
                 unknown("KV-cache format", in.kv_cache, ids_of(catalog.kv_formats), true)};
  }
  if (other_workload) {
    // The workload's own engines (workloads.json); the schema's default (vllm) stands for the
    // workload's first engine unless the workload lists vllm itself.
    const auto engines = catalog.workloads.engine_ids(in.workload);
    std::string id = in.engine;
    if (!catalog.workloads.engine(in.workload, id) && id == "vllm" && !engines.empty()) id = engines.front();
    const WorkloadEngine* we = catalog.workloads.engine(in.workload, id);
    if (!we && !engines.empty()) {
      return Error{"unknown_id", at("engine"), unknown(in.workload + " engine", in.engine, engines, true)};
    }
    // vLLM's factors (an EngineSpec: its fit's provenance is not this workload engine's).
    s.engine = catalog.engines.empty() ? EngineSpec{} : EngineSpec(*catalog.engine("vllm"));
    s.engine.id = we ? we->id : id;
    s.engine.name = we ? we->name : id;
    s.workload_engine = s.engine.id;
  } else if (const Engine* e = catalog.engine(in.engine); e && in.engine != kTrainingEngine) {
    s.engine = *e;  // the factors: the result reads the provenance from the catalog's entry
  } else {
    std::vector<std::string> engine_ids;
    for (const auto& known : catalog.engines) {
      if (known.id != kTrainingEngine) engine_ids.push_back(known.id);
    }
    return Error{"unknown_id", at("engine"), unknown("engine", in.engine, engine_ids, true)};
  }
  if (in.provider) {
    std::vector<std::string> providers;
    for (const auto& p : catalog.prices) {
      if (std::find(providers.begin(), providers.end(), p.provider) == providers.end()) providers.push_back(p.provider);
    }
    auto same = std::find_if(providers.begin(), providers.end(),
                             [&](const std::string& p) { return lower(p) == lower(*in.provider); });
    if (same == providers.end())
      return Error{"unknown_id", at("provider"), unknown("provider", *in.provider, providers, true)};
    s.provider = *same;  // the catalog's spelling
  }

  if (other_workload) {
    if (in.mode != Mode::kInference) {
      return Error{"invalid_value", at("mode"), "the " + in.workload + " workload is modelled for inference only"};
    }
    return s;
  }
  if (in.mode == Mode::kFullFinetune && s.weights.kind != "float") {
    return Error{
        "invalid_value", at("weights"),
        "full_finetune trains the weights themselves, so they must be bf16, fp16 or fp32, got " + show(weights)};
  }
  if (in.mode != Mode::kInference && s.model.architecture == Architecture::kEncoder) {
    return Error{"invalid_value", at("mode"),
                 "fine-tuning is modelled for decoder models; " + s.model.id + " is an encoder"};
  }
  if (in.mode == Mode::kQlora && !is_low_bit(s.weights)) {
    return Error{"invalid_value", at("weights"),
                 "qlora keeps the frozen base in 4 bits (nf4, int4 or a GGUF 4-bit type), got " + show(weights)};
  }
  s.weights_bytes = weight_bytes(s.model, s.weights);
  return s;
}

Outcome<Scenario> read_scenario_json(std::string_view json_text) {
  auto parsed = detail::parse_json(json_text, "scenario");
  if (!parsed) return parsed.error();
  return detail::read_scenario(parsed.value(), "");
}

Outcome<Setup> read_setup_json(std::string_view json_text, const Catalog& catalog) {
  auto s = read_scenario_json(json_text);
  if (!s) return s.error();
  return resolve(s.value(), catalog);
}

}  // namespace gpufit
