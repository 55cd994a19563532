// What one forward pass of an engine may hold on a GPU, by the engine's defaults: the tokens it
// plans a step for (the chunked-prefill budget, and the activation workspace) and the sequences
// it runs at once. Some engines size these by the device: vLLM's OpenAI server (EngineArgs
// get_batch_defaults) plans 8192 tokens and 1024 sequences a step on GPUs of at least 70 GiB
// other than the A100, and 2048 and 256 on the others (0.9 on; 0.8 matched H100 and H200 by
// name; engines.json cites the pull requests).
#pragma once

#include "gpufit/catalog.hpp"

namespace gpufit {

struct StepLimits {
  double chunk_tokens = 0;   // tokens a step is planned for; 0: the whole batch
  double max_sequences = 0;  // sequences a step holds at most; 0: as many as the KV cache holds
};

StepLimits step_limits(const EngineSpec& e, const Gpu& g);

}  // namespace gpufit
