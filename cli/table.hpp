// Readable tables for people (`--format table`): the JSON the core returns, laid out. No figure
// is computed here, only formatted.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace gpucalc {

std::string evaluate_table(const nlohmann::json& result);  // one result or an array of them
std::string rank_table(const nlohmann::json& ranking);
// A sweep's results, one row per value; over load.concurrency or load.request_rate_per_s, the
// load curve (throughput, TTFT and TPOT percentiles, the knee marked).
std::string sweep_table(const std::string& field, const nlohmann::json& values, const nlohmann::json& results);
std::string pack_table(const nlohmann::json& packing);  // gpucalc pack
std::string catalog_table(const std::string& kind, const nlohmann::json& entries);
std::string validation_table(const nlohmann::json& validation);
// The validation before, and each engine's fit with its in-sample and cross-validated errors.
std::string calibration_table(const nlohmann::json& before, const nlohmann::json& calibration);

}  // namespace gpucalc
