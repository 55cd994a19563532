// The catalog entries' fields: one table per kind of entry, bound to its struct. The same GPU and
// model tables read inline scenario objects, so an edited catalog entry passes back as one.
#include "catalog_schema.hpp"

namespace gpufit::detail {

namespace {

using T = FieldType;
using R = NumRule;

constexpr double kMaxMemoryGb = 1e5;  // 100 TB on one device: far beyond any GPU
constexpr double kMaxBandwidthGbs = 1e6;
constexpr double kMaxTflops = 1e6;
constexpr double kMaxWatts = 1e5;
constexpr double kMaxParams = 1e14;  // 100 trillion parameters
constexpr double kMaxContextTokens = 1u << 30;
constexpr double kMaxDim = 1 << 20;
constexpr double kMaxLayers = 4096;
constexpr double kMaxExperts = 65536;

}  // namespace

Table<Gpu> gpu_table() {
  // One field per line, read as a table.
  // clang-format off
  static constexpr Bound<Gpu> kTable[] = {
      {{"id", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "stable id (h100-sxm); required in the catalog"}, &Gpu::id},
      {{"name", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "marketing name (default: the id)"}, &Gpu::name},
      {{"vendor", T::kEnum, "", R::kAny, 0, 0, "nvidia|amd|intel", "\"nvidia\"", false, "", "", "maker"}, &Gpu::vendor},
      {{"architecture", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "turing, ampere, ada, hopper, blackwell, cdna3, ..."}, &Gpu::architecture},
      {{"release_year", T::kInteger, "", R::kPositive, 1990, 2100, "", "", false, "", "", "year of release"}, &Gpu::release_year},
      {{"memory_gb", T::kNumber, "GB", R::kPositive, 0, kMaxMemoryGb, "", "", true, "", "", "nominal memory as marketed"}, &Gpu::memory_gb},
      {{"memory_type", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "HBM3, GDDR6, ..."}, &Gpu::memory_type},
      {{"usable_memory_gb", T::kNumber, "GB", R::kPositive, 0, kMaxMemoryGb, "", "", false, "", "",
        "memory the driver reports as the device total (default: memory_gb); at most 15% above memory_gb"}},
      {{"usable_memory_note", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "how usable_memory_gb was derived"}, &Gpu::usable_memory_note},
      {{"memory_bandwidth_gbs", T::kNumber, "GB/s", R::kPositive, 0, kMaxBandwidthGbs, "", "", true, "", "", "datasheet peak DRAM bandwidth"}, &Gpu::memory_bandwidth_gbs},
      {{"fp16_tflops", T::kNumber, "TFLOPS", R::kPositive, 0, kMaxTflops, "", "", true, "", "",
        "dense FP16 tensor peak with FP32 accumulate (never the with-sparsity figure)"}, &Gpu::fp16_tflops},
      {{"fp16_acc16_tflops", T::kNumber, "TFLOPS", R::kPositive, 0, kMaxTflops, "", "", false, "", "",
        "dense FP16 tensor peak with FP16 accumulate, where it differs (GeForce)"}, &Gpu::fp16_acc16_tflops},
      {{"bf16_tflops", T::kNumber, "TFLOPS", R::kPositive, 0, kMaxTflops, "", "", false, "", "", "dense BF16 tensor peak; null where unsupported"}, &Gpu::bf16_tflops},
      {{"fp8_tflops", T::kNumber, "TFLOPS", R::kPositive, 0, kMaxTflops, "", "", false, "", "", "dense FP8 tensor peak; null where unsupported"}, &Gpu::fp8_tflops},
      {{"int8_tops", T::kNumber, "TOPS", R::kPositive, 0, kMaxTflops, "", "", false, "", "", "dense INT8 tensor peak; null where unsupported"}, &Gpu::int8_tops},
      {{"fp32_tflops", T::kNumber, "TFLOPS", R::kPositive, 0, kMaxTflops, "", "", false, "", "", "non-tensor FP32 peak"}, &Gpu::fp32_tflops},
      {{"matmul_efficiency", T::kNumber, "", R::kPositive, 0, 1, "", "", false, "", "",
        "largest dense BF16 matmul rate measured (maximum achievable matmul FLOPS) over the dense BF16 peak; absent: the median of the GPUs measured"}, &Gpu::matmul_efficiency},
      {{"tdp_w", T::kNumber, "W", R::kPositive, 0, kMaxWatts, "", "", true, "", "", "board power (TGP/TBP/max TDP)"}, &Gpu::tdp_w},
      {{"idle_w", T::kNumber, "W", R::kPositive, 0, kMaxWatts, "", "", false, "", "", "board power at rest, measured (nvidia-smi); absent: a share of TDP"}, &Gpu::idle_w},
      {{"form_factor", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "SXM5, PCIe, OAM, ..."}, &Gpu::form_factor},
      {{"slots", T::kInteger, "", R::kPositive, 1, 8, "", "", false, "", "", "PCIe slots occupied; null for SXM/OAM"}, &Gpu::slots},
      {{"pcie_gen", T::kInteger, "", R::kPositive, 1, 7, "", "4", false, "", "", "host interface generation"}, &Gpu::pcie_gen},
      {{"pcie_lanes", T::kInteger, "", R::kPositive, 1, 32, "", "16", false, "", "", "host interface lanes"}, &Gpu::pcie_lanes},
      {{"nvlink_bandwidth_gbs", T::kNumber, "GB/s", R::kPositive, 0, kMaxBandwidthGbs, "", "", false, "", "",
        "NVLink bandwidth per GPU, both directions summed; null without NVLink"}, &Gpu::nvlink_bandwidth_gbs},
      {{"nvlink_max_gpus", T::kInteger, "GPUs", R::kPositive, 2, 1024, "", "", false, "", "",
        "GPUs one NVLink domain joins (2 for a bridge, 8 for HGX; default 8 with NVLink)"}, &Gpu::nvlink_max_gpus},
      {{"xgmi_bandwidth_gbs", T::kNumber, "GB/s", R::kPositive, 0, kMaxBandwidthGbs, "", "", false, "", "",
        "AMD Infinity Fabric peer bandwidth per GPU, both directions"}, &Gpu::xgmi_bandwidth_gbs},
      {{"mig_profiles", T::kStringArray, "", R::kAny, 0, 0, "", "", false, "", "", "MIG profile names; [] without MIG"}, &Gpu::mig_profiles},
      {{"video_engines", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "NVENC/NVDEC/JPEG engines"}, &Gpu::video_engines},
      {{"nvdec_count", T::kInteger, "", R::kNonNegative, 0, 64, "", "", false, "", "", "hardware video decoders (NVDEC); absent: not sourced"}, &Gpu::nvdec_count},
      {{"nvenc_count", T::kInteger, "", R::kNonNegative, 0, 64, "", "", false, "", "", "hardware video encoders (NVENC); absent: not sourced"}, &Gpu::nvenc_count},
      {{"nvjpg_count", T::kInteger, "", R::kNonNegative, 0, 64, "", "", false, "", "", "hardware JPEG decoders (NVJPG); absent: not sourced"}, &Gpu::nvjpg_count},
      {{"purchase_price_usd", T::kNumber, "USD", R::kPositive, 0, 1e8, "", "", false, "", "", "typical price of one card"}, &Gpu::purchase_price_usd},
      {{"source", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "datasheet URL; required in the catalog"}, &Gpu::source},
      {{"field_sources", T::kMap, "", R::kAny, 0, 0, "string", "", false, "", "", "field -> source for figures not in source"}},
      {{"notes", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "free text"}, &Gpu::notes},
  };
  // clang-format on
  return kTable;
}

Table<Model> model_table() {
  // One field per line, read as a table.
  // clang-format off
  static constexpr Bound<Model> kTable[] = {
      {{"id", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "stable id (llama-3.1-8b); required in the catalog"}, &Model::id},
      {{"name", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "display name (default: the id)"}, &Model::name},
      {{"hf_config", T::kObject, "", R::kAny, 0, 0, "", "", false, "", "",
        "a published Hugging Face config.json, instead of the shape fields"}},
      {{"file_source", T::kObject, "", R::kAny, 0, 0, "", "", false, "", "",
        "weights read from files' headers (written by gpucalc inspect / inspect_header_json): {kind, id, "
        "weights_bytes_by_dtype, bytes_fetched, weights, embedding_bytes, routed_expert_bytes}; their bytes are used "
        "when weights is the files' format"}},
      {{"family", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "the config's model_type (llama, qwen2, ...)"}, &Model::family},
      {{"architecture", T::kEnum, "", R::kAny, 0, 0, "decoder|encoder", "\"decoder\"", false, "", "",
        "encoders (embedding models) have no KV cache and no decode"}},
      {{"params", T::kCount, "parameters", R::kPositive, 1, kMaxParams, "", "", true, "", "", "total parameters (memory)", false, "Parameters"}, &Model::params},
      {{"active_params", T::kCount, "parameters", R::kPositive, 1, kMaxParams, "", "", false, "", "",
        "parameters used per token (MoE; default: params)", false, "Active parameters"}},
      {{"layers", T::kInteger, "", R::kPositive, 1, kMaxLayers, "", "", true, "", "", "num_hidden_layers", false, "Layers"}, &Model::layers},
      {{"hidden_size", T::kInteger, "", R::kPositive, 1, kMaxDim, "", "", true, "", "", "hidden size", false, "Hidden size"}, &Model::hidden_size},
      {{"intermediate_size", T::kInteger, "", R::kPositive, 1, kMaxDim, "", "0", false, "", "", "dense MLP width (default: derived)"}, &Model::intermediate_size},
      {{"attention_heads", T::kInteger, "", R::kPositive, 1, kMaxDim, "", "", true, "", "", "num_attention_heads", false, "Attention heads"}, &Model::attention_heads},
      {{"kv_heads", T::kInteger, "", R::kPositive, 1, kMaxDim, "", "", false, "", "",
        "num_key_value_heads (1 for MQA; default: attention_heads); must divide attention_heads", false, "KV heads"}},
      {{"head_dim", T::kInteger, "", R::kPositive, 1, kMaxDim, "", "0", false, "", "", "per-head dimension (default: hidden / heads)", false, "Head dim"}, &Model::head_dim},
      {{"vocab_size", T::kInteger, "", R::kPositive, 1, 1 << 24, "", "", true, "", "", "vocabulary size", false, "Vocabulary"}, &Model::vocab_size},
      {{"max_context_tokens", T::kCount, "tokens", R::kPositive, 1, kMaxContextTokens, "", "0", false, "", "",
        "trained context (max_position_embeddings)", false, "Max context"}, &Model::max_context_tokens},
      {{"tie_word_embeddings", T::kBool, "", R::kAny, 0, 0, "", "false", false, "", "", "output head shares the embedding matrix"}, &Model::tie_word_embeddings},
      {{"sliding_window_tokens", T::kCount, "tokens", R::kPositive, 1, kMaxContextTokens, "", "0", false, "", "",
        "window of the sliding-window layers"}, &Model::sliding_window_tokens},
      {{"sliding_window_layers", T::kInteger, "", R::kNonNegative, 0, kMaxLayers, "", "0", false, "", "",
        "layers that use the window"}, &Model::sliding_window_layers},
      {{"experts", T::kInteger, "", R::kPositive, 1, kMaxExperts, "", "0", false, "", "", "routed experts (MoE)", false, "Experts"}, &Model::experts},
      {{"experts_per_token", T::kInteger, "", R::kPositive, 1, kMaxExperts, "", "0", false, "", "", "experts each token uses (MoE)", false, "Experts per token"}, &Model::experts_per_token},
      {{"shared_experts", T::kInteger, "", R::kNonNegative, 0, kMaxExperts, "", "0", false, "", "", "always-on experts (MoE)"}, &Model::shared_experts},
      {{"expert_intermediate_size", T::kInteger, "", R::kPositive, 1, kMaxDim, "", "0", false, "", "", "one expert's MLP width"}, &Model::expert_intermediate_size},
      {{"kv_lora_rank", T::kInteger, "", R::kPositive, 1, kMaxDim, "", "0", false, "", "", "DeepSeek MLA latent rank"}, &Model::kv_lora_rank},
      {{"qk_rope_head_dim", T::kInteger, "", R::kPositive, 1, kMaxDim, "", "0", false, "", "", "DeepSeek MLA rope dimension"}, &Model::qk_rope_head_dim},
      {{"attention_params", T::kCount, "parameters", R::kPositive, 1, kMaxParams, "", "", false, "", "",
        "attention parameters of all layers, where the shape alone does not give them"}, &Model::attention_params},
      {{"expert_params", T::kCount, "parameters", R::kPositive, 1, kMaxParams, "", "", false, "", "",
        "parameters in all routed experts together"}, &Model::expert_params},
      {{"source", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "the published config.json URL; required in the catalog"}, &Model::source},
      {{"field_sources", T::kMap, "", R::kAny, 0, 0, "string", "", false, "", "", "field -> source"}},
      {{"notes", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "free text"}, &Model::notes},
  };
  // clang-format on
  return kTable;
}

Table<Engine> engine_table() {
  // One field per line, read as a table.
  // clang-format off
  static constexpr Bound<Engine> kTable[] = {
      {{"id", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "stable id (vllm)"}, &Engine::id},
      {{"name", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "display name"}, &Engine::name},
      {{"version", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "version the figures describe"}, &Engine::version},
      {{"bandwidth_efficiency", T::kNumber, "", R::kFraction, 0, 1, "", "", true, "", "",
        "achieved fraction of peak DRAM bandwidth in decode"}, &Engine::bandwidth_efficiency},
      {{"hbm_bandwidth_efficiency", T::kNumber, "", R::kFraction, 0, 1, "", "", false, "", "",
        "the same on HBM GPUs, where it differs"}, &Engine::hbm_bandwidth_efficiency},
      {{"compute_efficiency", T::kNumber, "", R::kFraction, 0, 1, "", "", true, "", "",
        "achieved fraction of the tensor peak at 100 TFLOPS"}, &Engine::compute_efficiency},
      {{"compute_scaling", T::kNumber, "", R::kNonNegative, 0, 1, "", "0", false, "", "",
        "achieved = compute_efficiency x peak x (peak / 100 TFLOPS)^-compute_scaling"}, &Engine::compute_scaling},
      {{"fp16_accumulate", T::kEnum, "", R::kAny, 0, 0, "fp32|fp16", "\"fp32\"", false, "", "",
        "fp16 for engines whose FP16 GEMMs accumulate in FP16"}},
      {{"step_overhead_ms", T::kNumber, "ms", R::kNonNegative, 0, 1000, "", "", true, "", "", "fixed time per forward pass"}, &Engine::step_overhead_ms},
      {{"sequence_overhead_us", T::kNumber, "us", R::kNonNegative, 0, 1e6, "", "0", false, "", "",
        "time per sequence per decode step (sampling, bookkeeping)"}, &Engine::sequence_overhead_us},
      {{"layer_overhead_us", T::kNumber, "us", R::kNonNegative, 0, 1e4, "", "0", false, "", "",
        "time per layer per forward pass (kernel launches), added to step_overhead_ms"}, &Engine::layer_overhead_us},
      {{"sequence_scaling", T::kNumber, "", R::kNonNegative, 0, 2, "", "0", false, "", "",
        "per-sequence time x (memory bandwidth / 1000 GB/s)^-sequence_scaling"}, &Engine::sequence_scaling},
      {{"memory_reserve_fraction", T::kNumber, "", R::kUnit, 0, 1, "", "", true, "", "",
        "share of usable memory the engine leaves unallocated"}, &Engine::memory_reserve_fraction},
      {{"runtime_overhead_gb", T::kNumber, "GB", R::kNonNegative, 0, 1000, "", "", true, "", "",
        "CUDA context, workspaces and graphs per GPU"}, &Engine::runtime_overhead_gb},
      {{"activation_chunk_tokens", T::kNumber, "tokens", R::kNonNegative, 0, 1e7, "", "", true, "", "",
        "tokens of one forward pass the engine plans for (0: the batch)"}, &Engine::activation_chunk_tokens},
      {{"max_sequences", T::kInteger, "sequences", R::kNonNegative, 0, 1e6, "", "0", false, "", "",
        "sequences one step holds at most by default (0: as many as the KV cache holds)"}, &Engine::max_sequences},
      {{"large_gpu_memory_gib", T::kNumber, "GiB", R::kNonNegative, 0, 1e5, "", "0", false, "", "",
        "GPUs with at least this much memory get the large_gpu defaults (0: none)"}, &Engine::large_gpu_memory_gib},
      {{"large_gpu_excluded_name", T::kString, "", R::kAny, 0, 0, "", "", false, "", "",
        "a GPU whose name contains this keeps the smaller defaults"}, &Engine::large_gpu_excluded_name},
      {{"large_gpu_chunk_tokens", T::kNumber, "tokens", R::kNonNegative, 0, 1e7, "", "0", false, "", "",
        "tokens of one forward pass on a large GPU (replaces activation_chunk_tokens there)"}, &Engine::large_gpu_chunk_tokens},
      {{"large_gpu_max_sequences", T::kInteger, "sequences", R::kNonNegative, 0, 1e6, "", "0", false, "", "",
        "sequences one step holds at most on a large GPU"}, &Engine::large_gpu_max_sequences},
      {{"training_mfu", T::kNumber, "", R::kFraction, 0, 1, "", "0.35", false, "", "",
        "model-FLOPs utilization assumed for fine-tuning"}, &Engine::training_mfu},
      {{"multi_gpu", T::kEnum, "", R::kAny, 0, 0, "tensor|layer", "\"tensor\"", false, "", "",
        "tensor parallel, or layers split across GPUs run one after another"}, &Engine::multi_gpu},
      {{"weight_formats", T::kStringArray, "", R::kAny, 0, 0, "", "", false, "", "", "formats it runs; empty = all"}, &Engine::weight_formats},
      {{"vendors", T::kStringArray, "", R::kAny, 0, 0, "", "", false, "", "", "GPU vendors it runs on; empty = all"}, &Engine::vendors},
      {{"fitted_on", T::kStringArray, "", R::kAny, 0, 0, "", "", false, "", "", "benchmark ids the factors were fitted on"}, &Engine::fitted_on},
      {{"validation", T::kMap, "", R::kAny, 0, 0, "string", "", false, "", "", "kind -> error figures in words"}},
      {{"error_pct", T::kMap, "%", R::kAny, 0, 0, "number", "", false, "", "", "kind -> cross-validated median absolute error"}},
      {{"fit", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "how the factors were fitted"}},
      {{"source", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "documentation of the memory behaviour"}, &Engine::source},
      {{"field_sources", T::kMap, "", R::kAny, 0, 0, "string", "", false, "", "", "field -> source"}},
      {{"notes", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "free text"}, &Engine::notes},
  };
  // clang-format on
  return kTable;
}

Table<Interconnect> interconnect_table() {
  // One field per line, read as a table.
  // clang-format off
  static constexpr Bound<Interconnect> kTable[] = {
      {{"id", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "nvlink, pcie, xgmi"}, &Interconnect::id},
      {{"name", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "display name"}, &Interconnect::name},
      {{"allreduce_latency_us", T::kNumber, "us", R::kPositive, 0, 1e6, "", "", true, "", "", "per all-reduce of a small message"}, &Interconnect::allreduce_latency_us},
      {{"bandwidth_efficiency", T::kNumber, "", R::kFraction, 0, 1, "", "", true, "", "", "achieved share of one direction's bandwidth"}, &Interconnect::bandwidth_efficiency},
      {{"source", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "where the figures come from"}, &Interconnect::source},
      {{"notes", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "free text"}},
  };
  // clang-format on
  return kTable;
}

Table<Price> price_table() {
  // One field per line, read as a table.
  // clang-format off
  static constexpr Bound<Price> kTable[] = {
      {{"provider", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "cloud or reseller"}, &Price::provider},
      {{"gpu", T::kId, "", R::kAny, 0, 0, "gpus", "", true, "", "", "a gpus.json id"}, &Price::gpu},
      {{"usd_per_hour", T::kNumber, "USD/h", R::kPositive, 0, 1e4, "", "", true, "", "", "per GPU"}, &Price::usd_per_hour},
      {{"pricing", T::kEnum, "", R::kAny, 0, 0, "on_demand|spot|reserved", "", true, "", "", "pricing type"}, &Price::pricing},
      {{"date_seen", T::kDate, "", R::kAny, 0, 0, "", "", true, "", "", "when the price was read"}, &Price::date_seen},
      {{"source", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "the price page"}, &Price::source},
      {{"region", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "region, where it matters"}},
      {{"notes", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "bundle size, region, ..."}, &Price::notes},
  };
  // clang-format on
  return kTable;
}

Table<Benchmark> benchmark_table() {
  // One field per line, read as a table.
  // clang-format off
  static constexpr Bound<Benchmark> kTable[] = {
      {{"id", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "stable id"}, &Benchmark::id},
      {{"kind", T::kEnum, "", R::kAny, 0, 0, "decode|prefill|serving|power|memory|serving_load", "", true, "", "",
        "what was measured"}, &Benchmark::kind},
      {{"engine", T::kId, "", R::kAny, 0, 0, "engines", "", false, "", "", "engine id (required but for memory)"}, &Benchmark::engine},
      {{"engine_version", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "build or version"}, &Benchmark::engine_version},
      {{"gpu", T::kId, "", R::kAny, 0, 0, "gpus", "", false, "", "", "gpus.json id (required but for memory)"}, &Benchmark::gpu},
      {{"gpu_count", T::kInteger, "GPUs", R::kPositive, 1, 1024, "", "1", false, "", "", "tensor-parallel count"}, &Benchmark::gpu_count},
      {{"model", T::kId, "", R::kAny, 0, 0, "models", "", true, "", "", "models.json id"}, &Benchmark::model},
      {{"weights", T::kId, "", R::kAny, 0, 0, "formats", "", true, "", "", "weight format id"}, &Benchmark::weights},
      {{"kv_cache", T::kId, "", R::kAny, 0, 0, "kv_cache_formats", "\"fp16\"", false, "", "", "KV-cache format id"}, &Benchmark::kv_cache},
      {{"batch_size", T::kNumber, "sequences", R::kPositive, 0, 1e7, "", "", false, "", "", "as the source states it"}, &Benchmark::batch_size},
      {{"prompt_tokens", T::kNumber, "tokens", R::kNonNegative, 0, 1e8, "", "", false, "", "", "as the source states it"}, &Benchmark::prompt_tokens},
      {{"output_tokens", T::kNumber, "tokens", R::kNonNegative, 0, 1e8, "", "", false, "", "", "as the source states it"}, &Benchmark::output_tokens},
      {{"context_tokens", T::kNumber, "tokens", R::kNonNegative, 0, 1e8, "", "", false, "", "", "as the source states it"}, &Benchmark::context_tokens},
      {{"value", T::kNumber, "", R::kPositive, 0, 1e15, "", "", true, "", "", "the measured figure, in unit"}, &Benchmark::value},
      {{"unit", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "tokens_per_s, w, bytes"}, &Benchmark::unit},
      {{"source", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "URL (repository + file at a commit, or page)"}, &Benchmark::source},
      {{"date", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "date or version"}, &Benchmark::date},
      {{"notes", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "settings that matter"}, &Benchmark::notes},
      {{"excluded", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "why it is shown but not fitted or validated on"}, &Benchmark::excluded},
      {{"concurrency", T::kNumber, "users", R::kPositive, 0, 1e7, "", "", false, "", "", "serving_load: closed-loop users (max concurrency)"}, &Benchmark::concurrency},
      {{"request_rate_per_s", T::kNumber, "requests/s", R::kPositive, 0, 1e7, "", "", false, "", "", "serving_load: Poisson arrival rate"}, &Benchmark::request_rate_per_s},
      {{"length_cv", T::kNumber, "", R::kNonNegative, 0, 10, "", "", false, "", "", "serving_load: coefficient of variation of the lengths (a dataset's spread)"}, &Benchmark::length_cv},
      {{"requests", T::kNumber, "requests", R::kPositive, 0, 1e9, "", "", false, "", "", "serving_load: requests sent"}, &Benchmark::requests},
      {{"ttft_mean_ms", T::kNumber, "ms", R::kPositive, 0, 1e9, "", "", false, "", "", "serving_load: mean time to first token"}, &Benchmark::ttft_mean_ms},
      {{"ttft_p50_ms", T::kNumber, "ms", R::kPositive, 0, 1e9, "", "", false, "", "", "serving_load: median time to first token"}, &Benchmark::ttft_p50_ms},
      {{"ttft_p99_ms", T::kNumber, "ms", R::kPositive, 0, 1e9, "", "", false, "", "", "serving_load: 99th-percentile time to first token"}, &Benchmark::ttft_p99_ms},
      {{"tpot_mean_ms", T::kNumber, "ms", R::kPositive, 0, 1e9, "", "", false, "", "", "serving_load: mean time per output token (or inter-token latency)"}, &Benchmark::tpot_mean_ms},
      {{"tpot_p50_ms", T::kNumber, "ms", R::kPositive, 0, 1e9, "", "", false, "", "", "serving_load: median time per output token"}, &Benchmark::tpot_p50_ms},
      {{"tpot_p99_ms", T::kNumber, "ms", R::kPositive, 0, 1e9, "", "", false, "", "", "serving_load: 99th-percentile time per output token"}, &Benchmark::tpot_p99_ms},
      {{"phase", T::kEnum, "", R::kAny, 0, 0, "decode|prefill|serving", "", false, "", "", "power readings: what the GPU did (default serving: prompts and outputs mixed)"}, &Benchmark::phase},
      {{"measured_by", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "who measured"}},
      {{"field_sources", T::kMap, "", R::kAny, 0, 0, "string", "", false, "", "", "field -> source"}},
      {{"mig_profile", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "measured on this MIG slice (1g.10gb); absent = the whole GPU"}, &Benchmark::mig_profile},
  };
  // clang-format on
  return kTable;
}

Table<WeightFormat> weight_format_table() {
  // One field per line, read as a table.
  // clang-format off
  static constexpr Bound<WeightFormat> kTable[] = {
      {{"id", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "format id (bf16, int4, q4_k_m)"}, &WeightFormat::id},
      {{"name", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "display name"}, &WeightFormat::name},
      {{"kind", T::kEnum, "", R::kAny, 0, 0, "float|gguf|awq_gptq|bnb|fp8|int8|mxfp4", "", true, "", "", "family of the format"}, &WeightFormat::kind},
      {{"bits_per_weight", T::kNumber, "bits", R::kPositive, 0, 64, "", "", true, "", "",
        "bits per weight of the main block layout, scales and zero-points included"}, &WeightFormat::bits_per_weight},
      {{"ggml_type", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "GGUF presets: the main block type"}},
      {{"compute", T::kEnum, "", R::kAny, 0, 0, "fp32|fp16|fp8|int8", "", true, "", "", "precision the matrix multiplies run in"}},
      {{"layout", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "how the bits are laid out"}, &WeightFormat::layout},
      {{"tensor_overrides", T::kArray, "", R::kAny, 0, 0, "tensor_override", "", false, "", "", "tensors kept at another precision"}},
      {{"source", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "where the layout comes from"}, &WeightFormat::source},
      {{"notes", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "free text"}, &WeightFormat::notes},
  };
  // clang-format on
  return kTable;
}

Table<KvFormat> kv_format_table() {
  // One field per line, read as a table.
  // clang-format off
  static constexpr Bound<KvFormat> kTable[] = {
      {{"id", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "format id (fp16, fp8, q8_0)"}, &KvFormat::id},
      {{"name", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "display name"}, &KvFormat::name},
      {{"bits_per_value", T::kNumber, "bits", R::kPositive, 0, 64, "", "", true, "", "", "bits per cached value, scales included"}, &KvFormat::bits_per_value},
      {{"source", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "where the layout comes from"}, &KvFormat::source},
      {{"notes", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "free text"}},
  };
  // clang-format on
  return kTable;
}

std::span<const FieldSpec> ggml_type_specs() {
  static constexpr FieldSpec kSpecs[] = {
      {"id", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "llama.cpp block type (Q4_K)"},
      {"bits_per_weight", T::kNumber, "bits", R::kPositive, 0, 64, "", "", true, "", "",
       "from the block struct, scales included"},
      {"block_weights", T::kInteger, "weights", R::kPositive, 1, 4096, "", "", true, "", "",
       "a tensor row must hold whole blocks"},
      {"fallback", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "type used when a row does not"},
      {"layout", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "the block struct"},
      {"source", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "ggml source"},
  };
  return kSpecs;
}

std::span<const FieldSpec> tensor_override_specs() {
  static constexpr FieldSpec kSpecs[] = {
      {"tensor", T::kEnum, "", R::kAny, 0, 0,
       "embedding|output|attn_q|attn_k|attn_v|attn_o|attn_other|attn|ffn_gate|ffn_up|ffn_down|experts|non_experts|"
       "other",
       "", true, "", "", "tensor role"},
      {"type", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "ggml block type"},
      {"bits_per_weight", T::kNumber, "bits", R::kPositive, 0, 64, "", "", true, "", "",
       "bits per weight of that tensor"},
      {"layers", T::kString, "", R::kAny, 0, 0, "", "\"all\"", false, "", "",
       "all | more_bits | first_<n> | first_fraction_<k>"},
      {"when", T::kEnum, "", R::kAny, 0, 0, "experts_8|type_70b|gqa_ge_4", "", false, "", "",
       "a condition on the model"},
      {"why", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "free text"},
      {"notes", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "free text"},
  };
  return kSpecs;
}

}  // namespace gpufit::detail
