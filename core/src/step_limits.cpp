#include "gpufit/step_limits.hpp"

#include <algorithm>
#include <cctype>

namespace gpufit {

namespace {

constexpr double kBytesPerGiB = 1024.0 * 1024 * 1024;

bool contains_ignoring_case(std::string_view text, std::string_view part) {
  if (part.empty()) return false;
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  return std::search(text.begin(), text.end(), part.begin(), part.end(),
                     [&](char a, char b) { return lower(a) == lower(b); }) != text.end();
}

}  // namespace

StepLimits step_limits(const EngineSpec& e, const Gpu& g) {
  StepLimits l{e.activation_chunk_tokens, e.max_sequences};
  // The engine reads the device's total memory as the driver reports it (a MIG slice's own).
  const double memory_gib = g.usable_memory_gb * 1e9 / kBytesPerGiB;
  if (e.large_gpu_memory_gib > 0 && memory_gib >= e.large_gpu_memory_gib &&
      !contains_ignoring_case(g.name, e.large_gpu_excluded_name)) {
    if (e.large_gpu_chunk_tokens > 0) l.chunk_tokens = e.large_gpu_chunk_tokens;
    if (e.large_gpu_max_sequences > 0) l.max_sequences = e.large_gpu_max_sequences;
  }
  return l;
}

}  // namespace gpufit
