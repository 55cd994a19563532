// The catalog entries' schema tables, bound to their structs (internal to core/).
#pragma once

#include <vector>

#include "gpufit/catalog.hpp"
#include "schema_bind.hpp"

namespace gpufit::detail {

const std::vector<Bound<Gpu>>& gpu_table();
const std::vector<Bound<Model>>& model_table();
const std::vector<Bound<Engine>>& engine_table();
const std::vector<Bound<Interconnect>>& interconnect_table();
const std::vector<Bound<Price>>& price_table();
const std::vector<Bound<Benchmark>>& benchmark_table();
const std::vector<Bound<WeightFormat>>& weight_format_table();
const std::vector<Bound<KvFormat>>& kv_format_table();
const std::vector<FieldSpec>& ggml_type_specs();
const std::vector<FieldSpec>& tensor_override_specs();

}  // namespace gpufit::detail
