// Fine-tuning time and cost for train_tokens: about 6 x params FLOPs per token for a full
// fine-tune (forward 2, backward 4), 4 x params for LoRA/QLoRA (no weight gradients for the frozen
// base), 2 x params more with gradient checkpointing (the forward runs twice), plus attention;
// at a stated model-FLOPs utilization of the BF16 tensor peak.
#pragma once

#include "gpufit/scenario.hpp"

namespace gpufit {

struct Training {
  double flops_per_token = 0;
  double tokens_per_s = 0;  // the replica
  double hours = 0;
  double mfu = 0;
};

Training training_time(const Setup& s, const EngineSpec& training_engine, double train_tokens);

}  // namespace gpufit
