// Scenario JSON (the SPEC contract) -> Scenario, refusing bad input with the field named by its
// JSON Pointer; resolve() (scenario.hpp) then looks up the catalog entries it names. The
// permalink form of a scenario lives in permalink.hpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gpufit/catalog.hpp"
#include "gpufit/scenario.hpp"

namespace gpufit {

// Names of every scenario field, in the schema's order.
const std::vector<std::string>& scenario_field_names();

// One scenario object given as JSON text.
Outcome<Scenario> read_scenario_json(std::string_view json_text);

// read_scenario_json, then resolve(): the common case.
Outcome<Setup> read_setup_json(std::string_view json_text, const Catalog& catalog);

}  // namespace gpufit
