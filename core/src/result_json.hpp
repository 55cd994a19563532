// Result -> the SPEC's result JSON (field names are the contract).
#pragma once

#include "gpufit/evaluate.hpp"
#include "json_read.hpp"

namespace gpufit::detail {

// `compact` leaves out assumptions and measured results (sweeps for charts).
json result_to_json(const Result& r, bool compact = false);

}  // namespace gpufit::detail
