#include "gpufit/benchmark_estimate.hpp"

#include <algorithm>

#include "gpufit/memory_fit.hpp"
#include "gpufit/power.hpp"
#include "gpufit/serving_load.hpp"
#include "gpufit/throughput.hpp"
#include "gpufit/weights_memory.hpp"

namespace gpufit {

namespace {

// A run that left concurrency to the engine is taken to run as many sequences as memory holds,
// up to this many (TensorRT-LLM's and vLLM's schedulers cap near here on large GPUs).
constexpr double kUnstatedBatchCap = 2048;

}  // namespace

PreparedBenchmark prepare_benchmark(const Benchmark& b, const Catalog& catalog) {
  PreparedBenchmark p;
  p.benchmark = &b;
  if (!b.excluded.empty()) {
    p.why_not = "excluded: " + b.excluded;
    return p;
  }
  const Model* model = catalog.model(b.model);
  const WeightFormat* weights = catalog.weight_format(b.weights);
  if (!model || !weights) {
    p.why_not = "model or format not in the catalog";
    return p;
  }
  Setup& s = p.scenario;
  static_cast<Workload&>(s) = default_scenario();  // the schema's defaults, then the benchmark's settings
  s.model = *model;
  s.model_ref = model->id;
  s.set_weights(*weights);
  if (b.kind == "memory") return p;
  const Gpu* gpu = catalog.gpu(b.gpu);
  const KvFormat* kv = catalog.kv_format(b.kv_cache);
  const Engine* engine = catalog.engine(b.engine);
  if (!gpu || !kv || !engine) {
    p.why_not = "GPU, KV format or engine not in the catalog";
    return p;
  }
  s.gpu = *gpu;
  s.gpu_ref = gpu->id;
  if (!b.mig_profile.empty()) {  // measured on one MIG slice: estimate on that slice
    if (auto error = place_on_slice(s, *gpu, catalog, b.mig_profile)) {
      p.why_not = error->message;
      return p;
    }
  }
  s.kv_cache = *kv;
  s.engine = *engine;
  s.gpu_count = b.gpu_count;
  const double prompt = b.prompt_tokens.value_or(0);
  s.prompt_tokens = prompt;
  s.output_tokens = std::max(1.0, b.output_tokens.value_or(1));
  s.context_tokens = std::max({1.0, b.context_tokens.value_or(0), prompt + b.output_tokens.value_or(0)});
  p.batch = b.batch_size.value_or(1);
  if (b.kind == "decode") {
    if (!b.output_tokens) p.why_not = "output length not stated";
    p.kv_tokens = prompt + b.output_tokens.value_or(0) / 2;
  } else if (b.kind == "prefill") {
    if (prompt <= 0) p.why_not = "prompt length not stated";
  } else if (b.kind == "serving") {
    if (!b.prompt_tokens || !b.output_tokens) {
      p.why_not = "prompt or output length not stated (a workload of varied lengths)";
      return p;
    }
    const double limit = b.batch_size.value_or(kUnstatedBatchCap);
    const double fits = max_batch_that_fits(s, training_engine(s, catalog), s.context_tokens, limit);
    if (fits < 1) {
      p.why_not = "does not fit in memory by the calculator's account";
      return p;
    }
    p.batch = std::min(limit, fits);
  } else if (b.kind == "serving_load") {
    // A load point: the continuous-batching model under the source's own traffic.
    if (!b.prompt_tokens || !b.output_tokens) {
      p.why_not = "prompt or output length not stated";
    } else if (!b.concurrency && !b.request_rate_per_s) {
      p.why_not = "neither concurrency nor request rate stated";
    } else {
      // A source that sent a stated number of requests measured that run, ramp and drain included.
      s.load =
          Load{b.concurrency, b.concurrency ? std::nullopt : b.request_rate_per_s, b.length_cv.value_or(0), b.requests};
    }
  } else if (b.kind == "power") {
    // Board power while the GPUs did one phase: a decode loop, prefills, or serving (prompts and
    // outputs mixed; a workload of varied prompts, unstated, is taken as its decode).
    if (b.phase == "prefill") {
      if (prompt <= 0) p.why_not = "prompt length not stated";
    } else if (!b.output_tokens) {
      p.why_not = "output length not stated";
    } else if (b.phase == "decode") {
      p.kv_tokens = prompt + b.output_tokens.value_or(0) / 2;
    } else if (!b.batch_size) {
      const double fits = max_batch_that_fits(s, training_engine(s, catalog), s.context_tokens, kUnstatedBatchCap);
      if (fits < 1) p.why_not = "does not fit in memory by the calculator's account";
      p.batch = std::min(kUnstatedBatchCap, fits);
    }
  } else {
    p.why_not = "no estimate for kind " + b.kind;
  }
  s.batch_size = p.batch;
  return p;
}

std::optional<double> estimate_prepared(const PreparedBenchmark& p, const Catalog& catalog, const EngineSpec& engine) {
  if (!p.why_not.empty()) return std::nullopt;
  const Benchmark& b = *p.benchmark;
  if (b.kind == "memory") return p.scenario.weights_bytes.total;
  Setup s = p.scenario;
  s.engine = engine;
  // Decode values are the batch's tokens/s (one sequence's at batch 1).
  if (b.kind == "decode") return p.batch / decode_step(s, catalog, p.batch, p.kv_tokens).total_s();
  if (b.kind == "prefill")
    return p.batch * s.prompt_tokens / prefill_time(s, catalog, p.batch, s.prompt_tokens).total_s();
  if (b.kind == "serving") return serving_rate(s, catalog, p.batch).output_tokens_per_s;
  if (b.kind == "serving_load") return serving_load(s, catalog, *s.load).output_tokens_per_s;
  if (b.kind == "power") {
    auto a = power_activity(p, catalog, engine);
    if (!a) return std::nullopt;
    return board_watts(s.gpu, *a) * s.gpu_count;
  }
  return std::nullopt;
}

std::optional<Activity> power_activity(const PreparedBenchmark& p, const Catalog& catalog, const EngineSpec& engine) {
  if (!p.why_not.empty() || p.benchmark->kind != "power") return std::nullopt;
  Setup s = p.scenario;
  s.engine = engine;
  const Benchmark& b = *p.benchmark;
  if (b.phase == "prefill") return step_activity(s, prefill_time(s, catalog, p.batch, s.prompt_tokens));
  if (b.phase == "decode") return step_activity(s, decode_step(s, catalog, p.batch, p.kv_tokens));
  return step_activity(s, serving_rate(s, catalog, p.batch).cycle);
}

std::optional<double> estimate_benchmark(const Benchmark& b, const Catalog& catalog) {
  PreparedBenchmark p = prepare_benchmark(b, catalog);
  return estimate_prepared(p, catalog, p.scenario.engine);
}

}  // namespace gpufit
