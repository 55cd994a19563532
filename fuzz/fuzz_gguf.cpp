// Fuzzes the GGUF header parser and what is built on it: any bytes as a whole file and as a
// prefix of one, then the model from its metadata evaluated on a GPU. An answer, a request for more
// bytes or a named refusal; never a crash, a hang or a request for fewer bytes than it was handed.
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
  // A prefix of an unknown-length file: more bytes may be asked for, never fewer than handed in.
  auto prefix = gpufit::parse_gguf_header(bytes.substr(0, size / 2), 0);
  if (prefix.ok() && prefix.value().need_bytes != 0 && prefix.value().need_bytes <= size / 2) std::abort();
  if (!prefix.ok() && prefix.error().code.empty()) std::abort();
  // A file_size of 0 means "size unknown" to the parsers, so an empty input is not a whole file.
  if (size == 0) return 0;
  // The whole file: an answer or a refusal, never a request for bytes past its end.
  auto out = gpufit::inspect_header_json(bytes, "gguf", size, "fuzz.gguf");
  if (!out.ok()) {
    if (out.error().message.empty()) std::abort();
    return 0;
  }
  const nlohmann::json j = nlohmann::json::parse(out.value(), nullptr, false);
  if (j.is_discarded()) std::abort();
  if (j.contains("need_bytes")) std::abort();
  if (!j.contains("model")) return 0;
  const nlohmann::json scenario = {{"model", j["model"]}, {"gpu", "h100-sxm"}, {"batch_size", 4}};
  auto result = gpufit::evaluate_json(scenario.dump(), catalog);
  if (result.ok() ? !gpufit_fuzz_oracle::is_json(result.value()) : result.error().message.empty()) std::abort();
  return 0;
}
