// Result -> the SPEC's result JSON (field names are the contract), and a ranking's rows.
#pragma once

#include "gpufit/evaluate.hpp"
#include "gpufit/rank.hpp"
#include "json_write.hpp"

namespace gpufit::detail {

// `compact` leaves out assumptions and measured results (sweeps for charts).
void write_result(JsonWriter& w, const Result& r, bool compact = false);

void write_rank_row(JsonWriter& w, const RankRow& r);

}  // namespace gpufit::detail
