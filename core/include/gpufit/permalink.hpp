// A scenario in a URL fragment, as URLSearchParams text with the schema's field names
// ("model=llama-3.1-70b&weights=int4&gpu=l4&gpu_count=2"). Each field is encoded by its schema
// type: words as they are, numbers as decimal text, inline objects as JSON.
#pragma once

#include <string>
#include <string_view>

#include "gpufit/error.hpp"

namespace gpufit {

// Permalink -> scenario JSON text (an object with the schema's names and typed values). A value
// of an id-or-object field starting with '{' is JSON (an inline model or GPU). Refuses unknown
// names, repeated names and values of the wrong type, naming the field ("/batch_size").
Outcome<std::string> scenario_json_from_query(std::string_view query);

// Scenario JSON text -> permalink query, fields in the schema's order.
Outcome<std::string> query_from_scenario_json(std::string_view json_text);

}  // namespace gpufit
