// The core as a long-lived host (the WebAssembly module behind the page and the widget) uses it:
// one catalog for the session, the built-in one plus the user's custom entries and, once the page
// has fetched them, the measured benchmarks. Every call answers a Reply: JSON text, or the error
// with its code, field and message, ready for the bindings to hand to JavaScript as a plain
// object.
#pragma once

#include <string>

namespace gpufit::host {

struct Reply {
  bool ok = true;
  std::string json;     // the answer when ok
  std::string code;     // when not: invalid_json, invalid_value, unknown_id, ...
  std::string field;    // the input at fault ("model.kv_heads")
  std::string message;  // what was wrong
};

Reply evaluate(const std::string& scenarios);
Reply rank(const std::string& scenario, const std::string& options);
Reply sweep(const std::string& scenario, const std::string& field, const std::string& values);
Reply catalog(const std::string& kind);
Reply validation();

// Replaces the session's custom GPUs and models ({"gpus": [...], "models": [...]}), checked as
// inline scenario objects; an error leaves the previous ones in place.
Reply set_custom_entries(const std::string& custom_json);
// Adds the measured benchmarks (the text of data/benchmarks.json) to the session's catalog.
Reply load_benchmarks(const std::string& benchmarks_json);

Reply scenario_from_permalink(const std::string& query);
Reply permalink_from_scenario(const std::string& scenario_json);

}  // namespace gpufit::host
