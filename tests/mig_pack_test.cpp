// Packing scenarios onto MIG slices: the smallest profile per scenario, the placement rules, the
// fewest cards, the cost beside whole GPUs, and errors that name the field.
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

json pack(const json& request) {
  auto out = pack_json(request.dump(), catalog());
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().to_string());
  return out.ok() ? json::parse(out.value()) : json();
}

json a100_plan(const json& scenarios) {
  const json r = pack({{"scenarios", scenarios}, {"gpus", {"a100-80gb-sxm"}}});
  EXPECT_EQ(r["plans"].size(), 1u);
  return r["plans"][0];
}

TEST(MigPack, SevenSmallModelsShareOneCard) {
  json seven = json::array();
  for (int i = 0; i < 7; ++i) seven.push_back({{"model", "llama-3.2-1b"}});
  const json p = a100_plan(seven);
  ASSERT_TRUE(p["feasible"].get<bool>()) << p.dump();
  EXPECT_EQ(p["gpus"], 1);
  EXPECT_EQ(p["assignments"][0]["profile"], "1g.10gb");
  EXPECT_EQ(p["layout"][0]["free_compute_slices"], 0);
  // Seven whole cards otherwise.
  EXPECT_EQ(p["whole_gpus"], 7);
  EXPECT_NEAR(p["saving_usd_per_hour"].get<double>(), 6 * p["usd_per_gpu_hour"].get<double>(), 1e-9);

  seven.push_back({{"model", "llama-3.2-1b"}});  // an eighth: no eighth compute slice
  EXPECT_EQ(a100_plan(seven)["gpus"], 2);
}

TEST(MigPack, TwoHalvesLeaveNoRoomForAThirdSlice) {
  // bf16 Qwen2.5 14B (about 30 GB) needs a 40 GB slice: two of them take all eight memory slices.
  const json p =
      a100_plan(json::array({{{"model", "qwen2.5-14b"}}, {{"model", "qwen2.5-14b"}}, {{"model", "llama-3.2-1b"}}}));
  ASSERT_TRUE(p["feasible"].get<bool>()) << p.dump();
  EXPECT_EQ(p["assignments"][0]["profile"], "3g.40gb");
  EXPECT_EQ(p["gpus"], 2);
  const json& first = p["layout"][0]["instances"];
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0]["start_slice"], 0);
  EXPECT_EQ(first[1]["start_slice"], 4);
  EXPECT_EQ(p["layout"][0]["free_memory_slices"], 0);
}

TEST(MigPack, PlacementIsSearchedNotFirstFit) {
  // Three 1g.20gb at 0, 2, 4 would leave slices 6 and 7, and a 1g.10gb cannot start at 7; the
  // five share one card only with the 1g.10gb between the others.
  json five = json::array();
  for (int i = 0; i < 3; ++i) five.push_back({{"model", "qwen2.5-14b"}, {"weights", "int4"}});
  for (int i = 0; i < 2; ++i) five.push_back({{"model", "llama-3.2-1b"}});
  const json p = a100_plan(five);
  ASSERT_TRUE(p["feasible"].get<bool>()) << p.dump();
  EXPECT_EQ(p["assignments"][0]["profile"], "1g.20gb");
  EXPECT_EQ(p["assignments"][3]["profile"], "1g.10gb");
  EXPECT_EQ(p["gpus"], 1);
  std::uint64_t used = 0;
  for (const json& x : p["layout"][0]["instances"]) {
    const int start = x["start_slice"], n = x["memory_slices"];
    const std::uint64_t mask = ((std::uint64_t{1} << n) - 1) << start;
    EXPECT_EQ(used & mask, 0u) << x.dump();
    used |= mask;
    if (x["profile"] == "1g.10gb") EXPECT_LE(start, 6);
  }
}

TEST(MigPack, TrafficAddsInstances) {
  // Tokens a day beyond one slice's rate take more instances of it (or a bigger slice).
  const json light =
      a100_plan(json::array({{{"model", "llama-3.1-8b"}, {"weights", "int4"}, {"tokens_per_day", 1e6}}}));
  const json heavy =
      a100_plan(json::array({{{"model", "llama-3.1-8b"}, {"weights", "int4"}, {"tokens_per_day", 2e8}}}));
  const auto share = [](const json& a) {
    const std::string profile = a["profile"];
    return a["instances"].get<int>() * std::stoi(profile.substr(0, 1));
  };
  EXPECT_GT(share(heavy["assignments"][0]), share(light["assignments"][0]));
  EXPECT_GE(heavy["assignments"][0]["tokens_per_s_per_instance"].get<double>() *
                heavy["assignments"][0]["instances"].get<int>(),
            2e8 / 86400);
}

TEST(MigPack, EveryMigCardByDefaultAndTheCheapestIsBest) {
  const json r = pack(json::array({{{"model", "llama-3.2-1b"}}, {{"model", "qwen2.5-7b"}, {"weights", "fp8"}}}));
  EXPECT_EQ(r["plans"].size(), catalog().mig.size());
  ASSERT_TRUE(r["best"].is_number());
  const json& best = r["plans"][r["best"].get<int>()];
  for (const json& p : r["plans"]) {
    if (p["feasible"].get<bool>() && p["usd_per_hour"].is_number()) {
      EXPECT_LE(best["usd_per_hour"].get<double>(), p["usd_per_hour"].get<double>() + 1e-9) << p["gpu"];
    }
  }
  EXPECT_TRUE(r["whole_gpus"].is_null());
}

TEST(MigPack, WholeGpusToCompare) {
  const json r = pack({{"scenarios", json::array({{{"model", "llama-3.1-8b"}, {"weights", "int4"}}})},
                       {"gpus", {"h100-sxm"}},
                       {"whole_gpus", {"l4"}}});
  ASSERT_TRUE(r["whole_gpus"].is_object());
  EXPECT_EQ(r["whole_gpus"]["per_scenario"][0]["gpu"], "l4");
  EXPECT_TRUE(r["whole_gpus"]["usd_per_hour"].is_number());
}

TEST(MigPack, ErrorsNameTheField) {
  auto no_mig = pack_json(R"({"scenarios": [{"model": "llama-3.2-1b"}], "gpus": ["l4"]})", catalog());
  ASSERT_FALSE(no_mig.ok());
  EXPECT_EQ(no_mig.error().path, "/gpus/0");
  auto bad_model = pack_json(R"({"scenarios": [{"model": "llama-3.2-1b"}, {"model": "llama-9"}]})", catalog());
  ASSERT_FALSE(bad_model.ok());
  EXPECT_EQ(bad_model.error().path, "/scenarios/1/model");
  auto bare = pack_json(R"([{"model": "llama-3.2-1b", "batch_size": -1}])", catalog());
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().path, "/0/batch_size");
  auto empty = pack_json(R"({"scenarios": []})", catalog());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().path, "/scenarios");
}

}  // namespace
}  // namespace gpufit::test
