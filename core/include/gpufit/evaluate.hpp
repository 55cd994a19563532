// One scenario in, every figure of the SPEC's result out, with the assumptions they rest on and
// warnings in plain words.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gpufit/cost.hpp"
#include "gpufit/fleet.hpp"
#include "gpufit/memory_fit.hpp"
#include "gpufit/power.hpp"
#include "gpufit/scenario.hpp"
#include "gpufit/serving_load.hpp"
#include "gpufit/throughput.hpp"
#include "gpufit/training_time.hpp"

namespace gpufit {

// One assumption: a value (number or text) and where it comes from.
struct Assumption {
  std::string key;
  std::optional<double> number;
  std::string text;
  std::string note;
};

// A measured public result for the same GPU, model, format, engine and GPU count, shown beside
// the estimate.
struct Measured {
  std::string id, kind, source, date, engine_version;
  double value = 0;
  // The calculator's figure at the benchmark's own settings; none when those settings cannot be
  // estimated (power draw, a workload of unstated lengths), and then why.
  std::optional<double> estimate;
  std::optional<double> error_pct;  // (estimate - value) / value, in percent
  std::string no_estimate_why;
  std::optional<double> batch_size, prompt_tokens, output_tokens;  // none: not stated by the source
};

struct Result {
  bool fits = false;
  MemoryBreakdown memory;
  double max_batch_size = 0;
  double max_context_tokens = 0;
  int min_gpus_to_fit = 0;

  struct Decode {
    double tokens_per_s_per_sequence = 0, tokens_per_s_total = 0;
    std::string bound;  // "memory" or "compute"
    std::optional<double> bound_switch_batch;
    StepTime step;
    double kv_tokens = 0;
  } decode;
  struct Prefill {
    double tokens_per_s = 0;
    double seconds = 0;
    std::string bound;
  } prefill;
  double ttft_s = 0;
  double time_per_output_token_ms = 0;
  Serving serving;
  std::optional<PriceChoice> price;
  std::optional<Cost> cost;
  Power power;
  std::optional<Fleet> fleet;
  std::optional<ServingLoad> serving_load;  // with load
  std::optional<SloFleet> slo_fleet;        // with slo
  std::optional<Training> training;
  std::optional<double> training_usd;

  // The shape the numbers rest on.
  double params = 0, active_params = 0, kv_cache_bytes_per_token = 0, weights_bytes = 0;
  std::string compute_precision;
  std::string link;  // interconnect used by tensor parallel ("" for one GPU)

  std::vector<Assumption> assumptions;
  std::vector<std::string> warnings;
  std::vector<Measured> measured;
  // Image, speech and embedding workloads: their figures (workloads.hpp) and the replica's price.
  std::optional<WorkloadFigures> workload;
  std::optional<double> workload_usd_per_hour;
  const Setup* setup = nullptr;  // for the writer (ids, names)
};

// Evaluates a scenario against a catalog (for the training runtime, interconnects, prices and
// the measured benchmarks shown beside the estimates). `full` false gives the figures and warnings
// only, without the assumptions and the measured results (the compact answers of sweeps).
Result evaluate(const Setup& s, const Catalog& catalog, bool full = true);

}  // namespace gpufit
