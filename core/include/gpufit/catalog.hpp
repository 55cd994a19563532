// The catalog as typed values: GPUs, models, weight and KV-cache formats, engines, prices,
// interconnects and measured benchmarks. Field names and units follow data/README.md; the
// JSON reading lives in catalog_json.cpp, nothing here knows about JSON.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gpufit/error.hpp"
#include "gpufit/workloads.hpp"

namespace gpufit {

inline constexpr double kBytesPerGB = 1e9;  // GB means 10^9 bytes everywhere in the product.

struct Gpu {
  std::string id, name, vendor, architecture, memory_type, form_factor, video_engines;
  int release_year = 0;
  double memory_gb = 0;                     // nominal, as marketed
  double usable_memory_gb = 0;              // what the driver reports as the device total
  double memory_bandwidth_gbs = 0;          // datasheet peak DRAM bandwidth
  double fp16_tflops = 0;                   // dense tensor FP16, FP32 accumulate
  std::optional<double> fp16_acc16_tflops;  // dense FP16 with FP16 accumulate, where it differs (GeForce)
  std::optional<double> bf16_tflops, fp8_tflops, int8_tops;  // dense; empty = unsupported
  std::optional<double> fp32_tflops;                         // non-tensor FP32
  // The largest dense BF16 matmul rate measured on the card (MAMF) over its dense BF16 peak;
  // empty where none is published (throughput.cpp then takes the median of those measured).
  std::optional<double> matmul_efficiency;
  double tdp_w = 0;
  std::optional<double> idle_w;  // board power at rest, measured; empty: power.cpp's share of TDP
  std::optional<int> slots;
  int pcie_gen = 4;
  int pcie_lanes = 16;
  std::optional<double> nvlink_bandwidth_gbs;  // both directions summed, per GPU
  std::optional<int> nvlink_max_gpus;
  std::optional<int> nvdec_count, nvenc_count, nvjpg_count;  // media engines (video decode/encode, JPEG decode)
  std::optional<double> xgmi_bandwidth_gbs;                  // AMD Infinity Fabric, both directions, per GPU
  std::vector<std::string> mig_profiles;
  std::optional<double> purchase_price_usd;
  std::string source, usable_memory_note, notes;
  std::map<std::string, std::string> field_sources;
  bool operator==(const Gpu&) const = default;
};

enum class Architecture { kDecoder, kEncoder };

// Where a custom model's weights were read from: weight files' headers (file_header.hpp). The
// result's model.source; its bytes replace the derived ones when the scenario's weight format is
// the files' own.
struct ModelFileSource {
  std::string kind;                                      // "hub" | "gguf" | "safetensors"
  std::string id;                                        // "org/name@rev" or a file name
  std::map<std::string, double> weights_bytes_by_dtype;  // dtype as stored ("BF16", "Q4_K") -> bytes
  double bytes_fetched = 0;                              // bytes read or transferred to learn it
  std::string weights;         // the catalog weight format the files are in ("bf16", "q4_k_m")
  double embedding_bytes = 0;  // the token embedding table
  double routed_expert_bytes = 0;
  double total_bytes() const;
  bool operator==(const ModelFileSource&) const = default;
};

struct Model {
  std::string id, name, family;
  Architecture architecture = Architecture::kDecoder;
  double params = 0;         // total parameters (memory)
  double active_params = 0;  // parameters used per token (bandwidth and FLOPs)
  int layers = 0;
  int hidden_size = 0;
  int intermediate_size = 0;  // 0 = unknown (derived from params)
  int attention_heads = 0;
  int kv_heads = 0;
  int head_dim = 0;
  int vocab_size = 0;
  double max_context_tokens = 0;
  bool tie_word_embeddings = false;
  double sliding_window_tokens = 0;                            // 0 = no sliding window
  int sliding_window_layers = 0;                               // layers that use the window
  int experts = 0, experts_per_token = 0, shared_experts = 0;  // MoE routing; 0 = dense
  int expert_intermediate_size = 0;                            // MoE expert MLP width; 0 = unknown (derived)
  int kv_lora_rank = 0, qk_rope_head_dim = 0;                  // DeepSeek MLA; 0 = none
  // Parameter counts per tensor role, summed over layers. Filled by the config.json importer
  // where the shape is known exactly; otherwise derived by model_shape.cpp from the fields above.
  std::optional<double> attention_params, expert_params;
  std::optional<ModelFileSource> file_source;  // custom models read from weight files' headers
  std::string source, notes;
  std::map<std::string, std::string> field_sources;
  bool operator==(const Model&) const = default;
};

// A tensor kept at another precision than a format's main blocks (embeddings, output head, the
// layers a GGUF K-quant mix gives more bits).
// How a block-quantized type stores weights: bits per weight (scales included), weights per block
// (a tensor's rows must be a whole number of blocks), and what llama.cpp uses instead when they
// are not (Q4_K -> Q5_0, Q6_K -> Q8_0, ...; then F16).
struct BlockType {
  double bits_per_weight = 16;
  int block_weights = 1;  // 1: no row constraint
  double fallback_bits = 16;
  int fallback_block_weights = 1;
  bool operator==(const BlockType&) const = default;
};

struct TensorOverride {
  std::string tensor;  // embedding, output, attn_q, attn_k, attn_v, attn_o, attn_other, attn,
                       // ffn_gate, ffn_up, ffn_down, experts, non_experts, other
  BlockType type;
  std::string layers = "all";  // all | more_bits (llama.cpp use_more_bits) | first_<n> | first_fraction_<k>
  std::string when;            // "" | experts_8 | type_70b | gqa_ge_4: a condition on the model
  bool operator==(const TensorOverride&) const = default;
};

enum class ComputePrecision { kFp32, kFp16, kFp8, kInt8 };

struct WeightFormat {
  std::string id, name, kind, layout, source, notes;
  double bits_per_weight = 16;
  BlockType type;  // the main type (bits_per_weight, and for GGUF the block and fallback)
  ComputePrecision compute = ComputePrecision::kFp16;
  std::vector<TensorOverride> tensor_overrides;
  bool operator==(const WeightFormat&) const = default;
};

struct KvFormat {
  std::string id, name, source;
  double bits_per_value = 16;
  bool operator==(const KvFormat&) const = default;
};

// An engine as the calculations use it: its factors, limits and how it spans GPUs. A scenario,
// a benchmark's estimate and each trial of a fit carry a copy of this, and only this.
struct EngineSpec {
  std::string id, name, version, source, notes;
  double bandwidth_efficiency = 1;                 // achieved fraction of peak DRAM bandwidth in decode
  std::optional<double> hbm_bandwidth_efficiency;  // the same on HBM GPUs, where it differs
  bool fp16_accumulate = false;                    // FP16 GEMMs accumulate in FP16 (llama.cpp's cuBLAS path)
  double compute_efficiency = 1;                   // achieved fraction of peak tensor FLOPS in prefill (at 100 TFLOPS)
  // How that fraction falls on bigger GPUs: achieved = efficiency x peak x (peak / 100 TFLOPS)^-scaling.
  // A fixed amount of work per kernel fills a wide GPU less; 0 = the same fraction on every GPU.
  double compute_scaling = 0;
  double step_overhead_ms = 0;      // fixed time per decode step (launches, scheduling)
  double sequence_overhead_us = 0;  // time per sequence per decode step (sampling, detokenizing, bookkeeping)
  double layer_overhead_us = 0;     // time per layer per step (its kernels' launches and ramps); see step_time.hpp
  // How the per-sequence time falls on faster GPUs: x (bandwidth / 1 TB/s)^-sequence_scaling.
  double sequence_scaling = 0;
  double memory_reserve_fraction = 0;  // of usable memory the engine leaves unallocated
  double runtime_overhead_gb = 0;      // CUDA context, cuBLAS workspace, graphs
  double activation_chunk_tokens = 0;  // tokens of one forward pass the engine plans for (0: batch)
  double max_sequences = 0;            // sequences one step holds at most, by default (0: the KV cache's)
  // Larger defaults on large GPUs (vLLM sizes its scheduler by the device: see step_limits.hpp):
  // GPUs with at least large_gpu_memory_gib of memory, unless their name holds
  // large_gpu_excluded_name, plan large_gpu_chunk_tokens a step and hold large_gpu_max_sequences.
  double large_gpu_memory_gib = 0;  // 0: the same defaults on every GPU
  std::string large_gpu_excluded_name;
  double large_gpu_chunk_tokens = 0;
  double large_gpu_max_sequences = 0;
  double training_mfu = 0.35;  // model-FLOPs utilization assumed for fine-tuning
  // How a replica spans GPUs: "tensor" (tensor parallel, all-reduce per layer) or "layer" (layers
  // split across GPUs that run one after another: llama.cpp's default).
  std::string multi_gpu = "tensor";
  std::vector<std::string> weight_formats;  // formats it runs; empty = all
  std::vector<std::string> vendors;         // nvidia, amd; empty = all
  bool operator==(const EngineSpec&) const = default;
};

// The catalog's entry adds its provenance: hundreds of benchmark ids and the cross-validated
// errors, which no calculation reads. Kept out of EngineSpec so that the copies above (a fit makes
// thousands, every evaluate one) cannot carry them; their readers look the entry up by id.
struct Engine : EngineSpec {
  std::vector<std::string> fitted_on;             // benchmark ids the factors were fitted on
  std::map<std::string, std::string> validation;  // kind -> "median 9%, p90 21%, n=40" etc.
  std::map<std::string, double> error_pct;        // kind -> median absolute % error (cross-validated)
  bool operator==(const Engine&) const = default;
};

// HBM GPUs get an engine's HBM bandwidth factor where it has one (see Engine).
inline bool has_hbm(const Gpu& g) {
  return g.memory_type.rfind("HBM", 0) == 0;
}

struct Interconnect {
  std::string id, name, source;
  double allreduce_latency_us = 0;  // per all-reduce of a small message
  double bandwidth_efficiency = 1;  // achieved fraction of the link's one-direction bandwidth
  bool operator==(const Interconnect&) const = default;
};

struct Price {
  std::string provider, gpu, pricing, date_seen, source, notes;
  double usd_per_hour = 0;  // per GPU
  bool operator==(const Price&) const = default;
};

struct Benchmark {
  std::string id, kind, engine, engine_version, gpu, model, weights, kv_cache, unit, source, date, notes;
  std::string mig_profile;  // measured on this MIG slice of the GPU; empty = the whole GPU
  int gpu_count = 1;
  // As the source states them; empty where it does not (a serving run whose concurrency was left
  // to the engine, a chat workload of varied prompt lengths).
  std::optional<double> batch_size, prompt_tokens, output_tokens, context_tokens;
  double value = 0;
  // A load point (kind serving_load): the traffic (closed-loop users or Poisson rate, lengths'
  // coefficient of variation where the source's dataset spreads them, requests sent) and the
  // latencies measured beside the output throughput in `value`; empty where not reported.
  std::optional<double> concurrency, request_rate_per_s, length_cv, requests;
  std::optional<double> ttft_mean_ms, ttft_p50_ms, ttft_p99_ms, tpot_mean_ms, tpot_p50_ms, tpot_p99_ms;
  // Why the result is shown but not fitted or validated on (a file of an older format, ...);
  // empty when it counts.
  std::string excluded;
  // Power readings: what the GPU was doing ("decode", "prefill"; empty: serving, both mixed).
  std::string phase;
  bool operator==(const Benchmark&) const = default;
};

// One MIG profile of a GPU (data/mig_profiles.json): a GPU instance owning `compute_slices` of the
// card's compute slices (its SMs) and `memory_slices` of its memory slices (DRAM, memory
// controllers, hence bandwidth, and L2).
struct MigProfile {
  std::string name;      // "1g.10gb"
  double memory_gb = 0;  // as the name says
  int compute_slices = 1, memory_slices = 1;
  double bandwidth_share = 0, l2_share = 0;  // of the whole card's
  int max_instances = 1;                     // of this profile alone on one card
  // Memory-slice positions where an instance may start (`nvidia-smi mig -lgipp` placements); it
  // then occupies [start, start + memory_slices).
  std::vector<int> start_slices;
  bool media_extension() const { return name.size() > 3 && name.compare(name.size() - 3, 3, "+me") == 0; }
  bool operator==(const MigProfile&) const = default;
};

// A GPU's MIG geometry: its profiles and the slices they divide.
struct MigGpu {
  std::string gpu;  // gpus.json id
  int compute_slices_total = 7, memory_slices_total = 8;
  std::vector<MigProfile> profiles;
  std::string source;
  const MigProfile* profile(std::string_view name) const;
  bool operator==(const MigGpu&) const = default;
};

struct Catalog {
  std::vector<Gpu> gpus;
  std::vector<Model> models;
  std::vector<WeightFormat> weight_formats;
  std::vector<KvFormat> kv_formats;
  std::vector<Engine> engines;
  std::vector<Interconnect> interconnects;
  std::vector<Price> prices;
  std::vector<Benchmark> benchmarks;
  std::vector<MigGpu> mig;  // MIG geometry of the GPUs that have it
  // Each entry as published in data/, re-serialized, for `gpucalc catalog ... --format json`
  // and the page's catalog view: kind ("gpus", "models", ...) -> JSON array text.
  std::map<std::string, std::string> entries_json;
  // Image, speech and embedding models, engines, measured results and fits (workloads.json).
  WorkloadCatalog workloads;

  const Gpu* gpu(std::string_view id) const;
  const Model* model(std::string_view id) const;
  const WeightFormat* weight_format(std::string_view id) const;
  const KvFormat* kv_format(std::string_view id) const;
  const Engine* engine(std::string_view id) const;
  const Interconnect* interconnect(std::string_view id) const;
  const MigGpu* mig_gpu(std::string_view gpu_id) const;  // nullptr: no MIG data for this GPU
  bool operator==(const Catalog&) const = default;
};

}  // namespace gpufit
