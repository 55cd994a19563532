#include "gpufit/cost.hpp"

#include "text_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace gpufit {

namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

// A YYYY-MM-DD date (the readers check the form); anything else counts as day 0. Read digit by
// digit: every evaluate dates its price, and substr + atoi were 4% of one.
long parse_days(const std::string& date) {
  if (date.size() != 10) return 0;
  auto number = [&](std::size_t at, std::size_t digits) {
    unsigned v = 0;
    for (std::size_t i = at; i < at + digits; ++i) {
      const unsigned d = static_cast<unsigned>(date[i] - '0');
      if (d > 9) return 0u;
      v = v * 10 + d;
    }
    return v;
  };
  return days_from_civil(static_cast<int>(number(0, 4)), number(5, 2), number(8, 2));
}

std::string money(double v) {
  return "$" + detail::fixed(v, 2);
}

}  // namespace

long days_between(const std::string& a, const std::string& b) {
  return parse_days(b) - parse_days(a);
}

std::optional<PriceChoice> choose_price(const Setup& s, const Catalog& catalog, std::vector<std::string>& warnings) {
  if (s.price_usd_per_hour) {
    PriceChoice p;
    p.usd_per_gpu_hour = *s.price_usd_per_hour;
    p.pricing = s.pricing;
    p.from_scenario = true;
    return p;
  }
  if (s.gpu_ref == "custom") return std::nullopt;
  std::vector<const Price*> found;
  found.reserve(8);  // a GPU's providers: one allocation rather than one per doubling
  auto candidates = [&](const std::string& pricing, const std::optional<std::string>& provider) {
    // `found` becomes each provider's newest price of this pricing type (a GPU has a handful of
    // providers: a linear search, no map; a ranking asks this for every GPU).
    found.clear();
    for (const Price& p : catalog.prices) {
      if (p.gpu != s.gpu_ref || p.pricing != pricing) continue;
      if (provider && p.provider != *provider) continue;
      auto slot = std::find_if(found.begin(), found.end(), [&](const Price* q) { return q->provider == p.provider; });
      if (slot == found.end()) {
        found.push_back(&p);
      } else if (p.date_seen > (*slot)->date_seen ||
                 (p.date_seen == (*slot)->date_seen && p.usd_per_hour < (*slot)->usd_per_hour)) {
        *slot = &p;
      }
    }
  };
  std::string pricing = s.pricing;
  candidates(pricing, s.provider);
  if (found.empty() && s.provider) {
    warnings.push_back("no " + pricing + " price from " + *s.provider + " for " + s.gpu.name +
                       " in the catalog: using other providers' prices");
    candidates(pricing, std::nullopt);
  }
  if (found.empty() && pricing != "on_demand") {
    warnings.push_back("no " + pricing + " price for " + s.gpu.name + " in the catalog: using on-demand prices");
    pricing = "on_demand";
    candidates(pricing, s.provider);
    if (found.empty()) candidates(pricing, std::nullopt);
  }
  if (found.empty()) return std::nullopt;
  std::sort(found.begin(), found.end(), [](const Price* a, const Price* b) {
    return a->usd_per_hour != b->usd_per_hour ? a->usd_per_hour < b->usd_per_hour : a->provider < b->provider;
  });
  const Price* chosen = found[(found.size() - 1) / 2];  // the lower median
  PriceChoice p;
  // A MIG slice costs its share of the card's hour (the user's own price is taken as the slice's).
  p.usd_per_gpu_hour = chosen->usd_per_hour * (s.mig ? s.mig->price_share : 1.0);
  p.provider = chosen->provider;
  p.pricing = chosen->pricing;
  p.date_seen = chosen->date_seen;
  p.source = chosen->source;
  p.providers_considered = static_cast<int>(found.size());
  if (!s.as_of_date.empty() && days_between(chosen->date_seen, s.as_of_date) > 365) {
    warnings.push_back("the price used (" + money(p.usd_per_gpu_hour) + "/h from " + p.provider + ", seen " +
                       p.date_seen + ") is more than a year old: check the provider's current price");
  }
  return p;
}

Cost cost_figures(const Setup& s, const PriceChoice& price, double tokens_per_s, double watts) {
  Cost c;
  c.usd_per_hour = price.usd_per_gpu_hour * s.gpu_count;
  const double tokens_per_hour = tokens_per_s * 3600;
  if (tokens_per_hour > 0) {
    c.usd_per_million_tokens = c.usd_per_hour / tokens_per_hour * 1e6;
    c.tokens_per_s_per_usd_per_hour = tokens_per_s / c.usd_per_hour;
  }
  if (s.tokens_per_day) {
    // Rented by the hour only while serving the day's traffic at full rate (per-minute billing).
    c.replica_hours_per_day = tokens_per_hour > 0 ? *s.tokens_per_day / tokens_per_hour : 0;
  } else {
    c.replica_hours_per_day = 24;  // always on
  }
  c.usd_per_day = c.replica_hours_per_day * c.usd_per_hour;
  c.usd_per_month = c.usd_per_day * 365.0 / 12;
  if (s.gpu.purchase_price_usd) {
    // Owning costs the purchase plus electricity; renting costs the hourly price.
    const double own_per_hour = watts * s.pue / 1000 * s.electricity_usd_per_kwh;
    const double saving = c.usd_per_hour - own_per_hour;
    if (saving > 0) c.break_even_hours = *s.gpu.purchase_price_usd * s.gpu_count / saving;
  }
  return c;
}

}  // namespace gpufit
