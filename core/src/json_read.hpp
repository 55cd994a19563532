// Reading JSON into typed values with errors that name the field. Internal to core/: the
// catalog loader, the scenario reader and the config.json importer use it; the calculations
// never see JSON.
#pragma once

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gpufit/error.hpp"
#include "json_value.hpp"

namespace gpufit::detail {

using json = Json;

inline constexpr std::size_t kMaxStringBytes = 4096;  // ids, names, sources
inline constexpr std::size_t kMaxArrayItems = 10000;

// A JSON value shown in a message: short, valid UTF-8, never the whole input.
std::string show(const Json& value);
std::string show(std::string_view text);  // as a JSON string
std::string show(double number);

// Reads the fields of one JSON object. The first error wins and later reads do nothing, so a
// reader can be used straight through and checked once at the end.
class FieldReader {
 public:
  // `path` is the object's JSON Pointer in the input ("" for the root, "/gpus/3"); `input` names
  // the input where it is not the scenario ("gpus.json").
  FieldReader(const Json& object, std::string path, std::string input = "");

  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }
  const std::string& path() const { return path_; }
  const std::string& input() const { return input_; }
  std::string path_of(std::string_view key) const { return pointer(path_, key); }
  bool has(std::string_view key) const;  // present and not null
  void fail(std::string code, std::string_view key, std::string message);
  // An error at the object itself rather than at one of its keys.
  void fail_here(std::string code, std::string message);

  enum class Num { kAny, kPositive, kNonNegative, kFraction /* (0,1] */, kUnit /* [0,1] */ };
  // Required numbers (missing -> error) and optional ones (missing or null -> nullopt).
  double number(std::string_view key, Num rule, double max = 1e15);
  std::optional<double> opt_number(std::string_view key, Num rule, double max = 1e15);
  // Integers: a JSON number with no fractional part, within [min, max].
  int integer(std::string_view key, int min, int max);
  std::optional<int> opt_integer(std::string_view key, int min, int max);
  // Large counts (parameters) as double, integral, positive, at most max.
  double count(std::string_view key, double max);
  std::optional<double> opt_count(std::string_view key, double max);
  std::string string(std::string_view key);
  std::optional<std::string> opt_string(std::string_view key);
  std::optional<bool> opt_bool(std::string_view key);
  std::vector<std::string> opt_string_array(std::string_view key);
  // A nested object or array read by the caller; nullptr when absent (or wrong type, then an error).
  const Json* opt_object(std::string_view key);
  const Json* opt_array(std::string_view key);
  // The raw value, marked as read; nullptr when absent or null.
  const Json* raw(std::string_view key);
  // Marks a key as known without reading it (metadata the core does not use).
  void skip(std::string_view key);
  // Refuses keys never read or skipped, naming the closest known key.
  void reject_unknown();

 private:
  const Json* field(std::string_view key);  // nullptr when absent or null
  void type_error(std::string_view key, const Json& v, std::string_view want);

  const Json& object_;
  std::string path_, input_;
  // Keys read or skipped: views of the readers' literal names, alive while the reader is; only
  // the "did you mean" of an unknown key reads them. Which of the object's members were read is
  // kept per member (read_), so finding the unknown ones costs no string comparison.
  std::vector<std::string_view> seen_;
  std::vector<unsigned char> read_;
  // The member named `key` (marked read, with the key kept for suggestions); nullptr if none.
  const Json* see(std::string_view key);
  std::optional<Error> error_;
};

// Edit distance, for "did you mean" suggestions.
// With a limit, any distance above it is returned as limit + 1, found without the whole table
// (suggestions only want distances up to typo_limit, and run on every refused id).
std::size_t edit_distance(std::string_view a, std::string_view b,
                          std::size_t limit = std::numeric_limits<std::size_t>::max());
// The most letters a typo changes: a third of the word, at least 2.
inline std::size_t typo_limit(std::string_view word) {
  return std::max<std::size_t>(2, word.size() / 3);
}
// The closest of `names` to `wanted` if it is plausibly a typo, else "".
std::string closest(std::string_view wanted, const std::vector<std::string>& names);

}  // namespace gpufit::detail
