// The result's and a ranking row's fields (internal to core/; public through schema.hpp).
#pragma once

#include <vector>

#include "gpufit/schema.hpp"

namespace gpufit::detail {

const std::vector<FieldSpec>& result_specs();
const std::vector<FieldSpec>& rank_row_specs();

}  // namespace gpufit::detail
