// Packing: several models, each with its traffic, onto the fewest MIG-sliced cards.
//
// For each card that has MIG data: each scenario gets the profile that serves its traffic with
// the fewest compute slices in all (instances x slices; a bigger slice may need fewer instances);
// the instances are then placed first-fit, biggest first, on as few cards as the placement rules
// allow (an instance starts at one of its profile's start positions and holds its memory slices,
// no two overlap, the compute slices add up to at most the card's, and no profile exceeds its
// max_instances). The plan's cost is whole cards rented by the hour, beside running each
// scenario on whole cards of the same kind and, optionally, on other whole GPUs.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "gpufit/api.hpp"
#include "gpufit/cost.hpp"
#include "gpufit/evaluate.hpp"
#include "gpufit/memory_fit.hpp"
#include "gpufit/mig.hpp"
#include "gpufit/scenario_read.hpp"
#include "json_read.hpp"
#include "json_write.hpp"
#include "scenario_json.hpp"
#include "text_format.hpp"

namespace gpufit {

using detail::FieldReader;
using detail::Json;
using detail::JsonWriter;
using detail::show;

namespace {

constexpr std::size_t kMaxPackScenarios = 64;
constexpr int kMaxInstances = 512;
constexpr double kServeBatch = 256;  // the largest batch a tokens-a-day scenario is served at  // per scenario: beyond
                                     // this the traffic wants a cluster, not a card

struct Item {
  std::string name;  // "#1 llama-3.1-8b"
  Scenario scenario;
  std::string path;  // "/scenarios/0"
  std::string need;  // "users" | "tokens_per_day" | "fit"
  std::optional<double> required_tokens_per_s;
};

// How many copies of `s` the item's traffic needs, or nullopt (with why) when none can serve it.
std::optional<int> instances_needed(const Setup& s, const Catalog& c, const Item& item, double& tps_per_instance,
                                    std::string& why) {
  const Result r = evaluate(s, c, false);
  const bool decoder = s.model.architecture == Architecture::kDecoder;
  tps_per_instance = decoder ? r.serving.output_tokens_per_s : r.serving.input_tokens_per_s;
  if (!r.fits) {
    why = "does not fit: needs " + detail::fixed(r.memory.total_gb, 1) + " GB, " +
          detail::fixed(r.memory.available_gb, 1) + " GB usable";
    return std::nullopt;
  }
  if (item.need == "users") {
    if (!r.fleet || !r.fleet->replicas) {
      why = "no batch gives a user " + detail::significant(s.min_tokens_per_s_per_user.value_or(0), 3) + " tokens/s";
      return std::nullopt;
    }
    const double n = *r.fleet->replicas;
    if (n > kMaxInstances) {
      why = "needs more than " + std::to_string(kMaxInstances) + " instances";
      return std::nullopt;
    }
    // Each instance then serves up to users_per_replica at once.
    tps_per_instance = r.fleet->users_per_replica * r.fleet->tokens_per_s_per_user;
    return std::max(1, static_cast<int>(n));
  }
  if (item.need == "tokens_per_day") {
    if (tps_per_instance <= 0) {
      why = "produces no tokens";
      return std::nullopt;
    }
    const double n = std::ceil(*item.required_tokens_per_s / tps_per_instance - 1e-9);
    if (n > kMaxInstances) {
      why = "needs more than " + std::to_string(kMaxInstances) + " instances";
      return std::nullopt;
    }
    return std::max(1, static_cast<int>(n));
  }
  return 1;
}

struct Choice {
  const MigProfile* profile = nullptr;
  int instances = 0;
  double tps_per_instance = 0;
};

struct Placed {
  std::size_t item = 0;
  const MigProfile* profile = nullptr;
  int start = 0;
};

struct Card {
  std::uint64_t memory_used = 0;  // bit per memory slice
  int compute_used = 0;
  std::vector<Placed> placed;
};

// Start positions for every instance of `profiles` on one card under the placement rules, or
// nothing when they cannot share it. A card holds at most a handful of instances, each with at
// most eight starts: a depth-first search over them is instant. (First-fit by position is not
// enough: three 1g.20gb at 0, 2, 4 leave slices 6 and 7, and a 1g.10gb may start at 6 but not 7,
// while the same five instances fit with the 1g.20gb at 2, 4, 6 and the 1g.10gb at 0 and 1.)
std::optional<std::vector<int>> arrange(const MigGpu& g, const std::vector<const MigProfile*>& profiles) {
  int compute = 0;
  for (const MigProfile* p : profiles) {
    compute += p->compute_slices;
    if (std::count(profiles.begin(), profiles.end(), p) > p->max_instances) return std::nullopt;
  }
  if (compute > g.compute_slices_total) return std::nullopt;
  std::vector<int> starts(profiles.size(), 0);
  const auto search = [&](auto&& self, std::size_t i, std::uint64_t used) -> bool {
    if (i == profiles.size()) return true;
    const MigProfile& p = *profiles[i];
    for (int start : p.start_slices) {
      const std::uint64_t mask = ((std::uint64_t{1} << p.memory_slices) - 1) << start;
      if (used & mask) continue;
      starts[i] = start;
      if (self(self, i + 1, used | mask)) return true;
    }
    return false;
  };
  if (!search(search, 0, 0)) return std::nullopt;
  return starts;
}

std::vector<Card> pack_instances(const MigGpu& g, const std::vector<Choice>& choices) {
  std::vector<std::pair<std::size_t, const MigProfile*>> todo;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    for (int k = 0; k < choices[i].instances; ++k) todo.emplace_back(i, choices[i].profile);
  }
  // Biggest first: memory slices, then compute slices; the input order breaks ties.
  std::stable_sort(todo.begin(), todo.end(), [](const auto& a, const auto& b) {
    if (a.second->memory_slices != b.second->memory_slices) return a.second->memory_slices > b.second->memory_slices;
    return a.second->compute_slices > b.second->compute_slices;
  });
  std::vector<Card> cards;
  const auto lay_out = [&](Card& c, const std::vector<int>& starts) {
    c.compute_used = 0;
    c.memory_used = 0;
    for (std::size_t k = 0; k < c.placed.size(); ++k) {
      c.placed[k].start = starts[k];
      c.compute_used += c.placed[k].profile->compute_slices;
      c.memory_used |= ((std::uint64_t{1} << c.placed[k].profile->memory_slices) - 1) << starts[k];
    }
  };
  for (const auto& [item, p] : todo) {
    bool done = false;
    for (Card& c : cards) {
      std::vector<const MigProfile*> profiles;
      for (const Placed& x : c.placed) profiles.push_back(x.profile);
      profiles.push_back(p);
      auto starts = arrange(g, profiles);
      if (!starts) continue;
      c.placed.push_back({item, p, 0});
      lay_out(c, *starts);
      done = true;
      break;
    }
    if (!done) {
      Card c;
      c.placed.push_back({item, p, 0});
      lay_out(c, {p->start_slices.front()});
      cards.push_back(std::move(c));
    }
  }
  for (Card& c : cards) {
    std::sort(c.placed.begin(), c.placed.end(), [](const Placed& a, const Placed& b) { return a.start < b.start; });
  }
  return cards;
}

// Traffic in tokens a day is served at the largest batch that fits (up to kServeBatch), as a
// server would; users are batched by the fleet sizing; a scenario that only has to fit keeps its batch.
Outcome<Setup> setup_on(const Item& item, const Catalog& c, const std::string& gpu_id, const std::string& profile,
                        int n) {
  Scenario s = item.scenario;
  s.gpu_id = gpu_id;
  s.gpu_inline.reset();
  s.gpu_count = n;
  if (profile.empty())
    s.mig_profile.reset();
  else
    s.mig_profile = profile;
  auto out = resolve(s, c, item.path);
  if (out && item.need == "tokens_per_day") {
    Setup& x = out.value();
    x.batch_size = std::max(1.0, max_batch_that_fits(x, training_engine(x, c), x.context_tokens, kServeBatch));
  }
  return out;
}

std::optional<double> card_price(const Item& item, const Catalog& c, const std::string& gpu_id) {
  auto s = setup_on(item, c, gpu_id, "", 1);
  if (!s) return std::nullopt;
  if (item.scenario.price_usd_per_hour && item.scenario.gpu_id == gpu_id && !item.scenario.mig_profile) {
    return *item.scenario.price_usd_per_hour;
  }
  Setup one = s.value();
  one.price_usd_per_hour.reset();  // a scenario's own price is for its own GPU
  std::vector<std::string> warnings;
  auto p = choose_price(one, c, warnings);
  if (!p) return std::nullopt;
  return p->usd_per_gpu_hour;
}

// The item on whole GPUs of one kind: the fewest of 1, 2, 4, 8 per replica that serve it.
struct Whole {
  int gpu_count = 0, instances = 0;
  std::optional<double> usd_per_hour;
  std::string why;
};

Whole whole_for(const Item& item, const Catalog& c, const std::string& gpu_id, std::optional<double> price) {
  Whole w;
  for (int n : {1, 2, 4, 8}) {
    auto s = setup_on(item, c, gpu_id, "", n);
    if (!s) {
      w.why = s.error().message;
      return w;
    }
    double tps = 0;
    auto k = instances_needed(s.value(), c, item, tps, w.why);
    if (!k) continue;
    w.gpu_count = n;
    w.instances = *k;
    w.why.clear();
    if (price) w.usd_per_hour = *price * n * *k;
    return w;
  }
  return w;
}

Outcome<std::vector<Item>> read_items(const Json& list, const std::string& at, const std::string& default_gpu) {
  std::vector<Item> items;
  if (list.size() == 0) return Error{"invalid_value", at, "must hold at least one scenario", "pack"};
  if (list.size() > kMaxPackScenarios) {
    return Error{"too_large", at, "holds more than " + std::to_string(kMaxPackScenarios) + " scenarios", "pack"};
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = pointer(at, i);
    const Json& o = list[i];
    if (!o.is_object()) return Error{"invalid_value", path, "must be a scenario object, got " + show(o), "pack"};
    // The GPU is the plan's: a scenario may leave it out.
    Json with_gpu = o;
    if (!o.contains("gpu")) {
      std::vector<detail::JsonMember> members = o.members();
      members.push_back({"gpu", Json::string(default_gpu)});
      with_gpu = Json::object(std::move(members));
    }
    auto s = detail::read_scenario(with_gpu, path);
    if (!s) return s.error();
    Item it;
    it.scenario = std::move(s).value();
    it.path = path;
    it.name = "#" + std::to_string(i + 1) + " " +
              (it.scenario.model_inline ? it.scenario.model_inline->name : it.scenario.model_id);
    if (it.scenario.users) {
      it.need = "users";
      if (it.scenario.min_tokens_per_s_per_user)
        it.required_tokens_per_s = *it.scenario.users * *it.scenario.min_tokens_per_s_per_user;
    } else if (it.scenario.tokens_per_day) {
      it.need = "tokens_per_day";
      it.required_tokens_per_s = *it.scenario.tokens_per_day / 86400;
    } else {
      it.need = "fit";
    }
    items.push_back(std::move(it));
  }
  return items;
}

}  // namespace

Outcome<std::string> pack_json(std::string_view request, const Catalog& catalog, std::string_view today) {
  auto parsed = detail::parse_json(request, "pack");
  if (!parsed) return parsed.error();
  const Json& root = parsed.value();
  const Json* list = nullptr;
  std::vector<std::string> gpus, whole_gpus;
  if (root.is_array()) {
    list = &root;
  } else if (root.is_object()) {
    FieldReader r(root, "", "pack");
    list = r.opt_array("scenarios");
    gpus = r.opt_string_array("gpus");
    whole_gpus = r.opt_string_array("whole_gpus");
    r.reject_unknown();
    if (!r.ok()) return r.error();
    if (!list) return Error{"missing_field", "/scenarios", "is required (an array of scenarios)", "pack"};
  } else {
    return Error{"invalid_value", "", "must be an array of scenarios or {\"scenarios\": [...], \"gpus\": [...]}",
                 "pack"};
  }
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    const Gpu* g = catalog.gpu(gpus[i]);
    if (!g) return Error{"unknown_id", pointer("/gpus", i), "unknown GPU " + show(gpus[i]), "pack"};
    if (!catalog.mig_gpu(gpus[i])) {
      return Error{"invalid_value", pointer("/gpus", i), (g->name.empty() ? g->id : g->name) + " has no MIG slices",
                   "pack"};
    }
  }
  for (std::size_t i = 0; i < whole_gpus.size(); ++i) {
    if (!catalog.gpu(whole_gpus[i]))
      return Error{"unknown_id", pointer("/whole_gpus", i), "unknown GPU " + show(whole_gpus[i]), "pack"};
  }
  if (gpus.empty()) {
    for (const MigGpu& g : catalog.mig) gpus.push_back(g.gpu);
  }
  auto items_or = read_items(*list, root.is_array() ? "" : "/scenarios", gpus.front());
  if (!items_or) return items_or.error();
  std::vector<Item> items = std::move(items_or).value();
  for (Item& it : items) {
    if (it.scenario.as_of_date.empty()) it.scenario.as_of_date = std::string(today);
    // Each scenario must stand on its own first (its model, formats, engine), errors at its path.
    auto own = resolve(it.scenario, catalog, it.path);
    if (!own) return own.error();
  }

  JsonWriter w;
  w.begin_object();
  w.key("scenarios").begin_array();
  for (const Item& it : items) {
    w.begin_object()
        .field("name", it.name)
        .field("model", it.scenario.model_inline ? std::string("custom") : it.scenario.model_id)
        .field("need", it.need)
        .field("required_tokens_per_s", it.required_tokens_per_s)
        .end_object();
  }
  w.end_array();

  std::optional<std::size_t> best;
  std::optional<double> best_cost;
  std::string statement;
  w.key("plans").begin_array();
  std::size_t plan_index = 0;
  for (const std::string& gpu_id : gpus) {
    const MigGpu& g = *catalog.mig_gpu(gpu_id);
    const Gpu& card = *catalog.gpu(gpu_id);
    const std::optional<double> price = card_price(items.front(), catalog, gpu_id);
    std::vector<Choice> choices(items.size());
    std::string reason;
    for (std::size_t i = 0; i < items.size() && reason.empty(); ++i) {
      std::string last_why;
      for (const MigProfile* p : plain_profiles(g)) {
        auto s = setup_on(items[i], catalog, gpu_id, p->name, 1);
        if (!s) return s.error();
        double tps = 0;
        auto n = instances_needed(s.value(), catalog, items[i], tps, last_why);
        if (!n) continue;
        Choice& c = choices[i];
        // The share of a card the instances take: the scarcer of its compute and memory slices
        // (a 1g.20gb holds 1 of 7 compute but 2 of 8 memory slices: a quarter of the card).
        const auto share = [&](const MigProfile* q, int k) {
          return k * std::max(double(q->compute_slices) / g.compute_slices_total,
                              double(q->memory_slices) / g.memory_slices_total);
        };
        if (!c.profile || share(p, *n) < share(c.profile, c.instances) - 1e-12) c = {p, *n, tps};
      }
      if (!choices[i].profile) reason = items[i].name + " on no slice of " + card.name + ": " + last_why;
    }
    w.begin_object()
        .field("gpu", gpu_id)
        .field("gpu_name", card.name)
        .field("usd_per_gpu_hour", price)
        .field("feasible", reason.empty());
    w.key("reason").string_or_null(reason);
    if (!reason.empty()) {
      w.end_object();
      ++plan_index;
      continue;
    }
    const std::vector<Card> cards = pack_instances(g, choices);
    std::optional<double> cost;
    if (price) cost = *price * static_cast<double>(cards.size());
    w.field("gpus", static_cast<int>(cards.size())).field("usd_per_hour", cost);
    w.key("assignments").begin_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Choice& c = choices[i];
      std::optional<double> usd_per_m;
      if (price && c.tps_per_instance > 0) {
        usd_per_m = *price * c.profile->compute_slices / g.compute_slices_total / (c.tps_per_instance * 3600) * 1e6;
      }
      w.begin_object()
          .field("scenario", items[i].name)
          .field("profile", c.profile->name)
          .field("instances", c.instances)
          .field("tokens_per_s_per_instance", c.tps_per_instance)
          .field("usd_per_million_tokens", usd_per_m)
          .end_object();
    }
    w.end_array();
    w.key("layout").begin_array();
    for (std::size_t k = 0; k < cards.size(); ++k) {
      const Card& cd = cards[k];
      int memory_used = 0;
      for (const Placed& p : cd.placed) memory_used += p.profile->memory_slices;
      w.begin_object().field("gpu_index", static_cast<int>(k));
      w.key("instances").begin_array();
      for (const Placed& p : cd.placed) {
        w.begin_object()
            .field("scenario", items[p.item].name)
            .field("profile", p.profile->name)
            .field("start_slice", p.start)
            .field("memory_slices", p.profile->memory_slices)
            .field("compute_slices", p.profile->compute_slices)
            .end_object();
      }
      w.end_array()
          .field("free_compute_slices", g.compute_slices_total - cd.compute_used)
          .field("free_memory_slices", g.memory_slices_total - memory_used)
          .end_object();
    }
    w.end_array();
    // The same scenarios on whole cards of this kind, each on its own.
    int whole_gpus_n = 0;
    bool whole_ok = true;
    w.key("whole").begin_array();
    for (const Item& it : items) {
      const Whole x = whole_for(it, catalog, gpu_id, price);
      whole_ok = whole_ok && x.gpu_count > 0;
      whole_gpus_n += x.gpu_count * x.instances;
      w.begin_object().field("scenario", it.name).field("gpu_count", x.gpu_count).field("instances", x.instances);
      w.key("reason").string_or_null(x.why);
      w.end_object();
    }
    w.end_array();
    std::optional<double> whole_cost;
    if (price && whole_ok) whole_cost = *price * whole_gpus_n;
    w.field("whole_gpus", whole_ok ? std::optional<double>(whole_gpus_n) : std::nullopt)
        .field("whole_usd_per_hour", whole_cost);
    std::optional<double> saving;
    if (cost && whole_cost) saving = *whole_cost - *cost;
    w.field("saving_usd_per_hour", saving);
    w.end_object();
    const double key = cost.value_or(1e300) + static_cast<double>(cards.size()) * 1e-9;
    if (!best || key < *best_cost) {
      best = plan_index;
      best_cost = key;
      statement = std::to_string(cards.size()) + " " + card.name + (cards.size() == 1 ? "" : "s") + " sliced" +
                  (cost ? " at $" + detail::fixed(*cost, 2) + "/h" : "") +
                  (whole_cost ? " against " + std::to_string(whole_gpus_n) + " whole at $" +
                                    detail::fixed(*whole_cost, 2) + "/h"
                              : "");
    }
    ++plan_index;
  }
  w.end_array();
  w.key("best");
  if (best)
    w.integer(static_cast<long long>(*best));
  else
    w.null();

  // Each scenario on the cheapest whole GPU of the list (whole_gpus).
  w.key("whole_gpus");
  if (whole_gpus.empty()) {
    w.null();
  } else {
    std::optional<double> total = 0.0;
    w.begin_object().key("per_scenario").begin_array();
    for (const Item& it : items) {
      std::optional<Whole> pick;
      std::string pick_gpu;
      for (const std::string& id : whole_gpus) {
        const Whole x = whole_for(it, catalog, id, card_price(it, catalog, id));
        if (x.gpu_count == 0 || !x.usd_per_hour) continue;
        if (!pick || *x.usd_per_hour < *pick->usd_per_hour) {
          pick = x;
          pick_gpu = id;
        }
      }
      w.begin_object().field("scenario", it.name);
      w.key("gpu").string_or_null(pick_gpu);
      w.field("gpu_count", pick ? pick->gpu_count : 0)
          .field("instances", pick ? pick->instances : 0)
          .field("usd_per_hour", pick ? pick->usd_per_hour : std::nullopt)
          .end_object();
      if (pick && total)
        *total += *pick->usd_per_hour;
      else
        total.reset();
    }
    w.end_array().field("usd_per_hour", total).end_object();
  }
  w.key("statement").string_or_null(statement);
  w.end_object();
  return w.take();
}

}  // namespace gpufit
