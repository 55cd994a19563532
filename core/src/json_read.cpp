#include "json_read.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "json_write.hpp"

namespace gpufit::detail {

namespace {
constexpr std::size_t kMax = 60;  // bytes of a value a message shows
}  // namespace

std::string show(const Json& value) {
  // A whole number reads the same whether it arrived as 1e12 or 1000000000000 (JavaScript sends
  // the latter): print it without a fraction (the writer does).
  std::string s = value.dump_prefix(kMax + 1);
  if (s.size() > kMax) {
    // Cut on a UTF-8 boundary so the message itself stays valid UTF-8.
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s = s.substr(0, cut) + "...";
  }
  return s;
}

std::string show(std::string_view text) {
  return show(Json::string(std::string(text.substr(0, kMax + 8))));  // all that can show
}

std::string show(double number) {
  return show(Json::number(number, false));
}

namespace {
std::string fmt_limit(double v) {
  return show(v);
}
}  // namespace

FieldReader::FieldReader(const Json& object, std::string path, std::string input)
    : object_(object), path_(std::move(path)), input_(std::move(input)) {
  if (!object_.is_object()) {
    error_ = Error{"invalid_value", path_, "must be an object, got " + show(object_), input_};
  } else {
    read_.assign(object_.members().size(), 0);
  }
}

bool FieldReader::has(std::string_view key) const {
  const Json* v = object_.find(key);
  return v && !v->is_null();
}

void FieldReader::fail(std::string code, std::string_view key, std::string message) {
  if (!error_) error_ = Error{std::move(code), path_of(key), std::move(message), input_};
}

void FieldReader::fail_here(std::string code, std::string message) {
  if (!error_) error_ = Error{std::move(code), path_, std::move(message), input_};
}

const Json* FieldReader::field(std::string_view key) {
  const Json* v = see(key);
  if (error_ || !v || v->is_null()) return nullptr;
  return v;
}

const Json* FieldReader::raw(std::string_view key) {
  return field(key);
}

void FieldReader::type_error(std::string_view key, const Json& v, std::string_view want) {
  fail("invalid_value", key, "must be " + std::string(want) + ", got " + show(v));
}

namespace {
const char* rule_words(FieldReader::Num rule) {
  switch (rule) {
    case FieldReader::Num::kPositive:
      return "a positive number";
    case FieldReader::Num::kNonNegative:
      return "a number >= 0";
    case FieldReader::Num::kFraction:
      return "a number in (0, 1]";
    case FieldReader::Num::kUnit:
      return "a number in [0, 1]";
    case FieldReader::Num::kAny:
      break;
  }
  return "a number";
}
}  // namespace

std::optional<double> FieldReader::opt_number(std::string_view key, Num rule, double max) {
  const Json* v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    type_error(key, *v, rule_words(rule));
    return std::nullopt;
  }
  double d = v->as_number();
  bool good = std::isfinite(d);
  switch (rule) {
    case Num::kPositive:
      good = good && d > 0;
      break;
    case Num::kNonNegative:
      good = good && d >= 0;
      break;
    case Num::kFraction:
      good = good && d > 0 && d <= 1;
      break;
    case Num::kUnit:
      good = good && d >= 0 && d <= 1;
      break;
    case Num::kAny:
      break;
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
  const Json* v = field(key);
  if (!v) return std::nullopt;
  const char* want = min > 0 ? "a positive integer" : "an integer >= 0";
  if (!v->is_number()) {
    type_error(key, *v, want);
    return std::nullopt;
  }
  double d = v->as_number();
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
  const Json* v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    type_error(key, *v, "a positive integer");
    return std::nullopt;
  }
  double d = v->as_number();
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
  const Json* v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    type_error(key, *v, "a string");
    return std::nullopt;
  }
  const std::string& s = v->as_string();
  if (s.size() > kMaxStringBytes) {
    fail("too_large", key,
         "is " + std::to_string(s.size()) + " bytes long, more than the " + std::to_string(kMaxStringBytes) +
             " accepted");
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
  const Json* v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    type_error(key, *v, "true or false");
    return std::nullopt;
  }
  return v->as_bool();
}

std::vector<std::string> FieldReader::opt_string_array(std::string_view key) {
  std::vector<std::string> out;
  const Json* v = field(key);
  if (!v) return out;
  if (!v->is_array() || v->size() > kMaxArrayItems) {
    type_error(key, *v, "an array of strings");
    return out;
  }
  for (const Json& item : v->items()) {
    if (!item.is_string() || item.as_string().size() > kMaxStringBytes) {
      type_error(key, item, "an array of strings");
      return {};
    }
    out.push_back(item.as_string());
  }
  return out;
}

const Json* FieldReader::opt_object(std::string_view key) {
  const Json* v = field(key);
  if (v && !v->is_object()) {
    type_error(key, *v, "an object");
    return nullptr;
  }
  return v;
}

const Json* FieldReader::opt_array(std::string_view key) {
  const Json* v = field(key);
  if (v && (!v->is_array() || v->size() > kMaxArrayItems)) {
    type_error(key, *v, "an array");
    return nullptr;
  }
  return v;
}

const Json* FieldReader::see(std::string_view key) {
  seen_.push_back(key);  // repeats are harmless: only suggestions read the list
  if (!object_.is_object()) return nullptr;
  const auto& members = object_.members();
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string& k = members[i].key;
    // Sizes first: most keys differ in length, and this runs for every field of every entry.
    if (k.size() == key.size() && std::memcmp(k.data(), key.data(), key.size()) == 0) {
      read_[i] = 1;
      return &members[i].value;
    }
  }
  return nullptr;
}

void FieldReader::skip(std::string_view key) {
  see(key);
}

void FieldReader::reject_unknown() {
  if (error_ || !object_.is_object()) return;
  const auto& members = object_.members();
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (read_[i]) continue;
    const JsonMember& m = members[i];
    std::string hint = closest(m.key, std::vector<std::string>(seen_.begin(), seen_.end()));
    // The path is the unknown key itself, so the page can put the message beside it.
    fail("unknown_field", m.key.size() > 80 ? std::string_view(m.key).substr(0, 80) : std::string_view(m.key),
         "unknown field " + show(m.key) + (path_.empty() ? "" : " in " + path_) +
             (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    return;
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  constexpr std::size_t kFar = std::numeric_limits<std::size_t>::max();
  if (a.size() > 64 || b.size() > 64) return kFar;
  const std::size_t too_far = limit == kFar ? kFar : limit + 1;
  // Lengths further apart than the limit cannot be within it: no table needed.
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return too_far;
  // Only the cells within `limit` of the diagonal can end within the limit (each step off it
  // costs one), so each row fills that band; the cells beside it hold too_far, which sums past
  // the limit and never wins a minimum. Suggestions run on every refused id, against every name.
  std::size_t prev[66], cur[66];  // rows of the table: at most 64 letters (no allocation)
  const std::size_t n = b.size();
  for (std::size_t j = 0; j <= n; ++j) prev[j] = j <= limit ? j : too_far;
  prev[n + 1] = too_far;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    const std::size_t lo = i > limit ? i - limit : 1;
    const std::size_t hi = limit < n && i + limit < n ? i + limit : n;
    cur[lo - 1] = lo == 1 ? i : too_far;
    std::size_t row_min = cur[lo - 1];
    for (std::size_t j = lo; j <= hi; ++j) {
      std::size_t d = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      if (prev[j] + 1 < d) d = prev[j] + 1;
      if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
      if (d > too_far) d = too_far;
      cur[j] = d;
      if (d < row_min) row_min = d;
    }
    cur[hi + 1] = too_far;
    // Distances never fall from one row to the next: past the limit here, past it at the end.
    if (row_min > limit) return too_far;
    std::copy(cur + lo - 1, cur + hi + 2, prev + lo - 1);
  }
  return prev[n] > limit ? too_far : prev[n];
}

std::string closest(std::string_view wanted, const std::vector<std::string>& names) {
  // A typo, not a different word: at most a third of the letters changed.
  const std::size_t limit = typo_limit(wanted);
  std::string best;
  std::size_t best_d = std::numeric_limits<std::size_t>::max();
  for (const auto& n : names) {
    std::size_t d = edit_distance(wanted, n, limit);
    if (d < best_d) best_d = d, best = n;
  }
  if (best_d <= limit) return best;
  return "";
}

}  // namespace gpufit::detail

namespace gpufit {

std::string pointer(std::string_view parent, std::string_view key) {
  std::string p(parent);
  p += '/';
  for (char c : key) {
    if (c == '~')
      p += "~0";
    else if (c == '/')
      p += "~1";
    else
      p += c;
  }
  return p;
}

std::string pointer(std::string_view parent, std::size_t index) {
  return std::string(parent) + "/" + std::to_string(index);
}

}  // namespace gpufit
