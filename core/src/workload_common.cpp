// The image, speech and embedding workloads' shared parts: the peak and bandwidth a scenario gets,
// the result around a workload's figures (memory, cost, power, warnings), estimating a measured
// row at its own settings, and fitting a workload's efficiency on its rows.
#include <algorithm>
#include <cmath>

#include "gpufit/cost.hpp"
#include "gpufit/power.hpp"
#include "gpufit/throughput.hpp"
#include "text_format.hpp"
#include "workload_common.hpp"

namespace gpufit {

namespace detail {

double peak_flops_per_s(const Setup& s) {
  return compute_peak(s.gpu, s.weights).tflops * 1e12;
}

double bandwidth_bytes_per_s(const Setup& s) {
  return s.gpu.memory_bandwidth_gbs * 1e9;
}

double bytes_at(const Setup& s, double params) {
  return params * s.weights.bits_per_weight / 8;
}

namespace {

std::string num(double v, int digits = 3) {
  return significant(v, digits);
}

void add(Result& r, std::string key, double value, std::string note) {
  r.assumptions.push_back({std::move(key), value, "", std::move(note)});
}

}  // namespace

Result evaluate_workload(const Setup& s, const Catalog& catalog, bool full) {
  Result r;
  r.setup = &s;
  const WorkloadModel& m = *s.workload_model;
  const WorkloadFit fit = catalog.workloads.fit(m.workload, catalog);
  WorkloadFigures f = workload_figures(s, fit);

  r.params = m.params;
  r.active_params = m.params;
  r.weights_bytes = f.weights_gb * kBytesPerGB;
  const ComputePeak peak = compute_peak(s.gpu, s.weights);
  r.compute_precision = peak.precision;
  if (peak.substituted) r.warnings.push_back(compute_peak_warning(s.gpu, s.weights));

  r.memory.weights_gb = f.weights_gb;
  r.memory.activations_gb = f.activations_gb;
  r.memory.overhead_gb = f.overhead_gb;
  r.memory.total_gb = f.weights_gb + f.activations_gb + f.overhead_gb;
  r.memory.available_gb = s.gpu.usable_memory_gb > 0 ? s.gpu.usable_memory_gb : s.gpu.memory_gb;
  r.fits = r.memory.fits();
  if (s.mig) {
    for (auto& w : mig_warnings(*s.mig)) r.warnings.push_back(std::move(w));
  }
  r.min_gpus_to_fit = r.fits ? 1 : 0;  // every GPU holds the whole pipeline (data parallel)
  r.max_batch_size = s.batch_size;
  r.max_context_tokens = m.workload == "embedding" ? s.sequence_tokens : 0;
  // The largest batch that fits: activations grow with the batch, the rest does not.
  if (f.activations_gb > 0) {
    const double per_item = f.activations_gb / s.batch_size;
    const double room = r.memory.available_gb - f.weights_gb - f.overhead_gb;
    r.max_batch_size = room > 0 ? std::floor(room / per_item) : 0;
  }

  // What the workload produces per second, for power and cost: images, audio seconds or tokens.
  double units_per_s = 0;
  if (m.workload == "image")
    units_per_s = 1 / f.seconds_per_image;
  else if (m.workload == "speech")
    units_per_s = f.real_time_factor;
  else
    units_per_s = f.tokens_per_s;
  r.power = power_figures(s, units_per_s);
  r.price = choose_price(s, catalog, r.warnings);
  double usd_per_hour = 0;
  if (r.price) {
    r.cost = cost_figures(s, *r.price, m.workload == "embedding" ? f.tokens_per_s : 0, r.power.watts);
    usd_per_hour = r.cost->usd_per_hour;
    if (m.workload != "embedding") {
      r.cost->usd_per_million_tokens = 0;
      r.cost->tokens_per_s_per_usd_per_hour = 0;
    }
  } else {
    r.warnings.push_back("no price for " + s.gpu.name + ": set price_usd_per_hour for the cost figures");
  }
  // Serving figures in the workload's own items, so the LLM fields are not left meaningless.
  r.serving.requests_per_s = m.workload == "image"    ? 1 / f.seconds_per_image
                             : m.workload == "speech" ? f.real_time_factor / s.audio_seconds
                                                      : f.sequences_per_s;
  r.serving.input_tokens_per_s = m.workload == "embedding" ? f.tokens_per_s : 0;
  r.prefill.bound = f.bound;
  r.decode.bound = f.bound;

  r.workload = f;
  if (r.price) r.workload_usd_per_hour = usd_per_hour;

  if (!r.fits) {
    r.warnings.push_back("does not fit: " + fixed(r.memory.total_gb, 1) + " GB needed per GPU, " +
                         fixed(r.memory.available_gb, 1) + " GB usable on " + s.gpu.name +
                         (m.workload == "image" && s.offload != "model"
                              ? " (offload: model keeps one component on the GPU at a time)"
                              : ""));
  }
  if (s.gpu_count > 1) {
    r.warnings.push_back(m.name + ": each of the " + std::to_string(s.gpu_count) +
                         " GPUs holds the whole model and works on its own share (data parallel)");
  }
  if (m.workload == "embedding" && m.max_sequence_tokens > 0 && s.sequence_tokens > m.max_sequence_tokens) {
    r.warnings.push_back("sequence_tokens " + num(s.sequence_tokens, 10) + " exceeds " + m.name + "'s maximum of " +
                         num(m.max_sequence_tokens, 10) + " tokens");
  }
  if (m.workload == "speech" && s.gpu.nvdec_count.value_or(0) > 0) {
    r.warnings.push_back(s.gpu.name + " has " + std::to_string(*s.gpu.nvdec_count) +
                         " hardware video decoders (NVDEC): they decode video containers, not the audio Whisper reads; "
                         "the estimate does not count them");
  }

  if (full) {
    add(r, "compute_efficiency", fit.compute_efficiency,
        fit.fitted
            ? "fitted on " + std::to_string(fit.fitted_on) + " measured " + m.workload + " results (workloads.json)"
            : "not fitted (no measured results): an assumption");
    add(r, "bandwidth_efficiency", fit.bandwidth_efficiency, "achieved fraction of DRAM bandwidth: an assumption");
    if (m.workload == "speech") {
      add(r, "step_overhead_ms", fit.step_overhead_ms, "time per decoder step beyond FLOPs and bytes (fitted)");
      add(r, "tokens_per_audio_second", kSpeechTokensPerAudioSecond, "150 words a minute, ~1.3 tokens a word");
    }
    add(r, "runtime_overhead_gb", f.overhead_gb, "CUDA context, library workspaces, allocator slack");
    add(r, "flops", f.flops, m.workload == "speech" ? "for audio_seconds" : "per batch");
    r.assumptions.push_back({"model_source", std::nullopt, m.source, "architecture figures (workloads.json)"});
    for (std::size_t i = 0; i < f.assumptions.size(); ++i) {
      r.assumptions.push_back({"method_" + std::to_string(i + 1), std::nullopt, f.assumptions[i], ""});
    }
    for (const WorkloadBenchmark& b : catalog.workloads.benchmarks()) {
      if (b.model != m.id || b.gpu != s.gpu.id || b.mig_profile != (s.mig ? s.mig->profile : "")) continue;
      Measured meas;
      meas.id = b.id;
      meas.kind = b.workload + ":" + b.unit;
      meas.source = b.source;
      meas.date = b.date;
      meas.value = b.value;
      meas.batch_size = b.batch_size;
      meas.estimate = estimate_workload_benchmark(b, catalog, fit);
      if (meas.estimate)
        meas.error_pct = (*meas.estimate - b.value) / b.value * 100;
      else
        meas.no_estimate_why = "settings the estimate cannot take";
      r.measured.push_back(std::move(meas));
    }
  }
  return r;
}

std::optional<Setup> workload_setup(const WorkloadBenchmark& b, const Catalog& catalog) {
  const Gpu* g = catalog.gpu(b.gpu);
  const WorkloadModel* m = catalog.workloads.model(b.model);
  const WeightFormat* f = catalog.weight_format(b.weights);
  if (!g || !m || !f) return std::nullopt;
  Setup s;
  static_cast<Workload&>(s) = default_scenario();
  s.gpu = *g;
  if (!b.mig_profile.empty()) {  // measured on one MIG slice: estimate on that slice
    if (place_on_slice(s, *g, catalog, b.mig_profile)) return std::nullopt;
  }
  s.weights = *f;
  s.workload = m->workload;
  s.workload_model = *m;
  s.workload_engine = b.engine;
  s.gpu_count = b.gpu_count;
  s.batch_size = b.batch_size.value_or(1);
  if (b.width) s.width = int(*b.width);
  if (b.height) s.height = int(*b.height);
  if (b.steps) s.steps = int(*b.steps);
  if (b.audio_seconds) s.audio_seconds = *b.audio_seconds;
  if (b.beam_size) s.beam_size = int(*b.beam_size);
  if (b.sequence_tokens) s.sequence_tokens = *b.sequence_tokens;
  return s;
}

}  // namespace detail

WorkloadFigures workload_figures(const Setup& s, const WorkloadFit& fit) {
  const std::string& w = s.workload_model->workload;
  if (w == "image") return detail::image_figures(s, fit);
  if (w == "speech") return detail::speech_figures(s, fit);
  return detail::embedding_figures(s, fit);
}

namespace {

// The benchmark's figure from the figures at its settings.
std::optional<double> in_unit(const WorkloadBenchmark& b, const Setup& s, const WorkloadFit& fit) {
  const WorkloadFigures f = workload_figures(s, fit);
  if (b.unit == "seconds_per_image") return f.seconds_per_image;
  if (b.unit == "images_per_minute") return f.images_per_minute;
  if (b.unit == "steps_per_s") {
    const double steps = s.steps.value_or(s.workload_model->default_steps);
    return steps / (f.seconds_per_image * s.batch_size);
  }
  if (b.unit == "real_time_factor") return f.real_time_factor;
  if (b.unit == "tokens_per_s") return f.tokens_per_s;
  if (b.unit == "sequences_per_s") return f.sequences_per_s;
  return std::nullopt;
}

}  // namespace

std::optional<double> estimate_workload_benchmark(const WorkloadBenchmark& b, const Catalog& catalog,
                                                  const WorkloadFit& fit) {
  auto s = detail::workload_setup(b, catalog);
  if (!s) return std::nullopt;
  return in_unit(b, *s, fit);
}

WorkloadFit fit_workload(const Catalog& catalog, std::string_view workload,
                         const std::vector<const WorkloadBenchmark*>& given) {
  std::vector<const WorkloadBenchmark*> rows = given;
  if (rows.empty()) {
    for (const WorkloadBenchmark& b : catalog.workloads.benchmarks()) {
      if (b.workload == workload && b.excluded.empty()) rows.push_back(&b);
    }
  }
  // Each row's setup once (they are what costs: catalog entries copied, defaults applied).
  std::vector<std::pair<const WorkloadBenchmark*, Setup>> prepared;
  for (const WorkloadBenchmark* b : rows) {
    if (auto s = detail::workload_setup(*b, catalog)) prepared.emplace_back(b, std::move(*s));
  }
  WorkloadFit best;
  if (prepared.empty()) return best;
  // Least squares on log errors: the compute efficiency by golden-section search on its log (the
  // loss is smooth and single-dipped in it), and for speech over a grid of times per decoder step.
  const bool speech = workload == "speech";
  auto loss = [&](const WorkloadFit& f, std::size_t* n_out) {
    double sum = 0;
    std::size_t n = 0;
    for (const auto& [b, s] : prepared) {
      auto est = in_unit(*b, s, f);
      if (!est || !(*est > 0)) continue;
      const double e = std::log(*est / b->value);
      sum += e * e;
      ++n;
    }
    if (n_out) *n_out = n;
    return n > 0 ? sum : INFINITY;
  };
  // The overhead's grid: per denoiser step (image), per decoder step and layer (speech), per batch
  // (embedding).
  const double overhead_step = workload == "image" ? 1.5 : speech ? 0.01 : 1.0;
  std::map<std::string, double> engine_speed;
  WorkloadFit result;
  for (int round = 0; round < 2; ++round) {
    double best_loss = INFINITY;
    for (int oi = 0; oi <= 40; ++oi) {
      WorkloadFit f;
      f.engine_speed = engine_speed;
      f.step_overhead_ms = oi * overhead_step;
      double lo = std::log(0.01), hi = std::log(1.0);
      const double g = (std::sqrt(5.0) - 1) / 2;
      auto at = [&](double x) {
        f.compute_efficiency = std::exp(x);
        return loss(f, nullptr);
      };
      double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
      double la = at(a), lb = at(b);
      for (int i = 0; i < 40; ++i) {
        if (la < lb) {
          hi = b, b = a, lb = la, a = hi - g * (hi - lo), la = at(a);
        } else {
          lo = a, a = b, la = lb, b = lo + g * (hi - lo), lb = at(b);
        }
      }
      f.compute_efficiency = std::exp((lo + hi) / 2);
      std::size_t n = 0;
      const double l = loss(f, &n);
      if (l < best_loss) {
        best_loss = l;
        best = f;
        best.fitted_on = n;
        best.fitted = true;
      }
    }
    result = best;
    // Then each engine with 3 rows or more: the geometric mean of how much faster it measured than
    // the fit estimates (in time), and the fit again with those.
    std::map<std::string, std::vector<double>> logs;
    for (const auto& [b, s] : prepared) {
      WorkloadFit plain = best;
      plain.engine_speed.erase(b->engine);
      auto est = in_unit(*b, s, plain);
      if (!est || !(*est > 0)) continue;
      const bool seconds = b->unit == "seconds_per_image";
      logs[b->engine].push_back(seconds ? std::log(*est / b->value) : std::log(b->value / *est));
    }
    engine_speed.clear();
    for (const auto& [engine, v] : logs) {
      if (v.size() < 3) continue;
      double sum = 0;
      for (double x : v) sum += x;
      engine_speed[engine] = std::exp(sum / v.size());
    }
    // Relative to the most measured engine, so the efficiency stays that engine's.
    std::string most;
    for (const auto& [engine, v] : logs) {
      if (engine_speed.count(engine) && (most.empty() || v.size() > logs[most].size())) most = engine;
    }
    if (!most.empty()) {
      const double ref = engine_speed[most];
      for (auto& [engine, x] : engine_speed) x /= ref;
    }
  }
  return result;
}

}  // namespace gpufit
