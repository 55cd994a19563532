// The scenario's fields: the one place each is named, typed, bounded, defaulted and documented.
#include "scenario_schema.hpp"

namespace gpufit::detail {

namespace {

using T = FieldType;
using R = NumRule;

constexpr double kMaxTokens = 1u << 30;  // ~1.07 billion tokens: beyond any sense for one sequence

}  // namespace

Table<Scenario> scenario_table() {
  // One field per line, read as a table.
  // clang-format off
  static constexpr Bound<Scenario> kTable[] = {
      // --- what runs where --------------------------------------------------------------------
      {{"model", T::kIdOrObject, "", R::kAny, 0, 0, "models", "", true, "model", "model",
        "a catalog model id (llama-3.1-8b), or an object: the native shape, or {\"hf_config\": {...}} holding a "
        "published config.json", false, "Model", ""}},
      {{"weights", T::kId, "", R::kAny, 0, 0, "formats", "\"bf16\"", false, "weights", "model",
        "weight format id (bf16, fp8, int4, q4_k_m, ...); nf4 when mode is qlora", false, "Weight format", ""}},
      {{"kv_cache", T::kId, "", R::kAny, 0, 0, "kv_cache_formats", "\"fp16\"", false, "kv-cache", "model",
        "KV-cache format id (fp16, fp8, q8_0, q4_0)", false, "KV-cache format", ""},
       &Scenario::kv_cache},
      {{"gpu", T::kIdOrObject, "", R::kAny, 0, 0, "gpus", "", true, "gpus", "hardware",
        "a catalog GPU id (h100-sxm), or an object with at least memory_gb, memory_bandwidth_gbs, fp16_tflops and "
        "tdp_w", false, "GPU", ""}},
      {{"gpu_count", T::kInteger, "GPUs", R::kPositive, 1, 64, "", "1", false, "gpu-count", "hardware",
        "GPUs per replica, tensor parallel", false, "GPUs per replica", "choices 1 2 4 8 16 32 64"},
       &Scenario::gpu_count},
      {{"mig_profile", T::kString, "", R::kAny, 0, 0, "", "", false, "mig-profile", "hardware",
        "run on this MIG slice of the GPU (1g.10gb, 3g.40gb): its memory, its share of bandwidth and compute, its "
        "share of the card's price and power", false, "MIG slice", ""},
       &Scenario::mig_profile},
      {{"engine", T::kId, "", R::kAny, 0, 0, "engines", "\"vllm\"", false, "engine", "hardware",
        "serving engine id (vllm, tensorrt-llm, sglang, llama.cpp, ideal)", false, "Engine", ""},
       &Scenario::engine},
      {{"mode", T::kEnum, "", R::kAny, 0, 0, "inference|lora|qlora|full_finetune", "\"inference\"", false, "mode",
        "workload", "inference, or a fine-tuning method", false, "Mode", ""}},
      // --- the requests ----------------------------------------------------------------------
      {{"context_tokens", T::kCount, "tokens", R::kPositive, 1, kMaxTokens, "", "4096", false, "context", "workload",
        "tokens of KV cache per sequence", false, "Context per sequence", "slider log 256 131072"},
       &Scenario::context_tokens},
      {{"prompt_tokens", T::kInteger, "tokens", R::kNonNegative, 0, kMaxTokens, "", "1024", false, "prompt",
        "workload", "prompt tokens per request (prefill, TTFT, cost)", false, "Prompt per request", ""},
       &Scenario::prompt_tokens},
      {{"output_tokens", T::kCount, "tokens", R::kPositive, 1, kMaxTokens, "", "256", false, "output", "workload",
        "generated tokens per request", false, "Output per request", ""},
       &Scenario::output_tokens},
      {{"batch_size", T::kCount, "sequences", R::kPositive, 1, 1e6, "", "1", false, "batch", "workload",
        "sequences decoded together per replica", false, "Batch (concurrent sequences)", "slider log 1 1024"},
       &Scenario::batch_size},
      // --- traffic ---------------------------------------------------------------------------
      {{"users", T::kInteger, "users", R::kNonNegative, 0, 1e9, "", "", false, "users", "traffic",
        "concurrent users, for fleet sizing", false, "Concurrent users", ""},
       &Scenario::users},
      {{"min_tokens_per_s_per_user", T::kNumber, "tokens/s", R::kPositive, 0, 1e6, "", "", false,
        "tokens-per-user", "traffic", "the decode speed each user must get", false, "Speed each user needs", ""},
       &Scenario::min_tokens_per_s_per_user},
      {{"tokens_per_day", T::kNumber, "tokens", R::kNonNegative, 0, 1e16, "", "", false, "", "traffic",
        "output tokens a day, for the daily and monthly cost", false, "Traffic", ""},
       &Scenario::tokens_per_day},
      {{"load", T::kObject, "", R::kAny, 0, 0, "load", "", false, "", "traffic",
        "traffic offered to one replica: {\"concurrency\": N} users or {\"request_rate_per_s\": λ}, with length_cv",
        false, "Load", ""}},
      {{"slo", T::kObject, "", R::kAny, 0, 0, "slo", "", false, "", "traffic",
        "latency targets {\"ttft_p99_ms\", \"tpot_p99_ms\"}: the fleet is sized to meet them", false, "SLO", ""}},
      // --- money -----------------------------------------------------------------------------
      {{"price_usd_per_hour", T::kNumber, "USD/h", R::kPositive, 0, 1e4, "", "", false, "price", "money",
        "your price per GPU-hour; overrides the catalog", false, "Your price per GPU", ""},
       &Scenario::price_usd_per_hour},
      {{"provider", T::kString, "", R::kAny, 0, 0, "", "", false, "provider", "money",
        "take the catalog price of this provider (default: the median of the providers' newest prices)", false, "Provider", "options providers"},
       &Scenario::provider},
      {{"pricing", T::kEnum, "", R::kAny, 0, 0, "on_demand|spot|reserved", "\"on_demand\"", false, "pricing",
        "money", "which catalog prices", false, "Pricing", ""},
       &Scenario::pricing},
      {{"electricity_usd_per_kwh", T::kNumber, "USD/kWh", R::kNonNegative, 0, 100, "", "0.1", false, "", "power",
        "price of electricity", false, "Electricity", ""},
       &Scenario::electricity_usd_per_kwh},
      {{"pue", T::kNumber, "", R::kPositive, 1, 5, "", "1", false, "", "power",
        "power usage effectiveness: facility power over IT power", false, "PUE", ""},
       &Scenario::pue},
      {{"utilization", T::kNumber, "", R::kUnit, 0, 1, "", "", false, "", "power",
        "share of TDP the GPUs draw; overrides the draw modelled from the work (idle floor, bandwidth, tensor load)", false, "Utilization", "slider linear 0 1"},
       &Scenario::utilization},
      {{"power_budget_w", T::kNumber, "W", R::kPositive, 0, 1e10, "", "", false, "", "power",
        "a power budget, for how many GPUs it holds", false, "Power budget", ""},
       &Scenario::power_budget_w},
      {{"host_w_per_server", T::kNumber, "W", R::kNonNegative, 0, 1e6, "", "0", false, "", "power",
        "CPU, memory, fans and NICs of one server", false, "Host power per server", ""},
       &Scenario::host_w_per_server},
      {{"gpus_per_server", T::kInteger, "GPUs", R::kPositive, 1, 64, "", "8", false, "", "power",
        "GPUs in one server", false, "GPUs per server", ""},
       &Scenario::gpus_per_server},
      // --- fine-tuning -----------------------------------------------------------------------
      {{"lora_rank", T::kInteger, "", R::kPositive, 1, 65536, "", "16", false, "", "finetune",
        "rank of the LoRA adapters", false, "LoRA rank", ""},
       &Scenario::lora_rank},
      {{"gradient_checkpointing", T::kBool, "", R::kAny, 0, 0, "", "true", false, "", "finetune",
        "recompute activations in the backward pass instead of keeping them", false, "Gradient checkpointing", ""},
       &Scenario::gradient_checkpointing},
      {{"train_tokens", T::kNumber, "tokens", R::kPositive, 0, 1e16, "", "", false, "", "finetune",
        "tokens to train on, for the training time and cost", false, "Tokens to train on", ""},
       &Scenario::train_tokens},
      {{"mfu", T::kNumber, "", R::kFraction, 0, 1, "", "", false, "", "finetune",
        "model-FLOPs utilization of fine-tuning (default: the training runtime's)", false, "Model-FLOPs utilization", ""},
       &Scenario::mfu},
      // --- other workloads (core/src/*_workload.cpp) ----------------------------------------
      {{"workload", T::kEnum, "", R::kAny, 0, 0, "llm|image|speech|embedding", "\"llm\"", false, "workload", "workload",
        "what runs: text generation (llm), image generation, speech-to-text or embeddings", false, "Workload", ""},
       &Scenario::workload},
      {{"width", T::kInteger, "pixels", R::kPositive, 64, 8192, "", "", false, "width", "workload",
        "image: width of each image (default: the model's native size)", false, "Image width", ""},
       &Scenario::width},
      {{"height", T::kInteger, "pixels", R::kPositive, 64, 8192, "", "", false, "height", "workload",
        "image: height of each image (default: the model's native size)", false, "Image height", ""},
       &Scenario::height},
      {{"steps", T::kInteger, "steps", R::kPositive, 1, 1000, "", "", false, "steps", "workload",
        "image: denoising steps (default: the model's)", false, "Denoising steps", ""},
       &Scenario::steps},
      {{"offload", T::kEnum, "", R::kAny, 0, 0, "none|model", "\"none\"", false, "offload", "workload",
        "image: none keeps every component on the GPU; model moves one in at a time (diffusers' model CPU offload)",
        false, "Offloading", ""},
       &Scenario::offload},
      {{"audio_seconds", T::kNumber, "s", R::kPositive, 0, 1e8, "", "3600", false, "audio-seconds", "workload",
        "speech: seconds of audio per request", false, "Audio length", ""},
       &Scenario::audio_seconds},
      {{"beam_size", T::kInteger, "beams", R::kPositive, 1, 64, "", "5", false, "beam-size", "workload",
        "speech: beams of the decoder's search (1: greedy)", false, "Beam size", ""},
       &Scenario::beam_size},
      {{"sequence_tokens", T::kCount, "tokens", R::kPositive, 1, 1e6, "", "512", false, "sequence-tokens", "workload",
        "embedding: tokens per sequence embedded", false, "Tokens per sequence", ""},
       &Scenario::sequence_tokens},
      {{"as_of_date", T::kDate, "", R::kAny, 0, 0, "", "", false, "", "money",
        "today's date, to flag catalog prices older than a year", false, "Prices as of", "hidden"},
       &Scenario::as_of_date},
  };
  // clang-format on
  return kTable;
}

Table<Load> load_table() {
  // One field per line, read as a table.
  // clang-format off
  static constexpr Bound<Load> kTable[] = {
      {{"concurrency", T::kInteger, "users", R::kPositive, 1, 1e6, "", "", false, "", "traffic",
        "closed loop: users each sending the next request when the last ends", false, "Concurrent users", ""},
       &Load::concurrency},
      {{"request_rate_per_s", T::kNumber, "requests/s", R::kPositive, 0, 1e6, "", "", false, "", "traffic",
        "open loop: Poisson arrivals at this rate", false, "Request rate", ""},
       &Load::request_rate_per_s},
      {{"length_cv", T::kNumber, "", R::kNonNegative, 0, 10, "", "0", false, "", "traffic",
        "coefficient of variation of prompt and output lengths (log-normal; 0: fixed)", false, "Length spread", ""},
       &Load::length_cv},
      {{"requests", T::kInteger, "requests", R::kPositive, 1, 20000, "", "", false, "", "traffic",
        "a run of this many requests, all measured from the first arrival to the last token, as a benchmark's "
        "--num-prompts (empty: the steady state)", false, "Requests in the run", ""},
       &Load::requests},
  };
  // clang-format on
  return kTable;
}

Table<Slo> slo_table() {
  // One field per line, read as a table.
  // clang-format off
  static constexpr Bound<Slo> kTable[] = {
      {{"ttft_p99_ms", T::kNumber, "ms", R::kPositive, 0, 1e9, "", "", false, "", "traffic",
        "99th-percentile time to first token", false, "p99 TTFT", ""},
       &Slo::ttft_p99_ms},
      {{"tpot_p99_ms", T::kNumber, "ms", R::kPositive, 0, 1e9, "", "", false, "", "traffic",
        "99th-percentile time per output token", false, "p99 TPOT", ""},
       &Slo::tpot_p99_ms},
  };
  // clang-format on
  return kTable;
}

}  // namespace gpufit::detail

namespace gpufit {

Scenario default_scenario() {
  Scenario s;
  for (const auto& b : detail::scenario_table()) detail::apply_default(b, s);
  s.mode = Mode::kInference;
  return s;
}

}  // namespace gpufit
