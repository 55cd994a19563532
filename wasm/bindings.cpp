// Embind declarations only: the host API of the core, as plain JavaScript objects and strings.
// No logic lives here; wasm/gpufit.js turns replies into values and errors.
#include <emscripten/bind.h>

#include "gpufit/host.hpp"

EMSCRIPTEN_BINDINGS(gpufit) {
  using namespace emscripten;
  using gpufit::host::Reply;
  value_object<Reply>("Reply")
      .field("ok", &Reply::ok)
      .field("json", &Reply::json)
      .field("code", &Reply::code)
      .field("field", &Reply::field)
      .field("message", &Reply::message);
  function("evaluate", &gpufit::host::evaluate);
  function("rank", &gpufit::host::rank);
  function("sweep", &gpufit::host::sweep);
  function("catalog", &gpufit::host::catalog);
  function("validation", &gpufit::host::validation);
  function("setCustomEntries", &gpufit::host::set_custom_entries);
  function("loadBenchmarks", &gpufit::host::load_benchmarks);
  function("scenarioFromPermalink", &gpufit::host::scenario_from_permalink);
  function("permalinkFromScenario", &gpufit::host::permalink_from_scenario);
}
