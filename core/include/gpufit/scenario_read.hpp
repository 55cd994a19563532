// Scenario JSON (the SPEC contract) -> Scenario, resolving catalog ids and refusing bad input
// with the field named. Also the permalink form: URLSearchParams text with the same field names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gpufit/catalog.hpp"
#include "gpufit/scenario.hpp"

namespace gpufit {

// Names of every scenario field, in the contract's order.
const std::vector<std::string>& scenario_field_names();

// Reads one scenario object given as JSON text. `path` prefixes field names in errors (used for
// arrays: "[2].model").
Outcome<Scenario> read_scenario_json(std::string_view json_text, const Catalog& catalog);

// Permalink: "model=llama-3.1-70b&weights=int4&gpu=l4&gpu_count=2" -> scenario JSON text (an
// object with the contract's names and typed values). A value starting with '{' is JSON (an
// inline model or GPU). Refuses unknown names and values of the wrong type, naming the field.
Outcome<std::string> scenario_json_from_query(std::string_view query);

// Scenario JSON text -> permalink query, fields in contract order, inline objects as JSON.
Outcome<std::string> query_from_scenario_json(std::string_view json_text);

}  // namespace gpufit
