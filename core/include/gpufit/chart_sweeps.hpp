// The sweeps the page's charts draw beside a result (core/src/chart_sweeps.cpp): which scenario
// field, over which values. Chosen in the core from the result itself, so that one update() answers
// an input change with the result, the ranking and the charts together.
#pragma once

#include <string>
#include <vector>

#include "gpufit/evaluate.hpp"
#include "gpufit/scenario.hpp"

namespace gpufit {

struct ChartSweep {
  std::string field;           // a scenario field: "batch_size", "context_tokens", "width", ...
  std::vector<double> values;  // in increasing order
};

// Text generation (inference only; nothing when the model decodes nothing): tokens/s against batch
// size, 1, 2, 4, ... up to the batch that fits, and against context, 256, 512, ... up to the model's
// window. Image: batch 1-16 and width 512-2048; speech: batch 1-256; embedding: batch 1-256 and
// sequence length 32 tokens up to the model's window.
std::vector<ChartSweep> chart_sweeps(const Setup& s, const Result& r);

}  // namespace gpufit
