// The catalog entries' schema tables, bound to their structs (internal to core/).
#pragma once

#include <vector>

#include "gpufit/catalog.hpp"
#include "schema_bind.hpp"

namespace gpufit::detail {

Table<Gpu> gpu_table();
Table<Model> model_table();
Table<Engine> engine_table();
Table<Interconnect> interconnect_table();
Table<Price> price_table();
Table<Benchmark> benchmark_table();
Table<WeightFormat> weight_format_table();
Table<KvFormat> kv_format_table();
std::span<const FieldSpec> ggml_type_specs();
std::span<const FieldSpec> tensor_override_specs();

}  // namespace gpufit::detail
