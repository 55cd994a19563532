// Golden scenarios: tests/golden/*.json, each a scenario and the figures it must give, with
// tolerances and the arithmetic behind each figure in the data. The wasm tests read the same
// files, so native and WebAssembly are held to the same answers.
#include <filesystem>

#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

std::vector<std::string> golden_files() {
  return json_files("golden");
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesWithinTolerance) {
  const json g = read_json(GetParam());
  const json r = evaluate(g["scenario"]);
  expect_finite(r);
  for (const auto& e : g["expect"]) {
    const std::string path = e["path"];
    const json& got = at_path(r, path);
    ASSERT_FALSE(got.is_null()) << path;
    if (e["value"].is_boolean() || e["value"].is_string()) {
      EXPECT_EQ(got, e["value"]) << path << ": " << e.value("why", "");
      continue;
    }
    const double want = e["value"].get<double>();
    const double tol = e.value("rel_tol", 1e-9);
    EXPECT_NEAR(got.get<double>(), want, std::fabs(want) * tol + 1e-12) << path << ": " << e.value("why", "");
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Golden, ::testing::ValuesIn(golden_files()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return test_name(param_info.param);
                         });

}  // namespace
}  // namespace gpufit::test
