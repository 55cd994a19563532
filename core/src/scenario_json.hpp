// The scenario reader on parsed JSON, for the API layer (arrays of scenarios share one parse).
#pragma once

#include <string>

#include "gpufit/catalog.hpp"
#include "gpufit/scenario.hpp"
#include "json_read.hpp"

namespace gpufit::detail {

// `path` prefixes field names in errors ("" for a single scenario, "[2]" inside an array).
Outcome<Scenario> read_scenario(const json& object, const Catalog& catalog, const std::string& path);

}  // namespace gpufit::detail
