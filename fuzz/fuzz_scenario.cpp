// Fuzzes the scenario reader and every calculation behind evaluate, rank and sweep: any bytes in,
// an answer or a refusal out, never a crash, a hang, or a non-finite number. (JSON text cannot
// hold NaN: the writer prints one as null, and in fuzzing builds, GPUFIT_FUZZING, aborts instead.)
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"

namespace {

// An answer is valid JSON; a refusal says why.
void check(const gpufit::Outcome<std::string>& out) {
  if (out.ok()) {
    if (!nlohmann::json::accept(out.value())) std::abort();
  } else if (out.error().message.empty()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gpufit::Catalog& catalog = gpufit::builtin_catalog().value();
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto out = gpufit::evaluate_json(text, catalog);
  check(out);
  // Rank and sweep the scenario too (objects only: arrays are evaluate's alone).
  if (out.ok() && !out.value().empty() && out.value()[0] == '{') {
    check(gpufit::rank_json(text, R"({"counts": [1, 8], "batch": "max_fit", "max_batch": 64})", catalog));
    check(gpufit::sweep_json(text, "batch_size", "[1, 3, 1000]", catalog));
  }
  return 0;
}
