// A small JSON value and its parser: what every input to the core (scenarios, catalog files,
// custom entries, config.json, permalinks' inline objects) is read into before FieldReader turns
// it into typed values. The core's own, rather than a general JSON library, for three reasons
// measured on the page's path: the WebAssembly module carries no tree library, iostream or
// locale (a third of its code before); depth and size are enforced while parsing, so a
// 100,000-deep array is refused at its 65th bracket instead of being built and then walked by
// recursive code; and objects keep their members in the order written, with duplicate keys
// refused rather than silently dropped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gpufit/error.hpp"

namespace gpufit::detail {

struct JsonMember;

class Json {
 public:
  enum class Type : unsigned char { kNull, kBool, kNumber, kString, kArray, kObject };

  Json() = default;
  static Json boolean(bool b);
  static Json number(double v, bool integral);
  static Json string(std::string s);
  static Json array(std::vector<Json> items);
  static Json object(std::vector<JsonMember> members);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_boolean() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  // Written without a fraction or exponent ("12", not "12.0" or "1.2e1"), as JSON readers tell
  // integers from other numbers.
  bool is_number_integer() const { return type_ == Type::kNumber && integral_; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  bool as_bool() const { return bool_; }
  double as_number() const { return number_; }
  const std::string& as_string() const { return string_; }

  // Arrays: the items; objects: the members in the order written.
  const std::vector<Json>& items() const { return items_; }
  const std::vector<JsonMember>& members() const { return members_; }
  std::size_t size() const;  // items or members; 0 for scalars
  const Json& operator[](std::size_t i) const { return items_[i]; }

  // The member named `key`, or nullptr (also for non-objects).
  const Json* find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != nullptr; }

  // Compact JSON text (numbers as parsed: integers without a fraction, others shortest round-trip).
  std::string dump() const;
  // The first `enough` or more bytes of dump(), without writing the rest (for messages that show
  // a value cut short: a 1 MB string costs what a short one does).
  std::string dump_prefix(std::size_t enough) const;

  // Type names for messages: "null", "a boolean", "a number", "a string", "an array", "an object".
  static const char* type_words(Type t);

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  bool integral_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Json> items_;
  std::vector<JsonMember> members_;
};

struct JsonMember {
  std::string key;
  Json value;
};

// Input limits: so that neither the command line nor the page stalls on hostile input.
inline constexpr std::size_t kMaxJsonBytes = 8u * 1024u * 1024u;  // a config.json is ~1-10 kB
inline constexpr int kMaxJsonDepth = 64;

// The text of a top-level member's value in a JSON object's text, as written (no re-serializing):
// `{"gpus": [ ... ]}` -> `[ ... ]`. Empty when absent. For text parse_json() has accepted.
std::string_view member_text(std::string_view object_text, std::string_view key);

// Parses `text` as one JSON value. Refuses, with an error naming `what` (the input: "scenario",
// "gpus.json"): more than `max_bytes`, nesting deeper than kMaxJsonDepth (while parsing, before
// building anything deeper), invalid UTF-8 in strings, duplicate keys, trailing text.
Outcome<Json> parse_json(std::string_view text, std::string_view what, std::size_t max_bytes = kMaxJsonBytes);

}  // namespace gpufit::detail
