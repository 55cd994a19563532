// The seed articles' claims (tests/seed_claims.json), each checked against the calculator: the
// test fails if the calculator's verdict on a claim changes.
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

struct Claim {
  std::string id;
  json c;
};

std::vector<Claim> claims() {
  std::vector<Claim> out;
  const json file = read_json(tests_dir() + "/seed_claims.json");
  for (const auto& c : file["claims"]) out.push_back({c["id"], c});
  return out;
}

bool calculator_agrees(const json& c) {
  json s = c["scenario"];
  s["as_of_date"] = "2026-11-21";
  const std::string check = c["check"];
  if (check == "decode_bound") {
    s["engine"] = "ideal";
    s["batch_size"] = 1;
    s["prompt_tokens"] = 0;
    s["output_tokens"] = 1;
    const double bound = evaluate(s)["decode"]["tokens_per_s_per_sequence"].get<double>();
    return c["claimed"].get<double>() <= bound;
  }
  if (check == "fits") return evaluate(s)["fits"].get<bool>() == c["claimed"].get<bool>();
  if (check == "value") {
    const double got = at_path(evaluate(s), c["path"]).get<double>();
    const double want = c["claimed"].get<double>();
    return std::fabs(got - want) <= std::fabs(want) * c["rel_tol"].get<double>() + 1e-12;
  }
  if (check == "serving_reachable") {
    auto out =
        rank_json(s.dump(), json({{"gpus", {s["gpu"]}}, {"counts", {1}}, {"batch", "max_fit"}}).dump(), catalog());
    EXPECT_TRUE(out.ok());
    const double tps = json::parse(out.value())["rows"][0]["tokens_per_s"].get<double>();
    const double claimed = c["claimed"].get<double>();
    return tps >= claimed / 2 && tps <= claimed * 2;
  }
  if (check == "ratio") {
    // other's figure over the scenario's, within [claimed_min, claimed_max] ("A100 2.5-3x faster").
    json o = c["other"];
    o["as_of_date"] = "2026-11-21";
    const double mine = at_path(evaluate(s), c["path"]).get<double>();
    const double ratio = at_path(evaluate(o), c["path"]).get<double>() / mine;
    return ratio >= c["claimed_min"].get<double>() && ratio <= c["claimed_max"].get<double>();
  }
  ADD_FAILURE() << "unknown check " << check;
  return false;
}

void PrintTo(const Claim& x, std::ostream* os) {
  *os << x.id;
}

class SeedClaims : public ::testing::TestWithParam<Claim> {};

TEST_P(SeedClaims, VerdictIsAsRecorded) {
  const json& c = GetParam().c;
  EXPECT_EQ(calculator_agrees(c), c["agrees"].get<bool>())
      << c["claim"] << (c["why"].get<std::string>().empty() ? "" : " -- ") << c["why"];
  if (!c["agrees"].get<bool>()) EXPECT_FALSE(c["why"].get<std::string>().empty()) << "a disagreement needs its reason";
}

INSTANTIATE_TEST_SUITE_P(Seeds, SeedClaims, ::testing::ValuesIn(claims()),
                         [](const ::testing::TestParamInfo<Claim>& param_info) {
                           return test_name(param_info.param.id);
                         });

}  // namespace
}  // namespace gpufit::test
