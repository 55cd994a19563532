// Fuzzes the scenario reader and every calculation behind evaluate, rank and sweep: any bytes in,
// an answer or a refusal out, never a crash, a hang, or a non-finite number in the JSON.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"

namespace {

void check_finite(const nlohmann::json& j) {
  if (j.is_number_float() && !std::isfinite(j.get<double>())) std::abort();
  if (j.is_structured()) {
    for (const auto& v : j) check_finite(v);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gpufit::Catalog& catalog = gpufit::builtin_catalog().value();
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto out = gpufit::evaluate_json(text, catalog);
  if (out.ok()) {
    auto j = nlohmann::json::parse(out.value(), nullptr, false);
    if (j.is_discarded()) std::abort();  // the core must write valid JSON
    check_finite(j);
    // Rank and sweep the scenario too (objects only: arrays are evaluate's alone).
    if (!text.empty() && text.find('{') != std::string::npos && j.is_object()) {
      (void)gpufit::rank_json(text, R"({"counts": [1, 8], "batch": "max_fit", "max_batch": 64})", catalog);
      (void)gpufit::sweep_json(text, "batch_size", "[1, 3, 1000]", catalog);
    }
  } else if (out.error().message.empty()) {
    std::abort();  // a refusal must say why
  }
  return 0;
}
