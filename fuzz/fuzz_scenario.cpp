// Fuzzes the scenario reader and every calculation behind evaluate, update, rank and sweep: any
// bytes in, an answer or a refusal out, never a crash, a hang, or a non-finite number. (JSON text
// cannot hold NaN: the writer prints one as null, and in fuzzing builds, GPUFIT_FUZZING, aborts instead.)
#include <cstdint>
#include <cstdlib>
#include <string>

#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"
#include "json_check.hpp"

namespace {

// An answer is valid JSON; a refusal says why.
void check(const gpufit::Outcome<std::string>& out) {
  if (out.ok()) {
    if (!gpufit_fuzz_oracle::is_json(out.value())) std::abort();
  } else if (out.error().message.empty()) {
    std::abort();
  }
}

}  // namespace

// What the page asks on each change (web/js/app.js), from one reading of the scenario: the result,
// a ranking and a sweep (permalinks have their own harness). The ranking runs on eight GPUs of different kinds (HBM
// with NVLink and MIG, HBM on PCIe, Blackwell, AMD, GDDR with and without NVLink, small cards): 16 rows, enough for
// every step of the stable sort. Every catalog GPU made 58 evaluations per input, most on the same paths as the
// scenario's own GPU, which the fuzzer mutates anyway.
constexpr const char* kViews = R"({"rank": {"counts": [1, 8], "batch": "max_fit", "max_batch": 64,
  "gpus": ["h100-sxm", "a100-80gb-pcie", "b200", "mi300x", "rtx-3090", "rtx-4090", "l4", "t4"]},
  "sweeps": [{"field": "batch_size", "values": [1, 3, 1000]}]})";

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gpufit::Catalog& catalog = gpufit::builtin_catalog().value();
  const std::string text(reinterpret_cast<const char*>(data), size);
  // An array of scenarios is evaluate's alone; anything else goes where the page sends it. (Read
  // once, not once each by evaluate_json, rank_json and sweep_json as before.)
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '[') {
    check(gpufit::evaluate_json(text, catalog));
  } else {
    check(gpufit::update_json(text, kViews, catalog));
  }
  return 0;
}
