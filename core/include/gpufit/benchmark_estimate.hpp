// The calculator's figure for a measured benchmark, at the benchmark's own settings: the bridge
// between data/benchmarks.json and the estimates (validation, calibration, and the measured
// results shown beside an estimate).
#pragma once

#include <optional>
#include <string>

#include "gpufit/catalog.hpp"
#include "gpufit/power.hpp"
#include "gpufit/scenario.hpp"

namespace gpufit {

// A benchmark turned into a scenario once; what does not depend on engine efficiencies (the batch
// memory allows, the attended context) is settled here, so a fit can re-estimate it cheaply.
struct PreparedBenchmark {
  const Benchmark* benchmark = nullptr;
  Setup scenario;
  double batch = 1;
  double kv_tokens = 0;
  std::string why_not;  // non-empty: no estimate for this benchmark, and why
};

// The prepared scenario's engine carries the factors only (an EngineSpec): each estimate
// copies the scenario, and a fit makes thousands of estimates.
PreparedBenchmark prepare_benchmark(const Benchmark& b, const Catalog& catalog);

// The estimate with the given engine factors (decode/prefill/serving tokens/s, memory bytes).
std::optional<double> estimate_prepared(const PreparedBenchmark& p, const Catalog& catalog, const EngineSpec& engine);

// Power rows: one GPU's activity during the phase measured, at the engine's factors (the power
// curve is fitted on these).
std::optional<Activity> power_activity(const PreparedBenchmark& p, const Catalog& catalog, const EngineSpec& engine);

// Convenience: prepare and estimate with the catalog's own engine.
std::optional<double> estimate_benchmark(const Benchmark& b, const Catalog& catalog);

}  // namespace gpufit
