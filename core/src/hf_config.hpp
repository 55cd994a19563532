// Hugging Face config.json -> Model: the parameter count and attention shape derived from the
// architecture as published, for the llama, mistral, mixtral, qwen2, qwen2_moe, gemma2, phi3 and
// deepseek_v2/v3 families.
#pragma once

#include <string>

#include "gpufit/catalog.hpp"
#include "json_read.hpp"

namespace gpufit::detail {

// `path` names the config in errors ("model.hf_config").
Outcome<Model> model_from_hf_config(const Json& config, const std::string& path);

}  // namespace gpufit::detail
