// Why these values: powers of two read evenly on the charts' log axes, and the last point is the
// scenario's own limit (the largest batch that fits, the model's context window) so the curve ends
// where the calculator says the setup stops.
#include "gpufit/chart_sweeps.hpp"

#include <algorithm>

namespace gpufit {

namespace {

// start, 2 x start, ... while below `last`, then `last` itself.
std::vector<double> doubling(double start, double last) {
  std::vector<double> out;
  for (double v = start; v < last; v *= 2) out.push_back(v);
  out.push_back(last);
  return out;
}

}  // namespace

std::vector<ChartSweep> chart_sweeps(const Setup& s, const Result& r) {
  const std::vector<double> batches = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  if (s.workload == "image") return {{"batch_size", {1, 2, 4, 8, 16}}, {"width", {512, 768, 1024, 1536, 2048}}};
  if (s.workload == "speech") return {{"batch_size", batches}};
  if (s.workload == "embedding") {
    const double window = std::max(512.0, s.model.max_context_tokens > 0 ? s.model.max_context_tokens : 512.0);
    std::vector<double> lengths;
    for (double t = 32; t <= 8192 && t <= window; t *= 2) lengths.push_back(t);
    return {{"batch_size", batches}, {"sequence_tokens", lengths}};
  }
  if (s.mode != Mode::kInference || r.decode.tokens_per_s_total == 0) return {};
  const double max_batch = std::clamp(r.max_batch_size > 0 ? r.max_batch_size : 1.0, 1.0, 1024.0);
  const double window = std::max(512.0, s.model.max_context_tokens > 0 ? s.model.max_context_tokens : 131072.0);
  return {{"batch_size", doubling(1, max_batch)}, {"context_tokens", doubling(256, window)}};
}

}  // namespace gpufit
