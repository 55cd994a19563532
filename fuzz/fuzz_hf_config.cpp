// Fuzzes the Hugging Face config.json importer: the input is a config.json; a model that reads is
// then evaluated on a GPU, so a derived shape that breaks a calculation is found too.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"
#include "json_read.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gpufit::Catalog& catalog = gpufit::builtin_catalog().value();
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto cfg = gpufit::detail::parse_json(text, "config.json");
  if (!cfg.ok()) return 0;
  // The config as parsed (and written back by the core's own writer) inside a scenario.
  const std::string scenario = R"({"model": {"hf_config": )" + cfg.value().dump() +
                               R"(}, "gpu": "h100-sxm", "gpu_count": 2, "weights": "q4_k_m", "batch_size": 4})";
  auto out = gpufit::evaluate_json(scenario, catalog);
  if (!out.ok() && out.error().message.empty()) std::abort();
  return 0;
}
