#include "gpufit/serving_load.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gpufit/memory_fit.hpp"
#include "gpufit/step_limits.hpp"
#include "gpufit/throughput.hpp"

namespace gpufit {

namespace {

// Paged KV cache: engines hand out blocks of 16 tokens (vLLM's and SGLang's default page size
// for the attention kernels; TensorRT-LLM's tokens_per_block defaults to 32 or 64, close enough).
constexpr double kBlockTokens = 16;
// Requests simulated: enough for the 99th percentile to rest on several requests, few enough for
// a load point in about a millisecond.
constexpr int kOpenLoopRequests = 600;
constexpr int kMinClosedLoopMeasured = 160;
// A thousand measured requests hold ten past the 99th percentile; more only cost time once an
// engine runs a thousand sequences a step (vLLM on an H100: 1024), where each step visits each.
constexpr int kMaxClosedLoopMeasured = 1024;
// Users beyond this many are simulated as this many: far past any engine's sequence cap, the
// replica is saturated and only the queue grows (queueing times are then understated).
constexpr double kMostUsersSimulated = 4096;
constexpr double kMostRequestsInARun = 20000;  // the schema's bound on load.requests
constexpr std::uint64_t kSeed = 0x9E3779B97F4A7C15ull;

// The most sequences an engine runs at once on this GPU, by its own defaults (engines.json's
// max_sequences: vLLM's max_num_seqs, TensorRT-LLM's max_batch_size); the others are bounded by
// their KV cache alone.
double engine_max_sequences(const EngineSpec& e, const Gpu& g) {
  const double most = step_limits(e, g).max_sequences;
  return most > 0 ? most : 1e9;
}

// splitmix64: the same numbers on every platform (the standard library's distributions differ
// between implementations, and the page must draw the curve the CLI prints).
struct Rng {
  std::uint64_t state;
  double uniform() {  // (0, 1)
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double(z >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  }
  double normal() {  // Box-Muller
    const double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
};

// Log-normal of the given mean and coefficient of variation (the mean is kept, the spread set).
double spread(Rng& rng, double mean, double cv) {
  if (cv <= 0 || mean <= 0) return mean;
  const double sigma2 = std::log(1 + cv * cv);
  return mean * std::exp(std::sqrt(sigma2) * rng.normal() - sigma2 / 2);
}

// A step's time as a function of what it carries, assembled from the roofline's own functions:
// the weights read at T tokens, the KV cache read or written per token, the FLOPs per token and
// per attended (query, key) pair, all-reduces and engine overheads.
struct StepModel {
  std::vector<double> grid_tokens, grid_weights_s;  // weights' read time at T tokens (MoE: more experts)
  double kv_s_per_token = 0;                        // memory time per KV token read (decode) or written (prefill)
  double body_s_per_token = 0;                      // compute time of one token through the layers
  double head_s_per_token = 0;                      // the LM head, for each sampled token
  double att_s_per_pair = 0;                        // attention compute per (query token, attended token)
  double comm0_s = 0, comm1_s = 0;                  // all-reduces: per step and per token
  double overhead0_s = 0, overhead1_s = 0;          // engine: per step and per decoding sequence

  double weights_s(double tokens) const {
    if (grid_tokens.size() == 1 || tokens <= grid_tokens.front()) return grid_weights_s.front();
    for (std::size_t i = 1; i < grid_tokens.size(); ++i) {
      if (tokens <= grid_tokens[i]) {
        const double f = std::log2(tokens / grid_tokens[i - 1]);  // grid doubles: log2 of the ratio in [0, 1]
        return grid_weights_s[i - 1] + f * (grid_weights_s[i] - grid_weights_s[i - 1]);
      }
    }
    return grid_weights_s.back();
  }

  // decodes: sequences decoding one token; attended: KV tokens they read; prefill: prompt tokens
  // in the step; pairs: (query, key) pairs of those prompt tokens.
  double step_s(double decodes, double attended, double prefill, double pairs) const {
    const double tokens = decodes + prefill;
    const double memory = weights_s(tokens) + kv_s_per_token * (attended + prefill);
    const double compute = body_s_per_token * tokens + head_s_per_token * decodes + att_s_per_pair * (attended + pairs);
    return std::max(memory, compute) + comm0_s + comm1_s * tokens + overhead0_s + overhead1_s * decodes;
  }
};

StepModel step_model(const Setup& s, const Catalog& catalog, double max_tokens) {
  StepModel m;
  const StepCosts steps(s, catalog);
  const double kref = std::max(1.0, mean_attended_tokens(s));
  const StepTime d1 = steps.decode_step(1, 0), d2 = steps.decode_step(2, 0);
  const StepTime dk = steps.decode_step(1, kref);
  m.kv_s_per_token = (dk.memory_s - d1.memory_s) / kref;
  m.att_s_per_pair = (dk.compute_s - d1.compute_s) / kref;
  // Prefill of 1 and 2 tokens: 2 tokens through the body, 2 more causal pairs (1 + 2 versus 1).
  const StepTime p1 = steps.prefill_time(1, 1), p2 = steps.prefill_time(1, 2);
  m.body_s_per_token = std::max(0.0, (p2.compute_s - p1.compute_s) - 2 * m.att_s_per_pair);
  m.head_s_per_token = std::max(0.0, d1.compute_s - m.body_s_per_token);
  m.comm1_s = d2.communication_s - d1.communication_s;
  m.comm0_s = d1.communication_s - m.comm1_s;
  m.overhead1_s = d2.overhead_s - d1.overhead_s;
  m.overhead0_s = d1.overhead_s - m.overhead1_s;
  // Weights read: constant for a dense model; for MoE it grows with the experts the tokens touch.
  const double w1 = d1.memory_s;
  const double top = std::clamp(max_tokens, 1.0, double(1 << 20));
  const double wtop = steps.decode_step(top, 0).memory_s;
  m.grid_tokens.push_back(1);
  m.grid_weights_s.push_back(w1);
  if (wtop > w1 * (1 + 1e-9)) {
    for (double t = 2; t < top * 2; t *= 2) {
      m.grid_tokens.push_back(t);
      m.grid_weights_s.push_back(steps.decode_step(t, 0).memory_s);
    }
  }
  return m;
}

Distribution distribution(std::vector<double>& v) {
  Distribution d;
  if (v.empty()) return d;
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  d.mean = sum / v.size();
  const auto at = [&](double q) {
    const double pos = q * (v.size() - 1);
    const std::size_t i = static_cast<std::size_t>(pos);
    const double f = pos - i;
    return i + 1 < v.size() ? v[i] + f * (v[i + 1] - v[i]) : v[i];
  };
  d.p50 = at(0.5);
  d.p90 = at(0.9);
  d.p99 = at(0.99);
  return d;
}

struct Request {
  double arrival = 0, admitted = -1, first = -1, done = -1;
  int prompt = 0, output = 1;  // tokens
  int prefilled = 0, generated = 0;
  double blocks = 0;  // reserved on admission
};

}  // namespace

ServingLoad serving_load(const Setup& s, const Catalog& catalog, const Load& load) {
  ServingLoad out;
  const bool closed = load.concurrency.has_value();
  if (!closed && !load.request_rate_per_s) return out;
  const double users = closed ? std::clamp(std::floor(*load.concurrency), 1.0, kMostUsersSimulated) : 0;
  const double rate = closed ? 0 : *load.request_rate_per_s;
  if (!closed && !(rate > 0)) return out;

  // KV capacity: what the memory fit leaves once weights, activations and overheads are placed.
  const double ctx = std::max(1.0, s.context_tokens);
  const MemoryBreakdown one = inference_memory(s, s.gpu_count, 1, ctx);
  const double kv_gb_per_token = one.kv_cache_gb / ctx;
  const double free_gb = one.available_gb - (one.total_gb - one.kv_cache_gb);
  out.kv_capacity_tokens = kv_gb_per_token > 0 ? std::max(0.0, free_gb / kv_gb_per_token) : 1e12;
  const double capacity_blocks = std::floor(out.kv_capacity_tokens / kBlockTokens);
  out.max_sequences = engine_max_sequences(s.engine, s.gpu);
  const double planned = step_limits(s.engine, s.gpu).chunk_tokens;
  out.token_budget = planned > 0 ? planned : 1e9;
  if (capacity_blocks < 1) return out;

  const StepModel model = step_model(s, catalog, std::min(out.token_budget, 65536.0));

  // The requests: lengths (and for the open loop arrival times) from one seeded stream.
  // A warm-up is simulated and left out of the figures, as steady-state benchmarks (genai-perf,
  // AIPerf) measure: closed loop, the users' first requests (sent together, they prefill in one
  // burst); open loop, the first tenth of the arrivals.
  // A run of a stated number of requests (load.requests) is measured whole, as the benchmark that
  // sent them reports it: no warm-up, and the throughput over the run from the first arrival to
  // the last token.
  const bool finite = load.requests.has_value();
  const int finite_n = finite ? static_cast<int>(std::clamp(std::floor(*load.requests), 1.0, kMostRequestsInARun)) : 0;
  const int warm = finite ? 0 : closed ? static_cast<int>(users) : kOpenLoopRequests / 10;
  // Measured: four rounds of the sequences that run at once (users past the engine's cap only
  // queue, and add nothing but time to simulate).
  const double rounds_of = std::min(users, out.max_sequences);
  const int n = finite ? finite_n
                : closed
                    ? warm + std::clamp(static_cast<int>(4 * rounds_of), kMinClosedLoopMeasured, kMaxClosedLoopMeasured)
                    : kOpenLoopRequests;
  std::vector<Request> req(n);
  Rng rng{kSeed};
  double clock = 0;
  for (Request& r : req) {
    double prompt = std::max(1.0, std::round(spread(rng, s.prompt_tokens, load.length_cv)));
    double output = std::max(1.0, std::round(spread(rng, s.output_tokens, load.length_cv)));
    // A request longer than the whole cache could never be admitted: scale it down to fit.
    const double most = capacity_blocks * kBlockTokens;
    if (prompt + output > most) {
      const double f = most / (prompt + output);
      prompt = std::max(1.0, std::floor(prompt * f));
      output = std::max(1.0, std::floor(most - prompt));
    }
    r.prompt = static_cast<int>(prompt);
    r.output = static_cast<int>(output);
    r.blocks = std::ceil((prompt + output) / kBlockTokens);
    if (!closed) {
      clock += -std::log(rng.uniform()) / rate;
      r.arrival = clock;
    }
  }

  std::vector<int> waiting;  // FIFO, by index into req
  std::size_t waiting_head = 0;
  std::vector<int> running;  // in admission order
  running.reserve(n);
  waiting.reserve(n);
  int issued = 0;  // requests that have arrived (or, closed loop, been sent)
  if (closed) {
    for (; issued < std::min<double>(users, n); ++issued) waiting.push_back(issued);
  }
  double t = closed ? 0 : req[0].arrival;
  const double start = t;
  double free_blocks = capacity_blocks;
  double kv_token_seconds = 0, running_seconds = 0;
  int completed = 0;
  // Open loop saturation: completions against arrivals between the arrival of the quarter-way
  // request and the last one.
  const int quarter = n / 4;
  int completed_at_quarter = -1;
  double t_quarter = 0, t_last_arrival = 0;
  int completed_at_last = -1;

  auto complete = [&](int i) {
    Request& r = req[i];
    r.done = t;
    free_blocks += r.blocks;
    ++completed;
    if (closed && issued < n) {  // the user sends its next request at once
      req[issued].arrival = t;
      waiting.push_back(issued++);
    }
  };

  std::size_t waited_for_room = 0;  // the first this many in `waiting` waited for room
  std::vector<int> chunk(n, 0);
  while (completed < n) {
    if (!closed) {
      while (issued < n && req[issued].arrival <= t) {
        if (issued == quarter) completed_at_quarter = completed, t_quarter = req[issued].arrival;
        if (issued == n - 1) completed_at_last = completed, t_last_arrival = req[issued].arrival;
        waiting.push_back(issued++);
      }
    }
    // Admission: first come first served, while a sequence slot and the KV blocks are free.
    while (waiting_head < waiting.size() && running.size() < out.max_sequences &&
           req[waiting[waiting_head]].blocks <= free_blocks) {
      Request& r = req[waiting[waiting_head]];
      r.admitted = t;
      free_blocks -= r.blocks;
      running.push_back(waiting[waiting_head++]);
    }
    // Whoever is still waiting now waits for room (a slot or KV blocks), not for the next step.
    if (waiting_head < waiting.size()) waited_for_room = waiting.size();
    if (running.empty()) {
      if (!closed && issued < n) {
        t = std::max(t, req[issued].arrival);
        continue;
      }
      break;  // nothing left that can run (cannot happen: every request fits the cache)
    }

    // The step: every decoding sequence one token, then prompt chunks up to the token budget.
    double decodes = 0, attended = 0, prefill = 0, pairs = 0, held = 0;
    int min_left = 1 << 30;
    double budget = out.token_budget;
    for (int i : running) {
      const Request& r = req[i];
      held += r.prefilled + r.generated;
      if (r.prefilled == r.prompt) {
        decodes += 1;
        attended += r.prompt + r.generated;
        min_left = std::min(min_left, r.output - r.generated);
      }
    }
    budget -= decodes;
    for (int i : running) {
      const Request& r = req[i];
      chunk[i] = 0;
      if (r.prefilled < r.prompt && budget > 0) {
        const int c = static_cast<int>(std::min<double>(r.prompt - r.prefilled, budget));
        chunk[i] = c;
        budget -= c;
        prefill += c;
        pairs += double(c) * r.prefilled + double(c) * (c + 1) / 2;
      }
    }
    // Pure decode with nothing arriving or waiting to change the batch: take the steps up to the
    // next completion (or open-loop arrival) at once, each at the batch's mid-run KV length.
    int steps = 1;
    double dt;
    if (prefill == 0) {
      steps = std::max(1, min_left);
      const double dt0 = model.step_s(decodes, attended, 0, 0);
      if (!closed && issued < n) {
        const double until = req[issued].arrival - t;
        steps = std::clamp(static_cast<int>(until / dt0) + 1, 1, steps);
      }
      dt = model.step_s(decodes, attended + decodes * (steps - 1) / 2.0, 0, 0);
    } else {
      dt = model.step_s(decodes, attended, prefill, pairs);
    }
    const double elapsed = dt * steps;
    kv_token_seconds += (held + (decodes * (steps - 1) + prefill) / 2) * elapsed;
    running_seconds += running.size() * elapsed;
    t += elapsed;

    std::size_t kept = 0;
    for (int i : running) {
      Request& r = req[i];
      bool finished = false;
      if (r.prefilled == r.prompt) {
        r.generated += steps;
        finished = r.generated >= r.output;
      } else if (chunk[i] > 0) {
        r.prefilled += chunk[i];
        if (r.prefilled == r.prompt) {  // the step that ends the prompt samples the first token
          r.first = t;
          r.generated = 1;
          finished = r.output <= 1;
        }
      }
      if (finished)
        complete(i);
      else
        running[kept++] = i;
    }
    running.resize(kept);
  }

  // Closed loop, throughput over the steady window: from the first measured request's arrival to
  // the last request sent, while all users are busy; the drain after it, with fewer users left,
  // is not counted. Latencies over the measured requests.
  const double duration = std::max(t - start, 1e-12);
  const double window_start = req[warm].arrival, window_end = req[n - 1].arrival;
  double window_tokens = 0, window_requests = 0;
  for (const Request& r : req) {
    if (r.done > window_start && r.done <= window_end) window_tokens += r.output, window_requests += 1;
  }
  double output_tokens = 0;
  std::vector<double> ttft, tpot, e2e, queue;
  ttft.reserve(n), e2e.reserve(n), queue.reserve(n), tpot.reserve(n);
  int queued = 0;  // measured requests that waited for room
  for (std::size_t k = 0; k < waited_for_room; ++k) queued += waiting[k] >= warm;
  for (int i = warm; i < n; ++i) {
    const Request& r = req[i];
    output_tokens += r.output;
    ttft.push_back((r.first - r.arrival) * 1000);
    e2e.push_back((r.done - r.arrival) * 1000);
    queue.push_back((r.admitted - r.arrival) * 1000);
    if (r.output > 1) tpot.push_back((r.done - r.first) * 1000 / (r.output - 1));
  }
  out.requests = n;
  out.measured_requests = n - warm;
  if (!closed) {
    // Open loop: the measured requests over the time from the first one's arrival to the last
    // token. Below capacity that is the arrival rate; past it, the rate the replica serves at
    // while its queue drains (the window before the last arrival may hold the queue filling).
    const double span = std::max(t - window_start, 1e-12);
    out.output_tokens_per_s = output_tokens / span;
    out.requests_per_s = (n - warm) / span;
  } else if (finite) {  // the run as sent: its first request to its last token
    out.output_tokens_per_s = output_tokens / duration;
    out.requests_per_s = n / duration;
  } else if (window_end > window_start && window_requests >= 2) {
    out.output_tokens_per_s = window_tokens / (window_end - window_start);
    out.requests_per_s = window_requests / (window_end - window_start);
  } else {  // a window too short to hold completions: the whole run
    out.output_tokens_per_s = output_tokens / duration;
    out.requests_per_s = (n - warm) / duration;
  }
  out.ttft_ms = distribution(ttft);
  out.tpot_ms = distribution(tpot);
  out.e2e_ms = distribution(e2e);
  out.queue_ms = distribution(queue);
  out.kv_cache_utilization = std::min(1.0, kv_token_seconds / duration / out.kv_capacity_tokens);
  out.mean_running = running_seconds / duration;
  if (closed || finite) {
    // Requests wait for admission: the replica cannot hold them all at once. (A short open-loop
    // run ends before a growing queue could show; its requests waiting is what can.)
    out.saturated = queued > 0.05 * (n - warm) || (closed && *load.concurrency > kMostUsersSimulated);
  } else if (completed_at_quarter >= 0 && completed_at_last >= 0 && t_last_arrival > t_quarter) {
    const double arrivals = (n - 1 - quarter) / (t_last_arrival - t_quarter);
    const double served = (completed_at_last - completed_at_quarter) / (t_last_arrival - t_quarter);
    out.saturated = served < 0.92 * arrivals;
  }
  return out;
}

bool within_slo(const ServingLoad& r, const Slo& slo) {
  if (r.requests == 0 || r.saturated) return false;
  if (slo.ttft_p99_ms && r.ttft_ms.p99 > *slo.ttft_p99_ms) return false;
  if (slo.tpot_p99_ms && r.tpot_ms.p99 > *slo.tpot_p99_ms) return false;
  return true;
}

SloFleet size_for_slo(const Setup& s, const Catalog& catalog, const Slo& slo) {
  SloFleet f;
  const double cv = s.load ? s.load->length_cv : 0;
  // The replica's ceiling: the steady serving rate at the most sequences it holds at once.
  const double ctx = std::max(1.0, s.context_tokens);
  const MemoryBreakdown one = inference_memory(s, s.gpu_count, 1, ctx);
  const double per_request = std::max(1.0, s.prompt_tokens + s.output_tokens);
  const double kv_tokens =
      one.kv_cache_gb > 0 ? (one.available_gb - (one.total_gb - one.kv_cache_gb)) / (one.kv_cache_gb / ctx) : 1e12;
  const double most =
      std::max(1.0, std::min(engine_max_sequences(s.engine, s.gpu), std::floor(kv_tokens / per_request)));
  const double ceiling = serving_rate(s, catalog, most).requests_per_s;
  if (!(ceiling > 0) || kv_tokens < 1) return f;

  auto open_ok = [&](double rate) { return within_slo(serving_load(s, catalog, Load{std::nullopt, rate, cv}), slo); };
  double lo = ceiling * 1e-3, hi = ceiling * 2;
  if (open_ok(lo)) {
    if (open_ok(hi)) lo = hi;  // cannot happen: past the ceiling the queue grows
    for (int i = 0; i < 9 && hi - lo > 1e-3 * lo; ++i) {
      const double mid = std::sqrt(lo * hi);
      (open_ok(mid) ? lo : hi) = mid;
    }
    f.max_rate_per_replica_within_slo = lo;
  }

  const bool by_rate = s.load && s.load->request_rate_per_s;
  const std::optional<double> users = s.users ? s.users : s.load ? s.load->concurrency : std::nullopt;
  if (!by_rate && users) {
    auto closed_ok = [&](double c) { return within_slo(serving_load(s, catalog, Load{c, std::nullopt, cv}), slo); };
    if (closed_ok(1)) {
      double good = 1, bad = std::max(2.0, std::min(*users, most * 2));
      if (closed_ok(bad)) good = bad;
      while (bad - good > 1) {
        const double mid = std::floor((good + bad) / 2);
        (closed_ok(mid) ? good : bad) = mid;
      }
      f.users_per_replica_within_slo = good;
      f.replicas_for_slo = std::ceil(*users / good);
    }
  } else if (by_rate && f.max_rate_per_replica_within_slo) {
    f.replicas_for_slo = std::ceil(*s.load->request_rate_per_s / *f.max_rate_per_replica_within_slo - 1e-9);
  }
  if (f.replicas_for_slo) f.gpus_for_slo = *f.replicas_for_slo * s.gpu_count;
  return f;
}

}  // namespace gpufit
