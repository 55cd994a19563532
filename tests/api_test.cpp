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
