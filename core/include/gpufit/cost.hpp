// What the GPUs cost: the price chosen (the user's, or the catalog's by provider and pricing
// type), $ per million tokens, tokens/s per $/hour, daily and monthly cost for a traffic, and the
// buy-versus-rent break-even.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gpufit/scenario.hpp"

namespace gpufit {

inline constexpr double kHoursPerMonth = 365.0 * 24 / 12;  // 730

struct PriceChoice {
  double usd_per_gpu_hour = 0;
  std::string provider;  // "" for the user's own price
  std::string pricing;
  std::string date_seen;
  std::string source;
  int providers_considered = 0;
  bool from_scenario = false;
};

// The price per GPU-hour a scenario uses: price_usd_per_hour if given; else among the catalog's
// prices for this GPU and pricing type (and provider, if named), each provider's newest, the
// median of those (a marketplace's lowest bid is not what most teams pay). Adds warnings for a
// provider or pricing type without a price, and for prices older than a year before as_of_date.
std::optional<PriceChoice> choose_price(const Setup& s, const Catalog& catalog, std::vector<std::string>& warnings);

// Days between two YYYY-MM-DD dates (b - a).
long days_between(const std::string& a, const std::string& b);

struct Cost {
  double usd_per_hour = 0;  // the replica
  double usd_per_million_tokens = 0;
  double tokens_per_s_per_usd_per_hour = 0;
  double usd_per_day = 0;
  double usd_per_month = 0;
  double replica_hours_per_day = 0;
  std::optional<double> break_even_hours;  // buying pays off after this many hours of use
};

// `tokens_per_s`: what the replica produces (output tokens; input tokens for encoders).
// `watts`: the replica's draw (for the owner's running cost in the break-even).
Cost cost_figures(const Setup& s, const PriceChoice& price, double tokens_per_s, double watts);

}  // namespace gpufit
