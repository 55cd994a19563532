// Serving under load: a deterministic continuous-batching model of one replica. Requests arrive
// closed loop (N users, each sending its next request when the last ends, as benchmark_serving's
// --max-concurrency does) or open loop (Poisson at λ requests/s); prompt and output lengths are
// fixed or spread (log-normal at a coefficient of variation, fixed seed). The engine's scheduler
// admits requests first come first served while their KV cache (prompt + output, reserved on
// admission, no preemption) fits in the blocks left after weights, activations and overheads and
// while fewer than its maximum sequences run; each step carries every running decode plus
// prefill chunks up to the token budget (chunked prefill, decode and prefill sharing a step). A
// step's time is the roofline of throughput.hpp for the tokens it holds: decode_step() and
// prefill_time() give the per-token and per-step costs it is assembled from.
#pragma once

#include <optional>
#include <string>

#include "gpufit/scenario.hpp"

namespace gpufit {

// Mean and percentiles (linear interpolation between order statistics, as numpy and the
// benchmark tools compute them).
struct Distribution {
  double mean = 0, p50 = 0, p90 = 0, p99 = 0;
};

struct ServingLoad {
  // Generated tokens and completed requests per second in the steady window (after the warm-up,
  // before the drain); with load.requests, over the whole run, first arrival to last token.
  double output_tokens_per_s = 0;
  double requests_per_s = 0;
  Distribution ttft_ms;             // arrival to first token, queueing included
  Distribution tpot_ms;             // (e2e - ttft) / (output tokens - 1), requests of 2+ tokens
  Distribution e2e_ms;              // arrival to last token
  Distribution queue_ms;            // arrival to admission (waiting for KV blocks or a sequence slot)
  double kv_cache_utilization = 0;  // time-averaged share of the KV capacity holding tokens
  bool saturated = false;           // open loop: the queue grows; closed loop: users wait for admission
  // What the figures rest on.
  double kv_capacity_tokens = 0;  // tokens of KV cache the replica holds
  double max_sequences = 0;       // the engine's cap on running sequences
  double token_budget = 0;        // tokens per step (the engine's batched-token budget)
  double mean_running = 0;        // time-averaged sequences running
  int requests = 0;               // requests simulated
  int measured_requests = 0;      // after the warm-up, those the figures count (all of a load.requests run)
};

// The replica under `load`. A load neither closed nor open (both empty) gives an empty result.
ServingLoad serving_load(const Setup& s, const Catalog& catalog, const Load& load);

// Fleet sizing against an SLO (p99 TTFT and/or p99 TPOT).
struct SloFleet {
  std::optional<double>
      max_rate_per_replica_within_slo;                 // open loop, by bisection; empty: not even one request meets it
  std::optional<double> users_per_replica_within_slo;  // closed loop, the most users one replica holds within it
  std::optional<double> replicas_for_slo;  // for the demand: load's rate, else users (or load's concurrency)
  std::optional<double> gpus_for_slo;
};
SloFleet size_for_slo(const Setup& s, const Catalog& catalog, const Slo& slo);

// Whether a load point meets the SLO.
bool within_slo(const ServingLoad& r, const Slo& slo);

}  // namespace gpufit
