#include "json_read.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gpufit::detail {

namespace {

// Collects nlohmann's parse error without exceptions: the SAX parser hands the error object to
// parse_error() instead of throwing it.
struct ErrorSax : nlohmann::json_sax<json> {
  std::string message;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    message = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 3: ..." -> from "parse error"
    if (auto p = message.find("] "); p != std::string::npos) message = message.substr(p + 2);
    return false;
  }
};

// Nesting depth outside strings, without building anything: refuses a 100k-deep array before
// the parser (and later the recursive dump) ever sees it.
int max_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
    else if (c == ']' || c == '}') --depth;
  }
  return deepest;
}

std::string fmt_limit(double v) {
  json j = v;
  if (v == std::floor(v) && std::fabs(v) < 9e15) j = static_cast<long long>(v);
  return j.dump();
}

}  // namespace

Outcome<json> parse_json(std::string_view text, std::string_view what, std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    return Error{"too_large", std::string(what),
                 "input is " + std::to_string(text.size()) + " bytes, more than the " +
                     std::to_string(max_bytes) + " accepted"};
  }
  if (max_depth(text) > kMaxJsonDepth) {
    return Error{"too_large", std::string(what),
                 "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    ErrorSax sax;
    json::sax_parse(text, &sax);
    return Error{"invalid_json", std::string(what),
                 "is not valid JSON (" + (sax.message.empty() ? "syntax error" : sax.message) + ")"};
  }
  return j;
}

std::string show(const json& value) {
  // A whole number reads the same whether it arrived as 1e12 or 1000000000000 (JavaScript sends
  // the latter): print it without a fraction.
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) return json(static_cast<long long>(d)).dump();
  }
  std::string s = value.dump(-1, ' ', false, json::error_handler_t::replace);
  constexpr std::size_t kMax = 60;
  if (s.size() > kMax) {
    // Cut on a UTF-8 boundary so the message itself stays valid UTF-8.
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s = s.substr(0, cut) + "...";
  }
  return s;
}

FieldReader::FieldReader(const json& object, std::string path, std::string sep)
    : object_(object), path_(std::move(path)), sep_(std::move(sep)) {
  if (!object_.is_object()) {
    error_ = Error{"invalid_value", path_, "must be an object, got " + show(object_)};
  }
}

std::string FieldReader::path_of(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + sep_ + std::string(key);
}

bool FieldReader::has(std::string_view key) const {
  if (!object_.is_object()) return false;
  auto it = object_.find(key);
  return it != object_.end() && !it->is_null();
}

void FieldReader::fail(std::string code, std::string_view key, std::string message) {
  if (!error_) error_ = Error{std::move(code), path_of(key), std::move(message)};
}

const json* FieldReader::field(std::string_view key) {
  seen_.emplace(key);
  if (error_ || !object_.is_object()) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

void FieldReader::type_error(std::string_view key, const json& v, std::string_view want) {
  fail("invalid_value", key, "must be " + std::string(want) + ", got " + show(v));
}

namespace {
const char* rule_words(FieldReader::Num rule) {
  switch (rule) {
    case FieldReader::Num::kPositive: return "a positive number";
    case FieldReader::Num::kNonNegative: return "a number >= 0";
    case FieldReader::Num::kFraction: return "a number in (0, 1]";
    case FieldReader::Num::kUnit: return "a number in [0, 1]";
    case FieldReader::Num::kAny: break;
  }
  return "a number";
}
}  // namespace

std::optional<double> FieldReader::opt_number(std::string_view key, Num rule, double max) {
  const json* v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    type_error(key, *v, rule_words(rule));
    return std::nullopt;
  }
  double d = v->get<double>();
  bool good = std::isfinite(d);
  switch (rule) {
    case Num::kPositive: good = good && d > 0; break;
    case Num::kNonNegative: good = good && d >= 0; break;
    case Num::kFraction: good = good && d > 0 && d <= 1; break;
    case Num::kUnit: good = good && d >= 0 && d <= 1; break;
    case Num::kAny: break;
  }
  if (!good) {
    type_error(key, *v, rule_words(rule));
    return std::nullopt;
  }
  if (d > max) {
    fail("invalid_value", key, "must be at most " + fmt_limit(max) + ", got " + show(*v));
    return std::nullopt;
  }
  return d;
}

double FieldReader::number(std::string_view key, Num rule, double max) {
  bool present = has(key);
  auto v = opt_number(key, rule, max);
  if (!present) fail("missing_field", key, std::string("is required (") + rule_words(rule) + ")");
  return v.value_or(0);
}

std::optional<int> FieldReader::opt_integer(std::string_view key, int min, int max) {
  const json* v = field(key);
  if (!v) return std::nullopt;
  const char* want = min > 0 ? "a positive integer" : "an integer >= 0";
  if (!v->is_number()) {
    type_error(key, *v, want);
    return std::nullopt;
  }
  double d = v->get<double>();
  if (!std::isfinite(d) || d != std::floor(d) || d < min) {
    type_error(key, *v, want);
    return std::nullopt;
  }
  if (d > max) {
    fail("invalid_value", key, "must be at most " + std::to_string(max) + ", got " + show(*v));
    return std::nullopt;
  }
  return static_cast<int>(d);
}

int FieldReader::integer(std::string_view key, int min, int max) {
  bool present = has(key);
  auto v = opt_integer(key, min, max);
  if (!present) {
    fail("missing_field", key,
         std::string("is required (") + (min > 0 ? "a positive integer" : "an integer >= 0") + ")");
  }
  return v.value_or(0);
}

std::optional<double> FieldReader::opt_count(std::string_view key, double max) {
  const json* v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    type_error(key, *v, "a positive integer");
    return std::nullopt;
  }
  double d = v->get<double>();
  if (!std::isfinite(d) || d < 1 || d != std::floor(d)) {
    type_error(key, *v, "a positive integer");
    return std::nullopt;
  }
  if (d > max) {
    fail("invalid_value", key, "must be at most " + fmt_limit(max) + ", got " + show(*v));
    return std::nullopt;
  }
  return d;
}

double FieldReader::count(std::string_view key, double max) {
  bool present = has(key);
  auto v = opt_count(key, max);
  if (!present) fail("missing_field", key, "is required (a positive integer)");
  return v.value_or(0);
}

std::optional<std::string> FieldReader::opt_string(std::string_view key) {
  const json* v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    type_error(key, *v, "a string");
    return std::nullopt;
  }
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > kMaxStringBytes) {
    fail("too_large", key,
         "is " + std::to_string(s.size()) + " bytes long, more than the " +
             std::to_string(kMaxStringBytes) + " accepted");
    return std::nullopt;
  }
  return s;
}

std::string FieldReader::string(std::string_view key) {
  bool present = has(key);
  auto v = opt_string(key);
  if (!present) fail("missing_field", key, "is required (a string)");
  return v.value_or("");
}

std::optional<bool> FieldReader::opt_bool(std::string_view key) {
  const json* v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    type_error(key, *v, "true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::vector<std::string> FieldReader::opt_string_array(std::string_view key) {
  std::vector<std::string> out;
  const json* v = field(key);
  if (!v) return out;
  if (!v->is_array() || v->size() > kMaxArrayItems) {
    type_error(key, *v, "an array of strings");
    return out;
  }
  for (const auto& item : *v) {
    if (!item.is_string() || item.get_ref<const std::string&>().size() > kMaxStringBytes) {
      type_error(key, item, "an array of strings");
      return {};
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

const json* FieldReader::opt_object(std::string_view key) {
  const json* v = field(key);
  if (v && !v->is_object()) {
    type_error(key, *v, "an object");
    return nullptr;
  }
  return v;
}

const json* FieldReader::opt_array(std::string_view key) {
  const json* v = field(key);
  if (v && (!v->is_array() || v->size() > kMaxArrayItems)) {
    type_error(key, *v, "an array");
    return nullptr;
  }
  return v;
}

void FieldReader::skip(std::string_view key) { seen_.emplace(key); }

void FieldReader::reject_unknown() {
  if (error_ || !object_.is_object()) return;
  std::vector<std::string> known(seen_.begin(), seen_.end());
  for (const auto& [key, value] : object_.items()) {
    if (seen_.count(key)) continue;
    std::string hint = closest(key, known);
    std::string shown = show(json(key));
    fail("unknown_field", "",
         "unknown field " + shown + (path_.empty() ? "" : " in " + path_) +
             (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    // The field is the unknown key itself, so the page can put the message beside it.
    error_->field = path_of(key.size() > 80 ? key.substr(0, 80) : key);
    return;
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  if (a.size() > 64 || b.size() > 64) return std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest(std::string_view wanted, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_d = std::numeric_limits<std::size_t>::max();
  for (const auto& n : names) {
    std::size_t d = edit_distance(wanted, n);
    if (d < best_d) best_d = d, best = n;
  }
  // A typo, not a different word: at most a third of the letters changed.
  if (best_d <= std::max<std::size_t>(2, wanted.size() / 3)) return best;
  return "";
}

}  // namespace gpufit::detail
