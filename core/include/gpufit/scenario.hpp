// A scenario is what the user asks: a model in a weight format on a GPU (times gpu_count, tensor
// parallel) under an engine, with a workload and traffic. It is input only: ids as typed, inline
// objects as read. resolve() turns it into a Setup (the catalog entries it names, and what is
// derived from them, such as the weights' bytes), which is what every calculation takes.
//
// Every field, its type, unit, range, default and one line of documentation live in one table,
// scenario_schema.cpp: the reader, the defaults, the permalink codec, `gpucalc schema`, the JSON
// Schema and TypeScript declarations, the page's form and the widget's attributes all derive from
// it. The members below carry no defaults of their own: default_scenario() takes them from there.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gpufit/catalog.hpp"
#include "gpufit/error.hpp"
#include "gpufit/mig.hpp"
#include "gpufit/weights_memory.hpp"
#include "gpufit/workloads.hpp"

namespace gpufit {

enum class Mode { kInference, kLora, kQlora, kFullFinetune };

std::string_view mode_name(Mode m);

// Traffic offered to one replica for the continuous-batching model (serving_load.hpp): closed
// loop (`concurrency` users, each sending its next request when the last ends) or open loop
// (Poisson arrivals at `request_rate_per_s`); exactly one of the two is set.
struct Load {
  std::optional<double> concurrency;
  std::optional<double> request_rate_per_s;
  double length_cv{};  // coefficient of variation of prompt and output lengths (0: fixed)
  // A run of this many requests, every one measured (a benchmark's --num-prompts); empty: the
  // steady state, warm-up and drain left out.
  std::optional<double> requests;
};

// Latency targets at the 99th percentile; a missing one does not constrain.
struct Slo {
  std::optional<double> ttft_p99_ms;
  std::optional<double> tpot_p99_ms;
};

// The plain values of a scenario (numbers, words), shared by the input and the resolved setup.
struct Workload {
  int gpu_count{};  // GPUs per replica, tensor parallel
  Mode mode{};
  double context_tokens{};  // tokens of KV cache per sequence
  double prompt_tokens{};   // per request
  double output_tokens{};   // per request
  double batch_size{};      // sequences decoded together per replica

  std::optional<double> users;                      // concurrent users, for fleet sizing
  std::optional<double> min_tokens_per_s_per_user;  // each user's floor, tokens/s
  std::optional<double> tokens_per_day;             // output tokens a day, for daily cost
  std::optional<Load> load;                         // traffic for the serving_load figures
  std::optional<Slo> slo;                           // latency targets for the fleet's SLO sizing

  std::optional<double> price_usd_per_hour;  // per GPU; overrides the catalog
  std::optional<std::string> provider;       // pick a catalog price
  std::string pricing;                       // on_demand | spot | reserved

  double electricity_usd_per_kwh{};
  double pue{};                       // facility power / IT power
  std::optional<double> utilization;  // share of TDP the GPUs draw; empty: from the work (power.cpp)
  std::optional<double> power_budget_w;
  double host_w_per_server{};  // CPU, memory, fans, NICs of one server
  int gpus_per_server{};

  int lora_rank{};
  bool gradient_checkpointing{};
  std::optional<double> train_tokens;
  std::optional<double> mfu;  // model-FLOPs utilization for fine-tuning; engine default otherwise

  std::string as_of_date;  // YYYY-MM-DD, to flag old prices; empty = no age check

  // What runs: llm (text generation), image, speech or embedding (workloads.hpp).
  std::string workload;
  std::optional<int> width, height, steps;  // image; absent: the model's native size and steps
  std::string offload;                      // image: none | model (components moved in one at a time)
  double audio_seconds{};                   // speech: audio per request
  int beam_size{};                          // speech: beams of the decoder
  double sequence_tokens{};                 // embedding: tokens per sequence
};

// The input: catalog ids as given, or the inline objects read from the scenario.
struct Scenario : Workload {
  std::string model_id;  // empty when model_inline is set
  std::optional<Model> model_inline;
  std::string gpu_id;
  std::optional<Gpu> gpu_inline;
  std::string weights;                     // format id; empty = the mode's default (bf16, nf4 for qlora)
  std::string kv_cache;                    // KV-cache format id
  std::string engine;                      // engine id
  std::optional<std::string> mig_profile;  // run on this MIG slice of the GPU ("1g.10gb")
};

// A scenario resolved against a catalog: what the calculations read.
struct Setup : Workload {
  Model model;
  Gpu gpu;
  WeightFormat weights;
  KvFormat kv_cache;
  EngineSpec engine;  // the catalog entry's factors; its provenance stays in the catalog
  // How each was given: a catalog id, or "custom" for an inline object.
  std::string model_ref, gpu_ref;
  // On a MIG slice: `gpu` is the slice (slice_gpu()), gpu_ref still the card's id (prices and
  // benchmarks are the card's); this says how the slice was derived.
  std::optional<MigSlice> mig;
  // weight_bytes(model, weights): every memory and throughput figure needs it and it walks the
  // format's per-layer rules, so it is derived once here. set_model()/set_weights() keep it
  // current when a ranking or sweep changes either.
  WeightBytes weights_bytes;
  // Workloads other than llm: the model and engine of data/workloads.json (model above then holds
  // only its id, name and parameters, for the writer).
  std::optional<WorkloadModel> workload_model;
  std::string workload_engine;

  void set_model(const Model& m) {
    model = m;
    weights_bytes = weight_bytes(model, weights);
  }
  void set_weights(const WeightFormat& f) {
    weights = f;
    weights_bytes = weight_bytes(model, weights);
  }
};

// Scenario with every default of the schema set, no model or GPU yet.
Scenario default_scenario();

// Looks up the catalog entries a scenario names. Errors name the field by JSON Pointer
// ("/gpu: unknown GPU \"h100\" (did you mean ...)"), prefixed by `path` for a scenario inside an
// array ("/2").
Outcome<Setup> resolve(const Scenario& s, const Catalog& catalog, const std::string& path = "");

// Ids used when a scenario names none (also stated in the schema's defaults).
inline constexpr std::string_view kDefaultWeights = "bf16";
inline constexpr std::string_view kDefaultQloraWeights = "nf4";
// The runtime assumed for fine-tuning modes (PyTorch + Transformers/PEFT), from engines.json.
inline constexpr std::string_view kTrainingEngine = "pytorch";

}  // namespace gpufit
