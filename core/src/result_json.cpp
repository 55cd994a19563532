#include "result_json.hpp"

#include <string>

#include "scenario_schema.hpp"

namespace gpufit::detail {

// The scenario as evaluated: every row of the scenario table (scenario_schema.cpp), in its order,
// ids resolved and defaults filled in, so a new field reaches the echo and its schema with no
// second list to keep; then what resolving added (the GPU's name, the tensor precision, the link).
void write_scenario_echo(JsonWriter& w, const Setup& s, const Result& r) {
  Scenario as_run;
  static_cast<Workload&>(as_run) = s;
  as_run.kv_cache = s.kv_cache.id;
  as_run.engine = s.engine.id;
  if (s.mig) as_run.mig_profile = s.mig->profile;
  w.key("scenario").begin_object();
  for (const Bound<Scenario>& b : scenario_table()) {
    if (write_row(w, b, as_run)) continue;
    // The rows read by hand (an id resolved, a nested object) are written by hand.
    const std::string_view name = b.spec.name;
    if (name == "model") {
      w.field(name, s.model.id);
    } else if (name == "gpu") {
      w.field(name, s.gpu.id);
    } else if (name == "weights") {
      w.field(name, s.weights.id);
    } else if (name == "mode") {
      w.field(name, mode_name(s.mode));
    } else if (name == "load" && s.load) {  // as given: the view that draws the load curve reads them back
      w.key(name).begin_object();
      for (const Bound<Load>& l : load_table()) write_row(w, l, *s.load);
      w.end_object();
    } else if (name == "slo" && s.slo) {
      w.key(name).begin_object();
      for (const Bound<Slo>& l : slo_table()) write_row(w, l, *s.slo);
      w.end_object();
    }
  }
  w.field("gpu_name", s.gpu.name).field("compute_precision", r.compute_precision);
  w.key("interconnect").string_or_null(r.link);
  w.end_object();
}

// The image, speech or embedding block (core/src/*_workload.cpp computes it).
void write_workload_figures(JsonWriter& w, const Result& r) {
  const Setup& s = *r.setup;
  const WorkloadFigures& f = *r.workload;
  const std::optional<double> usd_h = r.workload_usd_per_hour;
  auto per = [&](double units_per_hour, double scale) -> std::optional<double> {
    if (!usd_h || !(units_per_hour > 0)) return std::nullopt;
    return *usd_h / units_per_hour * scale;
  };
  if (f.workload == "image") {
    const WorkloadModel& m = *s.workload_model;
    w.key("image")
        .begin_object()
        .field("seconds_per_image", f.seconds_per_image)
        .field("images_per_minute", f.images_per_minute)
        .field("usd_per_1000_images", per(3600 / f.seconds_per_image, 1000))
        .field("joules_per_image", r.power.watts * f.seconds_per_image)
        .field("width", double(s.width.value_or(m.native_width)))
        .field("height", double(s.height.value_or(m.native_height)))
        .field("steps", double(s.steps.value_or(m.default_steps)))
        .field("compute_s", f.compute_s)
        .field("memory_s", f.memory_s)
        .field("offload_s", f.offload_s)
        .field("tflops_per_image", f.flops / s.batch_size / 1e12)
        .field("compute_efficiency", f.fit.compute_efficiency)
        .field("bound", f.bound)
        .end_object();
  } else if (f.workload == "speech") {
    w.key("speech")
        .begin_object()
        .field("real_time_factor", f.real_time_factor)
        .field("audio_hours_per_gpu_hour", f.audio_hours_per_gpu_hour)
        .field("usd_per_audio_hour", per(f.real_time_factor, 1))
        .field("seconds", s.audio_seconds / f.real_time_factor)
        .field("decoder_tokens_per_audio_second", kSpeechTokensPerAudioSecond)
        .field("compute_efficiency", f.fit.compute_efficiency)
        .field("step_overhead_ms", f.fit.step_overhead_ms)
        .field("bound", f.bound)
        .end_object();
  } else {
    w.key("embedding")
        .begin_object()
        .field("sequences_per_s", f.sequences_per_s)
        .field("tokens_per_s", f.tokens_per_s)
        .field("usd_per_million_tokens", per(f.tokens_per_s * 3600, 1e6))
        .field("joules_per_million_tokens", r.power.watts / f.tokens_per_s * 1e6)
        .field("batch_ms", f.seconds_per_batch * 1000)
        .field("compute_efficiency", f.fit.compute_efficiency)
        .field("bound", f.bound)
        .end_object();
  }
}

void write_result(JsonWriter& w, const Result& r, bool compact) {
  const Setup& s = *r.setup;
  w.begin_object();
  w.field("fits", r.fits);
  w.key("memory")
      .begin_object()
      .field("weights_gb", r.memory.weights_gb)
      .field("kv_cache_gb", r.memory.kv_cache_gb)
      .field("activations_gb", r.memory.activations_gb)
      .field("overhead_gb", r.memory.overhead_gb)
      .field("optimizer_gb", r.memory.optimizer_gb)
      .field("gradients_gb", r.memory.gradients_gb)
      .field("total_gb", r.memory.total_gb)
      .field("available_gb", r.memory.available_gb)
      .field("free_gb", r.memory.free_gb());
  if (r.workload) {
    w.key("components").begin_object();
    for (const auto& [name, gb] : r.workload->memory_components_gb) w.field(name, gb);
    w.end_object();
  }
  w.end_object();
  w.field("max_batch_size", r.max_batch_size);
  w.field("max_context_tokens", r.max_context_tokens);
  w.key("min_gpus_to_fit");
  if (r.min_gpus_to_fit > 0)
    w.integer(r.min_gpus_to_fit);
  else
    w.null();

  w.key("decode")
      .begin_object()
      .field("tokens_per_s_per_sequence", r.decode.tokens_per_s_per_sequence)
      .field("tokens_per_s_total", r.decode.tokens_per_s_total)
      .field("bound", r.decode.bound)
      .field("bound_switch_batch", r.decode.bound_switch_batch)
      .field("step_ms", r.decode.step.total_s() * 1000)
      .field("memory_ms", r.decode.step.memory_s * 1000)
      .field("compute_ms", r.decode.step.compute_s * 1000)
      .field("communication_ms", r.decode.step.communication_s * 1000)
      .field("overhead_ms", r.decode.step.overhead_s * 1000)
      .end_object();
  w.key("prefill")
      .begin_object()
      .field("tokens_per_s", r.prefill.tokens_per_s)
      .field("seconds", r.prefill.seconds)
      .field("bound", r.prefill.bound)
      .end_object();
  w.key("latency")
      .begin_object()
      .field("ttft_s", r.ttft_s)
      .field("time_per_output_token_ms", r.time_per_output_token_ms)
      .field("request_s", r.serving.request_s)
      .end_object();
  w.key("serving")
      .begin_object()
      .field("output_tokens_per_s", r.serving.output_tokens_per_s)
      .field("input_tokens_per_s", r.serving.input_tokens_per_s)
      .field("requests_per_s", r.serving.requests_per_s)
      .field("batch_size", s.batch_size)
      .end_object();

  if (r.serving_load) {
    const ServingLoad& l = *r.serving_load;
    const auto dist = [&](const char* key, const Distribution& d) {
      w.key(key)
          .begin_object()
          .field("mean", d.mean)
          .field("p50", d.p50)
          .field("p90", d.p90)
          .field("p99", d.p99)
          .end_object();
    };
    w.key("serving_load")
        .begin_object()
        .field("output_tokens_per_s", l.output_tokens_per_s)
        .field("requests_per_s", l.requests_per_s);
    dist("ttft_ms", l.ttft_ms);
    dist("tpot_ms", l.tpot_ms);
    dist("e2e_ms", l.e2e_ms);
    dist("queue_ms", l.queue_ms);
    w.field("kv_cache_utilization", l.kv_cache_utilization)
        .field("saturated", l.saturated)
        .field("kv_capacity_tokens", l.kv_capacity_tokens)
        .field("max_sequences", l.max_sequences)
        .field("token_budget", l.token_budget)
        .field("mean_running", l.mean_running)
        .field("requests", l.requests)
        .field("measured_requests", l.measured_requests)
        .end_object();
  }

  w.key("cost").begin_object();
  if (r.cost) {
    w.field("usd_per_hour", r.cost->usd_per_hour)
        .field("usd_per_million_tokens", r.cost->usd_per_million_tokens)
        .field("tokens_per_s_per_usd_per_hour", r.cost->tokens_per_s_per_usd_per_hour)
        .field("usd_per_day", r.cost->usd_per_day)
        .field("usd_per_month", r.cost->usd_per_month)
        .field("replica_hours_per_day", r.cost->replica_hours_per_day)
        .field("break_even_hours", r.cost->break_even_hours)
        .field("usd_per_gpu_hour", r.price->usd_per_gpu_hour);
    w.key("provider").string_or_null(r.price->provider);
    w.field("pricing", r.price->pricing);
    w.key("price_date_seen").string_or_null(r.price->date_seen);
  } else {
    for (const char* k :
         {"usd_per_hour", "usd_per_million_tokens", "tokens_per_s_per_usd_per_hour", "usd_per_day", "usd_per_month",
          "replica_hours_per_day", "break_even_hours", "usd_per_gpu_hour", "provider", "pricing", "price_date_seen"}) {
      w.key(k).null();
    }
  }
  w.end_object();

  w.key("power")
      .begin_object()
      .field("watts", r.power.watts)
      .field("joules_per_token", r.power.joules_per_token)
      .field("annual_energy_usd", r.power.annual_energy_usd)
      .field("gpus_in_budget", r.power.gpus_in_budget)
      .field("tdp_w", s.gpu.tdp_w)
      .field("fp16_tflops_per_w", r.power.fp16_tflops_per_w)
      .field("fp32_tflops_per_w", r.power.fp32_tflops_per_w)
      .field("decode_w", r.power.decode_w)
      .field("prefill_w", r.power.prefill_w)
      .field("idle_w", r.power.idle_w)
      .field("joules_per_request", r.power.joules_per_request)
      .field("joules_per_output_token", r.power.joules_per_output_token)
      .field("energy_usd_per_million_tokens", r.power.energy_usd_per_million_tokens)
      .field("budget_w_per_gpu", r.power.budget_w_per_gpu)
      .field("basis", r.power.basis)
      .field("typical_error_pct", r.power.typical_error_pct)
      .end_object();

  if (r.fleet || r.slo_fleet) {
    // With an SLO and no users the fleet is the SLO's: its replicas and GPUs.
    Fleet f;
    if (r.fleet) {
      f = *r.fleet;
    } else {
      f.replicas = r.slo_fleet->replicas_for_slo;
      f.gpus_needed = r.slo_fleet->gpus_for_slo;
      f.users_per_replica = r.slo_fleet->users_per_replica_within_slo.value_or(0);
      if (r.price && f.gpus_needed) f.usd_per_hour = *f.gpus_needed * r.price->usd_per_gpu_hour;
      f.limited_by = "slo";
    }
    w.key("fleet")
        .begin_object()
        .field("replicas", f.replicas)
        .field("gpus_needed", f.gpus_needed)
        .field("users_per_replica", f.users_per_replica)
        .field("usd_per_hour", f.usd_per_hour)
        .field("tokens_per_s_per_user", f.tokens_per_s_per_user)
        .field("limited_by", f.limited_by);
    if (r.slo_fleet) {
      w.field("max_rate_per_replica_within_slo", r.slo_fleet->max_rate_per_replica_within_slo)
          .field("users_per_replica_within_slo", r.slo_fleet->users_per_replica_within_slo)
          .field("replicas_for_slo", r.slo_fleet->replicas_for_slo)
          .field("gpus_for_slo", r.slo_fleet->gpus_for_slo);
    }
    w.end_object();
  }
  if (s.mig) {
    const MigSlice& m = *s.mig;
    w.key("mig")
        .begin_object()
        .field("profile", m.profile)
        .field("gpu", m.gpu)
        .field("compute_slices", m.compute_slices)
        .field("compute_slices_total", m.compute_slices_total)
        .field("memory_slices", m.memory_slices)
        .field("memory_slices_total", m.memory_slices_total)
        .field("memory_gb", m.memory_gb)
        .field("compute_share", m.compute_share)
        .field("bandwidth_share", m.bandwidth_share)
        .field("l2_share", m.l2_share)
        .field("price_share", m.price_share)
        .field("power_share", m.power_share)
        .field("max_instances", m.max_instances)
        .end_object();
  }
  if (r.training) {
    w.key("training")
        .begin_object()
        .field("hours", r.training->hours)
        .field("usd", r.training_usd)
        .field("tokens_per_s", r.training->tokens_per_s)
        .field("flops_per_token", r.training->flops_per_token)
        .field("mfu", r.training->mfu)
        .end_object();
  }

  if (r.workload) write_workload_figures(w, r);

  w.key("model")
      .begin_object()
      .field("id", s.model.id)
      .field("name", s.model.name)
      .field("params", r.params)
      .field("active_params", r.active_params)
      .field("kv_cache_bytes_per_token", r.kv_cache_bytes_per_token)
      .field("weights_gb", r.weights_bytes / 1e9)
      .field("layers", s.model.layers)
      .field("hidden_size", s.model.hidden_size)
      .field("attention_heads", s.model.attention_heads)
      .field("kv_heads", s.model.kv_heads)
      .field("head_dim", s.model.head_dim)
      .field("vocab_size", s.model.vocab_size)
      .field("max_context_tokens", s.model.max_context_tokens);
  if (const auto& src = s.model.file_source) {
    w.key("source")
        .begin_object()
        .field("kind", src->kind)
        .field("id", src->id)
        .key("weights_bytes_by_dtype")
        .begin_object();
    for (const auto& [dtype, bytes] : src->weights_bytes_by_dtype) w.field(dtype, bytes);
    w.end_object()
        .field("bytes_fetched", src->bytes_fetched)
        .field("weights", src->weights)
        .field("bytes_used", !src->weights.empty() && src->weights == s.weights.id)
        .end_object();
  }
  w.end_object();
  write_scenario_echo(w, s, r);

  if (!compact) {
    w.key("assumptions").begin_object();
    for (const Assumption& a : r.assumptions) {
      w.key(a.key).begin_object().key("value");
      if (a.number)
        w.number(*a.number);
      else
        w.string(a.text);
      w.field("note", a.note).end_object();
    }
    w.end_object();
    w.key("measured").begin_array();
    for (const Measured& m : r.measured) {
      // Absent figures are null, never 0: a 0 would read as a measurement or an estimate.
      w.begin_object()
          .field("id", m.id)
          .field("kind", m.kind)
          .field("value", m.value)
          .field("estimate", m.estimate)
          .field("error_pct", m.error_pct);
      w.key("no_estimate_why");
      if (m.estimate)
        w.null();
      else
        w.string(m.no_estimate_why);
      w.field("batch_size", m.batch_size)
          .field("prompt_tokens", m.prompt_tokens)
          .field("output_tokens", m.output_tokens)
          .field("engine_version", m.engine_version)
          .field("source", m.source)
          .field("date", m.date)
          .end_object();
    }
    w.end_array();
  }
  w.field("warnings", r.warnings);
  w.end_object();
}

void write_rank_row(JsonWriter& w, const RankRow& r) {
  w.begin_object()
      .field("gpu", r.gpu)
      .field("gpu_name", r.gpu_name)
      .field("gpu_count", r.gpu_count)
      .field("weights", r.weights)
      .field("fits", r.fits);
  w.key("reason").string_or_null(r.reason);
  w.field("batch_size", r.batch_size)
      .field("memory_total_gb", r.memory_total_gb)
      .field("memory_available_gb", r.memory_available_gb)
      .field("tokens_per_s", r.tokens_per_s)
      .field("tokens_per_s_per_sequence", r.tokens_per_s_per_sequence)
      .field("time_per_output_token_ms", r.time_per_output_token_ms)
      .field("ttft_s", r.ttft_s)
      .field("watts", r.watts)
      .field("usd_per_hour", r.usd_per_hour)
      .field("usd_per_million_tokens", r.usd_per_million_tokens)
      .field("tokens_per_s_per_usd_per_hour", r.tokens_per_s_per_usd_per_hour)
      .field("bound", r.bound)
      .field("warnings", r.warnings)
      .field("usd_per_unit", r.cost_unit.empty() ? r.usd_per_million_tokens : r.usd_per_unit)
      .field("cost_unit", r.cost_unit.empty() ? std::string("million tokens") : r.cost_unit)
      .field("throughput_unit", r.throughput_unit.empty() ? std::string("tokens/s") : r.throughput_unit);
  w.key("mig_profile").string_or_null(r.mig_profile);
  w.end_object();
}

}  // namespace gpufit::detail
