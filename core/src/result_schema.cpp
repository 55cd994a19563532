// The result's fields, as result_json.cpp writes them: the contract a caller reads. Names are
// paths: "memory.weights_gb" sits in the object "memory"; "measured[].id" in each item of the
// array "measured"; "assumptions{}.value" in each member of the object "assumptions".
// tests/schema_test.cpp holds the writer to this table, both ways.
#include "result_schema.hpp"

#include <deque>
#include <string>
#include <vector>

#include "scenario_schema.hpp"

namespace gpufit::detail {

namespace {

using T = FieldType;
using R = NumRule;

constexpr FieldSpec num(std::string_view name, std::string_view unit, std::string_view doc, bool nullable = false) {
  FieldSpec f;
  f.name = name;
  f.type = T::kNumber;
  f.unit = unit;
  f.doc = doc;
  f.nullable = nullable;
  f.required = true;
  return f;
}
constexpr FieldSpec text(std::string_view name, std::string_view doc, bool nullable = false,
                         std::string_view words = "") {
  FieldSpec f;
  f.name = name;
  f.type = words.empty() ? T::kString : T::kEnum;
  f.words = words;
  f.doc = doc;
  f.nullable = nullable;
  f.required = true;
  return f;
}
constexpr FieldSpec flag(std::string_view name, std::string_view doc) {
  FieldSpec f;
  f.name = name;
  f.type = T::kBool;
  f.doc = doc;
  f.required = true;
  return f;
}
constexpr FieldSpec object(std::string_view name, std::string_view doc, bool required = true) {
  FieldSpec f;
  f.name = name;
  f.type = T::kObject;
  f.doc = doc;
  f.required = required;
  return f;
}
constexpr FieldSpec list(std::string_view name, std::string_view items, std::string_view doc, bool required = true) {
  FieldSpec f;
  f.name = name;
  f.type = items == "string" ? T::kStringArray : T::kArray;
  f.doc = doc;
  f.required = required;
  return f;
}
constexpr FieldSpec map(std::string_view name, std::string_view doc, bool required) {
  FieldSpec f;
  f.name = name;
  f.type = T::kMap;
  f.words = "object";
  f.doc = doc;
  f.required = required;
  return f;
}

std::span<const FieldSpec> before_echo();  // defined below result_specs(), which joins them
std::span<const FieldSpec> after_echo();

// The echo's fields (result_json.cpp's write_scenario_echo), from the scenario's tables: each row
// as the result carries it (an id for a catalog entry or an inline object, null for an optional
// value not given), named "scenario.<row>".
std::vector<FieldSpec> scenario_echo_specs() {
  static std::deque<std::string> names;  // the specs' names point here
  std::vector<FieldSpec> out;
  out.push_back(object("scenario", "the scenario as evaluated: ids resolved, defaults filled in"));
  const auto add = [&](const FieldSpec& row, const std::string& prefix, bool required) {
    FieldSpec f = row;
    f.name = names.emplace_back(prefix + std::string(row.name));
    f.required = required;
    f.default_json = {};
    f.attribute = {};
    f.label = {};
    f.ui = {};
    f.min = f.max = 0;
    f.rule = R::kAny;
    switch (row.type) {
      case T::kId:
      case T::kIdOrObject:
        f.type = T::kString;
        f.words = {};
        f.doc = "catalog id (custom: an inline entry)";
        break;
      case T::kObject:
        f.required = false;
        f.doc = "as given; absent when not given";
        break;
      case T::kEnum:
      case T::kBool:
        break;
      default:  // an optional value without a default reads back as null
        f.nullable = row.default_json.empty();
    }
    if (row.type == T::kInteger || row.type == T::kCount) f.type = T::kNumber;
    out.push_back(f);
  };
  for (const auto& b : scenario_table()) {
    add(b.spec, "scenario.", true);
    if (b.spec.name == "load")
      for (const auto& l : load_table()) add(l.spec, "scenario.load.", true);
    if (b.spec.name == "slo")
      for (const auto& l : slo_table()) add(l.spec, "scenario.slo.", true);
  }
  out.push_back(text("scenario.gpu_name", "GPU name"));
  out.push_back(
      text("scenario.compute_precision", "precision of the tensor peak used", false, "fp32|fp16|bf16|fp8|int8"));
  out.push_back(text("scenario.interconnect", "tensor-parallel link (null for one GPU)", true));
  return out;
}

}  // namespace

std::span<const FieldSpec> result_specs() {
  static const std::vector<FieldSpec> kAll = [] {
    std::vector<FieldSpec> all(before_echo().begin(), before_echo().end());
    const std::vector<FieldSpec> echo = scenario_echo_specs();
    all.insert(all.end(), echo.begin(), echo.end());
    all.insert(all.end(), after_echo().begin(), after_echo().end());
    return all;
  }();
  return kAll;
}

namespace {

std::span<const FieldSpec> before_echo() {
  static constexpr FieldSpec kSpecs[] = {
      flag("fits", "the replica holds weights, KV cache, activations and overheads"),
      object("memory", "per GPU of the replica"),
      num("memory.weights_gb", "GB", "weights"),
      num("memory.kv_cache_gb", "GB", "KV cache at batch_size x context_tokens"),
      num("memory.activations_gb", "GB", "activations and workspace"),
      num("memory.overhead_gb", "GB", "runtime: CUDA context, engine reserve"),
      num("memory.optimizer_gb", "GB", "optimizer states (fine-tuning)"),
      num("memory.gradients_gb", "GB", "gradients (fine-tuning)"),
      num("memory.total_gb", "GB", "everything above"),
      num("memory.available_gb", "GB", "usable memory of one GPU"),
      num("memory.free_gb", "GB", "available less total (negative: does not fit)"),
      FieldSpec{"memory.components", T::kMap, "GB", R::kAny, 0, 0, "number", "", false, "", "",
                "image, speech, embedding: what is resident per GPU, by component (GB)"},
      num("max_batch_size", "sequences", "largest batch that fits at context_tokens"),
      num("max_context_tokens", "tokens", "longest context that fits at batch_size"),
      num("min_gpus_to_fit", "GPUs", "fewest GPUs that hold the replica (null: not even 64)", true),
      object("decode", "one decode step at batch_size"),
      num("decode.tokens_per_s_per_sequence", "tokens/s", "what one user sees"),
      num("decode.tokens_per_s_total", "tokens/s", "all sequences together"),
      text("decode.bound", "what limits the step", false, "memory|compute"),
      num("decode.bound_switch_batch", "sequences", "smallest batch at which decode becomes compute-bound", true),
      num("decode.step_ms", "ms", "time of one step"),
      num("decode.memory_ms", "ms", "DRAM traffic at achieved bandwidth"),
      num("decode.compute_ms", "ms", "FLOPs at achieved tensor throughput"),
      num("decode.communication_ms", "ms", "tensor-parallel all-reduces"),
      num("decode.overhead_ms", "ms", "engine's per-step time"),
      object("prefill", "one prompt of prompt_tokens"),
      num("prefill.tokens_per_s", "tokens/s", "prompt tokens per second"),
      num("prefill.seconds", "s", "time to prefill one prompt"),
      text("prefill.bound", "what limits prefill", false, "memory|compute"),
      object("latency", "what one request sees"),
      num("latency.ttft_s", "s", "time to first token"),
      num("latency.time_per_output_token_ms", "ms", "time per output token"),
      num("latency.request_s", "s", "one request from admission to last token, served at batch_size"),
      object("serving", "one replica serving requests of prompt + output tokens, batch_size at a time"),
      num("serving.output_tokens_per_s", "tokens/s", "generated tokens per second, prefill included"),
      num("serving.input_tokens_per_s", "tokens/s", "prompt tokens per second"),
      num("serving.requests_per_s", "requests/s", "requests completed per second"),
      num("serving.batch_size", "sequences", "concurrent sequences"),
      object("serving_load", "with load: one replica under continuous batching (closed-loop users or Poisson arrivals)",
             false),
      num("serving_load.output_tokens_per_s", "tokens/s",
          "generated tokens per second in steady state (after a warm-up, before the drain); over the whole run "
          "with load.requests"),
      num("serving_load.requests_per_s", "requests/s",
          "completed requests per second in steady state (over the whole run with load.requests)"),
      object("serving_load.ttft_ms", "time to first token, queueing included"),
      num("serving_load.ttft_ms.mean", "ms", "mean"),
      num("serving_load.ttft_ms.p50", "ms", "median"),
      num("serving_load.ttft_ms.p90", "ms", "90th percentile"),
      num("serving_load.ttft_ms.p99", "ms", "99th percentile"),
      object("serving_load.tpot_ms", "time per output token after the first"),
      num("serving_load.tpot_ms.mean", "ms", "mean"),
      num("serving_load.tpot_ms.p50", "ms", "median"),
      num("serving_load.tpot_ms.p90", "ms", "90th percentile"),
      num("serving_load.tpot_ms.p99", "ms", "99th percentile"),
      object("serving_load.e2e_ms", "arrival to last token"),
      num("serving_load.e2e_ms.mean", "ms", "mean"),
      num("serving_load.e2e_ms.p50", "ms", "median"),
      num("serving_load.e2e_ms.p90", "ms", "90th percentile"),
      num("serving_load.e2e_ms.p99", "ms", "99th percentile"),
      object("serving_load.queue_ms", "arrival to admission"),
      num("serving_load.queue_ms.mean", "ms", "mean"),
      num("serving_load.queue_ms.p50", "ms", "median"),
      num("serving_load.queue_ms.p90", "ms", "90th percentile"),
      num("serving_load.queue_ms.p99", "ms", "99th percentile"),
      num("serving_load.kv_cache_utilization", "", "time-averaged share of the KV capacity holding tokens"),
      flag("serving_load.saturated", "open loop: the queue grows; closed loop: users wait for admission"),
      num("serving_load.kv_capacity_tokens", "tokens", "KV cache the replica holds"),
      num("serving_load.max_sequences", "sequences", "the engine's cap on running sequences"),
      num("serving_load.token_budget", "tokens", "tokens per step (chunked prefill budget)"),
      num("serving_load.mean_running", "sequences", "time-averaged sequences running"),
      num("serving_load.requests", "requests", "requests simulated (fixed seed)"),
      num("serving_load.measured_requests", "requests",
          "requests the figures count, after the warm-up (all of a load.requests run)"),
      object("cost", "money; every figure null without a price"),
      num("cost.usd_per_hour", "USD/h", "the replica's GPUs", true),
      num("cost.usd_per_million_tokens", "USD", "per million tokens counted (see assumptions.tokens_counted)", true),
      num("cost.tokens_per_s_per_usd_per_hour", "tokens/s per USD/h", "throughput per dollar-hour", true),
      num("cost.usd_per_day", "USD", "for tokens_per_day (else running all day)", true),
      num("cost.usd_per_month", "USD", "30.4 days of that", true),
      num("cost.replica_hours_per_day", "h", "hours of a replica tokens_per_day needs", true),
      num("cost.break_even_hours", "h", "rent hours that buy the GPUs (purchase price and power)", true),
      num("cost.usd_per_gpu_hour", "USD/h", "price per GPU", true),
      text("cost.provider", "provider of the catalog price", true),
      text("cost.pricing", "on_demand, spot or reserved", true),
      text("cost.price_date_seen", "when the catalog price was read", true),
      object("power", "what the GPUs draw"),
      num("power.watts", "W", "the replica's GPUs"),
      num("power.joules_per_token", "J", "board energy per token counted"),
      num("power.annual_energy_usd", "USD", "a year of that draw, PUE and price applied"),
      num("power.gpus_in_budget", "GPUs", "how many GPUs power_budget_w holds", true),
      num("power.tdp_w", "W", "one GPU's TDP"),
      num("power.fp16_tflops_per_w", "TFLOPS/W", "dense FP16 tensor peak over TDP"),
      num("power.fp32_tflops_per_w", "TFLOPS/W", "FP32 peak over TDP", true),
      num("power.decode_w", "W", "the replica's GPUs decoding batch_size sequences (null for encoders)", true),
      num("power.prefill_w", "W", "the replica's GPUs prefilling one prompt"),
      num("power.idle_w", "W", "the replica's GPUs at rest"),
      num("power.joules_per_request", "J", "board energy per request at the serving mix", true),
      num("power.joules_per_output_token", "J",
          "board energy per generated token, prefill included (null for encoders)", true),
      num("power.energy_usd_per_million_tokens", "USD", "electricity for a million tokens counted, PUE applied"),
      num("power.budget_w_per_gpu", "W",
          "what power_budget_w counts per GPU: the highest sustained draw (TDP with utilization)"),
      text("power.basis", "work: modelled from what the GPUs do; utilization: the scenario's share of TDP", false,
           "work|utilization"),
      num("power.typical_error_pct", "%",
          "median error of the modelled draw on measured sources left out of the fit (null with utilization)", true),
      object("fleet", "with users: replicas for N users at min_tokens_per_s_per_user", false),
      num("fleet.replicas", "replicas", "replicas needed (null: none can serve a user)", true),
      num("fleet.gpus_needed", "GPUs", "replicas x gpu_count", true),
      num("fleet.users_per_replica", "users", "users one replica serves"),
      num("fleet.usd_per_hour", "USD/h", "the fleet", true),
      num("fleet.tokens_per_s_per_user", "tokens/s", "what each user gets"),
      text("fleet.limited_by", "what caps users per replica (slo: sized by the SLO alone, no users given)", false,
           "memory|speed|users|slo"),
      num("fleet.max_rate_per_replica_within_slo", "requests/s",
          "with slo: the highest Poisson rate one replica serves within it (null: not even one request)", true),
      num("fleet.users_per_replica_within_slo", "users",
          "with slo and users: the most closed-loop users one replica serves within it", true),
      num("fleet.replicas_for_slo", "replicas",
          "with slo: replicas for load's rate, else for users (or load's concurrency)", true),
      num("fleet.gpus_for_slo", "GPUs", "replicas_for_slo x gpu_count", true),
      object("training", "fine-tuning with train_tokens", false),
      num("training.hours", "h", "time to train train_tokens"),
      num("training.usd", "USD", "at the replica's price", true),
      num("training.tokens_per_s", "tokens/s", "training throughput"),
      num("training.flops_per_token", "FLOPs", "forward and backward"),
      num("training.mfu", "", "model-FLOPs utilization assumed"),
      object("mig", "with mig_profile: the MIG slice the scenario runs on and its shares of the card", false),
      text("mig.profile", "MIG profile (1g.10gb)"),
      text("mig.gpu", "the whole card's GPU id"),
      num("mig.compute_slices", "slices", "compute slices the profile holds"),
      num("mig.compute_slices_total", "slices", "compute slices of the card (7 on A100/H100)"),
      num("mig.memory_slices", "slices", "memory slices the profile holds"),
      num("mig.memory_slices_total", "slices", "memory slices of the card (8 on A100/H100)"),
      num("mig.memory_gb", "GB", "the profile's memory as named"),
      num("mig.compute_share", "", "of the card's SMs and tensor peak"),
      num("mig.bandwidth_share", "", "of the card's DRAM bandwidth"),
      num("mig.l2_share", "", "of the card's L2 cache"),
      num("mig.price_share", "", "of the card's hourly and purchase price"),
      num("mig.power_share", "", "of the card's TDP"),
      num("mig.max_instances", "", "instances of this profile one card holds"),
      object("image", "workload image: one image of width x height at steps", false),
      num("image.seconds_per_image", "s", "per image, batch_size at a time (over gpu_count GPUs)"),
      num("image.images_per_minute", "images/min", "of the replica"),
      num("image.usd_per_1000_images", "USD", "at the replica's price", true),
      num("image.joules_per_image", "J", "board energy per image"),
      num("image.width", "pixels", ""),
      num("image.height", "pixels", ""),
      num("image.steps", "steps", ""),
      num("image.compute_s", "s", "FLOPs at the achieved tensor throughput, per batch"),
      num("image.memory_s", "s", "denoiser weights read once per step, per batch"),
      num("image.offload_s", "s", "components moved over PCIe (offload: model), per batch"),
      num("image.tflops_per_image", "TFLOPs", "text encoders, denoiser steps, VAE (and upscaler)"),
      num("image.compute_efficiency", "", "fitted fraction of the tensor peak"),
      text("image.bound", "what limits it", false, "memory|compute"),
      object("speech", "workload speech: audio_seconds transcribed", false),
      num("speech.real_time_factor", "", "audio seconds per wall second"),
      num("speech.audio_hours_per_gpu_hour", "h", "audio hours one GPU transcribes in an hour"),
      num("speech.usd_per_audio_hour", "USD", "at the replica's price", true),
      num("speech.seconds", "s", "wall time for audio_seconds"),
      num("speech.decoder_tokens_per_audio_second", "tokens", "tokens the decoder emits per second of speech"),
      num("speech.compute_efficiency", "", "fitted fraction of the tensor peak"),
      num("speech.step_overhead_ms", "ms", "fitted time per decoder step beyond FLOPs and bytes"),
      text("speech.bound", "what limits the decoder", false, "memory|compute"),
      object("embedding", "workload embedding: batches of sequence_tokens", false),
      num("embedding.sequences_per_s", "sequences/s", "of the replica"),
      num("embedding.tokens_per_s", "tokens/s", "of the replica"),
      num("embedding.usd_per_million_tokens", "USD", "at the replica's price", true),
      num("embedding.joules_per_million_tokens", "J", "board energy"),
      num("embedding.batch_ms", "ms", "one batch"),
      num("embedding.compute_efficiency", "", "fitted fraction of the tensor peak"),
      text("embedding.bound", "what limits it", false, "memory|compute"),
      object("model", "the shape the numbers rest on"),
      text("model.id", "catalog id, or custom"),
      text("model.name", "display name"),
      num("model.params", "parameters", "total"),
      num("model.active_params", "parameters", "per token"),
      num("model.kv_cache_bytes_per_token", "bytes", "KV cache of one token at kv_cache"),
      num("model.weights_gb", "GB", "weights of the whole model at the format"),
      num("model.layers", "", "layers"),
      num("model.hidden_size", "", "hidden size"),
      num("model.attention_heads", "", "attention heads"),
      num("model.kv_heads", "", "KV heads"),
      num("model.head_dim", "", "per-head dimension"),
      num("model.vocab_size", "", "vocabulary"),
      num("model.max_context_tokens", "tokens", "trained context (0: unknown)"),
      object("model.source", "where a custom model's weights were read from (weight files' headers)", false),
      text("model.source.kind", "hub, gguf or safetensors", false, "hub|gguf|safetensors"),
      text("model.source.id", "org/name@revision, or the file's name"),
      object("model.source.weights_bytes_by_dtype", "dtype as stored (BF16, Q4_K, I32) -> bytes, from the headers"),
      num("model.source.bytes_fetched", "bytes", "bytes read or transferred to learn the shape and bytes"),
      text("model.source.weights", "the weight format the files are in (empty: none in the catalog)"),
      flag("model.source.bytes_used", "whether weights memory is the files' bytes (weights is the files' format)"),
  };
  return kSpecs;
}

std::span<const FieldSpec> after_echo() {
  static constexpr FieldSpec kSpecs[] = {
      map("assumptions", "what the numbers rest on: key -> {value, note} (not in sweeps)", false),
      FieldSpec{"assumptions{}.value", T::kEnum, "", R::kAny, 0, 0, "number|string", "", true, "", "",
                "a number or words"},
      text("assumptions{}.note", "where it comes from"),
      list("measured", "object", "measured public results for the same setup, beside the estimate (not in sweeps)",
           false),
      text("measured[].id", "benchmark id"),
      text("measured[].kind", "decode, prefill, serving, power"),
      num("measured[].value", "", "the measured figure"),
      num("measured[].estimate", "", "the calculator's figure at the benchmark's settings", true),
      num("measured[].error_pct", "%", "(estimate - value) / value", true),
      text("measured[].no_estimate_why", "why there is no estimate", true),
      num("measured[].batch_size", "sequences", "as the source states it", true),
      num("measured[].prompt_tokens", "tokens", "as the source states it", true),
      num("measured[].output_tokens", "tokens", "as the source states it", true),
      text("measured[].engine_version", ""),
      text("measured[].source", "URL"),
      text("measured[].date", "date or version"),
      list("warnings", "string", "what to know, in plain words"),
  };
  return kSpecs;
}

}  // namespace

std::span<const FieldSpec> rank_row_specs() {
  static constexpr FieldSpec kSpecs[] = {
      text("gpu", "GPU id"),
      text("gpu_name", "GPU name"),
      num("gpu_count", "GPUs", "per replica"),
      text("weights", "weight format id"),
      flag("fits", ""),
      text("reason", "why it does not fit", true),
      num("batch_size", "sequences", ""),
      num("memory_total_gb", "GB", ""),
      num("memory_available_gb", "GB", ""),
      num("tokens_per_s", "tokens/s", "serving output tokens/s of the replica"),
      num("tokens_per_s_per_sequence", "tokens/s", ""),
      num("time_per_output_token_ms", "ms", ""),
      num("ttft_s", "s", ""),
      num("watts", "W", ""),
      num("usd_per_hour", "USD/h", "", true),
      num("usd_per_million_tokens", "USD", "", true),
      num("tokens_per_s_per_usd_per_hour", "", "", true),
      text("bound", "memory or compute (empty for encoders)"),
      list("warnings", "string", ""),
      num("usd_per_unit", "USD", "the workload's cost figure: per million tokens, 1000 images or audio hour", true),
      text("cost_unit", "million tokens, 1000 images or audio hour"),
      text("throughput_unit", "what tokens_per_s counts: tokens/s, images/min or audio s/s"),
      text("mig_profile", "the MIG slice of gpu this row runs on (rank option mig); null = the whole GPU", true),
  };
  return kSpecs;
}

}  // namespace gpufit::detail
