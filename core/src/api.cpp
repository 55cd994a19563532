#include "gpufit/api.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "gpufit/evaluate.hpp"
#include "gpufit/rank.hpp"
#include "gpufit/scenario_read.hpp"
#include "gpufit/validation.hpp"
#include "json_read.hpp"
#include "result_json.hpp"
#include "scenario_json.hpp"

namespace gpufit {

using detail::FieldReader;
using detail::json;
using detail::show;

namespace {

constexpr std::size_t kMaxScenarios = 10000;
constexpr std::size_t kMaxSweepValues = 2000;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json number(double v) {
  if (!std::isfinite(v)) return nullptr;
  if (v == std::floor(v) && std::fabs(v) < 9e15) return static_cast<long long>(v);
  return v;
}
json opt(const std::optional<double>& v) { return v ? number(*v) : json(nullptr); }

Outcome<json> evaluate_one(const json& object, const Catalog& catalog, const std::string& path, bool compact) {
  auto s = detail::read_scenario(object, catalog, path);
  if (!s) return s.error();
  Result r = evaluate(s.value(), catalog);
  return detail::result_to_json(r, compact);
}

json row_to_json(const RankRow& r) {
  return {{"gpu", r.gpu},
          {"gpu_name", r.gpu_name},
          {"gpu_count", r.gpu_count},
          {"weights", r.weights},
          {"fits", r.fits},
          {"reason", r.reason.empty() ? json(nullptr) : json(r.reason)},
          {"batch_size", number(r.batch_size)},
          {"memory_total_gb", number(r.memory_total_gb)},
          {"memory_available_gb", number(r.memory_available_gb)},
          {"tokens_per_s", number(r.tokens_per_s)},
          {"tokens_per_s_per_sequence", number(r.tokens_per_s_per_sequence)},
          {"time_per_output_token_ms", number(r.time_per_output_token_ms)},
          {"ttft_s", number(r.ttft_s)},
          {"watts", number(r.watts)},
          {"usd_per_hour", opt(r.usd_per_hour)},
          {"usd_per_million_tokens", opt(r.usd_per_million_tokens)},
          {"tokens_per_s_per_usd_per_hour", opt(r.tokens_per_s_per_usd_per_hour)},
          {"bound", r.bound},
          {"warnings", r.warnings}};
}

}  // namespace

Outcome<std::string> evaluate_json(std::string_view scenarios, const Catalog& catalog) {
  auto parsed = detail::parse_json(scenarios, "scenario");
  if (!parsed) return parsed.error();
  const json& j = parsed.value();
  if (j.is_array()) {
    if (j.size() > kMaxScenarios) {
      return Error{"too_large", "scenario", "holds " + std::to_string(j.size()) + " scenarios, more than the " +
                                                std::to_string(kMaxScenarios) + " accepted"};
    }
    json out = json::array();
    for (std::size_t i = 0; i < j.size(); ++i) {
      auto r = evaluate_one(j[i], catalog, "[" + std::to_string(i) + "]", false);
      if (!r) return r.error();
      out.push_back(std::move(r).value());
    }
    return dump(out);
  }
  auto r = evaluate_one(j, catalog, "", false);
  if (!r) return r.error();
  return dump(r.value());
}

Outcome<std::string> rank_json(std::string_view scenario, std::string_view options, const Catalog& catalog) {
  auto s = read_scenario_json(scenario, catalog);
  if (!s) return s.error();
  RankOptions o;
  if (!options.empty()) {
    auto parsed = detail::parse_json(options, "options");
    if (!parsed) return parsed.error();
    FieldReader r(parsed.value(), "options", ".");
    if (auto by = r.opt_string("by")) {
      auto b = rank_by_from_name(*by);
      if (!b) {
        r.fail("invalid_value", "by",
               "must be usd_per_million_tokens, tokens_per_s, latency, watts or gpus, got " + show(json(*by)));
      } else {
        o.by = *b;
      }
    }
    if (const json* counts = r.opt_array("counts")) {
      for (const auto& c : *counts) {
        if (!c.is_number_integer() || c.get<long long>() < 1 || c.get<long long>() > 64) {
          r.fail("invalid_value", "counts", "must hold GPU counts from 1 to 64, got " + show(c));
          break;
        }
        o.counts.push_back(c.get<int>());
      }
    }
    o.formats = r.opt_string_array("formats");
    for (const auto& f : o.formats) {
      if (r.ok() && !catalog.weight_format(f)) r.fail("unknown_id", "formats", "unknown weight format " + show(json(f)));
    }
    o.gpus = r.opt_string_array("gpus");
    for (const auto& g : o.gpus) {
      if (r.ok() && !catalog.gpu(g)) r.fail("unknown_id", "gpus", "unknown GPU " + show(json(g)));
    }
    std::string batch = r.opt_string("batch").value_or("scenario");
    if (r.ok() && batch != "scenario" && batch != "max_fit") {
      r.fail("invalid_value", "batch", "must be \"scenario\" or \"max_fit\", got " + show(json(batch)));
    }
    o.batch_max_fit = batch == "max_fit";
    o.max_batch = r.opt_count("max_batch", 1e6).value_or(o.max_batch);
    r.reject_unknown();
    if (!r.ok()) return r.error();
  }
  Ranking ranking = rank(s.value(), catalog, o);
  json out = json::object();
  out["by"] = std::string(rank_by_name(ranking.by));
  out["statement"] = ranking.statement;
  out["winner"] = ranking.winner ? row_to_json(ranking.rows[*ranking.winner]) : json(nullptr);
  out["runner_up"] = ranking.runner_up ? row_to_json(ranking.rows[*ranking.runner_up]) : json(nullptr);
  out["margin_pct"] = opt(ranking.margin_pct);
  json rows = json::array();
  for (const RankRow& r : ranking.rows) rows.push_back(row_to_json(r));
  out["rows"] = std::move(rows);
  return dump(out);
}

Outcome<std::string> sweep_json(std::string_view scenario, std::string_view field, std::string_view values,
                                const Catalog& catalog) {
  auto parsed = detail::parse_json(scenario, "scenario");
  if (!parsed) return parsed.error();
  json base = parsed.value();
  if (!base.is_object()) return Error{"invalid_value", "scenario", "must be an object, got " + show(base)};
  const auto& names = scenario_field_names();
  std::string f(field);
  if (std::find(names.begin(), names.end(), f) == names.end()) {
    return Error{"unknown_field", "field", "unknown scenario field " + show(json(f))};
  }
  auto vals = detail::parse_json(values, "values");
  if (!vals) return vals.error();
  if (!vals.value().is_array() || vals.value().size() > kMaxSweepValues) {
    return Error{"invalid_value", "values",
                 "must be an array of at most " + std::to_string(kMaxSweepValues) + " values"};
  }
  json out = json::array();
  for (const auto& v : vals.value()) {
    json s = base;
    s[f] = v;
    auto r = evaluate_one(s, catalog, "", true);
    if (!r) return r.error();
    out.push_back(std::move(r).value());
  }
  return dump(out);
}

Outcome<std::string> catalog_json(const Catalog& catalog, std::string_view kind) {
  if (kind == "all") {
    std::string out = "{";
    bool first = true;
    for (const auto& [k, text] : catalog.entries_json) {
      out += (first ? "\"" : ",\"") + k + "\":" + text;
      first = false;
    }
    return out + "}";
  }
  auto it = catalog.entries_json.find(std::string(kind));
  if (it == catalog.entries_json.end()) {
    std::string known;
    for (const auto& [k, text] : catalog.entries_json) known += (known.empty() ? "" : ", ") + k;
    return Error{"unknown_id", "kind", "unknown catalog kind " + show(json(std::string(kind))) + " (known: " + known + ")"};
  }
  return it->second;
}

namespace {

json point_json(const ValidationPoint& p) {
  const Benchmark& b = *p.benchmark;
  return {{"id", b.id},       {"kind", b.kind},   {"engine", b.engine},     {"gpu", b.gpu},
          {"gpu_count", b.gpu_count}, {"model", b.model}, {"weights", b.weights},
          {"measured", number(b.value)}, {"estimate", number(p.estimate)}, {"error_pct", number(p.error_pct)},
          {"source", b.source}, {"date", b.date}};
}

json group_json(const ValidationGroup& g) {
  json worst = json::array();
  for (const auto& p : g.worst) worst.push_back(point_json(p));
  return {{"kind", g.kind},
          {"engine", g.engine},
          {"n", g.n},
          {"median_abs_pct", number(g.median_abs_pct)},
          {"p90_abs_pct", number(g.p90_abs_pct)},
          {"bias_pct", number(g.bias_pct)},
          {"worst", worst}};
}

}  // namespace

Outcome<std::string> validation_json(const Catalog& catalog) {
  const Validation v = validate(catalog);
  json groups = json::array(), points = json::array(), skipped = json::array();
  for (const auto& g : v.groups) groups.push_back(group_json(g));
  for (const auto& p : v.points) points.push_back(point_json(p));
  for (const auto& [b, why] : v.skipped) skipped.push_back({{"id", b->id}, {"kind", b->kind}, {"why", why}});
  return dump({{"groups", groups}, {"points", points}, {"skipped", skipped}});
}

Outcome<std::string> calibration_json(const Catalog& catalog, const std::vector<std::string>& engine_ids) {
  std::vector<std::string> ids = engine_ids;
  if (ids.empty()) {
    for (const Engine& e : catalog.engines) {
      if (e.id != "ideal" && e.id != kTrainingEngine) ids.push_back(e.id);
    }
  }
  for (const auto& id : ids) {
    if (!catalog.engine(id)) return Error{"unknown_id", "engines", "unknown engine " + show(json(id))};
  }
  // Engines with decode results first: the mean of their fitted bandwidth efficiencies stands in
  // for engines whose data cannot identify one (only large-batch serving, which is compute-bound).
  std::stable_partition(ids.begin(), ids.end(), [&](const std::string& id) { return has_decode_benchmarks(catalog, id); });
  std::vector<double> fitted_bandwidths;
  std::map<std::string, std::vector<ValidationPoint>> overall;  // every engine's held-out points, by kind
  json engines = json::array();
  for (const auto& id : ids) {
    std::optional<double> prior;
    const bool identified = has_decode_benchmarks(catalog, id);
    if (!identified && !fitted_bandwidths.empty()) {
      double sum = 0;
      for (double b : fitted_bandwidths) sum += b;
      prior = sum / static_cast<double>(fitted_bandwidths.size());
    }
    auto r = calibrate_engine(catalog, id, prior);
    if (r && identified) fitted_bandwidths.push_back(r->engine.bandwidth_efficiency);
    if (!r) {
      engines.push_back({{"id", id}, {"fit", nullptr}, {"why", "fewer than 3 benchmarks with an estimate"}});
      continue;
    }
    for (const auto& p : r->held_out) overall[p.benchmark->kind].push_back(p);
    json in_sample = json::object(), cv = json::object();
    for (const auto& [kind, g] : r->in_sample) in_sample[kind] = group_json(g);
    for (const auto& [kind, g] : r->cross_validated) cv[kind] = group_json(g);
    json validation = json::object(), error_pct = json::object();
    for (const auto& [k, v] : r->engine.validation) validation[k] = v;
    for (const auto& [k, v] : r->engine.error_pct) error_pct[k] = number(v);
    engines.push_back({{"id", id},
                       {"points", r->points},
                       {"gpus", r->gpus},
                       {"fit",
                        {{"bandwidth_efficiency", number(r->engine.bandwidth_efficiency)},
                         {"hbm_bandwidth_efficiency", opt(r->engine.hbm_bandwidth_efficiency)},
                         {"compute_efficiency", number(r->engine.compute_efficiency)},
                         {"compute_scaling", number(r->engine.compute_scaling)},
                         {"step_overhead_ms", number(r->engine.step_overhead_ms)},
                         {"sequence_overhead_us", number(r->engine.sequence_overhead_us)},
                         {"fitted_on", r->engine.fitted_on},
                         {"validation", validation},
                         {"error_pct", error_pct},
                         {"fit", identified ? "least squares (pseudo-Huber on log errors) over decode, prefill and serving"
                                            : "no batch-1 decode results: bandwidth efficiency held at the mean of the "
                                              "engines fitted with them; compute efficiency and overhead fitted"}}},
                       {"in_sample", in_sample},
                       {"cross_validated", cv}});
  }
  json all = json::object();
  for (auto& [kind, points] : overall) all[kind] = group_json(summarize(points, kind, "all"));
  return dump({{"engines", engines}, {"cross_validated", all}});
}

}  // namespace gpufit
