// Serving under load: the continuous-batching model of one replica (closed and open loop), its
// contract fields, the SLO fleet sizing, the sweep over load.*, and refusals naming the field.
#include <chrono>
#include <tuple>
#include <utility>

#include "gpufit/benchmark_estimate.hpp"
#include "gpufit/serving_load.hpp"
#include "gpufit/serving_load_validation.hpp"
#include "gpufit/step_limits.hpp"
#include "gpufit/validation.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

json base(json load) {
  json s = {{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"},      {"prompt_tokens", 1000},
            {"output_tokens", 500},    {"context_tokens", 2048}, {"as_of_date", "2026-11-21"}};
  if (!load.is_null()) s["load"] = load;
  return s;
}

gpufit::Setup setup(const json& s) {
  auto r = read_setup_json(s.dump(), catalog());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
  return r.value();
}

// The scheduler's limits follow the engine's defaults on the GPU at hand: vLLM's V1 engine
// plans 8192 tokens and 1024 sequences a step on GPUs of at least 70 GiB other than the A100, 2048
// and 256 elsewhere (a MIG slice counts by its own memory); its V0 engine holds 256 sequences,
// TensorRT-LLM 2048; the activation workspace is sized for the same step.
TEST(ServingLoad, SchedulerLimitsFollowTheEngineDefaultsOnTheGpu) {
  const auto limits = [](const char* engine, const char* gpu, const char* mig) {
    json s = base({{"concurrency", 4}});
    s["engine"] = engine;
    s["gpu"] = gpu;
    if (mig) s["mig_profile"] = mig;
    const json r = evaluate(s);
    return std::tuple{r["serving_load"]["token_budget"].get<double>(), r["serving_load"]["max_sequences"].get<double>(),
                      r["assumptions"]["activation_chunk_tokens"]["value"].get<double>()};
  };
  EXPECT_EQ(limits("vllm", "h100-sxm", nullptr), std::tuple(8192.0, 1024.0, 8192.0));
  EXPECT_EQ(limits("vllm", "h200-sxm", nullptr), std::tuple(8192.0, 1024.0, 8192.0));
  EXPECT_EQ(limits("vllm", "mi300x", nullptr), std::tuple(8192.0, 1024.0, 8192.0));
  EXPECT_EQ(limits("vllm", "a100-80gb-sxm", nullptr), std::tuple(2048.0, 256.0, 2048.0));
  EXPECT_EQ(limits("vllm", "l40s", nullptr), std::tuple(2048.0, 256.0, 2048.0));
  EXPECT_EQ(limits("vllm", "h100-sxm", "3g.40gb"), std::tuple(2048.0, 256.0, 2048.0));
  EXPECT_EQ(std::get<1>(limits("vllm-v0", "h100-sxm", nullptr)), 256.0);
  EXPECT_EQ(std::get<1>(limits("tensorrt-llm", "h100-sxm", nullptr)), 2048.0);
  // SGLang sets neither field: its chunk on every GPU, and no cap but the KV cache.
  const double sglang_chunk = catalog().engine("sglang")->activation_chunk_tokens;
  EXPECT_EQ(limits("sglang", "h100-sxm", nullptr), std::tuple(sglang_chunk, 1e9, sglang_chunk));
  EXPECT_EQ(limits("sglang", "l40s", nullptr), std::tuple(sglang_chunk, 1e9, sglang_chunk));
  // The memory fit sizes the activation workspace for the same step: 8192 tokens of Llama 3.1 8B
  // on an H100 (4 x 4096 + 4 x 14336 values of 2 bytes each, 147,456 B a token, plus the logits).
  const auto activations = [](const char* engine) {
    json s = base(nullptr);
    s["engine"] = engine;
    return evaluate(s)["memory"]["activations_gb"].get<double>();
  };
  EXPECT_NEAR(activations("vllm") - activations("vllm-v0"), (8192 - 2048) * 147456 / 1e9, 1e-9);
}

// The rule itself: memory in GiB as the driver reports it, the excluded name matched ignoring case,
// and an engine without the large-GPU fields unchanged by the GPU.
TEST(StepLimits, LargeGpuDefaultsByMemoryInGibAndName) {
  EngineSpec e;
  e.activation_chunk_tokens = 2048;
  e.max_sequences = 256;
  e.large_gpu_memory_gib = 70;
  e.large_gpu_excluded_name = "A100";
  e.large_gpu_chunk_tokens = 8192;
  e.large_gpu_max_sequences = 1024;
  Gpu g;
  g.name = "Some GPU";
  const auto at = [&](const EngineSpec& engine, double usable_gb) {
    g.usable_memory_gb = usable_gb;
    const StepLimits l = step_limits(engine, g);
    return std::pair{l.chunk_tokens, l.max_sequences};
  };
  EXPECT_EQ(at(e, 74.0), std::pair(2048.0, 256.0));   // 68.9 GiB: 74 GB would pass a test in GB
  EXPECT_EQ(at(e, 76.0), std::pair(8192.0, 1024.0));  // 70.8 GiB
  g.name = "nvidia a100-sxm4-80gb";
  EXPECT_EQ(at(e, 85.1), std::pair(2048.0, 256.0));
  g.name = "Some GPU";
  EngineSpec plain = e;
  plain.large_gpu_memory_gib = 0;
  EXPECT_EQ(at(plain, 200.0), std::pair(2048.0, 256.0));
  EXPECT_EQ(at(EngineSpec{}, 200.0), std::pair(0.0, 0.0));
}

TEST(ServingLoad, ResultHoldsTheContractFields) {
  json r = evaluate(base({{"concurrency", 16}}));
  ASSERT_TRUE(r.contains("serving_load"));
  const json& l = r["serving_load"];
  for (const char* k : {"output_tokens_per_s", "requests_per_s", "kv_cache_utilization"})
    EXPECT_GT(l[k].get<double>(), 0) << k;
  for (const char* d : {"ttft_ms", "tpot_ms", "e2e_ms", "queue_ms"}) {
    for (const char* p : {"mean", "p50", "p90", "p99"}) EXPECT_TRUE(l[d][p].is_number()) << d << "." << p;
    EXPECT_LE(l[d]["p50"].get<double>(), l[d]["p99"].get<double>()) << d;
  }
  EXPECT_TRUE(l["saturated"].is_boolean());
  EXPECT_EQ(r["scenario"]["load"]["concurrency"], 16);
  EXPECT_TRUE(r["scenario"]["load"]["request_rate_per_s"].is_null());
  // Without load there is no serving_load block.
  EXPECT_FALSE(evaluate(base(nullptr)).contains("serving_load"));
}

TEST(ServingLoad, OneUserDecodesAtTheRooflineStep) {
  const gpufit::Setup s = setup(base({{"concurrency", 1}}));
  const ServingLoad l = serving_load(s, catalog(), *s.load);
  const double step_ms = decode_step(s, catalog(), 1, mean_attended_tokens(s)).total_s() * 1000;
  EXPECT_NEAR(l.tpot_ms.mean, step_ms, 0.05 * step_ms);
  EXPECT_NEAR(l.ttft_ms.p50, prefill_time(s, catalog(), 1, s.prompt_tokens).total_s() * 1000, 0.25 * l.ttft_ms.p50);
  EXPECT_FALSE(l.saturated);
  EXPECT_DOUBLE_EQ(l.queue_ms.p99, 0);
}

TEST(ServingLoad, ClosedLoopMatchesTheSteadyServingRate) {
  // N users settle into the steady cycle serving_rate() models when prefill is a small share of
  // the work (with long prompts and fixed lengths the users' requests stay in step, and their
  // prefills no longer hide inside decode steps as the steady model assumes).
  for (double n : {8.0, 32.0, 128.0}) {
    json j = base({{"concurrency", n}});
    j["prompt_tokens"] = 200;
    j["output_tokens"] = 1000;
    j["context_tokens"] = 1536;
    const gpufit::Setup s = setup(j);
    const ServingLoad l = serving_load(s, catalog(), *s.load);
    const double steady = serving_rate(s, catalog(), n).output_tokens_per_s;
    // Where decode is compute-bound the simulation, which takes the longer of memory and FLOPs
    // step by step, comes out above the steady cycle: at 128 users on H100 +18% with the fixed
    // step time of 2026-12-05 and +27% with the time per layer (the refit moved vLLM's decode to
    // the compute bound); 256 users gave +27% before too. Held here as a guard; the two models
    // are to be reconciled.
    EXPECT_NEAR(l.output_tokens_per_s, steady, 0.3 * steady) << n;
  }
}

TEST(ServingLoad, ThroughputGrowsAndLatencyRisesWithUsers) {
  double tps = 0, tpot = 0, ttft = 0;
  for (double n : {1.0, 4.0, 16.0, 64.0}) {
    const gpufit::Setup s = setup(base({{"concurrency", n}}));
    const ServingLoad l = serving_load(s, catalog(), *s.load);
    EXPECT_GT(l.output_tokens_per_s, tps) << n;
    EXPECT_GE(l.tpot_ms.mean, tpot) << n;
    EXPECT_GE(l.ttft_ms.p99, ttft) << n;
    tps = l.output_tokens_per_s, tpot = l.tpot_ms.mean, ttft = l.ttft_ms.p99;
  }
}

TEST(ServingLoad, DeterministicAndSpreadLengthsKeepTheMean) {
  const gpufit::Setup s = setup(base({{"request_rate_per_s", 5}, {"length_cv", 0.5}}));
  const ServingLoad a = serving_load(s, catalog(), *s.load), b = serving_load(s, catalog(), *s.load);
  EXPECT_EQ(a.ttft_ms.p99, b.ttft_ms.p99);
  EXPECT_EQ(a.output_tokens_per_s, b.output_tokens_per_s);
  // Open loop below capacity: the replica serves what arrives (about 5 requests/s).
  EXPECT_FALSE(a.saturated);
  EXPECT_NEAR(a.requests_per_s, 5, 1.0);
}

TEST(ServingLoad, OpenLoopPastCapacitySaturates) {
  const gpufit::Setup one = setup(base({{"concurrency", 256}}));
  const double ceiling = serving_load(one, catalog(), *one.load).requests_per_s;
  const gpufit::Setup s = setup(base({{"request_rate_per_s", 2 * ceiling}}));
  const ServingLoad l = serving_load(s, catalog(), *s.load);
  EXPECT_TRUE(l.saturated);
  EXPECT_GT(l.queue_ms.p90, 1000);
}

// A run of a stated number of requests (a benchmark's --num-prompts) is measured whole: every
// request counts, and the throughput is over the run, its burst and drain included. A burst of N
// users sending one request each prefills all N prompts before any first token: its median TTFT
// is that of the steady state's a few times over, and its throughput below the steady state's.
TEST(ServingLoad, AFiniteRunIsMeasuredWhole) {
  const gpufit::Setup steady = setup(base({{"concurrency", 32}}));
  const gpufit::Setup burst = setup(base({{"concurrency", 32}, {"requests", 32}}));
  const ServingLoad a = serving_load(steady, catalog(), *steady.load);
  const ServingLoad b = serving_load(burst, catalog(), *burst.load);
  EXPECT_EQ(b.requests, 32);
  EXPECT_EQ(b.measured_requests, 32);
  EXPECT_GT(a.measured_requests, 32);
  EXPECT_GT(b.ttft_ms.p50, 2 * a.ttft_ms.p50);
  EXPECT_LT(b.output_tokens_per_s, a.output_tokens_per_s);
  // Open loop: 50 requests at 10/s, as simon-mo/R1-Benchmark ran them; all 50 measured.
  const gpufit::Setup open = setup(base({{"request_rate_per_s", 10}, {"requests", 50}}));
  const ServingLoad c = serving_load(open, catalog(), *open.load);
  EXPECT_EQ(c.measured_requests, 50);
  EXPECT_GT(c.output_tokens_per_s, 0);
  // Saturated there means requests waited for room (a slot or KV blocks), not for the next step:
  // 50 such requests fit at once.
  EXPECT_FALSE(c.saturated);
  EXPECT_GT(c.queue_ms.p50, 0);  // they do wait for the step under way
  // The field is read, bounded and written back like the others.
  EXPECT_FALSE(read_setup_json(base({{"concurrency", 4}, {"requests", 0}}).dump(), catalog()).ok());
  const json r = evaluate(base({{"concurrency", 4}, {"requests", 20}}));
  EXPECT_EQ(r["scenario"]["load"]["requests"], 20);
  EXPECT_EQ(r["serving_load"]["measured_requests"], 20);
}

TEST(ServingLoad, KvCapacityQueuesUsers) {
  // 70B in FP8 on one H100: little room for KV, so 200 users with long contexts wait for blocks.
  json s = base({{"concurrency", 200}});
  s["model"] = "llama-3.1-70b";
  s["weights"] = "fp8";
  s["prompt_tokens"] = 3000;
  s["output_tokens"] = 1000;
  s["context_tokens"] = 4096;
  const gpufit::Setup x = setup(s);
  const ServingLoad l = serving_load(x, catalog(), *x.load);
  EXPECT_TRUE(l.saturated);
  EXPECT_LT(l.mean_running, 100);
  EXPECT_GT(l.queue_ms.p50, 0);
  EXPECT_GT(l.kv_cache_utilization, 0.5);
}

TEST(ServingLoad, SloSizesTheFleet) {
  json s = base({{"request_rate_per_s", 40}});
  s["slo"] = {{"ttft_p99_ms", 2000}, {"tpot_p99_ms", 50}};
  json r = evaluate(s);
  ASSERT_TRUE(r.contains("fleet"));
  const double rate = r["fleet"]["max_rate_per_replica_within_slo"].get<double>();
  EXPECT_GT(rate, 0.5);
  EXPECT_EQ(r["fleet"]["replicas_for_slo"].get<double>(), std::ceil(40 / rate - 1e-9));
  EXPECT_EQ(r["fleet"]["gpus_for_slo"], r["fleet"]["replicas_for_slo"]);
  EXPECT_EQ(r["fleet"]["limited_by"], "slo");
  // At that rate one replica meets the SLO.
  json at = base({{"request_rate_per_s", rate}});
  const json l = evaluate(at)["serving_load"];
  EXPECT_LE(l["ttft_ms"]["p99"].get<double>(), 2000);
  EXPECT_LE(l["tpot_ms"]["p99"].get<double>(), 50);
  // Users: the closed-loop count one replica holds within the SLO.
  json u = base({{"concurrency", 1}});
  u["users"] = 1000;
  u["min_tokens_per_s_per_user"] = 10;
  u["slo"] = {{"tpot_p99_ms", 40}};
  json f = evaluate(u)["fleet"];
  const double per = f["users_per_replica_within_slo"].get<double>();
  EXPECT_GT(per, 1);
  EXPECT_EQ(f["replicas_for_slo"].get<double>(), std::ceil(1000 / per));
  EXPECT_TRUE(f["replicas"].is_number());  // the users x tokens-per-user sizing stays
}

TEST(ServingLoad, UsersTimesSpeedSizingUsesTheLoadModel) {
  // With load, users x tokens-per-user reads each user's speed off the load model (mean TPOT at b
  // closed-loop users), which counts prefill interference: fewer users per replica than the bare
  // decode step allows, never more.
  json s = base(nullptr);
  s["users"] = 500;
  s["min_tokens_per_s_per_user"] = 30;
  const json bare = evaluate(s)["fleet"];
  s["load"] = {{"concurrency", 1}};
  const json loaded = evaluate(s)["fleet"];
  ASSERT_TRUE(loaded["users_per_replica"].is_number());
  EXPECT_GE(loaded["users_per_replica"].get<double>(), 1);
  EXPECT_LE(loaded["users_per_replica"].get<double>(), bare["users_per_replica"].get<double>());
  EXPECT_GE(loaded["tokens_per_s_per_user"].get<double>(), 30);
  EXPECT_EQ(loaded["replicas"].get<double>(), std::ceil(500 / loaded["users_per_replica"].get<double>()));
}

TEST(ServingLoad, AnSloNoRequestMeetsSaysSo) {
  json s = base({{"request_rate_per_s", 1}});
  s["slo"] = {{"ttft_p99_ms", 0.01}};
  json r = evaluate(s);
  EXPECT_TRUE(r["fleet"]["max_rate_per_replica_within_slo"].is_null());
  EXPECT_TRUE(r["fleet"]["gpus_for_slo"].is_null());
}

TEST(ServingLoad, BadLoadIsRefusedNamingTheField) {
  EXPECT_EQ(evaluate_error(base({{"concurrency", -3}}).dump()).path, "/load/concurrency");
  EXPECT_EQ(evaluate_error(base({{"concurrency", 2.5}}).dump()).path, "/load/concurrency");
  EXPECT_EQ(evaluate_error(base({{"request_rate_per_s", 0}}).dump()).path, "/load/request_rate_per_s");
  EXPECT_EQ(evaluate_error(base({{"concurrency", 4}, {"length_cv", -1}}).dump()).path, "/load/length_cv");
  EXPECT_EQ(evaluate_error(base({{"concurrency", 4}, {"rate", 1}}).dump()).path, "/load/rate");
  Error both = evaluate_error(base({{"concurrency", 4}, {"request_rate_per_s", 1}}).dump());
  EXPECT_EQ(both.path, "/load");
  EXPECT_NE(both.message.find("not both"), std::string::npos);
  EXPECT_EQ(evaluate_error(base(json::object()).dump()).path, "/load");
  EXPECT_EQ(evaluate_error(base(5).dump()).path, "/load");
  json s = base({{"concurrency", 4}});
  s["slo"] = json::object();
  EXPECT_EQ(evaluate_error(s.dump()).path, "/slo");
  s["slo"] = {{"ttft_p99_ms", -1}};
  EXPECT_EQ(evaluate_error(s.dump()).path, "/slo/ttft_p99_ms");
}

TEST(ServingLoad, SweepOverLoadFields) {
  json s = base({{"request_rate_per_s", 2}});
  auto out = sweep_json(s.dump(), "load.concurrency", "[1, 8, 32]", catalog());
  ASSERT_TRUE(out.ok()) << out.error().to_string();
  json r = json::parse(out.value());
  ASSERT_EQ(r.size(), 3u);
  EXPECT_LT(r[0]["serving_load"]["output_tokens_per_s"].get<double>(),
            r[2]["serving_load"]["output_tokens_per_s"].get<double>());
  auto rates = sweep_json(base(nullptr).dump(), "load.request_rate_per_s", "[1, 4]", catalog());
  ASSERT_TRUE(rates.ok()) << rates.error().to_string();
  auto bad = sweep_json(s.dump(), "load.concurrency", "[1, -2]", catalog());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().path, "/1");
  EXPECT_FALSE(sweep_json(s.dump(), "load.users", "[1]", catalog()).ok());
}

TEST(ServingLoad, PermalinkCarriesLoadAndSlo) {
  json s = base({{"concurrency", 8}, {"length_cv", 0.3}});
  s["slo"] = {{"ttft_p99_ms", 500}};
  auto q = query_from_scenario_json(s.dump());
  ASSERT_TRUE(q.ok());
  auto back = scenario_json_from_query(q.value());
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  json b = json::parse(back.value());
  EXPECT_EQ(b["load"]["concurrency"], 8);
  EXPECT_EQ(b["slo"]["ttft_p99_ms"], 500);
}

TEST(ServingLoad, ALoadPointTakesAFewMilliseconds) {
  // The page redraws a 20-point curve while a slider moves: one point must stay within 5 ms
  // (measured in release builds; a generous bound here so that slow CI machines pass).
  const gpufit::Setup s = setup(base({{"concurrency", 256}, {"length_cv", 0.5}}));
  const auto t0 = std::chrono::steady_clock::now();
  const ServingLoad l = serving_load(s, catalog(), *s.load);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GT(l.requests, 0);
  EXPECT_LT(ms, 50);
}

}  // namespace
}  // namespace gpufit::test

namespace gpufit::test {
namespace {

// The measured load sweeps of data/ (kind serving_load): every row estimated, grouped by source
// as the fits group them (a repository at any commit). The targets are throughput median
// <= 15%, TPOT median <= 20%, TTFT within 2x for >= 75%. Achieved (2026-12-07; 56 points, 5
// sources; a source that sent a stated number of requests simulated as that run): throughput
// 15.1% over all, 21.8% on the 47 points of sources no fit saw (p90 52%), TPOT 16.0% / 14.7%,
// TTFT within 2x 52% / 54%. The newest source (simon-mo/R1-Benchmark: vLLM 0.8.2 and SGLang 0.4.4
// on H200s, 50 requests at 10/s, 1,000-32,000-token prompts) is off by a median 26%: its long
// prompts prefill faster than the fitted compute share says, SGLang's steps there are longer than
// SGLang's fit (-24% to -35% TPOT on the 3B and 8B models), and DeepSeek-R1 at TP8 runs 2.2x to
// 4.5x slower than the model (TPOT -53% to -60%: nothing in the fits measures a 256-expert MoE
// under load). Before that source, with vLLM's V0 and V1 engines fitted apart, the held-out
// figures were 12.4% and 17.1%. TTFT: past 42 sequences the NIM replica holds more sequences than
// its KV cache at FP16 allows (FP8 KV likely, unstated), and the closed-loop sweeps at 4-16 users
// queue in lockstep. (The H200 MIG rows of one prompt at temperature 0 are excluded: their
// sequences all route to the same experts; one measured above the ideal engine.) The guards hold
// what is achieved, so that a change making it worse fails.
// Since the compute scaling is fitted on prefill rows only (vLLM's had come from MI300X's serving
// rows and cut an H200's FP8 prefill to 21% of its peak): throughput 15.3% over all, 15.5% held
// out (p90 46%), TPOT 17.6% / 16.8%, TTFT within 2x 62.5% / 67%; R1-Benchmark 22.3%. Since each
// GPU's measured matmul efficiency scales its compute share: 14.1% / 15.7% (p90 45%), TPOT
// 16.8% / 13.4%, TTFT 62.5% / 67%. Since NIM's table is read with the FP8 KV cache its own
// figures require, and vLLM's step limits follow the GPU (8192 tokens and 1024 sequences on an
// H100 or H200): 11.2% / 10.5% (p90 45%), TPOT 10.3% / 9.2%, TTFT within 2x 73% / 79%.
// Since the two sources whose other rows an engine's fit used (mushfiqrahman.dev, GPUStack) are
// predicted by that engine refitted without them, "all" is held out too: 11.4% / 10.5%, TPOT
// 10.3% / 9.2%, TTFT 73% / 79%.
// Since zhjunqin/LLM-Learning's four vLLM 0.4.1 rates on an RTX 3090 (Llama 3 8B, ShareGPT at 1,
// 2, 5 and 8 requests/s) were added, no model change: throughput 11.7% / 11.0% (p90 38%), TPOT
// 14.2% / 13.1%, TTFT within 2x 67% / 71%. The model saturates that 3090 at 5 requests/s, where
// vLLM served 4.58 (throughput -35% and -40% at 5 and 8), and puts the median TTFT at low load at
// 187 ms against 68 ms measured: with every prompt at the mean 214 tokens it prefills at vLLM V0's
// fitted compute share (0.28 of the 71 TFLOPS dense peak), which no vLLM prefill row informs.
TEST(ServingLoadValidation, HoldsTheAchievedErrors) {
  const LoadValidation v = validate_serving_load(catalog());
  ASSERT_GE(v.points.size(), 30u);
  EXPECT_GE(v.sources.size(), 5u);
  EXPECT_LE(v.all.throughput.median_abs_pct, 12.5);  // issue 11's bar: 15%
  EXPECT_LE(v.held_out.throughput.median_abs_pct, 12);
  EXPECT_GE(v.held_out.throughput.n, 40u);
  // TPOT with the sources and engine refits of the second session of 2026-12-07, and the RTX 3090
  // source added in the sixth: 14.2% / 13.1%.
  EXPECT_LE(v.all.tpot.median_abs_pct, 14.5);  // issue 11's bar: 20%
  EXPECT_LE(v.held_out.tpot.median_abs_pct, 13.5);
  // Issue 11's bar is 0.75: not reached (67% over all points, 71% on sources no fit has seen).
  EXPECT_GE(v.all.ttft.within_2x_share, 0.65);
  EXPECT_GE(v.held_out.ttft.within_2x_share, 0.7);
  for (const auto& p : v.points) EXPECT_TRUE(std::isfinite(*p.throughput_error_pct)) << p.benchmark->id;
  // A source whose other rows an engine was fitted on is marked, and left out of held_out.
  for (const auto& g : v.sources) {
    if (g.source.find("mushfiqrahman") != std::string::npos) EXPECT_TRUE(g.source_in_fit);
  }
}

// A load point whose source gave the engine's fit other rows is estimated by the engine refitted
// without that source: not by the stored factors, which have seen it.
TEST(ServingLoadValidation, SourcesInTheFitArePredictedByARefitWithoutThem) {
  const LoadValidation v = validate_serving_load(catalog());
  std::size_t in_fit = 0;
  for (const auto& p : v.points) {
    if (!p.source_in_fit) continue;
    ++in_fit;
    const Benchmark& b = *p.benchmark;
    const auto refit = fit_engine_without_source(catalog(), b.engine, source_group(b));
    ASSERT_TRUE(refit.has_value()) << b.id;
    const Engine& stored = *catalog().engine(b.engine);
    EXPECT_TRUE(refit->compute_efficiency != stored.compute_efficiency ||
                refit->sequence_overhead_us != stored.sequence_overhead_us ||
                refit->layer_overhead_us != stored.layer_overhead_us)
        << b.id << ": the refit came out as the stored fit";
    PreparedBenchmark prep = prepare_benchmark(b, catalog());
    gpufit::Setup s = prep.scenario;
    s.engine = *refit;
    EXPECT_DOUBLE_EQ(p.estimate.output_tokens_per_s, serving_load(s, catalog(), *s.load).output_tokens_per_s) << b.id;
  }
  EXPECT_GE(in_fit, 5u);  // 9: mushfiqrahman.dev's 5 and GPUStack's 4 vLLM points
  // Every point counts in "all"; an unknown engine has no refit.
  EXPECT_EQ(v.all.throughput.n, v.points.size());
  EXPECT_FALSE(fit_engine_without_source(catalog(), "no-such-engine", "github:x").has_value());
}

TEST(ServingLoadValidation, ValidateJsonCarriesTheLoadSummary) {
  auto out = validation_json(catalog());
  ASSERT_TRUE(out.ok());
  json v = json::parse(out.value());
  ASSERT_TRUE(v.contains("serving_load"));
  EXPECT_GT(v["serving_load"]["all"]["throughput"]["n"].get<double>(), 0);
  EXPECT_TRUE(v["serving_load"]["held_out"]["ttft"].contains("within_2x_share"));
  EXPECT_FALSE(v["serving_load"]["sources"].empty());
}

}  // namespace
}  // namespace gpufit::test
