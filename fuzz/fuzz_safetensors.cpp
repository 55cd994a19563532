// Fuzzes the safetensors header parser: any bytes as a whole file and as a prefix of one, then
// the header text (when it parses) with a config.json through model_from_headers_json and
// evaluated on a GPU. An answer, a request for exactly the header's bytes, or a named refusal.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"
#include "gpufit/file_header.hpp"
#include "json_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gpufit::Catalog& catalog = gpufit::builtin_catalog().value();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto prefix = gpufit::parse_safetensors_header(bytes.substr(0, size / 2), 0);
  if (prefix.ok() && prefix.value().need_bytes != 0 && prefix.value().need_bytes <= size / 2) std::abort();
  if (!prefix.ok() && prefix.error().code.empty()) std::abort();
  // A file_size of 0 means "size unknown" to the parsers, so an empty input is not a whole file.
  if (size == 0) return 0;
  auto whole = gpufit::parse_safetensors_header(bytes, size);
  if (!whole.ok()) {
    if (whole.error().message.empty()) std::abort();
    return 0;
  }
  if (whole.value().need_bytes != 0 || whole.value().header_bytes > size) std::abort();
  // The header with a small llama config, as the Hub path hands it to the core.
  const std::string text(bytes.substr(8, static_cast<std::size_t>(whole.value().header_bytes - 8)));
  if (!gpufit_fuzz_oracle::is_json(text)) return 0;
  const nlohmann::json request = {{"kind", "hub"},
                                  {"id", "fuzz/model"},
                                  {"config",
                                   {{"model_type", "llama"},
                                    {"hidden_size", 64},
                                    {"num_hidden_layers", 2},
                                    {"num_attention_heads", 4},
                                    {"intermediate_size", 128},
                                    {"vocab_size", 100}}},
                                  {"headers", {text}}};
  auto model = gpufit::model_from_headers_json(request.dump());
  if (!model.ok()) {
    if (model.error().message.empty()) std::abort();
    return 0;
  }
  const nlohmann::json j = nlohmann::json::parse(model.value(), nullptr, false);
  if (j.is_discarded()) std::abort();
  const nlohmann::json scenario = {{"model", j["model"]}, {"gpu", "l4"}};
  auto result = gpufit::evaluate_json(scenario.dump(), catalog);
  if (result.ok() ? !gpufit_fuzz_oracle::is_json(result.value()) : result.error().message.empty()) std::abort();
  return 0;
}
