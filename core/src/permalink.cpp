#include "gpufit/permalink.hpp"
#include "gpufit/scenario_read.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "json_read.hpp"
#include "json_write.hpp"
#include "scenario_schema.hpp"

namespace gpufit {

using detail::Json;
using detail::show;

namespace {

constexpr std::size_t kMaxQuery = 256 * 1024;

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
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
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

const FieldSpec* spec_of(std::string_view name) {
  for (const auto& b : detail::scenario_table()) {
    if (b.spec.name == name) return &b.spec;
  }
  return nullptr;
}

}  // namespace

Outcome<std::string> scenario_json_from_query(std::string_view query) {
  if (query.size() > kMaxQuery) {
    return Error{
        "too_large", "",
        "is " + std::to_string(query.size()) + " bytes, more than the " + std::to_string(kMaxQuery) + " accepted",
        "permalink"};
  }
  if (!query.empty() && (query[0] == '#' || query[0] == '?')) query.remove_prefix(1);
  std::vector<std::string> seen;
  detail::JsonWriter w;
  w.begin_object();
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
    const std::size_t eq = pair.find('=');
    const std::string name = form_decode(pair.substr(0, eq));
    const std::string value = eq == std::string_view::npos ? "" : form_decode(pair.substr(eq + 1));
    const std::string at = pointer("", name.size() > 80 ? name.substr(0, 80) : name);
    const FieldSpec* f = spec_of(name);
    if (!f) {
      std::string hint = detail::closest(name, scenario_field_names());
      return Error{"unknown_field", at,
                   "unknown field " + show(name) + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"),
                   "permalink"};
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      return Error{"invalid_value", at, "appears twice", "permalink"};
    }
    seen.push_back(name);
    w.key(name);
    switch (f->type) {
      case FieldType::kIdOrObject:
      case FieldType::kObject:
        if (!value.empty() && value[0] == '{') {
          auto obj = detail::parse_json(value, name);
          if (!obj) {
            Error e = obj.error();
            e.path = at + e.path;
            e.input = "permalink";
            return e;
          }
          w.raw(obj.value().dump());
        } else if (f->type == FieldType::kObject) {
          return Error{"invalid_value", at, "must be a JSON object, got " + show(value), "permalink"};
        } else {
          w.string(value);
        }
        break;
      case FieldType::kBool:
        if (value == "true" || value == "1")
          w.boolean(true);
        else if (value == "false" || value == "0")
          w.boolean(false);
        else
          return Error{"invalid_value", at, "must be true or false, got " + show(value), "permalink"};
        break;
      case FieldType::kNumber:
      case FieldType::kInteger:
      case FieldType::kCount: {
        auto v = parse_number(value);
        if (!v) return Error{"invalid_value", at, "must be a number, got " + show(value), "permalink"};
        w.number(*v);  // whole numbers print as integers, so the JSON reads as a person would write it
        break;
      }
      default:
        w.string(value);
    }
    if (end == query.size()) break;
  }
  w.end_object();
  return w.take();
}

Outcome<std::string> query_from_scenario_json(std::string_view json_text) {
  auto parsed = detail::parse_json(json_text, "scenario");
  if (!parsed) return parsed.error();
  const Json& j = parsed.value();
  if (!j.is_object()) return Error{"invalid_value", "", "must be an object, got " + show(j), "scenario"};
  for (const auto& m : j.members()) {
    if (!spec_of(m.key)) return Error{"unknown_field", pointer("", m.key), "unknown field " + show(m.key)};
  }
  std::string out;
  for (const auto& b : detail::scenario_table()) {
    const Json* v = j.find(b.spec.name);
    if (!v || v->is_null()) continue;
    const std::string text = v->is_string() ? v->as_string() : v->dump();
    out += (out.empty() ? "" : "&") + std::string(b.spec.name) + "=" + form_encode(text);
  }
  return out;
}

}  // namespace gpufit
