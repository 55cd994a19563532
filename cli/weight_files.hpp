// Weight files for gpucalc: reading only their headers, from disk (gpucalc inspect) or from the
// Hugging Face Hub with HTTP Range requests (gpucalc evaluate with "model": {"hub": "org/name"}).
// The parsing is the core's (inspect_header_json, model_from_headers_json); here is only I/O.
#pragma once

#include <string>

#include "gpufit/error.hpp"

namespace gpucalc {

// A .gguf or .safetensors file, or a folder holding config.json and model.safetensors (or
// model.safetensors.index.json and its shards): the core's inspect output plus "path" and
// "bytes_read" (every byte read from disk). JSON text.
gpufit::Outcome<std::string> inspect_path(const std::string& path);

// The inspect output as lines for people.
std::string inspect_table(const std::string& json_text);

struct HubOptions {
  std::string endpoint = "https://huggingface.co";
  long timeout_s = 30;
};

// "org/name" or "org/name@revision" -> model_from_headers_json's output for the repository:
// config.json, then model.safetensors.index.json (or model.safetensors), then each file's 8-byte
// header length and header, by Range requests. The token comes from HF_TOKEN only and is never
// printed. Errors name `path` ("/model/hub").
gpufit::Outcome<std::string> fetch_hub_model(const std::string& hub_id, const HubOptions& options,
                                             const std::string& path);

// A scenario (object) or scenarios (array) as text: every "model": {"hub": "..."} replaced by the
// model fetched from the Hub. Text that is not JSON is returned as it is, for the core to refuse.
gpufit::Outcome<std::string> resolve_hub_models(const std::string& scenarios, const HubOptions& options);

}  // namespace gpucalc
