// Physics invariants over many generated scenarios (every GPU, format, engine and mode; contexts,
// batches and GPU counts across their range): no NaN or Infinity, batch-1 decode never faster than
// bandwidth / bytes read per token, total throughput never falls as the batch grows while memory
// lasts, more GPUs never lower the memory available, cost per token scales with price.
#include <random>

#include "gpufit/model_shape.hpp"
#include "gpufit/weights_memory.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

// Deterministic: the same scenarios on every run and machine.
struct Generator {
  std::mt19937_64 rng{20261121};
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  }
  double log_uniform(double lo, double hi) {
    std::uniform_real_distribution<double> u(std::log(lo), std::log(hi));
    return std::round(std::exp(u(rng)));
  }
  json scenario() {
    const Catalog& c = catalog();
    std::vector<std::string> gpus, models, formats, engines;
    for (const auto& g : c.gpus) gpus.push_back(g.id);
    for (const auto& m : c.models) models.push_back(m.id);
    for (const auto& f : c.weight_formats) formats.push_back(f.id);
    for (const auto& e : c.engines) {
      if (e.id != "pytorch") engines.push_back(e.id);
    }
    const std::string model = pick(models);
    const Model& m = *c.model(model);
    const double max_ctx = m.max_context_tokens > 0 ? m.max_context_tokens : 32768;
    json s = {{"model", model},
              {"gpu", pick(gpus)},
              {"weights", pick(formats)},
              {"engine", pick(engines)},
              {"gpu_count", pick(std::vector<int>{1, 1, 2, 4, 8})},
              {"context_tokens", log_uniform(1, max_ctx)},
              {"batch_size", log_uniform(1, 4096)},
              {"prompt_tokens", log_uniform(1, 8192)},
              {"output_tokens", log_uniform(1, 2048)},
              {"as_of_date", "2026-11-21"}};
    const std::string mode =
        pick(std::vector<std::string>{"inference", "inference", "inference", "lora", "qlora", "full_finetune"});
    if (mode != "inference" && m.architecture == Architecture::kDecoder) {
      s["mode"] = mode;
      s["train_tokens"] = 1e8;
      if (mode == "qlora") s["weights"] = "nf4";
      if (mode == "full_finetune") s["weights"] = "bf16";
    }
    if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
      s["users"] = log_uniform(1, 10000);
      s["min_tokens_per_s_per_user"] = log_uniform(1, 100);
    }
    return s;
  }
};

TEST(Invariants, HoldOverGeneratedScenarios) {
  Generator gen;
  int checked = 0;
  for (int i = 0; i < 1500; ++i) {
    json s = gen.scenario();
    auto out = evaluate_json(s.dump(), catalog());
    ASSERT_TRUE(out.ok()) << s.dump() << ": " << out.error().to_string();
    const json r = json::parse(out.value());
    SCOPED_TRACE(s.dump());
    expect_finite(r);
    ++checked;

    const json& mem = r["memory"];
    EXPECT_NEAR(mem["total_gb"].get<double>(),
                mem["weights_gb"].get<double>() + mem["kv_cache_gb"].get<double>() +
                    mem["activations_gb"].get<double>() + mem["overhead_gb"].get<double>() +
                    mem["optimizer_gb"].get<double>() + mem["gradients_gb"].get<double>(),
                1e-9 * mem["total_gb"].get<double>());
    EXPECT_EQ(r["fits"].get<bool>(), mem["total_gb"].get<double>() <= mem["available_gb"].get<double>());
    for (const char* k : {"weights_gb", "kv_cache_gb", "activations_gb", "overhead_gb"})
      EXPECT_GE(mem[k].get<double>(), 0) << k;
    EXPECT_GE(r["power"]["watts"].get<double>(), 0);
    if (r["fits"].get<bool>()) EXPECT_GE(r["max_batch_size"].get<double>(), s["batch_size"].get<double>());

    // Batch-1 decode cannot outrun the GPUs' combined bandwidth over the bytes a token reads.
    gpufit::Setup sc = scenario(s);
    if (sc.model.architecture == Architecture::kDecoder) {
      const double kv_tokens = sc.prompt_tokens + sc.output_tokens / 2;
      const double bytes = weight_bytes(sc.model, sc.weights).read_per_step(sc.model, 1) +
                           kv_values_per_sequence(sc.model, kv_tokens) * sc.kv_cache.bits_per_value / 8 *
                               kv_share_per_gpu(sc.model, sc.gpu_count) * sc.gpu_count;
      const double bound = sc.gpu_count * sc.gpu.memory_bandwidth_gbs * 1e9 / bytes;
      json r1 = evaluate([&] {
        json t = s;
        t["batch_size"] = 1;
        return t;
      }());
      EXPECT_LE(r1["decode"]["tokens_per_s_per_sequence"].get<double>(), bound * (1 + 1e-9));
      // The same bound from figures the weights code does not compute: every active parameter
      // but the looked-up embedding rows is read, each at no fewer bits than the format's
      // narrowest type (its main type or any tensor override's).
      double min_bits = sc.weights.type.bits_per_weight;
      for (const TensorOverride& o : sc.weights.tensor_overrides) min_bits = std::min(min_bits, o.type.bits_per_weight);
      const double embedding = sc.model.tie_word_embeddings ? 0 : double(sc.model.vocab_size) * sc.model.hidden_size;
      const double floor_bytes = (sc.model.active_params - embedding) * min_bits / 8;
      EXPECT_LE(r1["decode"]["tokens_per_s_per_sequence"].get<double>(),
                sc.gpu_count * sc.gpu.memory_bandwidth_gbs * 1e9 / floor_bytes * (1 + 1e-9));
    }
  }
  EXPECT_EQ(checked, 1500);
}

TEST(Invariants, TotalThroughputNeverFallsAsTheBatchGrows) {
  Generator gen;
  int sequences_checked = 0;  // scenarios with at least two batches to compare
  for (int i = 0; i < 150; ++i) {
    json s = gen.scenario();
    s.erase("mode");
    s.erase("train_tokens");
    gpufit::Setup sc = scenario(s);
    if (sc.model.architecture != Architecture::kDecoder) continue;
    json base = evaluate(s);
    const double max_batch = std::min(base["max_batch_size"].get<double>(), 2048.0);
    double last_decode = 0, last_serving = 0;
    for (double b = 1; b <= max_batch; b *= 2) {
      json t = s;
      t["batch_size"] = b;
      json r = evaluate(t);
      SCOPED_TRACE(t.dump());
      double decode = r["decode"]["tokens_per_s_total"].get<double>();
      double serving = r["serving"]["output_tokens_per_s"].get<double>();
      EXPECT_GE(decode, last_decode * (1 - 1e-12));
      EXPECT_GE(serving, last_serving * (1 - 1e-12));
      last_decode = decode;
      last_serving = serving;
    }
    if (max_batch >= 2) ++sequences_checked;
  }
  EXPECT_GE(sequences_checked, 50);
}

TEST(Invariants, MoreGpusNeverLowerTheMemoryAvailable) {
  Generator gen;
  for (int i = 0; i < 200; ++i) {
    json s = gen.scenario();
    double last_free = -1e300, last_batch = -1;
    for (int n : {1, 2, 4, 8}) {
      json t = s;
      t["gpu_count"] = n;
      json r = evaluate(t);
      SCOPED_TRACE(t.dump());
      double free = r["memory"]["available_gb"].get<double>() - r["memory"]["total_gb"].get<double>();
      EXPECT_GE(free, last_free - 1e-9);
      EXPECT_GE(r["max_batch_size"].get<double>(), last_batch);
      last_free = free;
      last_batch = r["max_batch_size"].get<double>();
    }
  }
}

TEST(Invariants, CostPerTokenScalesWithPrice) {
  Generator gen;
  for (int i = 0; i < 200; ++i) {
    json s = gen.scenario();
    s["price_usd_per_hour"] = 1.25;
    json a = evaluate(s);
    s["price_usd_per_hour"] = 5.0;
    json b = evaluate(s);
    SCOPED_TRACE(s.dump());
    EXPECT_NEAR(b["cost"]["usd_per_million_tokens"].get<double>(),
                4 * a["cost"]["usd_per_million_tokens"].get<double>(),
                1e-9 * b["cost"]["usd_per_million_tokens"].get<double>());
  }
}

TEST(Invariants, EveryGpuFormatEngineAndModeAnswers) {
  // Every GPU x format x engine, each with one of the modes and a model in turn, a context between
  // 1 and the model's maximum, a batch up to 4096 and 1 to 8 GPUs: an answer with finite figures
  // of sane sign, or a refusal naming a field.
  const Catalog& c = catalog();
  std::mt19937_64 rng(7);
  const char* const kModes[] = {"inference", "lora", "qlora", "full_finetune"};
  std::size_t answered = 0, refused = 0, i = 0;
  for (const Gpu& g : c.gpus) {
    for (const WeightFormat& f : c.weight_formats) {
      for (const Engine& e : c.engines) {
        if (e.id == "pytorch") continue;
        const Model& m = c.models[i % c.models.size()];
        const std::string mode = kModes[i % 4];
        ++i;
        const double max_ctx = m.max_context_tokens > 0 ? m.max_context_tokens : 1e6;
        json s = {
            {"model", m.id},
            {"gpu", g.id},
            {"weights", f.id},
            {"engine", e.id},
            {"mode", mode},
            {"gpu_count", 1 << std::uniform_int_distribution<int>(0, 3)(rng)},
            {"context_tokens", std::max(1.0, std::floor(std::uniform_real_distribution<double>(0, 1)(rng) * max_ctx))},
            {"batch_size", std::uniform_int_distribution<int>(1, 4096)(rng)},
            {"train_tokens", 1e7},
            {"users", std::uniform_int_distribution<int>(0, 1000)(rng)},
            {"min_tokens_per_s_per_user", 5},
            {"as_of_date", "2026-11-21"}};
        auto out = evaluate_json(s.dump(), c);
        if (!out.ok()) {
          // Refusals here are the mode's rules (full fine-tune of quantized weights, QLoRA of a
          // 16-bit base, fine-tuning an encoder), named by field.
          EXPECT_TRUE(out.error().path == "/weights" || out.error().path == "/mode")
              << s.dump() << ": " << out.error().to_string();
          ++refused;
          continue;
        }
        const json r = json::parse(out.value());
        SCOPED_TRACE(s.dump());
        expect_finite(r);
        for (const char* path : {"memory.total_gb", "decode.tokens_per_s_total", "serving.output_tokens_per_s",
                                 "power.watts", "max_batch_size", "max_context_tokens"}) {
          EXPECT_GE(at_path(r, path).get<double>(), 0) << path;
        }
        ++answered;
      }
    }
  }
  EXPECT_GT(answered, 1000u);
  std::printf("[          ] %zu scenarios answered, %zu refused by the modes' rules\n", answered, refused);
}

TEST(Invariants, ExtremeButLegalValuesAnswer) {
  // A 2-trillion-parameter model, a 10-million-token context, zero users.
  json huge = {{"model",
                {{"params", 2e12},
                 {"layers", 200},
                 {"hidden_size", 32768},
                 {"attention_heads", 256},
                 {"kv_heads", 16},
                 {"vocab_size", 256000}}},
               {"gpu", "b200"},
               {"gpu_count", 64},
               {"context_tokens", 10000000},
               {"users", 0}};
  json r = evaluate(huge);
  expect_finite(r);
  EXPECT_FALSE(r["fits"].get<bool>());
  EXPECT_EQ(r["fleet"]["replicas"], 0);
}

}  // namespace
}  // namespace gpufit::test
