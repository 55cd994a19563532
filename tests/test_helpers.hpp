// Shared helpers of the GoogleTest suite: the built-in catalog, scenarios built from JSON, and
// reading the data files under tests/.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"
#include "gpufit/evaluate.hpp"
#include "gpufit/permalink.hpp"
#include "gpufit/scenario_read.hpp"
#include "gpufit/schema.hpp"
#include "json_value.hpp"

namespace gpufit::test {

using nlohmann::json;

inline const Catalog& catalog() {
  const auto& c = builtin_catalog();
  if (!c.ok()) ADD_FAILURE() << "built-in catalog: " << c.error().to_string();
  static const Catalog kEmpty;
  return c.ok() ? c.value() : kEmpty;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline json read_json(const std::string& path) {
  return json::parse(read_text(path));
}

inline std::string tests_dir() {
  return GPUFIT_TESTS_DIR;
}

// The .json files of a folder under tests/, sorted (for data-driven suites).
inline std::vector<std::string> json_files(const std::string& subdir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(tests_dir() + "/" + subdir)) {
    if (e.path().extension() == ".json") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A test name from any text (a file's stem or a case's name): letters and digits, the rest '_'.
inline std::string test_name(std::string text) {
  if (text.find('/') != std::string::npos) text = std::filesystem::path(text).stem().string();
  for (char& c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return text;
}

// A nlohmann value as the core's own JSON value (what the core's readers take).
inline detail::Json core_json(const json& j) {
  auto parsed = detail::parse_json(j.dump(), "test");
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().to_string());
  return parsed.ok() ? parsed.value() : detail::Json();
}

// A scenario from a JSON object; fails the test on an error.
inline gpufit::Setup scenario(const json& j) {
  auto s = read_setup_json(j.dump(), catalog());
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().to_string());
  return s.ok() ? s.value() : gpufit::Setup{};
}

// evaluate_json on one scenario, parsed back; fails the test on an error.
inline json evaluate(const json& j) {
  auto out = evaluate_json(j.dump(), catalog());
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().to_string());
  return out.ok() ? json::parse(out.value()) : json::object();
}

// The error evaluate_json gives for a scenario (empty message if it was accepted).
inline Error evaluate_error(const std::string& text) {
  auto out = evaluate_json(text, catalog());
  return out.ok() ? Error{} : out.error();
}

// Reads a dotted path ("memory.weights_gb") from a JSON object.
inline const json& at_path(const json& j, const std::string& path) {
  static const json kNull;
  const json* cur = &j;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t dot = path.find('.', start);
    std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object() || !cur->contains(key)) return kNull;
    cur = &(*cur)[key];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return *cur;
}

// Every number in a result is finite: the writer turns NaN or Infinity into null, so a null
// outside the fields that may legitimately be empty reveals one.
inline void expect_finite(const json& j, const std::string& path = "") {
  static const std::set<std::string> kMayBeNull = {"min_gpus_to_fit",
                                                   "bound_switch_batch",
                                                   "break_even_hours",
                                                   "provider",
                                                   "price_date_seen",
                                                   "gpus_in_budget",
                                                   "typical_error_pct",
                                                   "fp32_tflops_per_w",
                                                   "interconnect",
                                                   "replicas",
                                                   "gpus_needed",
                                                   "usd_per_hour",
                                                   "usd",
                                                   "reason",
                                                   "usd_per_million_tokens",
                                                   "tokens_per_s_per_usd_per_hour",
                                                   "usd_per_day",
                                                   "usd_per_month",
                                                   "replica_hours_per_day",
                                                   "usd_per_gpu_hour",
                                                   "pricing",
                                                   "winner",
                                                   "runner_up",
                                                   "margin_pct",
                                                   "max_context_tokens",
                                                   "utilization",
                                                   "decode_w",
                                                   "joules_per_request",
                                                   "joules_per_output_token"};
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      // A measured result: its source may not state a length, the calculator may not estimate it.
      static const std::set<std::string> kMeasuredMayBeNull = {"estimate",   "error_pct",     "no_estimate_why",
                                                               "batch_size", "prompt_tokens", "output_tokens"};
      const bool in_measured = path.rfind(".measured[", 0) == 0;
      // The scenario's echo: an optional input not given reads back as null, as the result's
      // schema says (rows without a default).
      const bool echo_may_be_null = path.rfind(".scenario", 0) == 0 && [&] {
        const std::string name = path.substr(1) + "." + k;
        for (const auto& f : gpufit::schema_table("result"))
          if (f.name == name) return f.nullable;
        return false;
      }();
      if (v.is_null()) {
        EXPECT_TRUE(kMayBeNull.count(k) || echo_may_be_null || (in_measured && kMeasuredMayBeNull.count(k)))
            << path << "." << k << " is null";
      } else {
        expect_finite(v, path + "." + k);
      }
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) expect_finite(j[i], path + "[" + std::to_string(i) + "]");
  } else if (j.is_number()) {
    EXPECT_TRUE(std::isfinite(j.get<double>())) << path;
  }
}

}  // namespace gpufit::test
