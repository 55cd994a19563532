// The scenario reader on parsed JSON, for the API layer (arrays of scenarios share one parse).
#pragma once

#include <string>

#include "gpufit/scenario.hpp"
#include "json_read.hpp"

namespace gpufit::detail {

// `path` is the scenario's JSON Pointer in the input ("" for a single scenario, "/2" in an array).
Outcome<Scenario> read_scenario(const Json& object, const std::string& path);

}  // namespace gpufit::detail
