// The scenario's schema table, bound to the Scenario struct (internal to core/).
#pragma once

#include <vector>

#include "gpufit/scenario.hpp"
#include "schema_bind.hpp"

namespace gpufit::detail {

Table<Scenario> scenario_table();

}  // namespace gpufit::detail
