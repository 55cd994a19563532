// Fleet sizing: how many replicas N concurrent users need when each must get at least T tokens/s
// and every user's KV cache must fit. A replica serves the largest batch that meets both limits.
#pragma once

#include <optional>
#include <string>

#include "gpufit/scenario.hpp"

namespace gpufit {

struct Fleet {
  double users_per_replica = 0;    // 0: no batch meets both limits
  std::optional<double> replicas;  // empty when no replica can serve one user
  std::optional<double> gpus_needed;
  std::optional<double> usd_per_hour;
  double tokens_per_s_per_user = 0;  // what each user gets at users_per_replica
  std::string limited_by;            // "memory", "speed", "users" (fewer users than a replica holds)
};

// `max_batch`: the largest batch memory allows at context_tokens; `per_user_tps(b)`: decode
// tokens/s of one sequence at batch b (falling as b grows).
template <class PerUserTps>
Fleet size_fleet(const Setup& s, double max_batch, PerUserTps&& per_user_tps, std::optional<double> usd_per_gpu_hour);

}  // namespace gpufit

#include "gpufit/fleet_impl.hpp"
