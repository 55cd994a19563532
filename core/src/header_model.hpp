// A custom model from weight files' headers: a config.json with its safetensors headers' tensors
// (the Hub, a folder of shards), or a GGUF header alone. Internal to core/.
#pragma once

#include <string>

#include "gpufit/file_header.hpp"
#include "json_value.hpp"

namespace gpufit::detail {

// The weight format id a config.json's quantization_config names: "int4" (AWQ, GPTQ 4-bit),
// "int8" (GPTQ 8-bit, bitsandbytes 8-bit), "nf4" (bitsandbytes 4-bit), "fp8" (fp8,
// compressed-tensors float 8-bit, fbgemm_fp8), "mxfp4" (gpt-oss); "" when there is none or it is
// not one of those. `packed_bits` is set to the bits per packed integer weight (4 for AWQ/GPTQ
// int4 and bitsandbytes 4-bit, 8 for GPTQ int8), else 0.
std::string hf_quant_format(const Json& config, int& packed_bits);

// config.json + the tensors of every shard -> the model, its parameters counted from the tensors
// (packed integer weights unpacked, quantization scales left out); `path` names the config in errors.
Outcome<Model> model_from_config_and_weights(const Json& config, const WeightsSummary& weights,
                                             const std::string& path);

}  // namespace gpufit::detail
