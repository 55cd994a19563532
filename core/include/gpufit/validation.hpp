// How far the calculator is from measured public results: every benchmark of data/ estimated at
// its own settings, errors grouped by kind and engine (count, median and 90th-percentile absolute
// error, signed bias, worst cases), and the calibration that fits each engine's efficiency factors
// with leave-one-source-out cross-validation.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gpufit/catalog.hpp"
#include "gpufit/power.hpp"

namespace gpufit {

struct ValidationPoint {
  const Benchmark* benchmark = nullptr;
  double estimate = 0;
  double error_pct = 0;  // signed: (estimate - measured) / measured * 100
};

struct ValidationGroup {
  std::string kind, engine;  // engine "" for memory
  std::size_t n = 0;
  double median_abs_pct = 0, p90_abs_pct = 0, bias_pct = 0;  // bias: median signed error
  std::vector<ValidationPoint> worst;                        // up to five, worst first
};

struct Validation {
  std::vector<ValidationGroup> groups;
  std::vector<ValidationPoint> points;
  // Benchmarks left out, with why (no estimate for their settings, or marked excluded).
  std::vector<std::pair<const Benchmark*, std::string>> skipped;
};

// Estimates every benchmark of the catalog; `engines` replaces engines by id (for fitting).
Validation validate(const Catalog& catalog, const std::vector<Engine>& engines = {});

// Summary statistics of signed percentage errors.
ValidationGroup summarize(std::vector<ValidationPoint> points, std::string kind, std::string engine);

struct CalibrationResult {
  Engine engine;  // with fitted factors, fitted_on, validation and error_pct
  std::size_t points = 0;
  std::vector<std::string> gpus;                           // the GPUs fitted on
  std::vector<std::string> sources;                        // the source groups left out one at a time
  std::map<std::string, ValidationGroup> in_sample;        // by kind
  std::map<std::string, ValidationGroup> cross_validated;  // by kind: each source predicted by a fit without it
  std::vector<ValidationPoint> held_out;                   // every point as predicted without its source
};

// Fits bandwidth_efficiency, compute_efficiency and step_overhead_ms of one engine to its
// decode, prefill and serving benchmarks (least squares on log errors, bounded), then repeats the
// fit leaving each source group out (source_group) to measure the error on sources the fit has
// not seen.
// `bandwidth_prior`, if given, replaces the engine's bandwidth efficiency where its data cannot
// identify one (no batch-1 decode results).
std::optional<CalibrationResult> calibrate_engine(const Catalog& catalog, const std::string& engine_id,
                                                  std::optional<double> bandwidth_prior = std::nullopt);

// The engine fitted as calibrate_engine fits it, less every row of one source group: how rows
// that are not fitted themselves (load sweeps) but share a source with fitted rows are predicted
// by a fit that has not seen their source. nullopt when fewer than three rows remain.
std::optional<EngineSpec> fit_engine_without_source(const Catalog& catalog, const std::string& engine_id,
                                                    const std::string& source);

// The source a benchmark comes from, as cross-validation groups it: every row of one repository
// (forks and commits of it merged: one document at another version is the same source), one gist,
// one web site, or one named measurement leaves the fit together.
std::string source_group(const Benchmark& b);
std::string source_group(const std::string& source);  // the same for a row's source text

// The kind errors are reported under: "decode" (batch 1), "decode_batched", "prefill", "serving",
// "power", "memory".
std::string report_kind(const Benchmark& b);

// The power curve (power.hpp) fitted on every measured power row, with each source predicted by a
// fit on the others.
struct PowerCalibration {
  PowerCurve curve;
  std::size_t points = 0;
  std::vector<std::string> sources;
  ValidationGroup in_sample, cross_validated;
  std::vector<ValidationPoint> held_out;
};
std::optional<PowerCalibration> calibrate_power(const Catalog& catalog);

// Whether an engine has decode benchmarks (which identify its bandwidth efficiency).
bool has_decode_benchmarks(const Catalog& catalog, const std::string& engine_id);

}  // namespace gpufit
