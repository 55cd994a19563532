// VRAM fit, per GPU of a replica: weights, KV cache, activations, runtime overhead (and for
// fine-tuning gradients and optimizer states) against the GPU's usable memory; and the limits
// that follow: the largest batch at a context, the longest context at a batch, the fewest GPUs.
#pragma once

#include <optional>

#include "gpufit/scenario.hpp"
#include "gpufit/weights_memory.hpp"

namespace gpufit {

struct MemoryBreakdown {  // GB per GPU
  double weights_gb = 0;
  double kv_cache_gb = 0;
  double activations_gb = 0;
  double overhead_gb = 0;   // CUDA context, engine reserve
  double optimizer_gb = 0;  // fine-tuning
  double gradients_gb = 0;  // fine-tuning
  double total_gb = 0;
  double available_gb = 0;  // the GPU's usable memory
  double free_gb() const { return available_gb - total_gb; }
  bool fits() const { return total_gb <= available_gb; }
};

// The engine whose memory behaviour applies: the scenario's engine for inference, the training
// runtime for the fine-tuning modes.
// The runtime fine-tuning modes are sized with (kTrainingEngine from the catalog; the scenario's
// engine when a catalog lacks it).
const EngineSpec& training_engine(const Setup& s, const Catalog& catalog);

const EngineSpec& memory_engine(const Setup& s, const EngineSpec& training_engine);

// Whether the engine splits a model across GPUs by layers (llama.cpp's default) rather than
// tensor parallel.
bool layer_split(const EngineSpec& e);

// Inference memory per GPU at `gpu_count` GPUs, `batch` sequences of `context_tokens`.
MemoryBreakdown inference_memory(const Setup& s, int gpu_count, double batch, double context_tokens);

// Fine-tuning memory per GPU (LoRA, QLoRA, full fine-tune) with states sharded across gpu_count
// and a micro-batch of `batch` sequences of `context_tokens` on each GPU.
MemoryBreakdown training_memory(const Setup& s, const EngineSpec& training_engine, int gpu_count, double batch,
                                double context_tokens);

// Trainable adapter parameters of LoRA at rank r on every linear layer (attention and MLP,
// experts included).
double lora_adapter_params(const Model& m, int rank);

// Memory for the scenario's mode.
MemoryBreakdown scenario_memory(const Setup& s, const EngineSpec& training_engine, int gpu_count, double batch,
                                double context_tokens);

// Largest batch that fits at context_tokens (0 if none), capped at max_batch.
double max_batch_that_fits(const Setup& s, const EngineSpec& training_engine, double context_tokens,
                           double max_batch = 1e6);
// Longest context (tokens) that fits at `batch`, capped at `cap` (0 if none).
double max_context_that_fits(const Setup& s, const EngineSpec& training_engine, double batch, double cap);
// Fewest GPUs (1, 2, 4, ... 64) of the replica for the scenario to fit; 0 if even 64 do not.
int min_gpus_that_fit(const Setup& s, const EngineSpec& training_engine);

}  // namespace gpufit
