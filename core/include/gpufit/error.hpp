// Errors are data: every refusal names the field at fault and says what was wrong, so the
// command line can print it and the page can show it beside the input. The core never throws
// on purpose (it builds with and without C++ exceptions), it returns an Outcome instead.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace gpufit {

struct Error {
  // Stable machine-readable kind: "invalid_json", "invalid_value", "unknown_id", "missing_field",
  // "unknown_field", "too_large", "invalid_catalog".
  std::string code;
  // Dotted path of the input at fault ("model.kv_heads", "gpus.json: /gpus/3/tdp_w"); empty when
  // the whole input is at fault.
  std::string field;
  // Human sentence without the field ("must be a positive integer, got -8").
  std::string message;

  // "model.kv_heads: must be a positive integer, got -8"
  std::string to_string() const { return field.empty() ? message : field + ": " + message; }
};

// A value or an Error (std::expected is C++23; this is the part of it the core needs).
template <class T>
class Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Outcome(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)
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
