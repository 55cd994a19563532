// A scenario: a model in a weight format on a GPU (times gpu_count, tensor parallel) under an
// engine, with a workload and traffic. Catalog ids are resolved into values when the scenario is
// read, so an inline GPU or model object and a catalog entry are the same thing to the
// calculations. Defaults live in default_scenario(), nowhere else.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gpufit/catalog.hpp"
#include "gpufit/weights_memory.hpp"

namespace gpufit {

enum class Mode { kInference, kLora, kQlora, kFullFinetune };

std::string_view mode_name(Mode m);

struct Scenario {
  Model model;
  Gpu gpu;
  WeightFormat weights;
  KvFormat kv_cache;
  Engine engine;
  // How each was given: a catalog id, or "custom" for an inline object.
  std::string model_ref, gpu_ref;

  int gpu_count = 1;  // GPUs per replica, tensor parallel
  Mode mode = Mode::kInference;
  double context_tokens = 4096;  // tokens of KV cache per sequence
  double prompt_tokens = 1024;   // per request
  double output_tokens = 256;    // per request
  double batch_size = 1;         // sequences decoded together per replica

  std::optional<double> users;                      // concurrent users, for fleet sizing
  std::optional<double> min_tokens_per_s_per_user;  // each user's floor, tokens/s
  std::optional<double> tokens_per_day;             // output tokens a day, for daily cost

  std::optional<double> price_usd_per_hour;  // per GPU; overrides the catalog
  std::optional<std::string> provider;       // pick a catalog price
  std::string pricing = "on_demand";         // on_demand | spot | reserved

  double electricity_usd_per_kwh = 0.10;
  double pue = 1.0;          // facility power / IT power
  double utilization = 1.0;  // share of TDP the GPUs draw
  std::optional<double> power_budget_w;
  double host_w_per_server = 0;  // CPU, memory, fans, NICs of one server
  int gpus_per_server = 8;

  int lora_rank = 16;
  bool gradient_checkpointing = true;
  std::optional<double> train_tokens;
  std::optional<double> mfu;  // model-FLOPs utilization for fine-tuning; engine default otherwise

  std::string as_of_date;  // YYYY-MM-DD, to flag old prices; empty = no age check

  // Derived: weight_bytes(model, weights). Every memory and throughput figure needs it, and it
  // walks the format's per-layer rules, so it is computed once here rather than in each of the
  // hundred calls an evaluation makes. Whoever sets `model` or `weights` calls set_weights_bytes().
  WeightBytes weights_bytes;
};

// Recomputes the derived weights_bytes after `model` or `weights` changed.
inline void set_weights_bytes(Scenario& s) { s.weights_bytes = weight_bytes(s.model, s.weights); }

// Scenario with every default set, before ids are resolved.
Scenario default_scenario();

// Ids used when a scenario names none.
inline constexpr std::string_view kDefaultWeights = "bf16";
inline constexpr std::string_view kDefaultKvCache = "fp16";
inline constexpr std::string_view kDefaultEngine = "vllm";
// The runtime assumed for fine-tuning modes (PyTorch + Transformers/PEFT), from engines.json.
inline constexpr std::string_view kTrainingEngine = "pytorch";

}  // namespace gpufit
