// A schema table bound to a struct: each row pairs a FieldSpec with the member it fills, so one
// generic reader checks types, ranges and words, applies defaults and refuses unknown keys for
// every document. Rows whose value needs more than a member (an id resolved later, a nested
// object) bind nothing and are read by the caller.
#pragma once

#include <cmath>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gpufit/schema.hpp"
#include "json_read.hpp"
#include "json_write.hpp"

namespace gpufit::detail {

template <class T>
using Member =
    std::variant<std::monostate, double T::*, std::optional<double> T::*, int T::*, std::optional<int> T::*,
                 std::string T::*, std::optional<std::string> T::*, bool T::*, std::vector<std::string> T::*>;

template <class T>
struct Bound {
  constexpr Bound(FieldSpec s) : spec(s) {}  // NOLINT(google-explicit-constructor): a row read by its caller
  constexpr Bound(FieldSpec s, Member<T> m) : spec(s), member(m) {}
  FieldSpec spec;
  Member<T> member;
};

// A table is constant data: no code runs to build it (a WebAssembly module would otherwise carry
// the construction of every row as instructions).
template <class T>
using Table = std::span<const Bound<T>>;

// Whether `word` is one of the '|'-separated `words`.
inline bool one_of(std::string_view word, std::string_view words) {
  while (!words.empty()) {
    const std::size_t bar = words.find('|');
    if (words.substr(0, bar) == word) return true;
    if (bar == std::string_view::npos) break;
    words.remove_prefix(bar + 1);
  }
  return false;
}

// "a, b or c" from "a|b|c", for messages.
std::string words_list(std::string_view words);

// The default of a row, parsed from its JSON text (numbers, strings without quotes, booleans).
double default_number(const FieldSpec& f);
std::string default_string(const FieldSpec& f);
bool default_bool(const FieldSpec& f);

bool valid_date(std::string_view d);

FieldReader::Num num_rule(NumRule r);

// Reads one row into `out` (or its default). Returns false when the row binds nothing.
template <class T>
void read_row(FieldReader& r, const Bound<T>& b, T& out) {
  const FieldSpec& f = b.spec;
  const double max = f.max > 0 ? f.max : 1e15;
  const auto check_min = [&](double v) {
    if (f.min > 0 && v < f.min && r.ok()) {
      r.fail("invalid_value", f.name, "must be at least " + show(f.min) + ", got " + show(v));
    }
  };
  const auto check_word = [&](const std::string& v) {
    if (!r.ok()) return;
    if (f.type == FieldType::kEnum && !one_of(v, f.words)) {
      r.fail("invalid_value", f.name, "must be " + words_list(f.words) + ", got " + show(v));
    } else if (f.type == FieldType::kDate && !valid_date(v)) {
      r.fail("invalid_value", f.name, "must be a date YYYY-MM-DD, got " + show(v));
    }
  };
  std::visit(
      [&](auto m) {
        using M = decltype(m);
        if constexpr (std::is_same_v<M, std::monostate>) {
          r.skip(f.name);  // a known field, read by the caller (or documentation only)
        } else if constexpr (std::is_same_v<M, double T::*>) {
          std::optional<double> v;
          const bool present = r.has(f.name);
          if (f.type == FieldType::kCount)
            v = r.opt_count(f.name, max);
          else if (f.type == FieldType::kInteger) {
            auto i = r.opt_integer(f.name, static_cast<int>(f.min), static_cast<int>(max));
            if (i) v = *i;
          } else
            v = r.opt_number(f.name, num_rule(f.rule), max);
          if (v) check_min(*v);
          if (f.required && !present) {
            // The reader's own wording of what is wanted: "is required (a positive integer)".
            if (f.type == FieldType::kCount)
              r.count(f.name, max);
            else if (f.type == FieldType::kInteger)
              r.integer(f.name, static_cast<int>(f.min), static_cast<int>(max));
            else
              r.number(f.name, num_rule(f.rule), max);
          }
          out.*m = v.value_or(default_number(f));
        } else if constexpr (std::is_same_v<M, std::optional<double> T::*>) {
          std::optional<double> v;
          if (f.type == FieldType::kCount)
            v = r.opt_count(f.name, max);
          else if (f.type == FieldType::kInteger) {
            auto i = r.opt_integer(f.name, static_cast<int>(f.min), static_cast<int>(max));
            if (i) v = *i;
          } else
            v = r.opt_number(f.name, num_rule(f.rule), max);
          if (v) check_min(*v);
          out.*m = v;
        } else if constexpr (std::is_same_v<M, int T::*>) {
          const bool present = r.has(f.name);
          auto v = r.opt_integer(f.name, static_cast<int>(f.min), static_cast<int>(max));
          if (f.required && !present) r.integer(f.name, static_cast<int>(f.min), static_cast<int>(max));
          out.*m = v.value_or(static_cast<int>(default_number(f)));
        } else if constexpr (std::is_same_v<M, std::optional<int> T::*>) {
          out.*m = r.opt_integer(f.name, static_cast<int>(f.min), static_cast<int>(max));
        } else if constexpr (std::is_same_v<M, std::string T::*>) {
          auto v = f.required ? std::optional<std::string>(r.string(f.name)) : r.opt_string(f.name);
          if (v) check_word(*v);
          out.*m = v ? std::move(*v) : default_string(f);
        } else if constexpr (std::is_same_v<M, std::optional<std::string> T::*>) {
          auto v = r.opt_string(f.name);
          if (v) check_word(*v);
          out.*m = std::move(v);
        } else if constexpr (std::is_same_v<M, bool T::*>) {
          out.*m = r.opt_bool(f.name).value_or(default_bool(f));
        } else if constexpr (std::is_same_v<M, std::vector<std::string> T::*>) {
          out.*m = r.opt_string_array(f.name);
        }
      },
      b.member);
}

template <class T>
void read_rows(FieldReader& r, Table<T> table, T& out) {
  for (const Bound<T>& b : table) read_row(r, b, out);
}

// Sets a row's member to the row's default (an optional to empty when the row has none).
template <class T>
void apply_default(const Bound<T>& b, T& out) {
  const FieldSpec& f = b.spec;
  std::visit(
      [&](auto m) {
        using M = decltype(m);
        if constexpr (std::is_same_v<M, double T::*>)
          out.*m = default_number(f);
        else if constexpr (std::is_same_v<M, int T::*>)
          out.*m = static_cast<int>(default_number(f));
        else if constexpr (std::is_same_v<M, std::string T::*>)
          out.*m = default_string(f);
        else if constexpr (std::is_same_v<M, bool T::*>)
          out.*m = default_bool(f);
        else if constexpr (!std::is_same_v<M, std::monostate>)
          out.*m = {};
      },
      b.member);
}

// Writes a row's member under the row's name, the way read_row() reads it back: an empty optional
// (and an empty text where the row has no default) as null. Returns false for a row that binds
// nothing, for the caller to write.
template <class T>
bool write_row(JsonWriter& w, const Bound<T>& b, const T& in) {
  const FieldSpec& f = b.spec;
  return std::visit(
      [&](auto m) {
        using M = decltype(m);
        if constexpr (std::is_same_v<M, std::monostate>) {
          return false;
        } else {
          w.key(f.name);
          const auto& v = in.*m;
          if constexpr (std::is_same_v<M, std::optional<int> T::*> ||
                        std::is_same_v<M, std::optional<std::string> T::*>) {
            if (v)
              w.field_value(*v);
            else
              w.null();
          } else if constexpr (std::is_same_v<M, std::string T::*>) {
            if (v.empty() && f.default_json.empty())
              w.null();
            else
              w.string(v.empty() ? default_string(f) : v);
          } else {
            w.field_value(v);
          }
          return true;
        }
      },
      b.member);
}

// The specs of a bound table, for schema_table().
template <class T>
std::vector<FieldSpec> specs_of(Table<T> table) {
  std::vector<FieldSpec> out;
  out.reserve(table.size());
  for (const auto& b : table) out.push_back(b.spec);
  return out;
}

}  // namespace gpufit::detail
