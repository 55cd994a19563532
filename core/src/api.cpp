#include "gpufit/api.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "gpufit/chart_sweeps.hpp"
#include "gpufit/evaluate.hpp"
#include "gpufit/permalink.hpp"
#include "gpufit/rank.hpp"
#include "gpufit/scenario_read.hpp"
#include "gpufit/serving_load_validation.hpp"
#include "gpufit/validation.hpp"
#include "json_read.hpp"
#include "result_json.hpp"
#include "scenario_json.hpp"
#include "scenario_schema.hpp"

namespace gpufit {

using detail::FieldReader;
using detail::Json;
using detail::JsonWriter;
using detail::show;

namespace {

constexpr std::size_t kMaxScenarios = 10000;
constexpr std::size_t kMaxSweepValues = 2000;
constexpr std::size_t kMaxSweeps = 16;
constexpr std::size_t kMaxCompare = 8;

Outcome<Scenario> scenario_of(const Json& object, const std::string& path, std::string_view today) {
  auto s = detail::read_scenario(object, path);
  if (s && s.value().as_of_date.empty()) s.value().as_of_date = std::string(today);
  return s;
}

Outcome<Setup> setup_of(const Json& object, const Catalog& catalog, const std::string& path, std::string_view today) {
  auto s = scenario_of(object, path, today);
  if (!s) return s.error();
  return resolve(s.value(), catalog, path);
}

Outcome<RankOptions> read_rank_options(const Json& object, const std::string& path, const std::string& input,
                                       const Catalog& catalog) {
  RankOptions o;
  FieldReader r(object, path, input);
  if (auto by = r.opt_string("by")) {
    auto b = rank_by_from_name(*by);
    if (!b) {
      r.fail("invalid_value", "by",
             "must be usd_per_million_tokens, tokens_per_s, latency, watts or gpus, got " + show(*by));
    } else {
      o.by = *b;
    }
  }
  if (const Json* counts = r.opt_array("counts")) {
    for (const Json& c : counts->items()) {
      if (!c.is_number_integer() || c.as_number() < 1 || c.as_number() > 64) {
        r.fail("invalid_value", "counts", "must hold GPU counts from 1 to 64, got " + show(c));
        break;
      }
      o.counts.push_back(static_cast<int>(c.as_number()));
    }
  }
  o.formats = r.opt_string_array("formats");
  for (const auto& f : o.formats) {
    if (r.ok() && !catalog.weight_format(f)) r.fail("unknown_id", "formats", "unknown weight format " + show(f));
  }
  o.gpus = r.opt_string_array("gpus");
  for (const auto& g : o.gpus) {
    if (r.ok() && !catalog.gpu(g)) r.fail("unknown_id", "gpus", "unknown GPU " + show(g));
  }
  const std::string batch = r.opt_string("batch").value_or("scenario");
  if (r.ok() && batch != "scenario" && batch != "max_fit") {
    r.fail("invalid_value", "batch", "must be scenario or max_fit, got " + show(batch));
  }
  o.batch_max_fit = batch == "max_fit";
  o.max_batch = r.opt_count("max_batch", 1e6).value_or(o.max_batch);
  o.mig = r.opt_bool("mig").value_or(false);
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return o;
}

void write_ranking(JsonWriter& w, const Ranking& ranking) {
  w.begin_object();
  w.field("by", rank_by_name(ranking.by));
  w.field("statement", ranking.statement);
  w.key("winner");
  if (ranking.winner)
    detail::write_rank_row(w, ranking.rows[*ranking.winner]);
  else
    w.null();
  w.key("runner_up");
  if (ranking.runner_up)
    detail::write_rank_row(w, ranking.rows[*ranking.runner_up]);
  else
    w.null();
  w.field("margin_pct", ranking.margin_pct);
  w.key("rows").begin_array();
  for (const RankRow& r : ranking.rows) detail::write_rank_row(w, r);
  w.end_array();
  w.end_object();
}

bool is_scenario_field(std::string_view name) {
  for (const auto& b : detail::scenario_table()) {
    if (b.spec.name == name) return true;
  }
  return false;
}

// The scenario object with one member replaced (or added).
Json with_member(const Json& object, std::string_view key, const Json& value) {
  std::vector<detail::JsonMember> members = object.members();
  auto it = std::find_if(members.begin(), members.end(), [&](const detail::JsonMember& m) { return m.key == key; });
  if (it != members.end())
    it->value = value;
  else
    members.push_back({std::string(key), value});
  return Json::object(std::move(members));
}

// A sweep varies one field of a scenario: each value is read as the scenario would read it (so
// it is checked exactly the same way, its errors pointing at the value), then resolved.
// A sweep of a field inside the scenario's "load" ("load.concurrency", "load.request_rate_per_s",
// "load.length_cv"): the load object with that member set; setting one kind of traffic drops the
// other, so a sweep over users may start from a scenario given a rate.
bool is_load_field(std::string_view field) {
  if (field.rfind("load.", 0) != 0) return false;
  for (const auto& b : detail::load_table()) {
    if (b.spec.name == field.substr(5)) return true;
  }
  return false;
}

Json with_load_member(const Json& base, std::string_view key, const Json& value) {
  std::vector<detail::JsonMember> members;
  if (const Json* load = base.find("load"); load && load->is_object()) {
    for (const auto& m : load->members()) {
      const bool other = (key == "concurrency" && m.key == "request_rate_per_s") ||
                         (key == "request_rate_per_s" && m.key == "concurrency");
      if (!other) members.push_back(m);
    }
  }
  return with_member(base, "load", with_member(Json::object(std::move(members)), key, value));
}

std::optional<Error> write_sweep(JsonWriter& w, const Json& base, std::string_view field, const Json& values,
                                 const Catalog& catalog, const std::string& values_path, const std::string& input,
                                 std::string_view today) {
  const bool load_field = is_load_field(field);
  if (!is_scenario_field(field) && !load_field) {
    return Error{"unknown_field", "", "unknown scenario field " + show(field), input == "values" ? "field" : input};
  }
  if (!values.is_array() || values.size() > kMaxSweepValues) {
    return Error{"invalid_value", values_path,
                 "must be an array of at most " + std::to_string(kMaxSweepValues) + " values", input};
  }
  w.begin_array();
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto s =
        setup_of(load_field ? with_load_member(base, field.substr(5), values[i]) : with_member(base, field, values[i]),
                 catalog, "", today);
    if (!s) {
      Error e = s.error();
      // An error in the varied field points at the value; others (the base scenario) stay as they are.
      const std::string at = load_field ? pointer(pointer("", "load"), field.substr(5)) : pointer("", field);
      if (e.path == at || e.path.rfind(at + "/", 0) == 0) {
        e.path = pointer(values_path, i) + e.path.substr(at.size());
        e.input = input;
      }
      return e;
    }
    detail::write_result(w, evaluate(s.value(), catalog, false), true);
  }
  w.end_array();
  return std::nullopt;
}

}  // namespace

Outcome<std::string> evaluate_json(std::string_view scenarios, const Catalog& catalog, std::string_view today) {
  auto parsed = detail::parse_json(scenarios, "scenario");
  if (!parsed) return parsed.error();
  const Json& j = parsed.value();
  JsonWriter w;
  if (j.is_array()) {
    if (j.size() > kMaxScenarios) {
      return Error{"too_large", "",
                   "holds " + std::to_string(j.size()) + " scenarios, more than the " + std::to_string(kMaxScenarios) +
                       " accepted",
                   "scenario"};
    }
    w.begin_array();
    for (std::size_t i = 0; i < j.size(); ++i) {
      auto s = setup_of(j[i], catalog, pointer("", i), today);
      if (!s) return s.error();
      detail::write_result(w, evaluate(s.value(), catalog), false);
    }
    w.end_array();
    return w.take();
  }
  auto s = setup_of(j, catalog, "", today);
  if (!s) return s.error();
  detail::write_result(w, evaluate(s.value(), catalog), false);
  return w.take();
}

Outcome<std::string> rank_json(std::string_view scenario, std::string_view options, const Catalog& catalog,
                               std::string_view today) {
  auto parsed = detail::parse_json(scenario, "scenario");
  if (!parsed) return parsed.error();
  auto s = setup_of(parsed.value(), catalog, "", today);
  if (!s) return s.error();
  RankOptions o;
  if (!options.empty()) {
    auto parsed_options = detail::parse_json(options, "options");
    if (!parsed_options) return parsed_options.error();
    auto read = read_rank_options(parsed_options.value(), "", "options", catalog);
    if (!read) return read.error();
    o = read.value();
  }
  JsonWriter w;
  write_ranking(w, rank(s.value(), catalog, o));
  return w.take();
}

Outcome<std::string> sweep_json(std::string_view scenario, std::string_view field, std::string_view values,
                                const Catalog& catalog, std::string_view today) {
  auto parsed = detail::parse_json(scenario, "scenario");
  if (!parsed) return parsed.error();
  if (!parsed.value().is_object())
    return Error{"invalid_value", "", "must be an object, got " + show(parsed.value()), "scenario"};
  auto vals = detail::parse_json(values, "values");
  if (!vals) return vals.error();
  JsonWriter w;
  if (auto e = write_sweep(w, parsed.value(), field, vals.value(), catalog, "", "values", today)) return *e;
  return w.take();
}

Outcome<std::string> update_json(std::string_view scenario, std::string_view views, const Catalog& catalog,
                                 std::string_view today) {
  auto parsed = detail::parse_json(scenario, "scenario");
  if (!parsed) return parsed.error();
  auto in = scenario_of(parsed.value(), "", today);
  if (!in) return in.error();
  auto setup = resolve(in.value(), catalog);
  if (!setup) return setup.error();
  const Setup& s = setup.value();

  auto vp = detail::parse_json(views.empty() ? std::string_view("{}") : views, "views");
  if (!vp) return vp.error();
  FieldReader v(vp.value(), "", "views");
  const bool want_result = v.opt_bool("result").value_or(true);
  const Json* rank_options = v.opt_object("rank");
  const Json* sweeps = v.opt_array("sweeps");
  const std::vector<std::string> compare = v.opt_string_array("compare");
  const bool want_permalink = v.opt_bool("permalink").value_or(false);
  const bool want_charts = v.opt_bool("charts").value_or(false);
  v.reject_unknown();
  if (!v.ok()) return v.error();
  if (sweeps && sweeps->size() > kMaxSweeps) {
    return Error{"too_large", "/sweeps", "holds more than " + std::to_string(kMaxSweeps) + " sweeps", "views"};
  }
  if (compare.size() > kMaxCompare) {
    return Error{"too_large", "/compare", "holds more than " + std::to_string(kMaxCompare) + " GPUs", "views"};
  }

  JsonWriter w;
  w.begin_object();
  if (want_result || want_charts) {
    const Result r = evaluate(s, catalog, want_result);
    if (want_result) {
      w.key("result");
      detail::write_result(w, r, false);
    }
    if (want_charts) {
      // The charts' sweeps, their values chosen from this result (chart_sweeps.hpp).
      w.key("charts").begin_array();
      for (const ChartSweep& c : chart_sweeps(s, r)) {
        std::vector<Json> values;
        w.begin_object().field("field", c.field).key("values").begin_array();
        for (double x : c.values) {
          w.number(x);
          values.push_back(Json::number(x, x == std::floor(x)));
        }
        w.end_array().key("results");
        if (auto e = write_sweep(w, parsed.value(), c.field, Json::array(std::move(values)), catalog, "/charts",
                                 "views", today)) {
          return *e;
        }
        w.end_object();
      }
      w.end_array();
    }
  }
  if (rank_options) {
    auto o = read_rank_options(*rank_options, "/rank", "views", catalog);
    if (!o) return o.error();
    w.key("rank");
    write_ranking(w, rank(s, catalog, o.value()));
  }
  if (sweeps) {
    w.key("sweeps").begin_array();
    for (std::size_t i = 0; i < sweeps->size(); ++i) {
      const std::string at = pointer("/sweeps", i);
      FieldReader sr((*sweeps)[i], at, "views");
      const std::string field = sr.string("field");
      const Json* values = sr.opt_array("values");
      sr.reject_unknown();
      if (!sr.ok()) return sr.error();
      if (!values) return Error{"missing_field", at + "/values", "is required (an array)", "views"};
      if (auto e = write_sweep(w, parsed.value(), field, *values, catalog, at + "/values", "views", today)) return *e;
    }
    w.end_array();
  }
  if (!compare.empty()) {
    // Each GPU at the fewest of 1, 2, 4, 8 that holds the scenario, as the ranking counts them.
    RankOptions o;
    o.gpus = compare;
    w.key("compare").begin_array();
    for (const std::string& id : compare) {
      const Gpu* g = catalog.gpu(id);
      if (!g) return Error{"unknown_id", "/compare", "unknown GPU " + show(id), "views"};
      o.gpus = {id};
      const Ranking r = rank(s, catalog, o);
      Scenario one = in.value();
      one.gpu_id = id;
      one.gpu_inline.reset();
      one.gpu_count = r.rows.empty() ? 1 : r.rows.front().gpu_count;
      auto e = resolve(one, catalog);
      if (!e) return e.error();
      detail::write_result(w, evaluate(e.value(), catalog, false), true);
    }
    w.end_array();
  }
  if (want_permalink) {
    auto q = query_from_scenario_json(scenario);
    if (!q) return q.error();
    w.field("permalink", q.value());
  }
  w.end_object();
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
    return Error{"unknown_id", "", "unknown catalog kind " + show(kind) + " (known: " + known + ")", "kind"};
  }
  return it->second;
}

namespace {

void write_point(JsonWriter& w, const ValidationPoint& p) {
  const Benchmark& b = *p.benchmark;
  w.begin_object()
      .field("id", b.id)
      .field("kind", b.kind)
      .field("engine", b.engine)
      .field("gpu", b.gpu)
      .field("gpu_count", b.gpu_count)
      .field("model", b.model)
      .field("weights", b.weights)
      .field("measured", b.value)
      .field("estimate", p.estimate)
      .field("error_pct", p.error_pct)
      .field("source", b.source)
      .field("date", b.date)
      .end_object();
}

void write_group(JsonWriter& w, const ValidationGroup& g) {
  w.begin_object()
      .field("kind", g.kind)
      .field("engine", g.engine)
      .field("n", static_cast<double>(g.n))
      .field("median_abs_pct", g.median_abs_pct)
      .field("p90_abs_pct", g.p90_abs_pct)
      .field("bias_pct", g.bias_pct);
  w.key("worst").begin_array();
  for (const auto& p : g.worst) write_point(w, p);
  w.end_array().end_object();
}

// The serving_load validation (serving_load_validation.hpp): per source, held out, all, points.
void write_load_group(JsonWriter& w, const LoadValidationGroup& g) {
  const auto errors = [&](const char* key, const LoadErrorSummary& e) {
    w.key(key)
        .begin_object()
        .field("n", static_cast<double>(e.n))
        .field("median_abs_pct", e.median_abs_pct)
        .field("p90_abs_pct", e.p90_abs_pct)
        .field("bias_pct", e.bias_pct)
        .end_object();
  };
  w.begin_object();
  if (!g.source.empty()) w.field("source", g.source).field("engine", g.engine).field("source_in_fit", g.source_in_fit);
  errors("throughput", g.throughput);
  errors("tpot", g.tpot);
  w.key("ttft")
      .begin_object()
      .field("n", static_cast<double>(g.ttft.n))
      .field("within_2x_share", g.ttft.within_2x_share)
      .field("median_ratio", g.ttft.median_ratio)
      .end_object();
  w.end_object();
}

void write_load_validation(JsonWriter& w, const LoadValidation& v) {
  w.key("serving_load").begin_object();
  w.key("held_out");
  write_load_group(w, v.held_out);
  w.key("all");
  write_load_group(w, v.all);
  w.key("sources").begin_array();
  for (const auto& g : v.sources) write_load_group(w, g);
  w.end_array();
  w.key("points").begin_array();
  for (const auto& p : v.points) {
    w.begin_object()
        .field("id", p.benchmark->id)
        .field("source", p.benchmark->source)
        .field("concurrency", p.benchmark->concurrency)
        .field("request_rate_per_s", p.benchmark->request_rate_per_s)
        .field("measured_tokens_per_s", p.benchmark->value)
        .field("estimate_tokens_per_s", p.estimate.output_tokens_per_s)
        .field("throughput_error_pct", p.throughput_error_pct)
        .field("tpot_error_pct", p.tpot_error_pct)
        .field("ttft_ratio", p.ttft_ratio)
        .field("tpot_stat", p.tpot_stat)
        .field("ttft_stat", p.ttft_stat)
        .field("estimate_ttft_p50_ms", p.estimate.ttft_ms.p50)
        .field("estimate_tpot_mean_ms", p.estimate.tpot_ms.mean)
        .field("saturated", p.estimate.saturated)
        .field("source_in_fit", p.source_in_fit)
        .end_object();
  }
  w.end_array();
  w.key("skipped").begin_array();
  for (const auto& [b, why] : v.skipped) w.begin_object().field("id", b->id).field("why", why).end_object();
  w.end_array();
  w.end_object();
}

}  // namespace

// {"workloads": [{"workload", "n", "sources", "median_abs_pct", "p90_abs_pct", "in_sample_median_abs_pct",
// "fit": {...}, "points": [{"id", "model", "gpu", "unit", "value", "estimate", "error_pct", "source"}]}]}
void write_workload_validation(JsonWriter& w, const Catalog& catalog) {
  w.key("workloads").begin_array();
  for (const WorkloadValidation& v : validate_workloads(catalog)) {
    w.begin_object()
        .field("workload", v.workload)
        .field("n", double(v.n))
        .field("sources", double(v.sources))
        .field("median_abs_pct", v.median_abs_pct)
        .field("p90_abs_pct", v.p90_abs_pct)
        .field("in_sample_median_abs_pct", v.in_sample_median_abs_pct)
        .field("method", std::string("cross-validated by source: each source's rows estimated by a fit on the others"));
    w.key("mig")
        .begin_object()
        .field("n", double(v.mig_n))
        .field("median_abs_pct", v.mig_median_abs_pct)
        .field("ratio_n", double(v.mig_ratio_n))
        .field("ratio_median_abs_pct", v.mig_ratio_median_abs_pct)
        .field("ratio_p90_abs_pct", v.mig_ratio_p90_abs_pct)
        .field("ratio_method", std::string("a slice row's figure over the whole card's at the same settings from the "
                                           "same source, estimated against measured"))
        .end_object();
    w.key("fit")
        .begin_object()
        .field("compute_efficiency", v.fit.compute_efficiency)
        .field("bandwidth_efficiency", v.fit.bandwidth_efficiency)
        .field("step_overhead_ms", v.fit.step_overhead_ms)
        .field("fitted_on", double(v.fit.fitted_on))
        .end_object();
    w.key("points").begin_array();
    for (const auto& p : v.points) {
      w.begin_object()
          .field("id", p.benchmark->id)
          .field("model", p.benchmark->model)
          .field("gpu", p.benchmark->gpu)
          .key("mig_profile")
          .string_or_null(p.benchmark->mig_profile)
          .field("engine", p.benchmark->engine)
          .field("unit", p.benchmark->unit)
          .field("value", p.benchmark->value)
          .field("estimate", p.estimate)
          .field("error_pct", p.error_pct)
          .field("source", p.benchmark->source)
          .end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
}

Outcome<std::string> validation_json(const Catalog& catalog) {
  const Validation v = validate(catalog);
  JsonWriter w;
  w.begin_object();
  w.key("groups").begin_array();
  for (const auto& g : v.groups) write_group(w, g);
  w.end_array();
  w.key("points").begin_array();
  for (const auto& p : v.points) write_point(w, p);
  w.end_array();
  w.key("skipped").begin_array();
  for (const auto& [b, why] : v.skipped)
    w.begin_object().field("id", b->id).field("kind", b->kind).field("why", why).end_object();
  w.end_array();
  write_load_validation(w, validate_serving_load(catalog));
  write_workload_validation(w, catalog);  // image, speech, embedding (workload_validation.cpp)
  w.end_object();
  return w.take();
}

Outcome<std::string> calibration_json(const Catalog& catalog, const std::vector<std::string>& engine_ids) {
  std::vector<std::string> ids = engine_ids;
  if (ids.empty()) {
    for (const Engine& e : catalog.engines) {
      if (e.id != "ideal" && e.id != kTrainingEngine) ids.push_back(e.id);
    }
  }
  for (const auto& id : ids) {
    if (!catalog.engine(id)) return Error{"unknown_id", "", "unknown engine " + show(id), "engines"};
  }
  // Engines with decode results first: the mean of their fitted bandwidth efficiencies stands in
  // for engines whose data cannot identify one (only large-batch serving, which is compute-bound).
  std::stable_partition(ids.begin(), ids.end(),
                        [&](const std::string& id) { return has_decode_benchmarks(catalog, id); });
  std::vector<double> fitted_bandwidths;
  std::map<std::string, std::vector<ValidationPoint>> overall;  // every engine's held-out points, by kind
  JsonWriter w;
  w.begin_object();
  w.key("engines").begin_array();
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
      w.begin_object()
          .field("id", id)
          .key("fit")
          .null()
          .field("why", "fewer than 3 benchmarks with an estimate")
          .end_object();
      continue;
    }
    for (const auto& p : r->held_out) overall[report_kind(*p.benchmark)].push_back(p);
    const Engine& e = r->engine;
    w.begin_object().field("id", id).field("points", static_cast<double>(r->points)).field("gpus", r->gpus);
    w.key("fit")
        .begin_object()
        .field("bandwidth_efficiency", e.bandwidth_efficiency)
        .field("hbm_bandwidth_efficiency", e.hbm_bandwidth_efficiency)
        .field("compute_efficiency", e.compute_efficiency)
        .field("compute_scaling", e.compute_scaling)
        .field("step_overhead_ms", e.step_overhead_ms)
        .field("sequence_overhead_us", e.sequence_overhead_us)
        .field("layer_overhead_us", e.layer_overhead_us)
        .field("sequence_scaling", e.sequence_scaling)
        .field("fitted_on", e.fitted_on);
    w.key("validation").begin_object();
    for (const auto& [k, v] : e.validation) w.field(k, v);
    w.end_object();
    w.key("error_pct").begin_object();
    for (const auto& [k, v] : e.error_pct) w.field(k, v);
    w.end_object();
    w.field("fit", identified ? "least squares (pseudo-Huber on log errors) over decode, prefill and serving"
                              : "no batch-1 decode results: bandwidth efficiency held at the mean of the "
                                "engines fitted with them; compute efficiency and overhead fitted");
    w.end_object();
    w.key("in_sample").begin_object();
    for (const auto& [kind, g] : r->in_sample) {
      w.key(kind);
      write_group(w, g);
    }
    w.end_object();
    w.key("cross_validated").begin_object();
    for (const auto& [kind, g] : r->cross_validated) {
      w.key(kind);
      write_group(w, g);
    }
    w.end_object();
    // Every held-out estimate, so that a reader can see which rows the summary figures come from.
    w.key("held_out").begin_array();
    for (const auto& p : r->held_out) write_point(w, p);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  // The power curve: fitted on every measured power row, each source predicted without it.
  if (auto pc = calibrate_power(catalog)) {
    for (const auto& p : pc->held_out) overall["power"].push_back(p);
    w.key("power").begin_object().field("points", static_cast<double>(pc->points)).field("sources", pc->sources);
    w.key("curve")
        .begin_object()
        .field("active_share", pc->curve.active_share)
        .field("compute_weight", pc->curve.compute_weight)
        .field("compute_knee", pc->curve.compute_knee)
        .end_object();
    w.key("in_sample");
    write_group(w, pc->in_sample);
    w.key("cross_validated");
    write_group(w, pc->cross_validated);
    w.end_object();
  }
  w.key("cross_validated").begin_object();
  for (auto& [kind, points] : overall) {
    w.key(kind);
    write_group(w, summarize(points, kind, "all"));
  }
  w.end_object();
  w.end_object();
  return w.take();
}

}  // namespace gpufit
