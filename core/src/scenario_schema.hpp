// The scenario's schema table, bound to the Scenario struct (internal to core/).
#pragma once

#include <vector>

#include "gpufit/scenario.hpp"
#include "schema_bind.hpp"

namespace gpufit::detail {

Table<Scenario> scenario_table();
Table<Load> load_table();  // the scenario's "load" object
Table<Slo> slo_table();    // the scenario's "slo" object

}  // namespace gpufit::detail
