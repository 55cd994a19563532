// How far the serving_load model is from measured load sweeps (benchmarks of kind serving_load):
// each point simulated at its source's own traffic, with output throughput and TPOT errors and
// the TTFT ratio, summarized overall and per source. Nothing is fitted on these rows, so every
// source is predicted by factors fitted without it: where an engine's fit used other rows of the
// same source (the same run's serving throughput), by that engine refitted without the source's
// rows, so all rows of one source leave together. Such sources are marked (source_in_fit) and
// kept out of held_out, the summary over sources no stored fit has seen.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gpufit/catalog.hpp"
#include "gpufit/serving_load.hpp"

namespace gpufit {

struct LoadValidationPoint {
  const Benchmark* benchmark = nullptr;
  ServingLoad estimate;
  std::optional<double> throughput_error_pct;  // (estimate - measured) / measured * 100
  std::optional<double> tpot_error_pct;        // mean against mean, else median against median
  std::optional<double> ttft_ratio;            // estimate / measured: median against median, else mean against mean
  std::string tpot_stat, ttft_stat;            // "mean" or "p50": which statistic was compared
  bool source_in_fit = false;                  // the engine's fit used rows of this source
};

struct LoadErrorSummary {
  std::size_t n = 0;
  double median_abs_pct = 0, p90_abs_pct = 0, bias_pct = 0;
};

struct LoadTtftSummary {
  std::size_t n = 0;
  double within_2x_share = 0;  // share of points with 0.5 <= ratio <= 2
  double median_ratio = 0;
};

struct LoadValidationGroup {
  std::string source;  // "" for the summaries over sources
  std::string engine;
  bool source_in_fit = false;
  LoadErrorSummary throughput, tpot;
  LoadTtftSummary ttft;
};

struct LoadValidation {
  std::vector<LoadValidationPoint> points;
  std::vector<LoadValidationGroup> sources;  // one per source, in data order
  LoadValidationGroup held_out;              // sources no engine fit has seen
  LoadValidationGroup all;                   // every source, each predicted without it
  std::vector<std::pair<const Benchmark*, std::string>> skipped;
};

LoadValidation validate_serving_load(const Catalog& catalog);

}  // namespace gpufit
