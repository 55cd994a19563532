// What the image, speech and embedding estimates share (internal to core/).
#pragma once

#include "gpufit/catalog.hpp"
#include "gpufit/evaluate.hpp"
#include "gpufit/scenario.hpp"
#include "gpufit/workloads.hpp"

namespace gpufit::detail {

// CUDA context, cuBLAS/cuDNN workspaces and the framework's allocator slack, per GPU.
inline constexpr double kWorkloadRuntimeOverheadGb = 1.0;

double peak_flops_per_s(const Setup& s);         // dense tensor peak of the computed precision
double bandwidth_bytes_per_s(const Setup& s);    // datasheet DRAM bandwidth
double bytes_at(const Setup& s, double params);  // parameters at the scenario's weight format

WorkloadFigures embedding_figures(const Setup& s, const WorkloadFit& fit);
WorkloadFigures speech_figures(const Setup& s, const WorkloadFit& fit);
WorkloadFigures image_figures(const Setup& s, const WorkloadFit& fit);

// The whole result of a workload scenario (memory, figures, cost, power, warnings).
Result evaluate_workload(const Setup& s, const Catalog& catalog, bool full);

// A Setup for a benchmark row (nullopt: an id the catalog lacks).
std::optional<Setup> workload_setup(const WorkloadBenchmark& b, const Catalog& catalog);

}  // namespace gpufit::detail
