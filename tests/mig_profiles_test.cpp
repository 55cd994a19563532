// data/mig_profiles.json (MIG slice geometry per GPU) agrees with itself and with gpus.json: the
// profile names are the ones the GPU entry lists, slices stay within 7 compute / 8 memory, a
// slice's bandwidth and L2 share follow its memory slices, and every GPU block has its sources.
#include <set>

#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

json mig_file() {
  return read_json(std::string(GPUFIT_DATA_DIR) + "/mig_profiles.json");
}

TEST(MigProfiles, NamesMatchTheGpuCatalog) {
  const json f = mig_file();
  ASSERT_FALSE(f["gpus"].empty());
  for (const auto& g : f["gpus"]) {
    const std::string id = g["gpu"];
    const Gpu* gpu = catalog().gpu(id);
    ASSERT_NE(gpu, nullptr) << id;
    std::set<std::string> listed(gpu->mig_profiles.begin(), gpu->mig_profiles.end());
    std::set<std::string> here;
    for (const auto& p : g["profiles"]) here.insert(p["name"].get<std::string>());
    EXPECT_EQ(here, listed) << id;
    EXPECT_FALSE(g["source"].get<std::string>().empty()) << id;
  }
}

TEST(MigProfiles, SlicesStayWithinTheCard) {
  // Held in a local: a range-for over mig_file()["gpus"] would iterate a destroyed temporary.
  const json f = mig_file();
  for (const auto& g : f["gpus"]) {
    const std::string id = g["gpu"];
    const Gpu* gpu = catalog().gpu(id);
    ASSERT_NE(gpu, nullptr) << id;
    const int compute_total = g["compute_slices_total"];
    const int memory_total = g["memory_slices_total"];
    for (const auto& p : g["profiles"]) {
      const std::string name = p["name"];
      const int cs = p["compute_slices"];
      const int ms = p["memory_slices"];
      EXPECT_GE(cs, 1) << id << " " << name;
      EXPECT_LE(cs, compute_total) << id << " " << name;
      EXPECT_GE(ms, 1) << id << " " << name;
      EXPECT_LE(ms, memory_total) << id << " " << name;
      // The name says "<compute slices>g.<memory>gb".
      EXPECT_EQ(name.substr(0, name.find('g')), std::to_string(cs)) << id << " " << name;
      EXPECT_LE(p["memory_gb"].get<double>(), gpu->memory_gb + 1e-9) << id << " " << name;
      EXPECT_DOUBLE_EQ(p["bandwidth_share"].get<double>(), double(ms) / memory_total) << id << " " << name;
      EXPECT_DOUBLE_EQ(p["l2_share"].get<double>(), double(ms) / memory_total) << id << " " << name;
      const int max_instances = p["max_instances"];
      EXPECT_GE(max_instances, 1) << id << " " << name;
      EXPECT_LE(max_instances * cs, compute_total) << id << " " << name;
      for (const auto& s : p["start_slices"]) {
        EXPECT_LE(s.get<int>() + cs, compute_total) << id << " " << name;
      }
    }
  }
}

}  // namespace
}  // namespace gpufit::test
