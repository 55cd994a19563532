#include "gpufit/validation.hpp"

#include "text_format.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <string>

#include "gpufit/benchmark_estimate.hpp"
#include "gpufit/power_fit.hpp"

namespace gpufit {

namespace {

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  // Nearest rank: the smallest value with at least q of the values at or below it.
  std::size_t rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::min(v.size(), std::max<std::size_t>(rank, 1)) - 1];
}

const EngineSpec& engine_for(const Catalog& catalog, const std::vector<Engine>& overrides, const std::string& id) {
  for (const Engine& e : overrides) {
    if (e.id == id) return e;
  }
  return *catalog.engine(id);
}

bool fitted_kind(const std::string& kind) {
  return kind == "decode" || kind == "prefill" || kind == "serving";
}

}  // namespace

ValidationGroup summarize(std::vector<ValidationPoint> points, std::string kind, std::string engine) {
  ValidationGroup g;
  g.kind = std::move(kind);
  g.engine = std::move(engine);
  g.n = points.size();
  std::vector<double> abs_err, signed_err;
  for (const auto& p : points) {
    abs_err.push_back(std::fabs(p.error_pct));
    signed_err.push_back(p.error_pct);
  }
  g.median_abs_pct = percentile(abs_err, 0.5);
  g.p90_abs_pct = percentile(abs_err, 0.9);
  g.bias_pct = percentile(signed_err, 0.5);
  std::sort(points.begin(), points.end(), [](const ValidationPoint& a, const ValidationPoint& b) {
    return std::fabs(a.error_pct) > std::fabs(b.error_pct);
  });
  points.resize(std::min<std::size_t>(points.size(), 5));
  g.worst = std::move(points);
  return g;
}

Validation validate(const Catalog& catalog, const std::vector<Engine>& engines) {
  Validation v;
  std::map<std::pair<std::string, std::string>, std::vector<ValidationPoint>> by_group;
  for (const Benchmark& b : catalog.benchmarks) {
    PreparedBenchmark p = prepare_benchmark(b, catalog);
    if (!p.why_not.empty()) {
      v.skipped.emplace_back(&b, p.why_not);
      continue;
    }
    const EngineSpec& e = b.kind == "memory" ? p.scenario.engine : engine_for(catalog, engines, b.engine);
    auto est = estimate_prepared(p, catalog, e);
    if (!est) {
      v.skipped.emplace_back(&b, "no estimate");
      continue;
    }
    ValidationPoint pt{&b, *est, (*est - b.value) / b.value * 100};
    v.points.push_back(pt);
    by_group[{report_kind(b), b.kind == "memory" ? "" : b.engine}].push_back(pt);
  }
  for (auto& [key, points] : by_group) v.groups.push_back(summarize(std::move(points), key.first, key.second));
  return v;
}

namespace {

// The fitted factors: bandwidth and compute efficiency, fixed time per step, and (only when the
// engine's data has GPUs of both memory kinds) a separate bandwidth efficiency on HBM.
// v: bandwidth efficiency, compute efficiency, step overhead (ms), per-sequence overhead (us), and
// the HBM bandwidth efficiency (fitted only where the data has both memory kinds: n == 5).
// [5] compute scaling with the GPU's peak, [6] time per layer per step (us), [7] how the
// per-sequence time scales with the GPU's bandwidth (see step_time.hpp).
constexpr int kFactors = 8;
struct Fit {
  double v[kFactors];
  int n;  // 4, or 5 with the HBM factor (indices 5 and up are always fitted)
  bool free[kFactors] = {true, true, true, true,
                         true, true, true, true};  // a factor the data cannot tell stays as it was
};

// A trial fit: the factors only (EngineSpec), since it is copied into every benchmark's scenario
// the loss estimates.
EngineSpec with_fit(EngineSpec e, const Fit& f) {
  e.bandwidth_efficiency = f.v[0];
  e.compute_efficiency = f.v[1];
  e.step_overhead_ms = f.v[2];
  e.sequence_overhead_us = f.v[3];
  if (f.n == 5)
    e.hbm_bandwidth_efficiency = f.v[4];
  else
    e.hbm_bandwidth_efficiency.reset();
  e.compute_scaling = f.v[5];
  e.layer_overhead_us = f.v[6];
  e.sequence_scaling = f.v[7];
  return e;
}

// Pseudo-Huber loss on log errors: relative (a 2x over-estimate weighs as a 2x under-estimate),
// quadratic near zero, linear beyond ~25%, so a few odd measurements cannot drag the fit.
double loss(const std::vector<const PreparedBenchmark*>& points, const Catalog& catalog, const EngineSpec& base,
            const Fit& f) {
  constexpr double kDelta = 0.25;
  const EngineSpec e = with_fit(base, f);
  double sum = 0;
  for (const PreparedBenchmark* p : points) {
    auto est = estimate_prepared(*p, catalog, e);
    if (!est || *est <= 0) continue;
    const double r = std::log(*est / p->benchmark->value) / kDelta;
    sum += std::sqrt(1 + r * r) - 1;
  }
  return sum;
}

// No engine reads memory faster than a plain device-to-device copy: 89% of the datasheet
// bandwidth on the H200 (shared/measurements, copy record; STREAM-like copies on HBM and GDDR
// reach ~90%). The bandwidth factors stop at 0.92, so a fit cannot hand the per-step overheads'
// time to an impossible memory speed. The per-sequence time shrinks on a faster GPU at most as its
// bandwidth grows (sequence_scaling 1: work on the GPU); past 1 it would shrink faster than any
// work could, which only a fit short of sources chooses (vLLM's V1 rows took 1.44).
constexpr double kLow[kFactors] = {0.2, 0.05, 0.0, 0.0, 0.2, 0.0, 0.0, 0.0};
constexpr double kHigh[kFactors] = {0.92, 1.0, 20.0, 200.0, 0.92, 0.8, 300.0, 1.0};

bool used(const Fit& f, int k) {
  return k < f.n || k >= 5;
}

Fit clamp(Fit f) {
  for (int k = 0; k < kFactors; ++k) {
    if (used(f, k)) f.v[k] = std::clamp(f.v[k], kLow[k], kHigh[k]);
  }
  return f;
}

// A coarse grid, then a shrinking coordinate search: deterministic and dependable on a
// problem of three or four parameters whose loss is cheap.
Fit fit(const std::vector<const PreparedBenchmark*>& points, const Catalog& catalog, const EngineSpec& base, bool hbm) {
  Fit best{{base.bandwidth_efficiency, base.compute_efficiency, base.step_overhead_ms, base.sequence_overhead_us,
            base.hbm_bandwidth_efficiency.value_or(base.bandwidth_efficiency), base.compute_scaling,
            base.layer_overhead_us, base.sequence_scaling},
           hbm ? 5 : 4};
  // Without batch-1 decode results the bandwidth efficiency is not identified (large-batch
  // serving is compute-bound): it keeps its value instead of drifting to a bound.
  const bool decode = std::any_of(points.begin(), points.end(),
                                  [](const PreparedBenchmark* p) { return p->benchmark->kind == "decode"; });
  best.free[0] = best.free[4] = decode;
  // The compute scaling (how the achieved share of the tensor peak falls on wider GPUs) is
  // identified only by prefill results: one engine's compute-bound work on GPUs of several widths.
  // Serving rows mix compute with per-step and per-sequence time and the sources' batch limits;
  // fitted on them it took up differences of vendor software instead (vLLM's V1 rows: MI300X's
  // ROCm results set it to 0.28, which cut an H200's FP8 prefill to 21% of its peak and made
  // 32,000-token prompts 1.75x slower than measured). Without prefill rows it is 0.
  const bool prefill = std::any_of(points.begin(), points.end(),
                                   [](const PreparedBenchmark* p) { return p->benchmark->kind == "prefill"; });
  best.free[5] = prefill;
  if (!prefill) best.v[5] = 0;
  // Free factors start from fixed values, not the stored ones: the fit then does not depend on
  // what engines.json held before (a stored optimum restarting the search would drift along the
  // flat directions of the loss, and --write would not reach a fixed point).
  constexpr double kStart[kFactors] = {0.8, 0.4, 1.0, 10.0, 0.6, 0.0, 0.0, 0.0};
  for (int k = 0; k < kFactors; ++k) {
    if (best.free[k]) best.v[k] = kStart[k];
  }
  best = clamp(best);
  double best_loss = loss(points, catalog, base, best);
  // A coarse grid over the two efficiencies (the overheads and the HBM factor start at typical
  // values), then a shrinking coordinate search over every free factor.
  for (double b = 0.3; b <= 1.0001; b += 0.1) {
    for (double c = 0.1; c <= 1.0001; c += 0.15) {
      for (double o : {0.5, 3.0}) {
        Fit f = best;
        const double v[kFactors] = {b, c, o, 10.0, b * 0.75, 0.0, 0.0, 0.0};
        for (int k = 0; k < kFactors; ++k) {
          if (f.free[k]) f.v[k] = v[k];
        }
        double l = loss(points, catalog, base, f);
        if (l < best_loss) best_loss = l, best = f;
      }
    }
  }
  double step[kFactors] = {0.05, 0.075, 1.0, 5.0, 0.05, 0.1, 20.0, 0.25};
  for (int round = 0; round < 200; ++round) {
    bool improved = false;
    for (int k = 0; k < kFactors; ++k) {
      if (!used(best, k) || !best.free[k]) continue;
      for (double dir : {-1.0, 1.0}) {
        Fit f = best;
        f.v[k] += dir * step[k];
        f = clamp(f);
        double l = loss(points, catalog, base, f);
        if (l < best_loss - 1e-12) best_loss = l, best = f, improved = true;
      }
    }
    if (!improved) {
      for (double& s : step) s /= 2;
      if (step[0] < 1e-4) break;
    }
  }
  return best;
}

// The HBM factor is fitted only where the data holds both kinds of memory, on at least two GPUs
// of each: otherwise it could only memorize one GPU.
bool fit_hbm(const std::vector<const PreparedBenchmark*>& points) {
  std::set<std::string> hbm, other;
  for (const auto* p : points) (has_hbm(p->scenario.gpu) ? hbm : other).insert(p->scenario.gpu.id);
  return hbm.size() >= 2 && other.size() >= 2;
}

std::string describe(const ValidationGroup& g) {
  return "n=" + std::to_string(g.n) + ", median " + detail::fixed(g.median_abs_pct, 1) + "%, p90 " +
         detail::fixed(g.p90_abs_pct, 1) + "%, bias " + (g.bias_pct >= 0 ? "+" : "") + detail::fixed(g.bias_pct, 1) +
         "%";
}

}  // namespace

std::string source_group(const Benchmark& b) {
  return source_group(b.source);
}

std::string source_group(const std::string& source) {
  std::string s = source.substr(0, source.find_first_of(" ("));
  for (const char* scheme : {"https://", "http://"}) {
    if (s.rfind(scheme, 0) == 0) s = s.substr(std::char_traits<char>::length(scheme));
  }
  if (s == source || s.find('/') == std::string::npos) {
    // Not a URL: a named measurement or document, up to its first colon.
    return source.substr(0, source.find(':'));
  }
  if (s.rfind("www.", 0) == 0) s = s.substr(4);
  std::vector<std::string> parts;
  for (std::size_t i = 0; i <= s.size();) {
    std::size_t j = s.find('/', i);
    if (j == std::string::npos) j = s.size();
    parts.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  std::string host = parts[0];
  if (host == "github.com" && parts.size() >= 3) {
    // One repository, whoever's fork: the repository's name, less a version suffix ("-v2").
    std::string repo = parts[2];
    for (char& c : repo) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (repo.size() > 3 && repo[repo.size() - 3] == '-' && repo[repo.size() - 2] == 'v' &&
        std::isdigit(static_cast<unsigned char>(repo.back()))) {
      repo.resize(repo.size() - 3);
    }
    // Names too generic to stand alone keep their owner.
    if (repo == "benchmarks" || repo == "benchmark") repo = parts[1] + "/" + repo;
    return "github:" + repo;
  }
  if (host == "gist.github.com" && parts.size() >= 3) return "gist:" + parts[1] + "/" + parts[2];
  return host;  // one web site
}

std::string report_kind(const Benchmark& b) {
  if (b.kind == "decode" && b.batch_size.value_or(1) > 1) return "decode_batched";
  return b.kind;
}

std::optional<PowerCalibration> calibrate_power(const Catalog& catalog) {
  std::vector<PowerSample> samples;
  std::vector<const Benchmark*> rows;
  for (const Benchmark& b : catalog.benchmarks) {
    if (b.kind != "power") continue;
    const PreparedBenchmark p = prepare_benchmark(b, catalog);
    if (!p.why_not.empty()) continue;
    auto a = power_activity(p, catalog, p.scenario.engine);
    if (!a) continue;
    samples.push_back({catalog.gpu(b.gpu), *a, b.gpu_count, b.value});
    rows.push_back(&b);
  }
  if (samples.size() < 3) return std::nullopt;
  PowerCalibration out;
  out.points = samples.size();
  out.curve = fit_power_curve(samples);
  std::set<std::string> sources;
  for (const Benchmark* b : rows) sources.insert(source_group(*b));
  out.sources.assign(sources.begin(), sources.end());
  auto point = [&](std::size_t i, const PowerCurve& c) {
    const double est = estimate_w(samples[i], c);
    return ValidationPoint{rows[i], est, (est - rows[i]->value) / rows[i]->value * 100};
  };
  std::vector<ValidationPoint> in_sample;
  for (std::size_t i = 0; i < samples.size(); ++i) in_sample.push_back(point(i, out.curve));
  out.in_sample = summarize(in_sample, "power", "all");
  for (const std::string& source : out.sources) {
    std::vector<PowerSample> train;
    for (std::size_t i = 0; i < samples.size(); ++i) {
      if (source_group(*rows[i]) != source) train.push_back(samples[i]);
    }
    if (train.size() < 3) continue;
    const PowerCurve c = fit_power_curve(train);
    for (std::size_t i = 0; i < samples.size(); ++i) {
      if (source_group(*rows[i]) == source) out.held_out.push_back(point(i, c));
    }
  }
  out.cross_validated = summarize(out.held_out, "power", "all");
  return out;
}

bool has_decode_benchmarks(const Catalog& catalog, const std::string& engine_id) {
  return std::any_of(catalog.benchmarks.begin(), catalog.benchmarks.end(), [&](const Benchmark& b) {
    return b.engine == engine_id && b.kind == "decode" && b.excluded.empty();
  });
}

namespace {

// The engine's rows the fits use: decode, prefill and serving results it can estimate.
std::vector<PreparedBenchmark> fitted_rows(const Catalog& catalog, const std::string& engine_id) {
  std::vector<PreparedBenchmark> prepared;
  for (const Benchmark& b : catalog.benchmarks) {
    if (b.engine != engine_id || !fitted_kind(b.kind)) continue;
    PreparedBenchmark p = prepare_benchmark(b, catalog);
    if (p.why_not.empty()) prepared.push_back(std::move(p));
  }
  return prepared;
}

// One fold of the leave-one-source-out: the factors fitted on `train`, the HBM factor only where
// all rows and the fold's alike hold both kinds of memory.
EngineSpec fit_fold(const std::vector<const PreparedBenchmark*>& all,
                    const std::vector<const PreparedBenchmark*>& train, const Catalog& catalog,
                    const EngineSpec& base) {
  return with_fit(base, fit(train, catalog, base, fit_hbm(all) && fit_hbm(train)));
}

}  // namespace

std::optional<EngineSpec> fit_engine_without_source(const Catalog& catalog, const std::string& engine_id,
                                                    const std::string& source) {
  const Engine* base = catalog.engine(engine_id);
  if (!base) return std::nullopt;
  // The stored engine is the base, as in calibrate_engine: its factors that the rows cannot
  // identify (a bandwidth prior) stay; the free ones are fitted from fixed starting values.
  const std::vector<PreparedBenchmark> prepared = fitted_rows(catalog, engine_id);
  std::vector<const PreparedBenchmark*> all, train;
  for (const auto& p : prepared) {
    all.push_back(&p);
    if (source_group(*p.benchmark) != source) train.push_back(&p);
  }
  if (all.size() < 3 || train.size() < 3) return std::nullopt;
  return fit_fold(all, train, catalog, *base);
}

std::optional<CalibrationResult> calibrate_engine(const Catalog& catalog, const std::string& engine_id,
                                                  std::optional<double> bandwidth_prior) {
  const Engine* found = catalog.engine(engine_id);
  if (!found) return std::nullopt;
  EngineSpec prior = *found;
  if (bandwidth_prior) prior.bandwidth_efficiency = *bandwidth_prior;
  const EngineSpec* base = &prior;
  const std::vector<PreparedBenchmark> prepared = fitted_rows(catalog, engine_id);
  if (prepared.size() < 3) return std::nullopt;
  std::vector<const PreparedBenchmark*> all;
  std::set<std::string> gpus, sources;
  for (const auto& p : prepared) {
    all.push_back(&p);
    gpus.insert(p.benchmark->gpu);
    sources.insert(source_group(*p.benchmark));
  }
  CalibrationResult out;
  out.points = all.size();
  out.gpus.assign(gpus.begin(), gpus.end());
  out.sources.assign(sources.begin(), sources.end());
  const bool hbm = fit_hbm(all);
  const Fit f = fit(all, catalog, *base, hbm);
  static_cast<EngineSpec&>(out.engine) = with_fit(*base, f);
  out.engine.fitted_on.clear();
  for (const auto* p : all) out.engine.fitted_on.push_back(p->benchmark->id);

  auto errors = [&](const std::vector<const PreparedBenchmark*>& points, const EngineSpec& e,
                    std::map<std::string, std::vector<ValidationPoint>>& by_kind) {
    for (const auto* p : points) {
      auto est = estimate_prepared(*p, catalog, e);
      if (!est) continue;
      by_kind[report_kind(*p->benchmark)].push_back(
          {p->benchmark, *est, (*est - p->benchmark->value) / p->benchmark->value * 100});
    }
  };
  std::map<std::string, std::vector<ValidationPoint>> in_sample, held_out;
  errors(all, out.engine, in_sample);
  // Leave one source out: fit on the others, predict the left-out source's results (rows of one
  // source share a method, a harness and often a GPU: kept in both fit and test they flatter it).
  for (const std::string& source : out.sources) {
    std::vector<const PreparedBenchmark*> train, test;
    for (const auto* p : all) (source_group(*p->benchmark) == source ? test : train).push_back(p);
    if (train.size() < 3) continue;
    errors(test, fit_fold(all, train, catalog, *base), held_out);
  }
  out.engine.validation.clear();
  out.engine.error_pct.clear();
  for (auto& [kind, points] : in_sample) out.in_sample[kind] = summarize(points, kind, engine_id);
  for (auto& [kind, points] : held_out) {
    out.held_out.insert(out.held_out.end(), points.begin(), points.end());
    out.cross_validated[kind] = summarize(points, kind, engine_id);
    out.engine.validation[kind] = "leave-one-source-out: " + describe(out.cross_validated[kind]);
    out.engine.error_pct[kind] = out.cross_validated[kind].median_abs_pct;
  }
  // A kind whose rows all come from one source has nothing to hold out: its in-sample error is
  // stated, and said to be one.
  for (auto& [kind, g] : out.in_sample) {
    if (out.engine.validation.count(kind)) continue;
    out.engine.validation[kind] = "in sample only (every row from one source, none held out): " + describe(g);
    out.engine.error_pct[kind] = g.median_abs_pct;
  }
  return out;
}

}  // namespace gpufit
