// Ranking: every catalog GPU (and count, and optionally every weight format) evaluated for the
// same workload, sorted by a metric, the ones that do not fit kept with their reason, and the
// winner stated with its margin over the best other GPU ("l4 by 71%").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gpufit/scenario.hpp"

namespace gpufit {

enum class RankBy { kUsdPerMillionTokens, kTokensPerS, kLatency, kWatts, kGpus };

struct RankOptions {
  RankBy by = RankBy::kUsdPerMillionTokens;
  // GPU counts per replica to try; empty = for each GPU the fewest of 1, 2, 4, 8 that fit.
  std::vector<int> counts;
  // Weight formats to try; empty = the scenario's.
  std::vector<std::string> formats;
  // GPUs to include; empty = every catalog GPU.
  std::vector<std::string> gpus;
  // Batch per replica: the scenario's, or each row's largest that fits up to max_batch.
  bool batch_max_fit = false;
  double max_batch = 256;
  // Also every MIG slice of the GPUs that have them, one slice per replica ("A100 80GB SXM4
  // 2g.20gb" beside "L4"), priced at its share of the card.
  bool mig = false;
};

struct RankRow {
  std::string gpu, gpu_name, weights;
  int gpu_count = 1;
  bool fits = false;
  std::string reason;  // why it does not fit
  double batch_size = 1;
  double memory_total_gb = 0, memory_available_gb = 0;
  double tokens_per_s = 0;  // serving output tokens/s of the replica
  double tokens_per_s_per_sequence = 0;
  double time_per_output_token_ms = 0;
  double ttft_s = 0;
  double watts = 0;
  std::optional<double> usd_per_hour, usd_per_million_tokens, tokens_per_s_per_usd_per_hour;
  std::string bound;
  std::vector<std::string> warnings;
  // Image, speech and embedding rows: the cost figure and its item ("1000 images", "audio hour",
  // "million tokens"); tokens_per_s then holds throughput_unit ("images/min", "audio s/s").
  std::optional<double> usd_per_unit;
  std::string cost_unit, throughput_unit;
  std::string mig_profile;  // a MIG slice of `gpu`; empty = the whole GPU
};

struct Ranking {
  RankBy by;
  std::vector<RankRow> rows;             // fitting rows by the metric, then the others
  std::optional<std::size_t> winner;     // index into rows
  std::optional<std::size_t> runner_up;  // best fitting row of another GPU
  std::optional<double> margin_pct;      // how much better the winner is than the runner-up
  std::string statement;                 // "L4 by 71% on $ per 1M tokens"
};

std::string_view rank_by_name(RankBy by);
std::optional<RankBy> rank_by_from_name(std::string_view name);

Ranking rank(const Setup& base, const Catalog& catalog, const RankOptions& options);

namespace detail {
// The rows of one GPU (s.gpu) for an image, speech or embedding scenario (workload_rank.cpp).
void add_workload_rank_rows(Setup& s, const Catalog& catalog, const RankOptions& o, std::vector<RankRow>& rows);
}  // namespace detail

}  // namespace gpufit
