// The scenario's fields: the one place each is named, typed, bounded, defaulted and documented.
#include "scenario_schema.hpp"

namespace gpufit::detail {

namespace {

using T = FieldType;
using R = NumRule;

constexpr double kMaxTokens = 1u << 30;  // ~1.07 billion tokens: beyond any sense for one sequence

}  // namespace

const std::vector<Bound<Scenario>>& scenario_table() {
  static const std::vector<Bound<Scenario>> kTable = {
      // --- what runs where --------------------------------------------------------------------
      {{"model", T::kIdOrObject, "", R::kAny, 0, 0, "models", "", true, "model", "model",
        "a catalog model id (llama-3.1-8b), or an object: the native shape, or {\"hf_config\": {...}} holding a "
        "published config.json"}},
      {{"weights", T::kId, "", R::kAny, 0, 0, "formats", "\"bf16\"", false, "weights", "model",
        "weight format id (bf16, fp8, int4, q4_k_m, ...); nf4 when mode is qlora"}},
      {{"kv_cache", T::kId, "", R::kAny, 0, 0, "kv_cache_formats", "\"fp16\"", false, "kv-cache", "model",
        "KV-cache format id (fp16, fp8, q8_0, q4_0)"},
       &Scenario::kv_cache},
      {{"gpu", T::kIdOrObject, "", R::kAny, 0, 0, "gpus", "", true, "gpus", "hardware",
        "a catalog GPU id (h100-sxm), or an object with at least memory_gb, memory_bandwidth_gbs, fp16_tflops and "
        "tdp_w"}},
      {{"gpu_count", T::kInteger, "GPUs", R::kPositive, 1, 64, "", "1", false, "gpu-count", "hardware",
        "GPUs per replica, tensor parallel"},
       &Scenario::gpu_count},
      {{"engine", T::kId, "", R::kAny, 0, 0, "engines", "\"vllm\"", false, "engine", "hardware",
        "serving engine id (vllm, tensorrt-llm, sglang, llama.cpp, ideal)"},
       &Scenario::engine},
      {{"mode", T::kEnum, "", R::kAny, 0, 0, "inference|lora|qlora|full_finetune", "\"inference\"", false, "mode",
        "workload", "inference, or a fine-tuning method"}},
      // --- the requests ----------------------------------------------------------------------
      {{"context_tokens", T::kCount, "tokens", R::kPositive, 1, kMaxTokens, "", "4096", false, "context", "workload",
        "tokens of KV cache per sequence"},
       &Scenario::context_tokens},
      {{"prompt_tokens", T::kInteger, "tokens", R::kNonNegative, 0, kMaxTokens, "", "1024", false, "prompt",
        "workload", "prompt tokens per request (prefill, TTFT, cost)"},
       &Scenario::prompt_tokens},
      {{"output_tokens", T::kCount, "tokens", R::kPositive, 1, kMaxTokens, "", "256", false, "output", "workload",
        "generated tokens per request"},
       &Scenario::output_tokens},
      {{"batch_size", T::kCount, "sequences", R::kPositive, 1, 1e6, "", "1", false, "batch", "workload",
        "sequences decoded together per replica"},
       &Scenario::batch_size},
      // --- traffic ---------------------------------------------------------------------------
      {{"users", T::kInteger, "users", R::kNonNegative, 0, 1e9, "", "", false, "users", "traffic",
        "concurrent users, for fleet sizing"},
       &Scenario::users},
      {{"min_tokens_per_s_per_user", T::kNumber, "tokens/s", R::kPositive, 0, 1e6, "", "", false,
        "tokens-per-user", "traffic", "the decode speed each user must get"},
       &Scenario::min_tokens_per_s_per_user},
      {{"tokens_per_day", T::kNumber, "tokens", R::kNonNegative, 0, 1e16, "", "", false, "", "traffic",
        "output tokens a day, for the daily and monthly cost"},
       &Scenario::tokens_per_day},
      // --- money -----------------------------------------------------------------------------
      {{"price_usd_per_hour", T::kNumber, "USD/h", R::kPositive, 0, 1e4, "", "", false, "price", "money",
        "your price per GPU-hour; overrides the catalog"},
       &Scenario::price_usd_per_hour},
      {{"provider", T::kString, "", R::kAny, 0, 0, "", "", false, "provider", "money",
        "take the catalog price of this provider (default: the median of the providers' newest prices)"},
       &Scenario::provider},
      {{"pricing", T::kEnum, "", R::kAny, 0, 0, "on_demand|spot|reserved", "\"on_demand\"", false, "pricing",
        "money", "which catalog prices"},
       &Scenario::pricing},
      {{"electricity_usd_per_kwh", T::kNumber, "USD/kWh", R::kNonNegative, 0, 100, "", "0.1", false, "", "power",
        "price of electricity"},
       &Scenario::electricity_usd_per_kwh},
      {{"pue", T::kNumber, "", R::kPositive, 1, 5, "", "1", false, "", "power",
        "power usage effectiveness: facility power over IT power"},
       &Scenario::pue},
      {{"utilization", T::kNumber, "", R::kUnit, 0, 1, "", "1", false, "", "power",
        "share of TDP the GPUs draw"},
       &Scenario::utilization},
      {{"power_budget_w", T::kNumber, "W", R::kPositive, 0, 1e10, "", "", false, "", "power",
        "a power budget, for how many GPUs it holds"},
       &Scenario::power_budget_w},
      {{"host_w_per_server", T::kNumber, "W", R::kNonNegative, 0, 1e6, "", "0", false, "", "power",
        "CPU, memory, fans and NICs of one server"},
       &Scenario::host_w_per_server},
      {{"gpus_per_server", T::kInteger, "GPUs", R::kPositive, 1, 64, "", "8", false, "", "power",
        "GPUs in one server"},
       &Scenario::gpus_per_server},
      // --- fine-tuning -----------------------------------------------------------------------
      {{"lora_rank", T::kInteger, "", R::kPositive, 1, 65536, "", "16", false, "", "finetune",
        "rank of the LoRA adapters"},
       &Scenario::lora_rank},
      {{"gradient_checkpointing", T::kBool, "", R::kAny, 0, 0, "", "true", false, "", "finetune",
        "recompute activations in the backward pass instead of keeping them"},
       &Scenario::gradient_checkpointing},
      {{"train_tokens", T::kNumber, "tokens", R::kPositive, 0, 1e16, "", "", false, "", "finetune",
        "tokens to train on, for the training time and cost"},
       &Scenario::train_tokens},
      {{"mfu", T::kNumber, "", R::kFraction, 0, 1, "", "", false, "", "finetune",
        "model-FLOPs utilization of fine-tuning (default: the training runtime's)"},
       &Scenario::mfu},
      {{"as_of_date", T::kDate, "", R::kAny, 0, 0, "", "", false, "", "money",
        "today's date, to flag catalog prices older than a year"},
       &Scenario::as_of_date},
  };
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
