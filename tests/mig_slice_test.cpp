// A scenario on a MIG slice: the slice's memory, shares of bandwidth, compute, price and power,
// the same result blocks as a whole GPU plus "mig", and refusals that name /mig_profile.
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

json eval(const json& scenario) {
  auto out = evaluate_json(scenario.dump(), catalog());
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().to_string());
  return out.ok() ? json::parse(out.value()) : json();
}

TEST(MigSlice, CatalogHoldsTheGeometry) {
  for (const char* id : {"a100-80gb-sxm", "a100-40gb-sxm", "h100-sxm", "h200-sxm", "b200", "rtx-pro-6000"}) {
    const MigGpu* g = catalog().mig_gpu(id);
    ASSERT_NE(g, nullptr) << id;
    EXPECT_EQ(g->profiles.size(), catalog().gpu(id)->mig_profiles.size()) << id;
  }
  EXPECT_EQ(catalog().mig_gpu("l4"), nullptr);
}

TEST(MigSlice, SharesOfTheCard) {
  const json whole = eval({{"model", "llama-3.1-8b"}, {"weights", "int4"}, {"gpu", "a100-80gb-sxm"}});
  const json r =
      eval({{"model", "llama-3.1-8b"}, {"weights", "int4"}, {"gpu", "a100-80gb-sxm"}, {"mig_profile", "2g.20gb"}});
  ASSERT_TRUE(r.contains("mig"));
  EXPECT_FALSE(whole.contains("mig"));
  EXPECT_EQ(r["mig"]["profile"], "2g.20gb");
  EXPECT_EQ(r["mig"]["gpu"], "a100-80gb-sxm");
  EXPECT_DOUBLE_EQ(r["mig"]["compute_share"].get<double>(), 2.0 / 7);
  EXPECT_DOUBLE_EQ(r["mig"]["bandwidth_share"].get<double>(), 0.25);
  EXPECT_EQ(r["scenario"]["gpu"], "a100-80gb-sxm");
  // Memory: two of eight memory slices of the card's usable memory, at most the 20 GB the name says.
  EXPECT_NEAR(r["memory"]["available_gb"].get<double>(),
              std::min(20.0, whole["memory"]["available_gb"].get<double>() / 4), 1e-9);
  // Price and power: two of seven compute slices.
  ASSERT_TRUE(whole["cost"]["usd_per_gpu_hour"].is_number());
  EXPECT_NEAR(r["cost"]["usd_per_gpu_hour"].get<double>(), whole["cost"]["usd_per_gpu_hour"].get<double>() * 2 / 7,
              1e-9);
  EXPECT_NEAR(r["power"]["tdp_w"].get<double>(), whole["power"]["tdp_w"].get<double>() * 2 / 7, 1e-9);
  // Decode at batch 1 reads the weights at a quarter of the bandwidth: four times the memory
  // time, clearly slower (the engine's time per step and per layer stays: launches do not shrink
  // with the slice).
  EXPECT_NEAR(r["decode"]["memory_ms"].get<double>(), whole["decode"]["memory_ms"].get<double>() * 4,
              1e-9 * r["decode"]["memory_ms"].get<double>());
  EXPECT_LT(r["decode"]["tokens_per_s_per_sequence"].get<double>(),
            whole["decode"]["tokens_per_s_per_sequence"].get<double>() * 0.6);
  EXPECT_TRUE(r["fits"].get<bool>());
}

TEST(MigSlice, TheRooflineScalesByTheBandwidthShare) {
  // Batch 1 on the ideal engine reads the weights once per token: a slice with a quarter of the
  // memory slices decodes at a quarter of the card's rate; a 3g.40gb with half, at half.
  json s = {{"model", "llama-3.1-8b"}, {"weights", "int4"},  {"gpu", "h100-sxm"}, {"engine", "ideal"},
            {"batch_size", 1},         {"prompt_tokens", 0}, {"output_tokens", 1}};
  const double whole = eval(s)["decode"]["tokens_per_s_per_sequence"].get<double>();
  s["mig_profile"] = "2g.20gb";
  EXPECT_NEAR(eval(s)["decode"]["tokens_per_s_per_sequence"].get<double>() / whole, 0.25, 1e-9);
  s["mig_profile"] = "3g.40gb";
  EXPECT_NEAR(eval(s)["decode"]["tokens_per_s_per_sequence"].get<double>() / whole, 0.5, 1e-9);
}

TEST(MigSlice, TheUsersPriceIsTheSlices) {
  const json r = eval({{"model", "llama-3.1-8b"},
                       {"weights", "int4"},
                       {"gpu", "h100-sxm"},
                       {"mig_profile", "1g.10gb"},
                       {"price_usd_per_hour", 0.5}});
  EXPECT_DOUBLE_EQ(r["cost"]["usd_per_gpu_hour"].get<double>(), 0.5);
}

TEST(MigSlice, AGpuWithoutMigIsRefused) {
  auto out = evaluate_json(R"({"model": "llama-3.1-8b", "gpu": "l4", "mig_profile": "1g.10gb"})", catalog());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().path, "/mig_profile");
  EXPECT_NE(out.error().message.find("no MIG"), std::string::npos) << out.error().message;
}

TEST(MigSlice, AnUnknownProfileListsTheCardsProfiles) {
  auto out =
      evaluate_json(R"({"model": "llama-3.1-8b", "gpu": "a100-40gb-sxm", "mig_profile": "1g.10gb+me"})", catalog());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().path, "/mig_profile");
  EXPECT_NE(out.error().message.find("1g.5gb, 1g.5gb+me, 1g.10gb, 2g.10gb"), std::string::npos) << out.error().message;
}

TEST(MigSlice, OneSlicePerReplica) {
  auto out = evaluate_json(
      R"({"model": "llama-3.1-8b", "gpu": "a100-80gb-sxm", "mig_profile": "3g.40gb", "gpu_count": 2})", catalog());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().path, "/gpu_count");
}

TEST(MigSlice, ACustomGpuHasNoSlices) {
  auto out = evaluate_json(R"({"model": "llama-3.1-8b", "mig_profile": "1g.10gb",
    "gpu": {"memory_gb": 80, "memory_bandwidth_gbs": 2000, "fp16_tflops": 300, "tdp_w": 400}})",
                           catalog());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().path, "/mig_profile");
}

TEST(MigSlice, RankingCanIncludeSlices) {
  const std::string scenario = R"({"model": "llama-3.1-8b", "weights": "int4", "gpu": "l4"})";
  auto plain = rank_json(scenario, R"({"gpus": ["l4", "a100-80gb-sxm"]})", catalog());
  auto with = rank_json(scenario, R"({"gpus": ["l4", "a100-80gb-sxm"], "mig": true})", catalog());
  ASSERT_TRUE(plain.ok() && with.ok());
  const json p = json::parse(plain.value()), w = json::parse(with.value());
  EXPECT_EQ(p["rows"].size(), 2u);
  for (const json& r : p["rows"]) EXPECT_TRUE(r["mig_profile"].is_null());
  // Six plain profiles of the A100 80GB (the +me one left out) beside the two whole GPUs.
  ASSERT_EQ(w["rows"].size(), 8u);
  const json* whole = nullptr;
  const json* slice = nullptr;
  for (const json& r : w["rows"]) {
    if (r["gpu"] == "a100-80gb-sxm" && r["mig_profile"].is_null()) whole = &r;
    if (r["gpu"] == "a100-80gb-sxm" && r["mig_profile"] == "1g.10gb") slice = &r;
  }
  ASSERT_TRUE(whole && slice);
  EXPECT_EQ((*slice)["gpu_count"], 1);
  EXPECT_NEAR((*slice)["usd_per_hour"].get<double>(), (*whole)["usd_per_hour"].get<double>() / 7, 1e-9);
  EXPECT_NE((*slice)["gpu_name"].get<std::string>().find("1g.10gb"), std::string::npos);
}

}  // namespace
}  // namespace gpufit::test
