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
using detail::JsonWriter;
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

// Reads one scenario, evaluates it and writes its result; an error leaves `w` as it was given.
std::optional<Error> evaluate_into(JsonWriter& w, const json& object, const Catalog& catalog, const std::string& path,
                                   bool compact) {
  auto s = detail::read_scenario(object, catalog, path);
  if (!s) return s.error();
  Result r = evaluate(s.value(), catalog, !compact);
  detail::write_result(w, r, compact);
  return std::nullopt;
}

}  // namespace

Outcome<std::string> evaluate_json(std::string_view scenarios, const Catalog& catalog) {
  auto parsed = detail::parse_json(scenarios, "scenario");
  if (!parsed) return parsed.error();
  const json& j = parsed.value();
  JsonWriter w;
  if (j.is_array()) {
    if (j.size() > kMaxScenarios) {
      return Error{"too_large", "scenario", "holds " + std::to_string(j.size()) + " scenarios, more than the " +
                                                std::to_string(kMaxScenarios) + " accepted"};
    }
    w.begin_array();
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (auto e = evaluate_into(w, j[i], catalog, "[" + std::to_string(i) + "]", false)) return *e;
    }
    w.end_array();
    return w.take();
  }
  if (auto e = evaluate_into(w, j, catalog, "", false)) return *e;
  return w.take();
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
  JsonWriter w;
  w.begin_object();
  w.field("by", rank_by_name(ranking.by));
  w.field("statement", ranking.statement);
  w.key("winner");
  if (ranking.winner) detail::write_rank_row(w, ranking.rows[*ranking.winner]); else w.null();
  w.key("runner_up");
  if (ranking.runner_up) detail::write_rank_row(w, ranking.rows[*ranking.runner_up]); else w.null();
  w.field("margin_pct", ranking.margin_pct);
  w.key("rows").begin_array();
  for (const RankRow& r : ranking.rows) detail::write_rank_row(w, r);
  w.end_array();
  w.end_object();
  return w.take();
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
  JsonWriter w;
  w.begin_array();
  for (const auto& v : vals.value()) {
    json s = base;
    s[f] = v;
    if (auto e = evaluate_into(w, s, catalog, "", true)) return *e;
  }
  w.end_array();
  return w.take();
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
