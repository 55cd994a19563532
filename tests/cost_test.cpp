// Cost: the price chosen, $ per million tokens, daily and monthly cost, break-even, old prices.
#include "gpufit/cost.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

TEST(Cost, UsersPriceWins) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"price_usd_per_hour", 0.5}, {"gpu_count", 2}});
  std::vector<std::string> w;
  auto p = choose_price(s, catalog(), w);
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(p->from_scenario);
  Cost c = cost_figures(s, *p, 1000, 144);
  EXPECT_DOUBLE_EQ(c.usd_per_hour, 1.0);
  EXPECT_DOUBLE_EQ(c.usd_per_million_tokens, 1.0 / (1000 * 3600.0) * 1e6);
  EXPECT_DOUBLE_EQ(c.tokens_per_s_per_usd_per_hour, 1000);
  EXPECT_DOUBLE_EQ(c.usd_per_day, 24);
  EXPECT_DOUBLE_EQ(c.usd_per_month, 24 * 365.0 / 12);
}

TEST(Cost, CostPerTokenScalesWithPrice) {
  gpufit::Setup a = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"price_usd_per_hour", 0.5}});
  gpufit::Setup b = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"price_usd_per_hour", 1.5}});
  std::vector<std::string> w;
  double ca = cost_figures(a, *choose_price(a, catalog(), w), 700, 72).usd_per_million_tokens;
  double cb = cost_figures(b, *choose_price(b, catalog(), w), 700, 72).usd_per_million_tokens;
  EXPECT_DOUBLE_EQ(cb, 3 * ca);
}

TEST(Cost, TrafficRentsOnlyTheHoursItNeeds) {
  gpufit::Setup s =
      scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"price_usd_per_hour", 0.8}, {"tokens_per_day", 1e6}});
  std::vector<std::string> w;
  Cost c = cost_figures(s, *choose_price(s, catalog(), w), 1800, 72);
  // The seed's L4 case: 1M tokens at 1,800 tokens/s is 555 s, 0.154 h.
  EXPECT_NEAR(c.replica_hours_per_day, 1e6 / 1800 / 3600, 1e-12);
  EXPECT_NEAR(c.usd_per_day, 0.8 * 1e6 / 1800 / 3600, 1e-12);
}

// Each provider's newest on-demand price (the cheaper on a tie), then the lower median of those.
TEST(Cost, CatalogPriceIsTheMedianOfProvidersNewest) {
  Catalog c = catalog();
  const auto price = [](std::string provider, double usd, std::string seen, std::string pricing = "on_demand") {
    Price p;
    p.provider = std::move(provider);
    p.gpu = "h100-sxm";
    p.usd_per_hour = usd;
    p.date_seen = std::move(seen);
    p.pricing = std::move(pricing);
    return p;
  };
  c.prices = {price("A", 1.00, "2025-01-01"),        price("A", 2.00, "2026-01-01"),  // A: the newer, 2.00
              price("B", 3.00, "2026-02-01"),                                         // B: 3.00
              price("C", 2.60, "2026-03-01"),        price("C", 2.50, "2026-03-01"),  // C: a tie, the cheaper 2.50
              price("D", 0.10, "2026-03-01", "spot")};                                // spot: not on-demand
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}});
  std::vector<std::string> w;
  auto p = choose_price(s, c, w);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->providers_considered, 3);
  EXPECT_DOUBLE_EQ(p->usd_per_gpu_hour, 2.50);  // of 2.00, 2.50, 3.00
  EXPECT_EQ(p->provider, "C");
  // Two providers: the lower of the two.
  c.prices.erase(c.prices.begin() + 2);
  EXPECT_DOUBLE_EQ(choose_price(s, c, w)->usd_per_gpu_hour, 2.00);
  // The real catalog has at least three providers for the H100.
  EXPECT_GE(choose_price(s, catalog(), w)->providers_considered, 3);
}

TEST(Cost, ProviderAndPricingSelectAPrice) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"provider", "Lambda"}});
  std::vector<std::string> w;
  auto p = choose_price(s, catalog(), w);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->provider, "Lambda");
  EXPECT_TRUE(w.empty());
}

TEST(Cost, OldPricesAreFlagged) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"as_of_date", "2029-01-01"}});
  std::vector<std::string> w;
  ASSERT_TRUE(choose_price(s, catalog(), w).has_value());
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("more than a year old"), std::string::npos);
}

TEST(Cost, BreakEvenPaysThePurchaseFromTheRentSaved) {
  gpufit::Setup s = scenario(
      {{"model", "llama-3.1-8b"}, {"gpu", "rtx-4090"}, {"price_usd_per_hour", 0.5}, {"electricity_usd_per_kwh", 0.2}});
  std::vector<std::string> w;
  Cost c = cost_figures(s, *choose_price(s, catalog(), w), 100, 450);
  ASSERT_TRUE(c.break_even_hours.has_value());
  const double own = 450 / 1000.0 * 0.2;  // $/h of electricity
  EXPECT_DOUBLE_EQ(*c.break_even_hours, *s.gpu.purchase_price_usd / (0.5 - own));
}

TEST(Cost, DaysBetweenDates) {
  EXPECT_EQ(days_between("2025-11-21", "2026-11-21"), 365);
  EXPECT_EQ(days_between("2024-02-28", "2024-03-01"), 2);
}

}  // namespace
}  // namespace gpufit::test
