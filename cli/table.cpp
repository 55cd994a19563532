#include "table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

namespace gpucalc {

using nlohmann::json;

namespace {

// A number with about three significant figures, thousands kept whole ("12,345").
std::string fmt(const json& v, int decimals = -1) {
  if (!v.is_number()) return v.is_null() ? "-" : v.is_string() ? v.get<std::string>() : v.dump();
  double d = v.get<double>();
  char buf[64];
  if (decimals >= 0) {
    std::snprintf(buf, sizeof buf, "%.*f", decimals, d);
  } else if (std::fabs(d) >= 1000) {
    std::snprintf(buf, sizeof buf, "%.0f", d);
    std::string s = buf, out;
    int n = 0;
    for (auto it = s.rbegin(); it != s.rend(); ++it) {
      if (n && n % 3 == 0 && *it != '-') out.insert(out.begin(), ',');
      out.insert(out.begin(), *it);
      ++n;
    }
    return out;
  } else if (std::fabs(d) >= 100 || d == std::floor(d)) {
    std::snprintf(buf, sizeof buf, "%.0f", d);
  } else if (std::fabs(d) >= 10) {
    std::snprintf(buf, sizeof buf, "%.1f", d);
  } else if (std::fabs(d) >= 0.1) {
    std::snprintf(buf, sizeof buf, "%.2f", d);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g", d);
  }
  return buf;
}

std::string money(const json& v) {
  if (!v.is_number()) return "-";
  double d = v.get<double>();
  char buf[64];
  std::snprintf(buf, sizeof buf, d < 1 ? "$%.3f" : d < 100 ? "$%.2f" : "$%.0f", d);
  return buf;
}

const json& at(const json& j, const char* a, const char* b = nullptr) {
  static const json kNull;
  if (!j.is_object() || !j.contains(a)) return kNull;
  const json& x = j[a];
  if (!b) return x;
  if (!x.is_object() || !x.contains(b)) return kNull;
  return x[b];
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> right;  // numeric columns align right

  std::string str() const {
    std::vector<std::size_t> width(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
    for (const auto& r : rows) {
      for (std::size_t c = 0; c < r.size() && c < width.size(); ++c) width[c] = std::max(width[c], r[c].size());
    }
    std::ostringstream out;
    auto line = [&](const std::vector<std::string>& cells) {
      for (std::size_t c = 0; c < header.size(); ++c) {
        std::string cell = c < cells.size() ? cells[c] : "";
        std::string pad(width[c] - std::min(width[c], cell.size()), ' ');
        bool r = c < right.size() && right[c];
        out << (c ? "  " : "") << (r ? pad + cell : cell + (c + 1 < header.size() ? pad : ""));
      }
      out << '\n';
    };
    line(header);
    std::vector<std::string> rule;
    for (auto w : width) rule.emplace_back(w, '-');
    line(rule);
    for (const auto& r : rows) line(r);
    return out.str();
  }
};

std::string one_result(const json& r) {
  std::ostringstream o;
  const json& sc = r["scenario"];
  const json& m = r["model"];
  std::string gpus = (sc["gpu_count"].get<int>() > 1 ? std::to_string(sc["gpu_count"].get<int>()) + "x " : "") +
                     sc["gpu_name"].get<std::string>();
  o << m["name"].get<std::string>() << " (" << sc["weights"].get<std::string>() << ") on " << gpus << ", "
    << sc["engine"].get<std::string>() << ", " << sc["mode"].get<std::string>() << "\n";
  const json& mem = r["memory"];
  o << "  fits            " << (r["fits"].get<bool>() ? "yes" : "NO") << ": " << fmt(mem["total_gb"], 1) << " of "
    << fmt(mem["available_gb"], 1) << " GB per GPU (weights " << fmt(mem["weights_gb"], 2) << ", KV cache "
    << fmt(mem["kv_cache_gb"], 2) << ", activations " << fmt(mem["activations_gb"], 2) << ", overhead "
    << fmt(mem["overhead_gb"], 2);
  if (at(mem, "optimizer_gb").is_number() && mem["optimizer_gb"].get<double>() > 0) {
    o << ", optimizer " << fmt(mem["optimizer_gb"], 2) << ", gradients " << fmt(mem["gradients_gb"], 2);
  }
  o << ")\n";
  o << "  limits          max batch " << fmt(r["max_batch_size"]) << " at " << fmt(sc["context_tokens"])
    << " tokens; max context " << fmt(r["max_context_tokens"]) << " tokens at batch " << fmt(sc["batch_size"])
    << "; fewest GPUs " << fmt(r["min_gpus_to_fit"]) << "\n";
  const json& d = r["decode"];
  o << "  decode          " << fmt(d["tokens_per_s_per_sequence"]) << " tokens/s per sequence, "
    << fmt(d["tokens_per_s_total"]) << " total at batch " << fmt(sc["batch_size"]) << " ("
    << d["bound"].get<std::string>() << "-bound";
  if (d["bound_switch_batch"].is_number()) o << "; compute-bound from batch " << fmt(d["bound_switch_batch"]);
  o << ")\n";
  o << "  prefill         " << fmt(at(r, "prefill", "tokens_per_s")) << " tokens/s; TTFT "
    << fmt(at(r, "latency", "ttft_s")) << " s; " << fmt(at(r, "latency", "time_per_output_token_ms"))
    << " ms per output token\n";
  o << "  serving         " << fmt(at(r, "serving", "output_tokens_per_s")) << " output tokens/s, "
    << fmt(at(r, "serving", "requests_per_s")) << " requests/s\n";
  const json& c = r["cost"];
  if (c["usd_per_hour"].is_number()) {
    o << "  cost            " << money(c["usd_per_hour"]) << "/h, " << money(c["usd_per_million_tokens"])
      << " per 1M tokens, " << fmt(c["tokens_per_s_per_usd_per_hour"]) << " tokens/s per $/h, "
      << money(c["usd_per_day"]) << "/day, " << money(c["usd_per_month"]) << "/month";
    if (c["provider"].is_string())
      o << " (" << c["provider"].get<std::string>() << " " << c["pricing"].get<std::string>() << ")";
    o << "\n";
    if (c["break_even_hours"].is_number())
      o << "  buy vs rent     buying pays off after " << fmt(c["break_even_hours"]) << " hours\n";
  } else {
    o << "  cost            no price (set price_usd_per_hour)\n";
  }
  const json& p = r["power"];
  o << "  power           " << fmt(p["watts"]) << " W, " << fmt(p["joules_per_token"]) << " J/token, "
    << money(p["annual_energy_usd"]) << "/year energy";
  if (p["gpus_in_budget"].is_number()) o << ", " << fmt(p["gpus_in_budget"]) << " GPUs in the power budget";
  o << "\n";
  if (r.contains("fleet")) {
    const json& f = r["fleet"];
    o << "  fleet           " << fmt(f["replicas"]) << " replicas, " << fmt(f["gpus_needed"]) << " GPUs, "
      << fmt(f["users_per_replica"]) << " users per replica (" << f["limited_by"].get<std::string>() << "), "
      << money(f["usd_per_hour"]) << "/h\n";
  }
  if (r.contains("training")) {
    const json& t = r["training"];
    o << "  fine-tuning     " << fmt(t["hours"]) << " hours, " << money(t["usd"]) << " at MFU " << fmt(t["mfu"])
      << "\n";
  }
  if (r.contains("measured")) {
    for (const auto& x : r["measured"]) {
      o << "  measured        " << x["kind"].get<std::string>() << " " << fmt(x["value"])
        << (x["kind"] == "power" ? " W" : " tok/s");
      if (x["batch_size"].is_number()) o << " at batch " << fmt(x["batch_size"]);
      if (x["estimate"].is_number()) {
        o << " (estimate " << fmt(x["estimate"]) << ") ";
      } else {
        o << " (no estimate: " << x["no_estimate_why"].get<std::string>() << ") ";
      }
      o << x["source"].get<std::string>() << "\n";
    }
  }
  for (const auto& w : r["warnings"]) o << "  warning         " << w.get<std::string>() << "\n";
  return o.str();
}

}  // namespace

std::string evaluate_table(const json& result) {
  if (!result.is_array()) return one_result(result);
  std::string out;
  for (const auto& r : result) out += (out.empty() ? "" : "\n") + one_result(r);
  return out;
}

std::string sweep_table(const std::string& field, const json& values, const json& results) {
  Table t;
  const bool load = field.rfind("load.", 0) == 0;
  if (load) {
    // The load curve: throughput against latency percentiles; the knee is the first point where
    // the replica saturates or throughput stops growing by 10%.
    t.header = {field,         "output tok/s", "req/s",        "TTFT p50 ms", "TTFT p99 ms", "TPOT p50 ms",
                "TPOT p99 ms", "e2e p50 ms",   "queue p50 ms", "KV use",      "note"};
    t.right = {true, true, true, true, true, true, true, true, true, true, false};
    bool knee = false;
    double previous = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
      const json& l = at(results[i], "serving_load");
      std::string note;
      if (!l.is_object()) {
        t.rows.push_back(
            {fmt(values[i]), "-", "-", "-", "-", "-", "-", "-", "-", "-", "no serving_load (see warnings)"});
        continue;
      }
      const double tps = l["output_tokens_per_s"].get<double>();
      if (l["saturated"].get<bool>()) note = "saturated";
      if (!knee && i > 0 && (l["saturated"].get<bool>() || tps < 1.1 * previous)) {
        knee = true;
        note = note.empty() ? "knee" : "knee, " + note;
      }
      previous = tps;
      char kv[32];
      std::snprintf(kv, sizeof kv, "%.0f%%", 100 * l["kv_cache_utilization"].get<double>());
      t.rows.push_back({fmt(values[i]), fmt(l["output_tokens_per_s"]), fmt(l["requests_per_s"]),
                        fmt(l["ttft_ms"]["p50"]), fmt(l["ttft_ms"]["p99"]), fmt(l["tpot_ms"]["p50"]),
                        fmt(l["tpot_ms"]["p99"]), fmt(l["e2e_ms"]["p50"]), fmt(l["queue_ms"]["p50"]), kv, note});
    }
  } else {
    t.header = {field, "fits", "serving tok/s", "tok/s per sequence", "ms/token", "TTFT s", "$/1M tokens"};
    t.right = {true, false, true, true, true, true, true};
    for (std::size_t i = 0; i < results.size(); ++i) {
      const json& r = results[i];
      t.rows.push_back({fmt(values[i]), r["fits"].get<bool>() ? "yes" : "no",
                        fmt(at(r, "serving", "output_tokens_per_s")), fmt(at(r, "decode", "tokens_per_s_per_sequence")),
                        fmt(at(r, "latency", "time_per_output_token_ms")), fmt(at(r, "latency", "ttft_s")),
                        money(at(r, "cost", "usd_per_million_tokens"))});
    }
  }
  return t.str();
}

std::string rank_table(const json& ranking) {
  Table t;
  t.header = {"#",        "GPU",    "n",           "weights",       "fits",  "tokens/s",
              "ms/token", "$/hour", "$/1M tokens", "tok/s per $/h", "watts", "note"};
  t.right = {true, false, true, false, false, true, true, true, true, true, true, false};
  int i = 0;
  for (const auto& r : ranking["rows"]) {
    ++i;
    std::string note = r["fits"].get<bool>() ? "" : r["reason"].get<std::string>();
    const std::string gpu =
        r["gpu"].get<std::string>() +
        (r.contains("mig_profile") && r["mig_profile"].is_string() ? " " + r["mig_profile"].get<std::string>() : "");
    t.rows.push_back({std::to_string(i), gpu, std::to_string(r["gpu_count"].get<int>()),
                      r["weights"].get<std::string>(), r["fits"].get<bool>() ? "yes" : "no", fmt(r["tokens_per_s"]),
                      fmt(r["time_per_output_token_ms"]), money(r["usd_per_hour"]), money(r["usd_per_million_tokens"]),
                      fmt(r["tokens_per_s_per_usd_per_hour"]), fmt(r["watts"]), note});
  }
  return "ranked by " + ranking["by"].get<std::string>() + ": " + ranking["statement"].get<std::string>() + "\n\n" +
         t.str();
}

std::string pack_table(const json& packing) {
  std::ostringstream o;
  if (packing["statement"].is_string()) o << packing["statement"].get<std::string>() << "\n";
  for (const json& p : packing["plans"]) {
    o << "\n" << p["gpu_name"].get<std::string>() << " at " << money(p["usd_per_gpu_hour"]) << "/GPU-hour: ";
    if (!p["feasible"].get<bool>()) {
      o << "cannot serve: " << p["reason"].get<std::string>() << "\n";
      continue;
    }
    o << fmt(p["gpus"]) << " sliced for " << money(p["usd_per_hour"]) << "/h, against " << fmt(p["whole_gpus"])
      << " whole for " << money(p["whole_usd_per_hour"]) << "/h\n";
    Table t;
    t.header = {"scenario", "profile", "instances", "tok/s each", "$/1M tokens"};
    t.right = {false, false, true, true, true};
    for (const json& a : p["assignments"]) {
      t.rows.push_back({a["scenario"].get<std::string>(), a["profile"].get<std::string>(), fmt(a["instances"]),
                        fmt(a["tokens_per_s_per_instance"]), money(a["usd_per_million_tokens"])});
    }
    o << t.str();
    for (const json& g : p["layout"]) {
      o << "  GPU " << g["gpu_index"].get<int>() << ":";
      for (const json& x : g["instances"]) {
        o << " " << x["profile"].get<std::string>() << "@" << x["start_slice"].get<int>() << " ("
          << x["scenario"].get<std::string>() << ")";
      }
      o << "; free " << g["free_compute_slices"].get<int>() << " compute, " << g["free_memory_slices"].get<int>()
        << " memory slices\n";
    }
  }
  if (packing["whole_gpus"].is_object()) {
    o << "\nEach on the cheapest whole GPU listed: " << money(packing["whole_gpus"]["usd_per_hour"]) << "/h\n";
    for (const json& x : packing["whole_gpus"]["per_scenario"]) {
      o << "  " << x["scenario"].get<std::string>() << ": " << fmt(x["instances"]) << " x " << fmt(x["gpu_count"])
        << " " << fmt(x["gpu"]) << " for " << money(x["usd_per_hour"]) << "/h\n";
    }
  }
  return o.str();
}

std::string catalog_table(const std::string& kind, const json& entries) {
  Table t;
  auto s = [](const json& e, const char* k) { return fmt(at(e, k)); };
  if (kind == "gpus") {
    t.header = {"id", "name", "memory GB", "usable GB", "GB/s", "FP16 TFLOPS", "FP8 TFLOPS", "TDP W", "NVLink GB/s"};
    t.right = {false, false, true, true, true, true, true, true, true};
    for (const auto& e : entries) {
      t.rows.push_back({s(e, "id"), s(e, "name"), s(e, "memory_gb"), fmt(at(e, "usable_memory_gb"), 1),
                        s(e, "memory_bandwidth_gbs"), s(e, "fp16_tflops"), s(e, "fp8_tflops"), s(e, "tdp_w"),
                        s(e, "nvlink_bandwidth_gbs")});
    }
  } else if (kind == "models") {
    t.header = {"id", "name", "params (B)", "active (B)", "layers", "hidden", "heads", "kv heads", "context"};
    t.right = {false, false, true, true, true, true, true, true, true};
    for (const auto& e : entries) {
      json active = at(e, "active_params").is_number() ? at(e, "active_params") : at(e, "params");
      t.rows.push_back({s(e, "id"), s(e, "name"), fmt(json(at(e, "params").get<double>() / 1e9), 2),
                        fmt(json(active.get<double>() / 1e9), 2), s(e, "layers"), s(e, "hidden_size"),
                        s(e, "attention_heads"), s(e, "kv_heads"), s(e, "max_context_tokens")});
    }
  } else if (kind == "formats") {
    t.header = {"id", "name", "bits/weight", "computes in", "kept at other precision"};
    for (const auto& e : entries) {
      std::string kept;
      for (const auto& o : at(e, "tensor_overrides")) {
        kept += (kept.empty() ? "" : ", ") + o["tensor"].get<std::string>() + " " + fmt(o["bits_per_weight"]);
      }
      t.rows.push_back({s(e, "id"), s(e, "name"), fmt(at(e, "bits_per_weight"), 4), s(e, "compute"), kept});
    }
  } else if (kind == "engines") {
    t.header = {"id", "name", "bandwidth eff.", "compute eff.", "step overhead ms", "reserve", "fitted on"};
    t.right = {false, false, true, true, true, true, true};
    for (const auto& e : entries) {
      t.rows.push_back({s(e, "id"), s(e, "name"), s(e, "bandwidth_efficiency"), s(e, "compute_efficiency"),
                        s(e, "step_overhead_ms"), s(e, "memory_reserve_fraction"),
                        std::to_string(at(e, "fitted_on").size()) + " benchmarks"});
    }
  } else if (kind == "prices") {
    t.header = {"provider", "gpu", "$/hour", "pricing", "seen"};
    t.right = {false, false, true, false, false};
    for (const auto& e : entries) {
      t.rows.push_back(
          {s(e, "provider"), s(e, "gpu"), money(at(e, "usd_per_hour")), s(e, "pricing"), s(e, "date_seen")});
    }
  } else if (kind == "benchmarks") {
    t.header = {"id", "kind", "engine", "gpu", "n", "model", "weights", "batch", "value", "unit"};
    t.right = {false, false, false, false, true, false, false, true, true, false};
    for (const auto& e : entries) {
      t.rows.push_back({s(e, "id"), s(e, "kind"), s(e, "engine"), s(e, "gpu"), s(e, "gpu_count"), s(e, "model"),
                        s(e, "weights"), s(e, "batch_size"), s(e, "value"), s(e, "unit")});
    }
  } else {
    t.header = {"id", "name"};
    for (const auto& e : entries) t.rows.push_back({s(e, "id"), s(e, "name")});
  }
  return t.str();
}

namespace {

std::string pct(const json& v, bool sign = false) {
  if (!v.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, sign ? "%+.1f%%" : "%.1f%%", v.get<double>());
  return buf;
}

std::string groups_table(const json& groups) {
  Table t;
  t.header = {"kind", "engine", "n", "median |error|", "p90 |error|", "bias"};
  t.right = {false, false, true, true, true, true};
  for (const auto& g : groups) {
    t.rows.push_back({g["kind"].get<std::string>(), g["engine"].get<std::string>(), std::to_string(g["n"].get<int>()),
                      pct(g["median_abs_pct"]), pct(g["p90_abs_pct"]), pct(g["bias_pct"], true)});
  }
  return t.str();
}

std::string worst_lines(const json& groups) {
  std::string out;
  for (const auto& g : groups) {
    out += "\nworst " + g["kind"].get<std::string>() +
           (g["engine"].get<std::string>().empty() ? "" : " " + g["engine"].get<std::string>()) + ":\n";
    for (const auto& p : g["worst"]) {
      out += "  " + pct(p["error_pct"], true) + "  " + p["id"].get<std::string>() + ": measured " + fmt(p["measured"]) +
             ", estimate " + fmt(p["estimate"]) + "  " + p["source"].get<std::string>() + "\n";
    }
  }
  return out;
}

}  // namespace

// Serving under load: throughput and TPOT errors, TTFT within 2x, per source and over the sources
// no engine fit has seen.
std::string load_validation_table(const json& v) {
  Table t;
  t.header = {"source",     "engine", "in fit",      "n",      "tok/s median",  "tok/s p90",
              "tok/s bias", "TPOT n", "TPOT median", "TTFT n", "TTFT within 2x"};
  t.right = {false, false, false, true, true, true, true, true, true, true, true};
  const auto pct = [](const json& x) { return x.is_number() ? fmt(x, 1) + "%" : std::string("-"); };
  const auto row = [&](const std::string& name, const json& g) {
    const bool tpot = g["tpot"]["n"].get<double>() > 0, ttft = g["ttft"]["n"].get<double>() > 0;
    t.rows.push_back({name, g.value("engine", ""),
                      g.contains("source_in_fit") ? (g["source_in_fit"].get<bool>() ? "yes" : "no") : "",
                      fmt(g["throughput"]["n"]), pct(g["throughput"]["median_abs_pct"]),
                      pct(g["throughput"]["p90_abs_pct"]), pct(g["throughput"]["bias_pct"]), fmt(g["tpot"]["n"]),
                      tpot ? pct(g["tpot"]["median_abs_pct"]) : "-", fmt(g["ttft"]["n"]),
                      ttft ? fmt(100 * g["ttft"]["within_2x_share"].get<double>(), 0) + "%" : "-"});
  };
  for (const auto& g : v["sources"]) {
    std::string s = g["source"].get<std::string>();
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    row(s, g);
  }
  row("sources no fit has seen", v["held_out"]);
  row("all sources, each left out of its fit", v["all"]);
  return "\nserving under load (kind serving_load; nothing fitted on these rows; a source whose other rows\n"
         "an engine's fit used is predicted by that engine refitted without them):\n" +
         t.str();
}

std::string validation_table(const json& validation) {
  return groups_table(validation["groups"]) + worst_lines(validation["groups"]) + "\n" +
         std::to_string(validation["skipped"].size()) + " benchmarks without an estimate (see --format json)\n" +
         (validation.contains("serving_load") ? load_validation_table(validation["serving_load"]) : "");
}

std::string calibration_table(const json& before, const json& calibration) {
  std::string out = "before (the factors in engines.json, on every point):\n" + groups_table(before["groups"]);
  for (const auto& e : calibration["engines"]) {
    out += "\n" + e["id"].get<std::string>() + ": ";
    if (e["fit"].is_null()) {
      out += e.value("why", "not fitted") + "\n";
      continue;
    }
    const json& f = e["fit"];
    char buf[256];
    std::snprintf(
        buf, sizeof buf,
        "fitted on %d points over %zu GPUs: bandwidth_efficiency %.3f%s, compute_efficiency %.3f (scaling %.2f), "
        "step_overhead_ms %.3f + %.2f us/layer, sequence_overhead_us %.2f (scaling %.2f)\n",
        e["points"].get<int>(), e["gpus"].size(), f["bandwidth_efficiency"].get<double>(),
        f["hbm_bandwidth_efficiency"].is_number() ? (" (HBM " + fmt(f["hbm_bandwidth_efficiency"], 3) + ")").c_str()
                                                  : "",
        f["compute_efficiency"].get<double>(), f["compute_scaling"].get<double>(), f["step_overhead_ms"].get<double>(),
        f.value("layer_overhead_us", 0.0), f["sequence_overhead_us"].get<double>(), f.value("sequence_scaling", 0.0));
    out += buf;
    json in = json::array(), cv = json::array();
    for (const auto& [k, g] : e["in_sample"].items()) in.push_back(g);
    for (const auto& [k, g] : e["cross_validated"].items()) cv.push_back(g);
    out += "  in sample:\n" + groups_table(in) + "  leave-one-source-out:\n" + groups_table(cv);
  }
  json all = json::array();
  for (const auto& [k, g] : calibration["cross_validated"].items()) all.push_back(g);
  out += "\nall engines, leave-one-source-out:\n" + groups_table(all);
  return out;
}

}  // namespace gpucalc
