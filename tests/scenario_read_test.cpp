// Reading scenarios: defaults, ids resolved, every bad input of tests/bad_inputs.json refused with
// its exact message naming the field, and permalinks that round-trip.
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

TEST(ScenarioRead, DefaultsAreTheSpecs) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}});
  EXPECT_EQ(s.weights.id, "bf16");
  EXPECT_EQ(s.kv_cache.id, "fp16");
  EXPECT_EQ(s.engine.id, "vllm");
  EXPECT_EQ(s.mode, Mode::kInference);
  EXPECT_EQ(s.gpu_count, 1);
  EXPECT_EQ(s.context_tokens, 4096);
  EXPECT_EQ(s.prompt_tokens, 1024);
  EXPECT_EQ(s.output_tokens, 256);
  EXPECT_EQ(s.batch_size, 1);
  EXPECT_EQ(s.electricity_usd_per_kwh, 0.10);
  EXPECT_EQ(s.pue, 1.0);
  EXPECT_FALSE(s.utilization.has_value());  // the draw follows the work unless given
  EXPECT_FALSE(s.users.has_value());
}

TEST(ScenarioRead, QloraDefaultsToAnNf4Base) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"mode", "qlora"}});
  EXPECT_EQ(s.weights.id, "nf4");
}

TEST(ScenarioRead, ProviderIsMatchedWithoutCase) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"provider", "runpod"}});
  ASSERT_TRUE(s.provider.has_value());
  EXPECT_EQ(*s.provider, "RunPod");
}

TEST(ScenarioRead, AnEditedCatalogEntryPassesBackAsAnInlineObject) {
  json gpus = json::parse(catalog_json(catalog(), "gpus").value());
  json models = json::parse(catalog_json(catalog(), "models").value());
  json l4 = gpus[1], llama;
  for (const auto& m : models) {
    if (m["id"] == "llama-3.1-8b") llama = m;
  }
  ASSERT_EQ(l4["id"], "l4");
  l4["memory_bandwidth_gbs"] = 600;  // edited
  json r = evaluate({{"model", llama}, {"gpu", l4}, {"as_of_date", "2026-11-21"}});
  json base = evaluate({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"as_of_date", "2026-11-21"}});
  // Twice the bandwidth: half the memory time (the engine's fixed times per step stay).
  EXPECT_NEAR(r["decode"]["memory_ms"].get<double>() / base["decode"]["memory_ms"].get<double>(), 0.5, 1e-9);
  EXPECT_GT(r["decode"]["tokens_per_s_per_sequence"].get<double>() /
                base["decode"]["tokens_per_s_per_sequence"].get<double>(),
            1.7);
  EXPECT_EQ(r["memory"]["weights_gb"], base["memory"]["weights_gb"]);
}

struct BadInput {
  std::string name;
  json c;
};

std::vector<BadInput> bad_inputs() {
  std::vector<BadInput> out;
  const json file = read_json(tests_dir() + "/bad_inputs.json");
  for (const auto& c : file["cases"]) out.push_back({c["name"], c});
  return out;
}

void PrintTo(const BadInput& x, std::ostream* os) {
  *os << x.name;
}

class BadInputs : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputs, RefusedWithTheFieldNamed) {
  const json& c = GetParam().c;
  const std::string text = c.contains("text") ? c["text"].get<std::string>() : c["scenario"].dump();
  Error e = evaluate_error(text);
  ASSERT_FALSE(e.message.empty()) << GetParam().name << " was accepted";
  EXPECT_EQ(e.path, c["path"].get<std::string>()) << GetParam().name;
  EXPECT_EQ(e.input, c.value("input", "")) << GetParam().name;
  if (c.contains("message")) {
    EXPECT_EQ(e.message, c["message"].get<std::string>()) << GetParam().name;
  } else {
    EXPECT_EQ(e.message.rfind(c["message_prefix"].get<std::string>(), 0), 0u) << GetParam().name << ": " << e.message;
  }
}

INSTANTIATE_TEST_SUITE_P(Spec, BadInputs, ::testing::ValuesIn(bad_inputs()),
                         [](const ::testing::TestParamInfo<BadInput>& param_info) {
                           return test_name(param_info.param.name);
                         });

// --- permalinks ----------------------------------------------------------------------------------

TEST(Permalink, ReadsTheSpecExample) {
  auto j = scenario_json_from_query("#model=llama-3.1-70b&weights=int4&gpu=l4&gpu_count=2&context_tokens=8192");
  ASSERT_TRUE(j.ok()) << j.error().to_string();
  EXPECT_EQ(json::parse(j.value()), json({{"model", "llama-3.1-70b"},
                                          {"weights", "int4"},
                                          {"gpu", "l4"},
                                          {"gpu_count", 2},
                                          {"context_tokens", 8192}}));
}

TEST(Permalink, RoundTripsEveryFieldKind) {
  json s = {{"model",
             {{"params", 7e9},
              {"layers", 32},
              {"hidden_size", 4096},
              {"attention_heads", 32},
              {"kv_heads", 8},
              {"vocab_size", 32000},
              {"name", "my model & co"}}},
            {"gpu", "h100-sxm"},
            {"gpu_count", 2},
            {"engine", "llama.cpp"},
            {"utilization", 0.75},
            {"gradient_checkpointing", false},
            {"provider", "Lambda"},
            {"as_of_date", "2026-11-21"}};
  auto q = query_from_scenario_json(s.dump());
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q.value().find(' '), std::string::npos);
  auto back = scenario_json_from_query(q.value());
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(json::parse(back.value()), s);
}

TEST(Permalink, RefusesNonsenseNamingTheField) {
  auto e = scenario_json_from_query("model=llama-3.1-8b&gpu=l4&batch_size=NaN");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().to_string(), "permalink: /batch_size: must be a number, got \"NaN\"");
  e = scenario_json_from_query("model=llama-3.1-8b&gpuu=l4");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().to_string(), "permalink: /gpuu: unknown field \"gpuu\" (did you mean \"gpu\"?)");
  e = scenario_json_from_query("model=%7Bnot%20json");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().path, "/model");
  e = scenario_json_from_query("gpu=l4&gpu=a10");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().to_string(), "permalink: /gpu: appears twice");
}

TEST(Permalink, HostileTextStaysText) {
  auto j = scenario_json_from_query("model=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&gpu=l4");
  ASSERT_TRUE(j.ok());
  Error e = evaluate_error(j.value());
  EXPECT_EQ(e.path, "/model");
  EXPECT_EQ(e.message, "unknown model \"<img src=x onerror=alert(1)>\" (see gpucalc catalog)");
}

}  // namespace
}  // namespace gpufit::test
