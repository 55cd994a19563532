// Speed of the core (Google Benchmark): one evaluate, one full ranking, one ranking over every
// format and count, the page's two chart sweeps. bench/bench_wasm.mjs times the same workloads in
// the WebAssembly build and prints the wasm-to-native ratios. Run:
//   ./build/bench/gpufit_bench --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"
#include "gpufit/evaluate.hpp"
#include "gpufit/scenario_read.hpp"
#include "gpufit/serving_load.hpp"

namespace {

const char* const kScenario =
    R"({"model": "llama-3.1-70b", "weights": "int4", "gpu": "l4", "gpu_count": 2, "context_tokens": 8192,
        "batch_size": 8, "users": 100, "min_tokens_per_s_per_user": 10, "as_of_date": "2026-11-21"})";

void BM_Evaluate(benchmark::State& state) {
  const gpufit::Catalog& c = gpufit::builtin_catalog().value();
  for (auto _ : state) benchmark::DoNotOptimize(gpufit::evaluate_json(kScenario, c));
}
BENCHMARK(BM_Evaluate)->Unit(benchmark::kMicrosecond);

// The figures of one resolved scenario (what a ranking row or a sweep point costs): evaluate()
// without the text of its assumptions and measured results, nothing parsed or written.
void BM_EvaluateFigures(benchmark::State& state) {
  const gpufit::Catalog& c = gpufit::builtin_catalog().value();
  const gpufit::Setup s = gpufit::read_setup_json(kScenario, c).value();
  for (auto _ : state) benchmark::DoNotOptimize(gpufit::evaluate(s, c, false));
}
BENCHMARK(BM_EvaluateFigures)->Unit(benchmark::kMicrosecond);

// The page's call per input change: the result and the ranking of every GPU.
void BM_PageUpdate(benchmark::State& state) {
  const gpufit::Catalog& c = gpufit::builtin_catalog().value();
  for (auto _ : state) benchmark::DoNotOptimize(gpufit::update_json(kScenario, R"({"rank": {}})", c));
}
BENCHMARK(BM_PageUpdate)->Unit(benchmark::kMicrosecond);

void BM_RankEveryGpu(benchmark::State& state) {
  const gpufit::Catalog& c = gpufit::builtin_catalog().value();
  for (auto _ : state) benchmark::DoNotOptimize(gpufit::rank_json(kScenario, "", c));
}
BENCHMARK(BM_RankEveryGpu)->Unit(benchmark::kMicrosecond);

void BM_RankEveryGpuCountAndFormat(benchmark::State& state) {
  const gpufit::Catalog& c = gpufit::builtin_catalog().value();
  std::string formats = "[";
  for (const auto& f : c.weight_formats) formats += (formats.size() > 1 ? ",\"" : "\"") + f.id + "\"";
  const std::string options = R"({"counts": [1, 2, 4, 8], "formats": )" + formats + "]}";
  for (auto _ : state) benchmark::DoNotOptimize(gpufit::rank_json(kScenario, options, c));
}
BENCHMARK(BM_RankEveryGpuCountAndFormat)->Unit(benchmark::kMillisecond);

// The page's charts: batch 1..256 in powers of two, context 256..131072 (bench_wasm.mjs: same).
void BM_SweepBatchAndContext(benchmark::State& state) {
  const gpufit::Catalog& c = gpufit::builtin_catalog().value();
  const char* const batches = "[1,2,4,8,16,32,64,128,256]";
  const char* const contexts = "[256,512,1024,2048,4096,8192,16384,32768,65536,131072]";
  for (auto _ : state) {
    benchmark::DoNotOptimize(gpufit::sweep_json(kScenario, "batch_size", batches, c));
    benchmark::DoNotOptimize(gpufit::sweep_json(kScenario, "context_tokens", contexts, c));
  }
}
BENCHMARK(BM_SweepBatchAndContext)->Unit(benchmark::kMicrosecond);

// Serving under load: one load point (the spec's bar: 5 ms) at a few loads, and the page's Load
// view, a 20-point curve over users.
const char* const kLoadScenario =
    R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "prompt_tokens": 1000, "output_tokens": 500,
        "context_tokens": 2048, "load": {"concurrency": 64, "length_cv": 0.5}, "as_of_date": "2026-11-21"})";

void BM_ServingLoadPoint(benchmark::State& state) {
  const gpufit::Catalog& c = gpufit::builtin_catalog().value();
  gpufit::Setup s = gpufit::read_setup_json(kLoadScenario, c).value();
  s.load->concurrency = static_cast<double>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(gpufit::serving_load(s, c, *s.load));
}
BENCHMARK(BM_ServingLoadPoint)->Arg(1)->Arg(16)->Arg(64)->Arg(256)->Arg(1024)->Unit(benchmark::kMicrosecond);

void BM_ServingLoadOpenLoop(benchmark::State& state) {
  const gpufit::Catalog& c = gpufit::builtin_catalog().value();
  gpufit::Setup s = gpufit::read_setup_json(kLoadScenario, c).value();
  s.load = gpufit::Load{std::nullopt, static_cast<double>(state.range(0)), 0.5};
  for (auto _ : state) benchmark::DoNotOptimize(gpufit::serving_load(s, c, *s.load));
}
BENCHMARK(BM_ServingLoadOpenLoop)->Arg(2)->Arg(10)->Arg(40)->Unit(benchmark::kMicrosecond);

void BM_LoadCurve20(benchmark::State& state) {
  const gpufit::Catalog& c = gpufit::builtin_catalog().value();
  const char* const users = "[1,2,3,4,6,8,12,16,24,32,48,64,96,128,160,192,256,320,384,512]";
  for (auto _ : state) benchmark::DoNotOptimize(gpufit::sweep_json(kLoadScenario, "load.concurrency", users, c));
}
BENCHMARK(BM_LoadCurve20)->Unit(benchmark::kMillisecond);

void BM_LoadCatalog(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(gpufit::load_catalog(gpufit::builtin_catalog_files()));
}
BENCHMARK(BM_LoadCatalog)->Unit(benchmark::kMillisecond);

}  // namespace
