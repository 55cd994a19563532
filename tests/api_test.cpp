// The JSON face of the core: arrays in order, errors inside arrays named by index, sweeps, the
// catalog by kind, and no NaN or Infinity in any output.
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

TEST(Api, ArraysComeBackInOrder) {
  json in = json::array({{{"model", "llama-3.1-8b"}, {"gpu", "l4"}}, {{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}}});
  auto out = evaluate_json(in.dump(), catalog());
  ASSERT_TRUE(out.ok());
  json r = json::parse(out.value());
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0]["scenario"]["gpu"], "l4");
  EXPECT_EQ(r[1]["scenario"]["gpu"], "h100-sxm");
}

TEST(Api, AnErrorInsideAnArrayNamesTheIndex) {
  json in = json::array({{{"model", "llama-3.1-8b"}, {"gpu", "l4"}}, {{"model", "llama-3.1-8b"}, {"gpu", "l5"}}});
  Error e = evaluate_error(in.dump());
  EXPECT_EQ(e.path, "/1/gpu");  // a JSON Pointer into the array
}

// One update() answers a keystroke with the result and its charts: the core picks the charts'
// values from the result (powers of two up to the largest batch that fits, the context up to the
// model's window), so the page no longer reads the result and asks a second time.
TEST(Api, UpdateAnswersTheChartsWithTheResult) {
  const char* scenario = R"({"model": "llama-3.1-8b", "gpu": "l4", "weights": "int4"})";
  auto out = update_json(scenario, R"({"charts": true})", catalog(), "");
  ASSERT_TRUE(out.ok()) << out.error().to_string();
  json r = json::parse(out.value());
  const double max_batch = r["result"]["max_batch_size"].get<double>();
  ASSERT_GT(max_batch, 2);
  ASSERT_EQ(r["charts"].size(), 2u);
  const json& batch = r["charts"][0];
  EXPECT_EQ(batch["field"], "batch_size");
  EXPECT_EQ(batch["values"].front(), 1);
  EXPECT_EQ(batch["values"].back().get<double>(), std::min(1024.0, max_batch));  // ends where the fit ends
  for (std::size_t i = 1; i + 1 < batch["values"].size(); ++i) {
    EXPECT_EQ(batch["values"][i].get<double>(), 2 * batch["values"][i - 1].get<double>());
  }
  ASSERT_EQ(batch["results"].size(), batch["values"].size());
  for (std::size_t i = 0; i < batch["values"].size(); ++i) {
    EXPECT_EQ(batch["results"][i]["scenario"]["batch_size"], batch["values"][i]);
    EXPECT_FALSE(batch["results"][i].contains("assumptions"));  // compact, as a sweep's
  }
  const json& context = r["charts"][1];
  EXPECT_EQ(context["field"], "context_tokens");
  EXPECT_EQ(context["values"].front(), 256);
  EXPECT_EQ(context["values"].back(), r["result"]["model"]["max_context_tokens"]);
  // Charts without the result: the same values (the page's widget asks for them alone).
  auto alone = update_json(scenario, R"({"charts": true, "result": false})", catalog(), "");
  ASSERT_TRUE(alone.ok());
  json a = json::parse(alone.value());
  EXPECT_FALSE(a.contains("result"));
  EXPECT_EQ(a["charts"][0]["values"], batch["values"]);
}

TEST(Api, ChartsFollowTheWorkload) {
  auto image = json::parse(update_json(R"({"workload": "image", "model": "sdxl-base-1.0", "gpu": "l4"})",
                                       R"({"charts": true, "result": false})", catalog(), "")
                               .value());
  EXPECT_EQ(image["charts"][0]["values"].back(), 16);  // image batches stop at 16
  EXPECT_EQ(image["charts"][1]["field"], "width");
  auto fine_tune = json::parse(update_json(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "mode": "lora"})",
                                           R"({"charts": true})", catalog(), "")
                                   .value());
  EXPECT_TRUE(fine_tune["charts"].empty());  // the charts draw inference only
}

// The charts come in the same answer as the result, so a chart that could not be computed would
// cost the page its result: every catalog model, on a small and a large card, in every mode and
// with a long prompt, gets its charts.
TEST(Api, ChartsNeverFailWhereTheResultDoesNot) {
  int answered = 0;
  for (const Model& m : catalog().models) {
    for (const char* gpu : {"l4", "b200"}) {
      for (const json& extra : {json::object(), json{{"mode", "qlora"}}, json{{"prompt_tokens", 4096}},
                                json{{"context_tokens", 1000000}, {"batch_size", 64}}}) {
        json in = {{"model", m.id}, {"gpu", gpu}};
        in.update(extra);
        if (!update_json(in.dump(), "{}", catalog(), "").ok()) continue;
        auto out = update_json(in.dump(), R"({"charts": true})", catalog(), "");
        EXPECT_TRUE(out.ok()) << in.dump() << ": " << out.error().to_string();
        ++answered;
      }
    }
  }
  for (const WorkloadModel& m : catalog().workloads.models) {
    json in = {{"workload", m.workload}, {"model", m.id}, {"gpu", "l4"}};
    if (!update_json(in.dump(), "{}", catalog(), "").ok()) continue;
    auto out = update_json(in.dump(), R"({"charts": true})", catalog(), "");
    EXPECT_TRUE(out.ok()) << in.dump() << ": " << out.error().to_string();
    ++answered;
  }
  EXPECT_GT(answered, 300);
}

TEST(Api, SweepEvaluatesEachValue) {
  auto out = sweep_json(R"({"model": "llama-3.1-8b", "gpu": "l4"})", "batch_size", "[1, 2, 4, 8]", catalog());
  ASSERT_TRUE(out.ok()) << out.error().to_string();
  json r = json::parse(out.value());
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[3]["scenario"]["batch_size"], 8);
  EXPECT_FALSE(r[0].contains("assumptions"));
  auto bad = sweep_json(R"({"model": "llama-3.1-8b", "gpu": "l4"})", "batch_size", "[1, -2]", catalog());
  ASSERT_FALSE(bad.ok());
  // The error points at the value in the sweep's values.
  EXPECT_EQ(bad.error().to_string(), "values: /1: must be a positive integer, got -2");
}

TEST(Api, CatalogByKind) {
  for (const char* kind :
       {"gpus", "models", "formats", "kv_cache_formats", "engines", "interconnects", "prices", "benchmarks"}) {
    auto out = catalog_json(catalog(), kind);
    ASSERT_TRUE(out.ok()) << kind;
    EXPECT_TRUE(json::parse(out.value()).is_array()) << kind;
  }
  auto all = catalog_json(catalog(), "all");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(json::parse(all.value()).contains("gpus"));
  auto bad = catalog_json(catalog(), "cpus");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().input, "kind");
}

TEST(Api, RankOptionsAreChecked) {
  auto bad = rank_json(R"({"model": "llama-3.1-8b", "gpu": "l4"})", R"({"by": "speed"})", catalog());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().to_string(),
            "options: /by: must be usd_per_million_tokens, tokens_per_s, latency, watts or gpus, got \"speed\"");
  auto ok = rank_json(R"({"model": "llama-3.1-8b", "gpu": "l4"})", R"({"by": "watts", "counts": [1]})", catalog());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(json::parse(ok.value())["by"], "watts");
}

TEST(Api, OutputsNeverHoldNanOrInfinity) {
  for (const char* s :
       {R"({"model": "llama-3.1-8b", "gpu": "l4", "utilization": 0})",
        R"({"model": "llama-3.1-8b", "gpu": "l4", "users": 0})",
        R"({"model": "bge-large-en-v1.5", "gpu": "t4", "prompt_tokens": 0})",
        R"({"model": "llama-3.1-8b", "gpu": "l4", "prompt_tokens": 0, "price_usd_per_hour": 0.0001})"}) {
    auto out = evaluate_json(s, catalog());
    ASSERT_TRUE(out.ok()) << s << ": " << out.error().to_string();
    expect_finite(json::parse(out.value()));
  }
}

}  // namespace
}  // namespace gpufit::test
