// Ranking: every GPU evaluated, sorted by the metric, the ones that do not fit last with their
// reason, the winner's margin computed.
#include "gpufit/rank.hpp"

#include <map>

#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

Ranking ranked(const json& s, RankOptions o = {}) {
  return rank(scenario(s), catalog(), o);
}

TEST(Rank, EveryGpuOnceFittingFirstSorted) {
  Ranking r = ranked({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"batch_size", 8}, {"as_of_date", "2026-11-21"}});
  EXPECT_EQ(r.rows.size(), catalog().gpus.size());
  bool seen_unfit = false;
  double last = 0;
  for (const RankRow& row : r.rows) {
    if (!row.fits) {
      seen_unfit = true;
      EXPECT_FALSE(row.reason.empty());
      continue;
    }
    EXPECT_FALSE(seen_unfit) << "a fitting row after a non-fitting one: " << row.gpu;
    if (!row.usd_per_million_tokens) continue;
    EXPECT_GE(*row.usd_per_million_tokens, last) << row.gpu;
    last = *row.usd_per_million_tokens;
  }
}

TEST(Rank, UsesTheFewestGpusThatFit) {
  Ranking r = ranked({{"model", "llama-3.1-70b"}, {"gpu", "l4"}, {"as_of_date", "2026-11-21"}});
  // 141 GB of BF16 weights: more than 90% of an H200's 150.8 GB (vLLM's reserve), so two.
  const std::map<std::string, int> expected = {{"h100-sxm", 2}, {"h200-sxm", 2}, {"b200", 1}};
  std::map<std::string, int> seen;
  for (const RankRow& row : r.rows) {
    if (expected.count(row.gpu)) seen[row.gpu] = row.gpu_count;
  }
  EXPECT_EQ(seen, expected);
}

TEST(Rank, WinnerMarginIsTheRatioToTheBestOtherGpu) {
  Ranking r = ranked({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"batch_size", 16}, {"as_of_date", "2026-11-21"}});
  ASSERT_TRUE(r.winner && r.runner_up && r.margin_pct);
  const RankRow& w = r.rows[*r.winner];
  const RankRow& u = r.rows[*r.runner_up];
  EXPECT_NE(w.gpu, u.gpu);
  EXPECT_NEAR(*r.margin_pct, (*u.usd_per_million_tokens / *w.usd_per_million_tokens - 1) * 100, 1e-9);
  EXPECT_NE(r.statement.find(" by "), std::string::npos) << r.statement;
}

TEST(Rank, ByTokensPerSecondPutsTheFastestFirst) {
  RankOptions o;
  o.by = RankBy::kTokensPerS;
  Ranking r = ranked({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"batch_size", 32}, {"as_of_date", "2026-11-21"}}, o);
  ASSERT_TRUE(r.winner.has_value());
  for (const RankRow& row : r.rows) {
    if (row.fits) EXPECT_LE(row.tokens_per_s, r.rows[0].tokens_per_s) << row.gpu;
  }
  EXPECT_NEAR(*r.margin_pct, (r.rows[0].tokens_per_s / r.rows[*r.runner_up].tokens_per_s - 1) * 100, 1e-9);
}

TEST(Rank, CountsAndFormatsMultiplyTheRows) {
  RankOptions o;
  o.counts = {1, 2};
  o.formats = {"bf16", "int4", "fp8"};
  o.gpus = {"l4", "h100-sxm"};
  Ranking r = ranked({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"as_of_date", "2026-11-21"}}, o);
  EXPECT_EQ(r.rows.size(), 2u * 2u * 3u);
}

// A row is evaluate() of its GPU, format and count: the ranking reuses one working scenario and
// must leave nothing of one row behind in the next (weights bytes, batch, price).
TEST(Rank, EveryRowEqualsEvaluateOfItsScenario) {
  RankOptions o;
  o.counts = {1, 2, 8};
  o.formats = {"bf16", "int4", "q4_k_m", "fp8"};
  o.batch_max_fit = true;
  o.max_batch = 64;
  const json base = {{"model", "mixtral-8x7b"},
                     {"gpu", "l4"},
                     {"batch_size", 4},
                     {"prompt_tokens", 512},
                     {"as_of_date", "2026-11-21"}};
  Ranking r = ranked(base, o);
  ASSERT_EQ(r.rows.size(), catalog().gpus.size() * 3 * 4);
  for (const RankRow& row : r.rows) {
    json s = base;
    s["gpu"] = row.gpu;
    s["weights"] = row.weights;
    s["gpu_count"] = row.gpu_count;
    s["batch_size"] = row.batch_size;
    const json e = evaluate(s);
    const std::string where = row.gpu + " " + row.weights + " x" + std::to_string(row.gpu_count);
    EXPECT_EQ(row.fits, e["fits"].get<bool>()) << where;
    EXPECT_DOUBLE_EQ(row.memory_total_gb, e["memory"]["total_gb"].get<double>()) << where;
    EXPECT_DOUBLE_EQ(row.tokens_per_s, e["serving"]["output_tokens_per_s"].get<double>()) << where;
    EXPECT_DOUBLE_EQ(row.ttft_s, e["latency"]["ttft_s"].get<double>()) << where;
    EXPECT_DOUBLE_EQ(row.time_per_output_token_ms, e["latency"]["time_per_output_token_ms"].get<double>()) << where;
    if (row.fits && row.batch_size < 64) EXPECT_EQ(row.batch_size, e["max_batch_size"].get<double>()) << where;
    if (row.usd_per_million_tokens) {
      EXPECT_DOUBLE_EQ(*row.usd_per_million_tokens, e["cost"]["usd_per_million_tokens"].get<double>()) << where;
    } else {
      EXPECT_TRUE(e["cost"]["usd_per_million_tokens"].is_null()) << where;
    }
  }
}

TEST(Rank, NothingFitsSaysSo) {
  RankOptions o;
  o.counts = {1};
  o.gpus = {"l4", "t4"};
  Ranking r = ranked({{"model", "llama-3.1-405b"}, {"gpu", "l4"}, {"as_of_date", "2026-11-21"}}, o);
  EXPECT_FALSE(r.winner.has_value());
  EXPECT_EQ(r.statement, "no GPU in the ranking fits this workload");
}

}  // namespace
}  // namespace gpufit::test
