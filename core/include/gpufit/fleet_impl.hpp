// Template body of size_fleet (fleet.hpp): kept here so the header stays readable.
#pragma once

#include <algorithm>
#include <cmath>

namespace gpufit {

template <class PerUserTps>
Fleet size_fleet(const Setup& s, double max_batch, PerUserTps&& per_user_tps, std::optional<double> usd_per_gpu_hour) {
  Fleet f;
  const double users = s.users.value_or(0);
  const double floor_tps = s.min_tokens_per_s_per_user.value_or(0);
  if (users <= 0) {  // no users need no replica, whatever a replica could hold
    f.replicas = 0;
    f.gpus_needed = 0;
    if (usd_per_gpu_hour) f.usd_per_hour = 0;
    f.limited_by = "users";
    return f;
  }
  if (max_batch < 1) {
    f.limited_by = "memory";
    return f;
  }
  // Per-user speed falls as the batch grows: find the largest batch still at or above the floor.
  double best = 0;
  if (per_user_tps(max_batch) >= floor_tps) {
    best = max_batch;
    f.limited_by = "memory";
  } else if (per_user_tps(1) >= floor_tps) {
    double lo = 1, hi = max_batch;
    while (hi - lo > 1) {
      double mid = std::floor((lo + hi) / 2);
      (per_user_tps(mid) >= floor_tps ? lo : hi) = mid;
    }
    best = lo;
    f.limited_by = "speed";
  } else {
    f.limited_by = "speed";
    f.tokens_per_s_per_user = per_user_tps(1);
    return f;
  }
  if (users > 0 && users < best) {
    best = users;
    f.limited_by = "users";
  }
  f.users_per_replica = best;
  f.tokens_per_s_per_user = per_user_tps(best);
  f.replicas = users > 0 ? std::ceil(users / best) : 0;
  f.gpus_needed = *f.replicas * s.gpu_count;
  if (usd_per_gpu_hour) f.usd_per_hour = *f.gpus_needed * *usd_per_gpu_hour;
  return f;
}

}  // namespace gpufit
