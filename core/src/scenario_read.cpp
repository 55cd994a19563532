#include "gpufit/scenario_read.hpp"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdlib>
#include <set>

#include "entry_read.hpp"
#include "json_read.hpp"
#include "scenario_json.hpp"

namespace gpufit {

using detail::FieldReader;
using detail::json;
using detail::show;

std::string_view mode_name(Mode m) {
  switch (m) {
    case Mode::kInference: return "inference";
    case Mode::kLora: return "lora";
    case Mode::kQlora: return "qlora";
    case Mode::kFullFinetune: return "full_finetune";
  }
  return "inference";
}

Scenario default_scenario() { return Scenario{}; }

const std::vector<std::string>& scenario_field_names() {
  static const std::vector<std::string> kNames = {
      "model", "weights", "kv_cache", "gpu", "gpu_count", "engine", "mode", "context_tokens",
      "prompt_tokens", "output_tokens", "batch_size", "users", "min_tokens_per_s_per_user",
      "tokens_per_day", "price_usd_per_hour", "provider", "pricing", "electricity_usd_per_kwh", "pue",
      "utilization", "power_budget_w", "host_w_per_server", "gpus_per_server", "lora_rank",
      "gradient_checkpointing", "train_tokens", "mfu", "as_of_date"};
  return kNames;
}

namespace {

using Num = FieldReader::Num;

constexpr double kMaxTokens = 1u << 30;  // ~1.07 billion tokens: beyond any sense for one sequence
constexpr double kMaxBatch = 1e6;
constexpr double kMaxUsers = 1e9;

template <class T>
std::vector<std::string> ids_of(const std::vector<T>& items) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto& x : items) out.push_back(x.id);
  return out;
}

std::string list_of(const std::vector<std::string>& ids) {
  std::string s;
  for (const auto& id : ids) s += (s.empty() ? "" : ", ") + id;
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "unknown GPU \"h100\" (did you mean \"h100-pcie\", \"h100-sxm\" or \"h100-nvl\"?)": ids that start
// with what was typed first, else the closest spelling, else the list (when short).
std::string unknown(std::string_view what, const std::string& id, const std::vector<std::string>& ids,
                    bool list_all) {
  std::string msg = "unknown " + std::string(what) + " " + show(json(id));
  std::vector<std::string> starts;
  const std::string low = lower(id);
  for (const auto& known : ids) {
    if (!low.empty() && lower(known).rfind(low, 0) == 0) starts.push_back(known);
  }
  if (!starts.empty() && starts.size() <= 4) {
    std::string s;
    for (std::size_t i = 0; i < starts.size(); ++i) {
      s += (i == 0 ? "" : i + 1 == starts.size() ? " or " : ", ") + show(json(starts[i]));
    }
    return msg + " (did you mean " + s + "?)";
  }
  // Else the closest spellings (all of them on a tie), if close enough to be a typo.
  std::size_t best = std::string::npos;
  std::vector<std::string> hints;
  for (const auto& known : ids) {
    const std::size_t d = detail::edit_distance(low, lower(known));
    if (d < best) best = d, hints.clear();
    if (d == best) hints.push_back(known);
  }
  if (best <= std::max<std::size_t>(2, low.size() / 3) && hints.size() <= 3) {
    std::string s;
    for (std::size_t i = 0; i < hints.size(); ++i) {
      s += (i == 0 ? "" : i + 1 == hints.size() ? " or " : ", ") + show(json(hints[i]));
    }
    return msg + " (did you mean " + s + "?)";
  }
  if (list_all) return msg + " (known: " + list_of(ids) + ")";
  return msg + " (see gpucalc catalog)";
}

bool valid_date(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  int month = std::atoi(d.substr(5, 2).c_str()), day = std::atoi(d.substr(8, 2).c_str());
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool is_low_bit(const WeightFormat& f) { return f.bits_per_weight < 8; }

}  // namespace

namespace detail {

Outcome<Scenario> read_scenario(const json& object, const Catalog& catalog, const std::string& path) {
  FieldReader r(object, path, path.empty() ? "" : ".");
  if (!r.ok()) return r.error();
  Scenario s = default_scenario();

  // --- model -------------------------------------------------------------------------
  if (!r.has("model")) {
    r.fail("missing_field", "model", "is required (a catalog id such as \"llama-3.1-8b\", or an object)");
  } else if (object["model"].is_string()) {
    std::string id = r.string("model");
    if (const Model* m = catalog.model(id)) {
      s.model = *m;
      s.model_ref = id;
    } else if (r.ok()) {
      r.fail("unknown_id", "model", unknown("model", id, ids_of(catalog.models), false));
    }
  } else if (object["model"].is_object()) {
    r.skip("model");
    auto m = read_model(object["model"], r.path_of("model"), ".", EntryKind::kInline);
    if (!m) return m.error();
    s.model = std::move(m).value();
    s.model_ref = "custom";
  } else {
    r.skip("model");
    r.fail("invalid_value", "model", "must be a catalog id or an object, got " + show(object["model"]));
  }

  // --- gpu -----------------------------------------------------------------------------
  if (!r.has("gpu")) {
    if (r.ok()) r.fail("missing_field", "gpu", "is required (a catalog id such as \"h100-sxm\", or an object)");
  } else if (object["gpu"].is_string()) {
    std::string id = r.string("gpu");
    if (const Gpu* g = catalog.gpu(id)) {
      s.gpu = *g;
      s.gpu_ref = id;
    } else if (r.ok()) {
      r.fail("unknown_id", "gpu", unknown("GPU", id, ids_of(catalog.gpus), false));
    }
  } else if (object["gpu"].is_object()) {
    r.skip("gpu");
    if (r.ok()) {
      FieldReader g(object["gpu"], r.path_of("gpu"), ".");
      s.gpu = read_gpu(g, EntryKind::kInline);
      if (!g.ok()) return g.error();
      s.gpu_ref = "custom";
    }
  } else {
    r.skip("gpu");
    r.fail("invalid_value", "gpu", "must be a catalog id or an object, got " + show(object["gpu"]));
  }
  if (!r.ok()) return r.error();

  // --- mode, formats, engine -----------------------------------------------------------
  std::string mode = r.opt_string("mode").value_or("inference");
  if (mode == "inference") s.mode = Mode::kInference;
  else if (mode == "lora") s.mode = Mode::kLora;
  else if (mode == "qlora") s.mode = Mode::kQlora;
  else if (mode == "full_finetune") s.mode = Mode::kFullFinetune;
  else if (r.ok()) r.fail("invalid_value", "mode", "must be inference, lora, qlora or full_finetune, got " + show(json(mode)));

  const bool weights_given = r.has("weights");
  std::string weights = r.opt_string("weights").value_or(
      s.mode == Mode::kQlora ? std::string("nf4") : std::string(kDefaultWeights));
  if (const WeightFormat* f = catalog.weight_format(weights)) {
    s.weights = *f;
  } else if (r.ok()) {
    r.fail("unknown_id", "weights", unknown("weight format", weights, ids_of(catalog.weight_formats), true));
  }
  std::string kv = r.opt_string("kv_cache").value_or(std::string(kDefaultKvCache));
  if (const KvFormat* f = catalog.kv_format(kv)) {
    s.kv_cache = *f;
  } else if (r.ok()) {
    r.fail("unknown_id", "kv_cache", unknown("KV-cache format", kv, ids_of(catalog.kv_formats), true));
  }
  std::string engine = r.opt_string("engine").value_or(std::string(kDefaultEngine));
  if (const Engine* e = catalog.engine(engine); e && engine != kTrainingEngine) {
    s.engine = *e;
  } else if (r.ok()) {
    std::vector<std::string> engine_ids;
    for (const auto& known : catalog.engines) {
      if (known.id != kTrainingEngine) engine_ids.push_back(known.id);
    }
    r.fail("unknown_id", "engine", unknown("engine", engine, engine_ids, true));
  }
  if (r.ok() && s.mode == Mode::kFullFinetune && s.weights.kind != "float") {
    r.fail("invalid_value", "weights",
           "full_finetune trains the weights themselves, so they must be bf16, fp16 or fp32, got " +
               show(json(weights)));
  }
  (void)weights_given;

  // --- workload ----------------------------------------------------------------------------
  s.gpu_count = r.opt_integer("gpu_count", 1, 64).value_or(1);
  s.context_tokens = r.opt_count("context_tokens", kMaxTokens).value_or(s.context_tokens);
  if (r.has("prompt_tokens")) {
    auto v = r.opt_integer("prompt_tokens", 0, static_cast<int>(kMaxTokens));
    if (v) s.prompt_tokens = *v;
  } else {
    r.skip("prompt_tokens");
  }
  s.output_tokens = r.opt_count("output_tokens", kMaxTokens).value_or(s.output_tokens);
  s.batch_size = r.opt_count("batch_size", kMaxBatch).value_or(s.batch_size);

  // --- traffic -----------------------------------------------------------------------------
  if (r.has("users")) {
    auto v = r.opt_number("users", Num::kNonNegative, kMaxUsers);
    if (v && *v != std::floor(*v)) r.fail("invalid_value", "users", "must be a whole number of users, got " + show(json(*v)));
    s.users = v;
  } else {
    r.skip("users");
  }
  s.min_tokens_per_s_per_user = r.opt_number("min_tokens_per_s_per_user", Num::kPositive, 1e6);
  s.tokens_per_day = r.opt_number("tokens_per_day", Num::kNonNegative, 1e16);

  // --- money and power ---------------------------------------------------------------------
  s.price_usd_per_hour = r.opt_number("price_usd_per_hour", Num::kPositive, 1e4);
  s.provider = r.opt_string("provider");
  if (r.ok() && s.provider) {
    std::vector<std::string> providers;
    for (const auto& p : catalog.prices) {
      if (std::find(providers.begin(), providers.end(), p.provider) == providers.end()) providers.push_back(p.provider);
    }
    auto same = std::find_if(providers.begin(), providers.end(),
                             [&](const std::string& p) { return lower(p) == lower(*s.provider); });
    if (same == providers.end()) {
      r.fail("unknown_id", "provider", unknown("provider", *s.provider, providers, true));
    } else {
      s.provider = *same;  // the catalog's spelling
    }
  }
  s.pricing = r.opt_string("pricing").value_or("on_demand");
  if (r.ok() && s.pricing != "on_demand" && s.pricing != "spot" && s.pricing != "reserved") {
    r.fail("invalid_value", "pricing", "must be on_demand, spot or reserved, got " + show(json(s.pricing)));
  }
  s.electricity_usd_per_kwh = r.opt_number("electricity_usd_per_kwh", Num::kNonNegative, 100).value_or(0.10);
  s.pue = r.opt_number("pue", Num::kPositive, 5).value_or(1.0);
  if (r.ok() && s.pue < 1) r.fail("invalid_value", "pue", "must be at least 1 (facility power over IT power), got " + show(json(s.pue)));
  s.utilization = r.opt_number("utilization", Num::kUnit).value_or(1.0);
  s.power_budget_w = r.opt_number("power_budget_w", Num::kPositive, 1e10);
  s.host_w_per_server = r.opt_number("host_w_per_server", Num::kNonNegative, 1e6).value_or(s.host_w_per_server);
  s.gpus_per_server = r.opt_integer("gpus_per_server", 1, 64).value_or(s.gpus_per_server);

  // --- fine-tuning -------------------------------------------------------------------------
  s.lora_rank = r.opt_integer("lora_rank", 1, 65536).value_or(s.lora_rank);
  s.gradient_checkpointing = r.opt_bool("gradient_checkpointing").value_or(s.gradient_checkpointing);
  s.train_tokens = r.opt_number("train_tokens", Num::kPositive, 1e16);
  s.mfu = r.opt_number("mfu", Num::kFraction);
  s.as_of_date = r.opt_string("as_of_date").value_or("");
  if (r.ok() && !s.as_of_date.empty() && !valid_date(s.as_of_date)) {
    r.fail("invalid_value", "as_of_date", "must be a date YYYY-MM-DD, got " + show(json(s.as_of_date)));
  }
  r.reject_unknown();
  if (!r.ok()) return r.error();

  if (s.mode != Mode::kInference && s.model.architecture == Architecture::kEncoder) {
    return Error{"invalid_value", r.path_of("mode"),
                 "fine-tuning is modelled for decoder models; " + s.model.id + " is an encoder"};
  }
  if (s.mode == Mode::kQlora && !is_low_bit(s.weights)) {
    return Error{"invalid_value", r.path_of("weights"),
                 "qlora keeps the frozen base in 4 bits (nf4, int4 or a GGUF 4-bit type), got " + show(json(weights))};
  }
  set_weights_bytes(s);
  return s;
}

}  // namespace detail

Outcome<Scenario> read_scenario_json(std::string_view json_text, const Catalog& catalog) {
  auto parsed = detail::parse_json(json_text, "scenario");
  if (!parsed) return parsed.error();
  return detail::read_scenario(parsed.value(), catalog, "");
}

// --- permalinks ---------------------------------------------------------------------------

namespace {

enum class FieldType { kId, kNumber, kBool, kString };

FieldType field_type(std::string_view name) {
  static const std::set<std::string, std::less<>> kIds = {"model", "gpu"};
  static const std::set<std::string, std::less<>> kStrings = {"weights", "kv_cache", "engine", "mode",
                                                              "provider", "pricing", "as_of_date"};
  if (kIds.count(name)) return FieldType::kId;
  if (kStrings.count(name)) return FieldType::kString;
  if (name == "gradient_checkpointing") return FieldType::kBool;
  return FieldType::kNumber;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding, as URLSearchParams does: '+' is a space, %XX a
// byte, a malformed escape stays as typed.
std::string form_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() + 0 && i + 2 <= s.size() - 1 + 0 && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// URLSearchParams serialization: keep A-Z a-z 0-9 * - . _, space as '+', the rest %XX.
std::string form_encode(std::string_view s) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '*' || c == '-' ||
        c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// A permalink number: the whole text must be a finite decimal number ("NaN", "1e999", "12abc"
// and "" are refused).
std::optional<double> parse_number(const std::string& text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return std::nullopt;
  }
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

Outcome<std::string> scenario_json_from_query(std::string_view query) {
  constexpr std::size_t kMaxQuery = 256 * 1024;
  if (query.size() > kMaxQuery) {
    return Error{"too_large", "permalink", "is " + std::to_string(query.size()) + " bytes, more than the " +
                                               std::to_string(kMaxQuery) + " accepted"};
  }
  if (!query.empty() && (query[0] == '#' || query[0] == '?')) query.remove_prefix(1);
  json out = json::object();
  const auto& names = scenario_field_names();
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) {
      if (end == query.size()) break;
      continue;
    }
    std::size_t eq = pair.find('=');
    std::string name = form_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : form_decode(pair.substr(eq + 1));
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      std::string hint = detail::closest(name, names);
      std::string shown = show(json(name));
      return Error{"unknown_field", name.size() > 80 ? name.substr(0, 80) : name,
                   "unknown field " + shown + " in the permalink" +
                       (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)")};
    }
    if (out.contains(name)) return Error{"invalid_value", name, "appears twice in the permalink"};
    switch (field_type(name)) {
      case FieldType::kId:
        if (!value.empty() && value[0] == '{') {
          auto obj = detail::parse_json(value, name);
          if (!obj) return obj.error();
          out[name] = std::move(obj).value();
        } else {
          out[name] = value;
        }
        break;
      case FieldType::kString:
        out[name] = value;
        break;
      case FieldType::kBool:
        if (value == "true" || value == "1") out[name] = true;
        else if (value == "false" || value == "0") out[name] = false;
        else return Error{"invalid_value", name, "must be true or false, got " + show(json(value))};
        break;
      case FieldType::kNumber: {
        auto v = parse_number(value);
        if (!v) return Error{"invalid_value", name, "must be a number, got " + show(json(value))};
        // Whole numbers stay integers, so the JSON reads as a person would write it.
        if (*v == std::floor(*v) && std::fabs(*v) < 9e15) out[name] = static_cast<long long>(*v);
        else out[name] = *v;
        break;
      }
    }
    if (end == query.size()) break;
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

Outcome<std::string> query_from_scenario_json(std::string_view json_text) {
  auto parsed = detail::parse_json(json_text, "scenario");
  if (!parsed) return parsed.error();
  const json& j = parsed.value();
  if (!j.is_object()) return Error{"invalid_value", "scenario", "must be an object, got " + show(j)};
  std::string out;
  const auto& names = scenario_field_names();
  for (const auto& [key, value] : j.items()) {
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      return Error{"unknown_field", key, "unknown field " + show(json(key))};
    }
  }
  for (const auto& name : names) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) continue;
    std::string text;
    if (it->is_string()) text = it->get<std::string>();
    else text = it->dump(-1, ' ', false, json::error_handler_t::replace);
    out += (out.empty() ? "" : "&") + name + "=" + form_encode(text);
  }
  return out;
}

}  // namespace gpufit
