// Reading data/workloads.json: the image, speech and embedding models with their architecture
// figures, the engines that run them, and measured results. Each field is checked as it is read;
// errors name the file and the JSON Pointer ("workloads.json: /models/3/params").
#include <algorithm>
#include <set>

#include "gpufit/catalog.hpp"
#include "gpufit/mig.hpp"
#include "gpufit/workloads.hpp"
#include "json_read.hpp"

namespace gpufit {

using detail::FieldReader;
using detail::Json;
using detail::show;
using Num = FieldReader::Num;

namespace {

constexpr const char* kFile = "workloads.json";
constexpr double kMaxParams = 1e13;

bool known_workload(const std::string& w) {
  return w == "image" || w == "speech" || w == "embedding";
}

void read_source(FieldReader& r, std::string& source, bool required) {
  source = r.opt_string("source").value_or("");
  if (required && r.ok() && source.empty())
    r.fail("missing_field", "source", "is required (where the figures come from)");
}

std::optional<Error> read_component(const Json& e, const std::string& path, bool sources, WorkloadComponent& c) {
  FieldReader r(e, path, kFile);
  c.name = r.string("name");
  c.role = r.string("role");
  if (r.ok() && c.role != "text_encoder" && c.role != "denoiser" && c.role != "vae" && c.role != "upscaler") {
    r.fail("invalid_value", "role", "must be text_encoder, denoiser, vae or upscaler, got " + show(c.role));
  }
  c.kind = r.opt_string("kind").value_or("");
  c.params = r.count("params", kMaxParams);
  c.tokens = r.opt_number("tokens", Num::kPositive, 1e6).value_or(0);
  c.ref_latent_pixels = r.opt_number("ref_latent_pixels", Num::kPositive, 1e9).value_or(0);
  c.linear_tflops = r.opt_number("linear_tflops", Num::kPositive, 1e6).value_or(0);
  c.attention_tflops = r.opt_number("attention_tflops", Num::kNonNegative, 1e6).value_or(0);
  c.layers = r.opt_integer("layers", 1, 10000).value_or(0);
  c.hidden_size = r.opt_integer("hidden_size", 1, 1 << 20).value_or(0);
  c.patch_size = r.opt_integer("patch_size", 1, 64).value_or(2);
  c.text_tokens = r.opt_number("text_tokens", Num::kNonNegative, 1e6).value_or(0);
  c.token_params = r.opt_number("token_params", Num::kPositive, kMaxParams).value_or(0);
  c.steps_fraction = r.opt_number("steps_fraction", Num::kFraction).value_or(1);
  c.decoder_tflops_per_megapixel = r.opt_number("decoder_tflops_per_megapixel", Num::kPositive, 1e6).value_or(0);
  c.tflops_per_output_megapixel = r.opt_number("tflops_per_output_megapixel", Num::kPositive, 1e6).value_or(0);
  read_source(r, c.source, sources);
  if (r.ok() && c.role == "denoiser") {
    if (c.kind == "unet" && (c.ref_latent_pixels <= 0 || c.linear_tflops <= 0)) {
      r.fail("missing_field", "linear_tflops", "a UNet denoiser needs ref_latent_pixels and linear_tflops");
    } else if (c.kind == "dit" && (c.layers <= 0 || c.hidden_size <= 0 || c.token_params <= 0)) {
      r.fail("missing_field", "token_params", "a DiT denoiser needs layers, hidden_size and token_params");
    } else if (c.kind != "unet" && c.kind != "dit") {
      r.fail("invalid_value", "kind", "a denoiser's kind must be unet or dit, got " + show(c.kind));
    }
  }
  if (r.ok() && c.role == "vae" && c.decoder_tflops_per_megapixel <= 0) {
    r.fail("missing_field", "decoder_tflops_per_megapixel", "is required for a VAE");
  }
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

std::optional<Error> read_model(const Json& e, const std::string& path, bool sources, WorkloadModel& m) {
  FieldReader r(e, path, kFile);
  m.id = r.string("id");
  m.workload = r.string("workload");
  if (r.ok() && !known_workload(m.workload)) {
    r.fail("invalid_value", "workload", "must be image, speech or embedding, got " + show(m.workload));
  }
  m.name = r.string("name");
  m.notes = r.opt_string("notes").value_or("");
  r.skip("field_sources");
  read_source(r, m.source, sources);
  if (!r.ok()) return r.error();
  if (m.workload == "embedding") {
    m.params = r.count("params", kMaxParams);
    m.layers = r.integer("layers", 1, 1000);
    m.hidden_size = r.integer("hidden_size", 1, 1 << 20);
    m.intermediate_size = r.integer("intermediate_size", 1, 1 << 22);
    m.attention_heads = r.integer("attention_heads", 1, 4096);
    m.kv_heads = r.integer("kv_heads", 1, 4096);
    m.head_dim = r.integer("head_dim", 1, 4096);
    m.vocab_size = r.integer("vocab_size", 1, 1 << 24);
    m.gated_mlp = r.opt_bool("gated_mlp").value_or(false);
    m.max_sequence_tokens = r.number("max_sequence_tokens", Num::kPositive, 1e7);
  } else if (m.workload == "speech") {
    m.params = r.count("params", kMaxParams);
    m.d_model = r.integer("d_model", 1, 1 << 20);
    m.encoder_layers = r.integer("encoder_layers", 1, 1000);
    m.decoder_layers = r.integer("decoder_layers", 1, 1000);
    m.ffn_dim = r.integer("ffn_dim", 1, 1 << 22);
    m.attention_heads = r.integer("attention_heads", 1, 4096);
    m.vocab_size = r.integer("vocab_size", 1, 1 << 24);
    m.mel_bins = r.integer("mel_bins", 1, 1024);
  } else {
    m.native_width = r.integer("native_width", 64, 8192);
    m.native_height = r.integer("native_height", 64, 8192);
    m.default_steps = r.integer("default_steps", 1, 1000);
    m.guidance_passes = r.integer("guidance_passes", 1, 4);
    const Json* comps = r.opt_array("components");
    if (r.ok() && (!comps || comps->size() == 0)) r.fail("missing_field", "components", "is required (an array)");
    if (!r.ok()) return r.error();
    bool denoiser = false, vae = false;
    for (std::size_t i = 0; i < comps->size(); ++i) {
      WorkloadComponent c;
      if (auto err = read_component((*comps)[i], pointer(r.path_of("components"), i), sources, c)) return err;
      denoiser |= c.role == "denoiser";
      vae |= c.role == "vae";
      m.params += c.params;
      m.components.push_back(std::move(c));
    }
    if (!denoiser || !vae) r.fail("missing_field", "components", "an image pipeline needs a denoiser and a VAE");
  }
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

std::optional<Error> read_engine(const Json& e, const std::string& path, bool sources, WorkloadEngine& x) {
  FieldReader r(e, path, kFile);
  x.id = r.string("id");
  x.workload = r.string("workload");
  if (r.ok() && !known_workload(x.workload)) {
    r.fail("invalid_value", "workload", "must be image, speech or embedding, got " + show(x.workload));
  }
  x.name = r.string("name");
  x.notes = r.opt_string("notes").value_or("");
  read_source(r, x.source, sources);
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

std::optional<Error> read_benchmark(const Json& e, const std::string& path, WorkloadBenchmark& b, bool sources) {
  FieldReader r(e, path, kFile);
  b.id = r.string("id");
  b.workload = r.string("workload");
  if (r.ok() && !known_workload(b.workload)) {
    r.fail("invalid_value", "workload", "must be image, speech or embedding, got " + show(b.workload));
  }
  b.model = r.string("model");
  b.gpu = r.string("gpu");
  b.gpu_count = r.opt_integer("gpu_count", 1, 1024).value_or(1);
  b.engine = r.string("engine");
  b.mig_profile = r.opt_string("mig_profile").value_or("");
  b.weights = r.opt_string("weights").value_or("fp16");
  b.width = r.opt_number("width", Num::kPositive, 1e5);
  b.height = r.opt_number("height", Num::kPositive, 1e5);
  b.steps = r.opt_number("steps", Num::kPositive, 1e4);
  b.batch_size = r.opt_number("batch_size", Num::kPositive, 1e7);
  b.audio_seconds = r.opt_number("audio_seconds", Num::kPositive, 1e9);
  b.beam_size = r.opt_number("beam_size", Num::kPositive, 64);
  b.sequence_tokens = r.opt_number("sequence_tokens", Num::kPositive, 1e7);
  b.value = r.number("value", Num::kPositive);
  b.unit = r.string("unit");
  static const std::set<std::string> kUnits = {"seconds_per_image", "images_per_minute", "steps_per_s",
                                               "real_time_factor",  "tokens_per_s",      "sequences_per_s"};
  if (r.ok() && !kUnits.count(b.unit)) {
    r.fail("invalid_value", "unit",
           "must be seconds_per_image, images_per_minute, steps_per_s, real_time_factor, tokens_per_s or "
           "sequences_per_s, got " +
               show(b.unit));
  }
  read_source(r, b.source, sources);  // the wasm embeds the rows without their citations
  b.date = r.opt_string("date").value_or("");
  b.notes = r.opt_string("notes").value_or("");
  b.excluded = r.opt_string("excluded").value_or("");
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

}  // namespace

const WorkloadModel* WorkloadCatalog::model(std::string_view id) const {
  for (const auto& m : models) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

const WorkloadEngine* WorkloadCatalog::engine(std::string_view workload, std::string_view id) const {
  for (const auto& e : engines) {
    if (e.workload == workload && e.id == id) return &e;
  }
  return nullptr;
}

std::vector<std::string> WorkloadCatalog::model_ids(std::string_view workload) const {
  std::vector<std::string> out;
  for (const auto& m : models) {
    if (m.workload == workload) out.push_back(m.id);
  }
  return out;
}

std::vector<std::string> WorkloadCatalog::engine_ids(std::string_view workload) const {
  std::vector<std::string> out;
  for (const auto& e : engines) {
    if (e.workload == workload) out.push_back(e.id);
  }
  return out;
}

WorkloadFit WorkloadCatalog::fit(std::string_view workload, const Catalog& catalog) const {
  auto it = fits.find(std::string(workload));
  if (it == fits.end()) it = fits.emplace(std::string(workload), fit_workload(catalog, workload, {})).first;
  return it->second;
}

const std::vector<WorkloadBenchmark>& WorkloadCatalog::benchmarks() const {
  if (!deferred_rows_.empty()) {
    const std::string text = std::move(deferred_rows_);
    deferred_rows_.clear();
    // Deferred rows are the embedded catalog's, read and checked by the native build: a failure
    // here is a build fault, and leaves no rows (each workload's assumptions then say "not fitted").
    auto parsed = detail::parse_json(text, kFile, 8u * 1024u * 1024u);
    if (parsed && parsed.value().is_array()) {
      const Json& rows = parsed.value();
      for (std::size_t i = 0; i < rows.size(); ++i) {
        WorkloadBenchmark b;
        if (read_benchmark(rows[i], pointer("/benchmarks", i), b, rows_sources_required_)) {
          rows_.clear();
          break;
        }
        rows_.push_back(std::move(b));
      }
    }
  }
  return rows_;
}

Outcome<WorkloadCatalog> load_workloads(std::string_view text, bool sources_required, bool defer_rows) {
  WorkloadCatalog w;
  if (text.empty()) return w;
  std::string without_rows;
  if (defer_rows) {
    // The file less its rows' array, parsed as usual; the rows' text kept for benchmarks().
    const std::string_view rows = detail::member_text(text, "benchmarks");
    if (!rows.empty()) {
      const std::size_t at = static_cast<std::size_t>(rows.data() - text.data());
      without_rows.assign(text.substr(0, at)).append("[]").append(text.substr(at + rows.size()));
      text = without_rows;
      w.deferred_rows_.assign(rows);
      w.rows_sources_required_ = sources_required;
    }
  }
  auto parsed = detail::parse_json(text, kFile, 8u * 1024u * 1024u);
  if (!parsed) return parsed.error();
  const Json& root = parsed.value();
  FieldReader top(root, "", kFile);
  const Json* models = top.opt_array("models");
  const Json* engines = top.opt_array("engines");
  const Json* benchmarks = top.opt_array("benchmarks");
  top.skip("schema");
  top.skip("notes");
  top.reject_unknown();
  if (!top.ok()) return top.error();
  if (!models) return Error{"missing_field", "/models", "is required (an array of entries)", kFile};
  for (std::size_t i = 0; i < models->size(); ++i) {
    WorkloadModel m;
    if (auto err = read_model((*models)[i], pointer("/models", i), sources_required, m)) return *err;
    w.models.push_back(std::move(m));
  }
  if (engines) {
    for (std::size_t i = 0; i < engines->size(); ++i) {
      WorkloadEngine e;
      if (auto err = read_engine((*engines)[i], pointer("/engines", i), sources_required, e)) return *err;
      w.engines.push_back(std::move(e));
    }
  }
  if (benchmarks) {
    for (std::size_t i = 0; i < benchmarks->size(); ++i) {
      WorkloadBenchmark b;
      if (auto err = read_benchmark((*benchmarks)[i], pointer("/benchmarks", i), b, sources_required)) return *err;
      w.add_benchmark(std::move(b));
    }
  }
  return w;
}

std::vector<Error> check_workloads(const WorkloadCatalog& w, const Catalog& catalog) {
  std::vector<Error> out;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < w.models.size(); ++i) {
    if (!ids.insert(w.models[i].id).second) {
      out.push_back({"invalid_catalog", pointer("/models", i) + "/id", "duplicate id " + show(w.models[i].id), kFile});
    }
  }
  ids.clear();
  if (w.rows_deferred()) return out;  // checked where they were read eagerly (see load_workloads)
  const std::vector<WorkloadBenchmark>& rows = w.benchmarks();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const WorkloadBenchmark& b = rows[i];
    const std::string at = pointer("/benchmarks", i);
    if (!ids.insert(b.id).second) out.push_back({"invalid_catalog", at + "/id", "duplicate id " + show(b.id), kFile});
    const WorkloadModel* m = w.model(b.model);
    if (!m || m->workload != b.workload) {
      out.push_back({"unknown_id", at + "/model", "unknown " + b.workload + " model " + show(b.model), kFile});
    }
    const Gpu* gpu = catalog.gpu(b.gpu);
    if (!gpu) out.push_back({"unknown_id", at + "/gpu", "unknown GPU id " + show(b.gpu), kFile});
    if (gpu && !b.mig_profile.empty()) {
      auto slice = mig_slice(*gpu, catalog, b.mig_profile, at);
      if (!slice) out.push_back({slice.error().code, slice.error().path, slice.error().message, kFile});
    }
    if (!w.engine(b.workload, b.engine)) {
      out.push_back({"unknown_id", at + "/engine", "unknown " + b.workload + " engine " + show(b.engine), kFile});
    }
    if (!catalog.weight_format(b.weights)) {
      out.push_back({"unknown_id", at + "/weights", "unknown weight format " + show(b.weights), kFile});
    }
  }
  return out;
}

}  // namespace gpufit
