// Fuzzes the permalink decoder (URL fragment -> scenario) and what follows on the page: the decoded
// scenario is re-encoded, decoded again (it must round-trip) and evaluated.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"
#include "gpufit/permalink.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gpufit::Catalog& catalog = gpufit::builtin_catalog().value();
  const std::string query(reinterpret_cast<const char*>(data), size);
  auto scenario = gpufit::scenario_json_from_query(query);
  if (!scenario.ok()) {
    if (scenario.error().message.empty()) std::abort();
    return 0;
  }
  auto again = gpufit::query_from_scenario_json(scenario.value());
  if (!again.ok()) std::abort();  // what was decoded must encode
  // Round trip: the decoder keeps the query's key order, the encoder writes one canonical order,
  // so compare canonical queries rather than the JSON texts.
  auto back = gpufit::scenario_json_from_query(again.value());
  if (!back.ok()) std::abort();
  auto canonical = gpufit::query_from_scenario_json(back.value());
  if (!canonical.ok() || canonical.value() != again.value()) std::abort();
  (void)gpufit::evaluate_json(scenario.value(), catalog);
  return 0;
}
