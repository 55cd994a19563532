#include "gpufit/serving_load_validation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "gpufit/benchmark_estimate.hpp"
#include "gpufit/validation.hpp"

namespace gpufit {

namespace {

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * (v.size() - 1);
  const std::size_t i = static_cast<std::size_t>(pos);
  return i + 1 < v.size() ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
}

LoadErrorSummary errors(const std::vector<double>& signed_pct) {
  LoadErrorSummary s;
  s.n = signed_pct.size();
  if (s.n == 0) return s;
  std::vector<double> abs_pct;
  for (double e : signed_pct) abs_pct.push_back(std::fabs(e));
  s.median_abs_pct = percentile(abs_pct, 0.5);
  s.p90_abs_pct = percentile(abs_pct, 0.9);
  s.bias_pct = percentile(signed_pct, 0.5);
  return s;
}

LoadValidationGroup summarize(const std::vector<const LoadValidationPoint*>& points) {
  LoadValidationGroup g;
  std::vector<double> tps, tpot, ttft;
  for (const auto* p : points) {
    if (p->throughput_error_pct) tps.push_back(*p->throughput_error_pct);
    if (p->tpot_error_pct) tpot.push_back(*p->tpot_error_pct);
    if (p->ttft_ratio) ttft.push_back(*p->ttft_ratio);
  }
  g.throughput = errors(tps);
  g.tpot = errors(tpot);
  g.ttft.n = ttft.size();
  if (!ttft.empty()) {
    const auto within = std::count_if(ttft.begin(), ttft.end(), [](double r) { return r >= 0.5 && r <= 2; });
    g.ttft.within_2x_share = double(within) / ttft.size();
    g.ttft.median_ratio = percentile(ttft, 0.5);
  }
  return g;
}

// Sources an engine's fit has seen: those of the benchmarks in its fitted_on, as the fits group
// them (source_group: a repository at any commit, a web site, a named measurement).
std::set<std::string> fitted_sources(const Catalog& catalog, const Engine& e) {
  const std::set<std::string> ids(e.fitted_on.begin(), e.fitted_on.end());
  std::set<std::string> out;
  for (const Benchmark& b : catalog.benchmarks) {
    if (ids.count(b.id)) out.insert(source_group(b));
  }
  return out;
}

}  // namespace

LoadValidation validate_serving_load(const Catalog& catalog) {
  LoadValidation v;
  std::map<std::string, std::set<std::string>> seen_by_engine;
  std::map<std::pair<std::string, std::string>, std::optional<EngineSpec>> refits;  // by engine and source
  for (const Benchmark& b : catalog.benchmarks) {
    if (b.kind != "serving_load") continue;
    const PreparedBenchmark prep = prepare_benchmark(b, catalog);
    if (!prep.why_not.empty()) {
      v.skipped.emplace_back(&b, prep.why_not);
      continue;
    }
    Setup s = prep.scenario;
    auto it = seen_by_engine.find(b.engine);
    if (it == seen_by_engine.end()) {
      // The catalog's entry: a prepared scenario's engine carries no provenance (prepare_benchmark).
      const Engine* e = catalog.engine(b.engine);
      it = seen_by_engine.emplace(b.engine, e ? fitted_sources(catalog, *e) : std::set<std::string>{}).first;
    }
    const std::string group = source_group(b);
    LoadValidationPoint p;
    p.benchmark = &b;
    p.source_in_fit = it->second.count(group) > 0;
    if (p.source_in_fit) {
      // Predicted by the engine refitted without this source's rows, so that every point is held
      // out: rows of a source the fit used would otherwise be estimated in sample.
      auto refit = refits.find({b.engine, group});
      if (refit == refits.end()) {
        refit =
            refits.emplace(std::make_pair(b.engine, group), fit_engine_without_source(catalog, b.engine, group)).first;
      }
      if (!refit->second) {
        v.skipped.emplace_back(&b, "its engine has too few rows from other sources to fit without this one");
        continue;
      }
      s.engine = *refit->second;
    }
    p.estimate = serving_load(s, catalog, *s.load);
    if (p.estimate.requests == 0) {
      v.skipped.emplace_back(&b, "no KV cache fits by the calculator's account");
      continue;
    }
    const ServingLoad& e = p.estimate;
    p.throughput_error_pct = (e.output_tokens_per_s - b.value) / b.value * 100;
    if (b.tpot_mean_ms) {
      p.tpot_error_pct = (e.tpot_ms.mean - *b.tpot_mean_ms) / *b.tpot_mean_ms * 100, p.tpot_stat = "mean";
    } else if (b.tpot_p50_ms) {
      p.tpot_error_pct = (e.tpot_ms.p50 - *b.tpot_p50_ms) / *b.tpot_p50_ms * 100, p.tpot_stat = "p50";
    }
    if (b.ttft_p50_ms) {
      p.ttft_ratio = e.ttft_ms.p50 / *b.ttft_p50_ms, p.ttft_stat = "p50";
    } else if (b.ttft_mean_ms) {
      p.ttft_ratio = e.ttft_ms.mean / *b.ttft_mean_ms, p.ttft_stat = "mean";
    }
    v.points.push_back(std::move(p));
  }
  // Per source (its rows' source_group: every file of one repository together), in data order; then
  // the sources no fit has seen, and all (each predicted without its source).
  std::vector<std::string> order;
  for (const auto& p : v.points) {
    const std::string group = source_group(*p.benchmark);
    if (std::find(order.begin(), order.end(), group) == order.end()) order.push_back(group);
  }
  std::vector<const LoadValidationPoint*> held, every;
  for (const auto& source : order) {
    std::vector<const LoadValidationPoint*> mine;
    for (const auto& p : v.points) {
      if (source_group(*p.benchmark) == source) mine.push_back(&p);
    }
    LoadValidationGroup g = summarize(mine);
    g.source = source;
    g.engine = mine.front()->benchmark->engine;
    g.source_in_fit = mine.front()->source_in_fit;
    v.sources.push_back(g);
    for (const auto* p : mine) {
      every.push_back(p);
      if (!p->source_in_fit) held.push_back(p);
    }
  }
  v.held_out = summarize(held);
  v.all = summarize(every);
  return v;
}

}  // namespace gpufit
