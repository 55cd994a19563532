// JSON text written straight into a string: the results leave the core through this writer, not
// through a nlohmann::json tree, because building the tree (a std::map node and a key string per
// field) and walking it again cost more than computing the numbers: a ranking of every GPU, count
// and format spent four fifths of its time there.
#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpufit::detail {

// The bytes a JSON string holds as they are: printable ASCII other than '"' and '\\'. The reader
// and the writer test a byte against this table once instead of four comparisons (each traced in
// fuzzing builds, and each a call in the size-optimized WebAssembly build).
inline constexpr auto kJsonPlainByte = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

class JsonWriter {
 public:
  // Room for a result (6 KB) set aside once: growing from empty copied the text a dozen times.
  JsonWriter() { grow(8192); }
  JsonWriter(const JsonWriter&) = delete;  // buf_ points into out_
  JsonWriter& operator=(const JsonWriter&) = delete;

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

  std::string_view text() const { return {buf_, len_}; }
  std::string take() {
    out_.resize(len_);
    buf_ = nullptr;
    len_ = cap_ = 0;
    return std::move(out_);
  }

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

  // The text is written through a raw cursor into out_'s storage, grown by doubling: std::string's
  // own appends, character by character, are calls the size-optimized WebAssembly build does not
  // inline (they were a fifth of an evaluate there).
  void put(char c) {
    if (len_ == cap_) grow(1);
    buf_[len_++] = c;
  }
  void put(std::string_view s) {
    if (cap_ - len_ < s.size()) grow(s.size());
    std::memcpy(buf_ + len_, s.data(), s.size());
    len_ += s.size();
  }
  void grow(std::size_t more);

  std::string out_;  // storage: its size is the capacity, len_ the text's length
  char* buf_ = nullptr;
  std::size_t len_ = 0, cap_ = 0;
  // Per open container: no member written yet. Output nests as deep as the values it writes back
  // (parsed input, at most kMaxJsonDepth) plus a few levels of its own.
  static constexpr int kMaxDepth = 256;
  bool first_[kMaxDepth] = {};
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace gpufit::detail
