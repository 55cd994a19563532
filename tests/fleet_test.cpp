// Fleet sizing: users per replica under the speed floor and memory, replicas, GPUs, $/hour.
#include "gpufit/fleet.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

// Per-user tokens/s falling as 1000 / (10 + b): a stand-in for a decode step that grows with the batch.
double falling(double b) {
  return 1000 / (10 + b);
}

TEST(Fleet, SpeedFloorLimitsTheBatch) {
  gpufit::Setup s = scenario(
      {{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"users", 100}, {"min_tokens_per_s_per_user", 20}, {"gpu_count", 2}});
  Fleet f = size_fleet(s, 64, falling, 0.8);
  EXPECT_EQ(f.users_per_replica, 40);  // 1000 / 50 = 20 exactly
  EXPECT_EQ(f.limited_by, "speed");
  EXPECT_EQ(*f.replicas, 3);
  EXPECT_EQ(*f.gpus_needed, 6);
  EXPECT_DOUBLE_EQ(*f.usd_per_hour, 6 * 0.8);
}

TEST(Fleet, MemoryLimitsTheBatch) {
  gpufit::Setup s =
      scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"users", 100}, {"min_tokens_per_s_per_user", 5}});
  Fleet f = size_fleet(s, 16, falling, std::nullopt);
  EXPECT_EQ(f.users_per_replica, 16);
  EXPECT_EQ(f.limited_by, "memory");
  EXPECT_EQ(*f.replicas, 7);
  EXPECT_FALSE(f.usd_per_hour.has_value());
}

TEST(Fleet, ZeroUsersNeedNoReplica) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"users", 0}});
  Fleet f = size_fleet(s, 16, falling, 1.0);
  EXPECT_EQ(*f.replicas, 0);
  EXPECT_EQ(*f.gpus_needed, 0);
  // Even for a model no replica can hold.
  EXPECT_EQ(*size_fleet(s, 0, falling, 1.0).replicas, 0);
}

TEST(Fleet, AFloorNoReplicaMeetsIsReported) {
  gpufit::Setup s =
      scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"users", 10}, {"min_tokens_per_s_per_user", 500}});
  Fleet f = size_fleet(s, 16, falling, 1.0);
  EXPECT_EQ(f.users_per_replica, 0);
  EXPECT_FALSE(f.replicas.has_value());
  json r = evaluate({{"model", "llama-3.1-8b"},
                     {"gpu", "l4"},
                     {"users", 10},
                     {"min_tokens_per_s_per_user", 500},
                     {"as_of_date", "2026-11-21"}});
  EXPECT_TRUE(r["fleet"]["replicas"].is_null());
  bool warned = false;
  for (const auto& w : r["warnings"]) warned = warned || w.get<std::string>().rfind("fleet: even alone", 0) == 0;
  EXPECT_TRUE(warned);
}

TEST(Fleet, MoreUsersNeverNeedFewerGpus) {
  double last = 0;
  for (int users : {1, 10, 50, 100, 200, 1000}) {
    json r = evaluate({{"model", "llama-3.1-8b"},
                       {"gpu", "l4"},
                       {"users", users},
                       {"min_tokens_per_s_per_user", 10},
                       {"as_of_date", "2026-11-21"}});
    double gpus = r["fleet"]["gpus_needed"].get<double>();
    EXPECT_GE(gpus, last) << users;
    last = gpus;
  }
}

}  // namespace
}  // namespace gpufit::test
