#include "gpufit/rank.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gpufit/cost.hpp"
#include "gpufit/memory_fit.hpp"
#include "gpufit/mig.hpp"
#include "gpufit/power.hpp"
#include "gpufit/throughput.hpp"
#include "text_format.hpp"

namespace gpufit {

std::string_view rank_by_name(RankBy by) {
  switch (by) {
    case RankBy::kUsdPerMillionTokens:
      return "usd_per_million_tokens";
    case RankBy::kTokensPerS:
      return "tokens_per_s";
    case RankBy::kLatency:
      return "latency";
    case RankBy::kWatts:
      return "watts";
    case RankBy::kGpus:
      return "gpus";
  }
  return "usd_per_million_tokens";
}

std::optional<RankBy> rank_by_from_name(std::string_view name) {
  for (RankBy by :
       {RankBy::kUsdPerMillionTokens, RankBy::kTokensPerS, RankBy::kLatency, RankBy::kWatts, RankBy::kGpus}) {
    if (rank_by_name(by) == name) return by;
  }
  return std::nullopt;
}

namespace {

std::string gb(double v) {
  return detail::fixed(v, 1);
}

// The figures of one ranking row: what evaluate() computes, without the limits and searches a
// row does not show. `s` is the rank's working scenario (its batch is set here for the row and
// put back); `price` was chosen once for the row's GPU, with its warnings.
RankRow row_for(Setup& s, const Catalog& catalog, const RankOptions& o, const EngineSpec& te,
                const std::optional<PriceChoice>& price, const std::vector<std::string>& price_warnings) {
  RankRow row;
  row.gpu = s.gpu.id;
  row.gpu_name = s.gpu.name;
  row.weights = s.weights.id;
  row.gpu_count = s.gpu_count;
  row.warnings = price_warnings;
  const double scenario_batch = s.batch_size;
  if (o.batch_max_fit) s.batch_size = std::max(1.0, max_batch_that_fits(s, te, s.context_tokens, o.max_batch));
  row.batch_size = s.batch_size;
  const MemoryBreakdown mem = scenario_memory(s, te, s.gpu_count, s.batch_size, s.context_tokens);
  row.fits = mem.fits();
  row.memory_total_gb = mem.total_gb;
  row.memory_available_gb = mem.available_gb;
  if (!row.fits) {
    row.reason = "needs " + gb(mem.total_gb) + " GB per GPU, " + gb(mem.available_gb) + " GB usable";
  }
  const bool decoder = s.model.architecture == Architecture::kDecoder;
  const StepCosts steps(s, catalog);  // the row's three step times share its rates and link
  const Serving serving = steps.serving_rate(s.batch_size);
  row.tokens_per_s = decoder ? serving.output_tokens_per_s : serving.input_tokens_per_s;
  std::optional<StepTime> decode;
  if (decoder) {
    decode = steps.decode_step(s.batch_size, mean_attended_tokens(s));
    row.time_per_output_token_ms = decode->total_s() * 1000;
    row.tokens_per_s_per_sequence = 1 / decode->total_s();
    row.bound = decode->compute_bound() ? "compute" : "memory";
  }
  const StepTime prefill = steps.prefill_time(1, s.prompt_tokens);
  row.ttft_s = prefill.total_s();
  row.watts = power_figures(s, decode ? &*decode : nullptr, prefill, serving, row.tokens_per_s).watts;
  if (price) {
    Cost c = cost_figures(s, *price, row.tokens_per_s, row.watts);
    row.usd_per_hour = c.usd_per_hour;
    if (row.tokens_per_s > 0) {
      row.usd_per_million_tokens = c.usd_per_million_tokens;
      row.tokens_per_s_per_usd_per_hour = c.tokens_per_s_per_usd_per_hour;
    }
  }
  s.batch_size = scenario_batch;
  return row;
}

// One row per MIG slice of `card` and format, one slice per replica (slices have no peer links).
void add_mig_rows(Ranking& out, Setup& s, const Gpu& card, const Catalog& catalog, const RankOptions& o,
                  const EngineSpec& te, const std::vector<const WeightFormat*>& formats,
                  const std::vector<WeightBytes>& format_bytes) {
  const MigGpu* g = catalog.mig_gpu(card.id);
  if (!g) return;
  if (!o.counts.empty() && std::find(o.counts.begin(), o.counts.end(), 1) == o.counts.end()) return;
  for (const MigProfile* p : plain_profiles(*g)) {
    if (place_on_slice(s, card, catalog, p->name)) continue;
    s.gpu_ref = card.id;
    s.gpu_count = 1;
    std::vector<std::string> price_warnings;
    const std::optional<PriceChoice> price = choose_price(s, catalog, price_warnings);
    for (std::size_t fi = 0; fi < formats.size(); ++fi) {
      s.weights = *formats[fi];
      s.weights_bytes = format_bytes[fi];
      RankRow row = row_for(s, catalog, o, te, price, price_warnings);
      row.mig_profile = p->name;
      out.rows.push_back(std::move(row));
    }
  }
  s.mig.reset();
  s.gpu = card;
}

// The metric with "smaller is better" sign, or nullopt when the row lacks it (no price).
std::optional<double> key(const RankRow& r, RankBy by) {
  switch (by) {
    case RankBy::kUsdPerMillionTokens:
      return r.cost_unit.empty() ? r.usd_per_million_tokens : r.usd_per_unit;
    case RankBy::kTokensPerS:
      return -r.tokens_per_s;
    case RankBy::kLatency:
      return r.time_per_output_token_ms > 0 ? r.time_per_output_token_ms : r.ttft_s * 1000;
    case RankBy::kWatts:
      return r.watts;
    case RankBy::kGpus:
      return r.gpu_count;
  }
  return std::nullopt;
}

std::string pct(double v) {
  return detail::fixed(v, 0) + "%";
}

const char* metric_words(RankBy by) {
  switch (by) {
    case RankBy::kUsdPerMillionTokens:
      return "$ per 1M tokens";
    case RankBy::kTokensPerS:
      return "tokens/s";
    case RankBy::kLatency:
      return "time per output token";
    case RankBy::kWatts:
      return "watts";
    case RankBy::kGpus:
      return "GPUs needed";
  }
  return "";
}

}  // namespace

Ranking rank(const Setup& base, const Catalog& catalog, const RankOptions& o) {
  Ranking out;
  out.by = o.by;
  std::vector<const WeightFormat*> formats;
  if (o.formats.empty()) {
    formats.push_back(&base.weights);
  } else {
    for (const auto& id : o.formats) {
      if (const WeightFormat* f = catalog.weight_format(id)) formats.push_back(f);
    }
  }
  const EngineSpec& te = training_engine(base, catalog);
  // One working scenario for every row (a Setup carries whole catalog entries: copying one per
  // row cost more than computing the row). Only the GPU, format, count and batch change.
  Setup s = base;
  // Weight bytes depend on the model and format only: once per format, not per GPU.
  std::vector<WeightBytes> format_bytes;
  for (const WeightFormat* f : formats) format_bytes.push_back(weight_bytes(s.model, *f));
  out.rows.reserve(catalog.gpus.size() * formats.size() * std::max<std::size_t>(1, o.counts.size()));
  for (const Gpu& gpu : catalog.gpus) {
    if (!o.gpus.empty() && std::find(o.gpus.begin(), o.gpus.end(), gpu.id) == o.gpus.end()) continue;
    s.gpu = gpu;
    s.gpu_ref = gpu.id;
    s.mig.reset();
    if (base.workload_model) {  // image, speech, embedding (workload_rank.cpp)
      detail::add_workload_rank_rows(s, catalog, o, out.rows);
      continue;
    }
    // The price depends on the GPU alone (provider, pricing, date are the scenario's).
    std::vector<std::string> price_warnings;
    const std::optional<PriceChoice> price = choose_price(s, catalog, price_warnings);
    for (std::size_t fi = 0; fi < formats.size(); ++fi) {
      s.weights = *formats[fi];
      s.weights_bytes = format_bytes[fi];
      if (!o.counts.empty()) {
        for (int n : o.counts) {
          s.gpu_count = n;
          out.rows.push_back(row_for(s, catalog, o, te, price, price_warnings));
        }
        continue;
      }
      // The fewest GPUs that fit; a row that does not fit on 8 is shown at 1 with its reason.
      int chosen = 1;
      for (int n : {1, 2, 4, 8}) {
        if (scenario_memory(s, te, n, s.batch_size, s.context_tokens).fits()) {
          chosen = n;
          break;
        }
      }
      s.gpu_count = chosen;
      out.rows.push_back(row_for(s, catalog, o, te, price, price_warnings));
    }
    if (o.mig) add_mig_rows(out, s, gpu, catalog, o, te, formats, format_bytes);
  }
  std::stable_sort(out.rows.begin(), out.rows.end(), [&](const RankRow& a, const RankRow& b) {
    if (a.fits != b.fits) return a.fits;
    auto ka = key(a, o.by), kb = key(b, o.by);
    if (ka.has_value() != kb.has_value()) return ka.has_value();
    if (ka && kb && *ka != *kb) return *ka < *kb;
    // Ties: cheaper per token, then fewer GPUs, then by id for a stable order.
    auto ca = a.usd_per_million_tokens.value_or(1e300), cb = b.usd_per_million_tokens.value_or(1e300);
    if (ca != cb) return ca < cb;
    if (a.gpu_count != b.gpu_count) return a.gpu_count < b.gpu_count;
    return a.gpu < b.gpu;
  });
  if (!out.rows.empty() && out.rows[0].fits && key(out.rows[0], o.by)) {
    out.winner = 0;
    const RankRow& w = out.rows[0];
    for (std::size_t i = 1; i < out.rows.size(); ++i) {
      const RankRow& r = out.rows[i];
      if (!r.fits || !key(r, o.by) || (r.gpu == w.gpu && r.mig_profile == w.mig_profile)) continue;
      out.runner_up = i;
      double kw = std::fabs(*key(w, o.by)), kr = std::fabs(*key(r, o.by));
      // Smaller-is-better metrics: how much more the runner-up needs; bigger-is-better: how much
      // more the winner gives.
      double margin = o.by == RankBy::kTokensPerS ? (kr > 0 ? kw / kr - 1 : 0) : (kw > 0 ? kr / kw - 1 : 0);
      out.margin_pct = margin * 100;
      break;
    }
    std::string who = (w.gpu_count > 1 ? std::to_string(w.gpu_count) + "x " : "") + w.gpu_name;
    if (out.runner_up) {
      const RankRow& r = out.rows[*out.runner_up];
      std::string other = (r.gpu_count > 1 ? std::to_string(r.gpu_count) + "x " : "") + r.gpu_name;
      const std::string metric = !w.cost_unit.empty() && o.by == RankBy::kUsdPerMillionTokens ? "$ per " + w.cost_unit
                                 : !w.cost_unit.empty() && o.by == RankBy::kTokensPerS
                                     ? w.throughput_unit
                                     : std::string(metric_words(o.by));
      out.statement = who + " by " + pct(*out.margin_pct) + " on " + metric + " over " + other;
    } else {
      out.statement = who + " is the only GPU that fits";
    }
  } else {
    out.statement = "no GPU in the ranking fits this workload";
  }
  return out;
}

}  // namespace gpufit
