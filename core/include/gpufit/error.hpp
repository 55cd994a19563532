// Errors are data: every refusal names the field at fault and says what was wrong, so the
// command line can print it and the page can show it beside the input. The core never throws
// on purpose (it builds with and without C++ exceptions), it returns an Outcome instead.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace gpufit {

struct Error {
  Error() = default;
  Error(std::string code_, std::string path_, std::string message_, std::string input_ = "")
      : code(std::move(code_)), path(std::move(path_)), message(std::move(message_)), input(std::move(input_)) {}

  // Stable machine-readable kind: "invalid_json", "invalid_value", "unknown_id", "missing_field",
  // "unknown_field", "too_large", "invalid_catalog".
  std::string code;
  // Where in the input: a JSON Pointer (RFC 6901) into it ("/model/kv_heads", "/gpus/3/tdp_w",
  // "/2/batch_size" in an array of scenarios); "" when the whole input is at fault. One grammar
  // for every input, so a caller finds the field without parsing text.
  std::string path;
  // Human sentence without the path ("must be a positive integer, got -8").
  std::string message;
  // Which input, where it is not the scenario itself: "gpus.json", "options", "permalink",
  // "scenario" (for text that is not JSON at all), ...; "" for the scenario.
  std::string input;

  // "/model/kv_heads: must be a positive integer, got -8"; "gpus.json: /gpus/3/tdp_w: must be ..."
  std::string to_string() const {
    std::string s = input.empty() ? "" : input + ": ";
    if (!path.empty()) s += path + ": ";
    return s + message;
  }
};

// JSON Pointer of `key` inside the value at `parent` ("~" and "/" escaped as ~0 and ~1).
std::string pointer(std::string_view parent, std::string_view key);
std::string pointer(std::string_view parent, std::size_t index);

// A value or an Error (std::expected is C++23; this is the part of it the core needs).
template <class T>
class Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Outcome(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace gpufit
