#include "schema_bind.hpp"

namespace gpufit::detail {

std::string words_list(std::string_view words) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t bar = words.find('|');
    parts.push_back(words.substr(0, bar));
    if (bar == std::string_view::npos) break;
    words.remove_prefix(bar + 1);
  }
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += i == 0 ? "" : i + 1 == parts.size() ? " or " : ", ";
    out += parts[i];
  }
  return out;
}

double default_number(const FieldSpec& f) {
  if (f.default_json.empty()) return 0;
  const std::string text(f.default_json);
  return std::strtod(text.c_str(), nullptr);
}

std::string default_string(const FieldSpec& f) {
  std::string_view d = f.default_json;
  if (d.size() >= 2 && d.front() == '"' && d.back() == '"') d = d.substr(1, d.size() - 2);
  return std::string(d);
}

bool default_bool(const FieldSpec& f) {
  return f.default_json == "true";
}

bool valid_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int month = (d[5] - '0') * 10 + (d[6] - '0'), day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

FieldReader::Num num_rule(NumRule r) {
  switch (r) {
    case NumRule::kPositive:
      return FieldReader::Num::kPositive;
    case NumRule::kNonNegative:
      return FieldReader::Num::kNonNegative;
    case NumRule::kFraction:
      return FieldReader::Num::kFraction;
    case NumRule::kUnit:
      return FieldReader::Num::kUnit;
    case NumRule::kAny:
      break;
  }
  return FieldReader::Num::kAny;
}

}  // namespace gpufit::detail
