// The result's and a ranking row's fields (internal to core/; public through schema.hpp).
#pragma once

#include <span>

#include "gpufit/schema.hpp"

namespace gpufit::detail {

std::span<const FieldSpec> result_specs();
std::span<const FieldSpec> rank_row_specs();

}  // namespace gpufit::detail
