// JSON text written straight into a string: the results leave the core through this writer, not
// through a nlohmann::json tree, because building the tree (a std::map node and a key string per
// field) and walking it again cost more than computing the numbers: a ranking of every GPU, count
// and format spent four fifths of its time there.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpufit::detail {

class JsonWriter {
 public:
  // Room for a result (6 KB) or a ranking row's worth of growth, set aside once: growing from
  // empty copied the text a dozen times.
  JsonWriter() { out_.reserve(8192); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);  // then exactly one value

  // Finite numbers only: anything else is a bug, written as null rather than as text no JSON
  // reader accepts. Whole values print without a fraction; others in the shortest form that reads
  // back to the same double (the Grisu2 of nlohmann::json's dump(), so both print alike).
  JsonWriter& number(double v);
  JsonWriter& number(const std::optional<double>& v);
  JsonWriter& integer(long long v);
  JsonWriter& boolean(bool v);
  JsonWriter& string(std::string_view text);          // escaped; invalid UTF-8 becomes U+FFFD
  JsonWriter& string_or_null(std::string_view text);  // null when empty
  JsonWriter& null();
  JsonWriter& raw(std::string_view json_text);                 // an already-serialized JSON value
  JsonWriter& strings(const std::vector<std::string>& items);  // an array of strings

  // key(name) followed by the value: the common case.
  template <typename T>
  JsonWriter& field(std::string_view name, const T& value) {
    key(name);
    return write(value);
  }

  // The value alone, after a key(): for writers generic over a member's type.
  template <typename T>
  JsonWriter& field_value(const T& value) {
    return write(value);
  }

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  JsonWriter& write(double v) { return number(v); }
  JsonWriter& write(const std::optional<double>& v) { return number(v); }
  JsonWriter& write(int v) { return integer(v); }
  JsonWriter& write(bool v) { return boolean(v); }
  JsonWriter& write(const std::string& v) { return string(v); }
  JsonWriter& write(std::string_view v) { return string(v); }
  JsonWriter& write(const char* v) { return string(v); }
  JsonWriter& write(const std::vector<std::string>& v) { return strings(v); }
  void before_value();
  void append_quoted(std::string_view text);  // a JSON string literal, escaped

  std::string out_;
  std::vector<bool> first_;  // per open container: no member written yet
  bool after_key_ = false;
};

}  // namespace gpufit::detail
