#include "gpufit/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gpufit/benchmark_estimate.hpp"
#include "gpufit/model_shape.hpp"
#include "gpufit/step_limits.hpp"
#include "gpufit/weights_memory.hpp"
#include "text_format.hpp"
#include "workload_common.hpp"

namespace gpufit {

namespace {

std::string num(double v, int digits = 3) {
  return detail::significant(v, digits);
}

bool engine_runs(const EngineSpec& e, const std::string& format) {
  return e.weight_formats.empty() ||
         std::find(e.weight_formats.begin(), e.weight_formats.end(), format) != e.weight_formats.end();
}

bool engine_supports_vendor(const EngineSpec& e, const std::string& vendor) {
  return e.vendors.empty() || std::find(e.vendors.begin(), e.vendors.end(), vendor) != e.vendors.end();
}

std::string gpu_label(const Setup& s) {
  return (s.gpu_count > 1 ? std::to_string(s.gpu_count) + "x " : "") + (s.gpu.name.empty() ? s.gpu.id : s.gpu.name);
}

void add(Result& r, std::string key, double value, std::string note) {
  r.assumptions.push_back({std::move(key), value, "", std::move(note)});
}
void add_text(Result& r, std::string key, std::string value, std::string note) {
  r.assumptions.push_back({std::move(key), std::nullopt, std::move(value), std::move(note)});
}

void shape_warnings(const Setup& s, Result& r) {
  const Model& m = s.model;
  const int n = s.gpu_count;
  if (m.file_source && m.file_source->weights != s.weights.id) {
    // Read from weight files, but asked for another format: the bytes are derived, not read.
    r.warnings.push_back(
        "the weight files are in " +
        (m.file_source->weights.empty() ? std::string("a format the catalog lacks") : m.file_source->weights) +
        "; the weights memory is derived for " + s.weights.id + ", not read from them");
  }
  if (m.max_context_tokens > 0 && s.context_tokens > m.max_context_tokens) {
    r.warnings.push_back("context_tokens " + num(s.context_tokens, 10) + " exceeds " + m.name +
                         "'s trained maximum of " + num(m.max_context_tokens, 10) + " tokens");
  }
  if (m.architecture == Architecture::kDecoder && s.prompt_tokens + s.output_tokens > s.context_tokens) {
    r.warnings.push_back("prompt + output (" + num(s.prompt_tokens + s.output_tokens, 10) +
                         " tokens) exceed context_tokens (" + num(s.context_tokens, 10) +
                         "): the KV cache is sized for context_tokens");
  }
  if (n > 1 && !layer_split(s.engine)) {
    if (m.attention_heads % n != 0) {
      r.warnings.push_back("tensor parallel over " + std::to_string(n) + " GPUs needs attention_heads (" +
                           std::to_string(m.attention_heads) + ") divisible by " + std::to_string(n) +
                           "; engines refuse this split");
    }
    if (m.kv_lora_rank == 0 && m.kv_heads < n) {
      r.warnings.push_back(std::to_string(m.kv_heads) + " KV head" + (m.kv_heads > 1 ? "s" : "") + " over " +
                           std::to_string(n) +
                           " GPUs: each GPU keeps a copy of the KV head it needs, so the KV "
                           "cache is replicated rather than split");
    }
    if (m.kv_lora_rank > 0) {
      r.warnings.push_back("MLA's compressed KV cache is replicated on every tensor-parallel GPU, not split");
    }
  }
  if (n > 1 && layer_split(s.engine)) {
    r.warnings.push_back(s.engine.name + " splits the layers across the " + std::to_string(n) +
                         " GPUs: they run one after another, so one sequence decodes no faster than on one GPU");
  }
}

void link_warnings(const Setup& s, const Link& link, Result& r) {
  if (s.gpu_count <= 1) return;
  if (link.id == "pcie") {
    const std::string gbs = detail::fixed(link.one_way_gbs, 0);
    const std::string gen = std::to_string(s.gpu.pcie_gen);
    if (s.gpu.nvlink_bandwidth_gbs) {
      r.warnings.push_back(
          detail::join({"NVLink on ", s.gpu.name, " joins ", std::to_string(s.gpu.nvlink_max_gpus.value_or(2)),
                        " GPUs; ", std::to_string(s.gpu_count), " GPUs exchange activations over PCIe Gen", gen, " (",
                        gbs, " GB/s each way)"}));
    } else {
      r.warnings.push_back(detail::join({"no NVLink on ", s.gpu.name, ": tensor-parallel all-reduces cross PCIe Gen",
                                         gen, " (", gbs, " GB/s each way)"}));
    }
  } else if (link.id == "nvlink" && s.gpu.nvlink_max_gpus.value_or(8) == 2) {
    r.assumptions.push_back({"nvlink_bridge", std::nullopt, "installed",
                             s.gpu.name + " pairs reach NVLink speed only with the bridge fitted"});
  }
}

// A language model's result. Apart from evaluate() so that `r` is constructed in place of the
// caller's result (a return of another object in the same function stops that, and moving a
// Result costs as much as a tenth of its figures).
Result evaluate_llm(const Setup& s, const Catalog& catalog, bool full) {
  Result r;
  r.setup = &s;
  const Model& m = s.model;
  const EngineSpec& te = training_engine(s, catalog);
  const bool decoder = m.architecture == Architecture::kDecoder;

  // --- shape ---------------------------------------------------------------------------
  r.params = m.params;
  r.active_params = m.active_params;
  r.kv_cache_bytes_per_token = kv_values_per_token(m) * s.kv_cache.bits_per_value / 8;
  r.weights_bytes = s.weights_bytes.total;

  // --- memory --------------------------------------------------------------------------
  r.memory = scenario_memory(s, te, s.gpu_count, s.batch_size, s.context_tokens);
  r.fits = r.memory.fits();
  r.max_batch_size = max_batch_that_fits(s, te, s.context_tokens);
  const double context_cap = m.max_context_tokens > 0 ? m.max_context_tokens : double(1u << 30);
  r.max_context_tokens = max_context_that_fits(s, te, s.batch_size, context_cap);
  r.min_gpus_to_fit = min_gpus_that_fit(s, te);

  // --- throughput ------------------------------------------------------------------------
  const ComputePeak peak = compute_peak(s.gpu, s.weights);
  r.compute_precision = peak.precision;
  if (peak.substituted) r.warnings.push_back(compute_peak_warning(s.gpu, s.weights));
  const StepCosts steps(s, catalog);
  const Link& link = steps.link();
  if (s.gpu_count > 1) r.link = link.id;

  r.decode.kv_tokens = mean_attended_tokens(s);
  if (decoder) {
    r.decode.step = steps.decode_step(s.batch_size, r.decode.kv_tokens);
    const double step_s = r.decode.step.total_s();
    r.decode.tokens_per_s_per_sequence = 1 / step_s;
    r.decode.tokens_per_s_total = s.batch_size / step_s;
    r.decode.bound = r.decode.step.compute_bound() ? "compute" : "memory";
    r.decode.bound_switch_batch = steps.bound_switch_batch(r.decode.kv_tokens);
    r.time_per_output_token_ms = step_s * 1000;
  }
  const StepTime pre = steps.prefill_time(1, s.prompt_tokens);
  r.prefill.seconds = pre.total_s();
  r.prefill.tokens_per_s = r.prefill.seconds > 0 ? s.prompt_tokens / r.prefill.seconds : 0;
  r.prefill.bound = pre.compute_bound() ? "compute" : "memory";
  if (!decoder) r.decode.bound = r.prefill.bound;
  r.ttft_s = r.prefill.seconds + (s.prompt_tokens <= 0 && decoder ? r.decode.step.total_s() : 0);
  r.serving = steps.serving_rate(s.batch_size);
  const double produced_tps = decoder ? r.serving.output_tokens_per_s : r.serving.input_tokens_per_s;

  // --- power and cost ------------------------------------------------------------------------
  r.power = power_figures(s, decoder ? &r.decode.step : nullptr, pre, r.serving, produced_tps);
  if (s.mig) {
    for (auto& w : mig_warnings(*s.mig)) r.warnings.push_back(std::move(w));
  }
  r.price = choose_price(s, catalog, r.warnings);
  if (r.price) {
    r.cost = cost_figures(s, *r.price, produced_tps, r.power.watts);
  } else {
    r.warnings.push_back("no price for " + s.gpu.name + ": set price_usd_per_hour for the cost figures");
  }

  // --- fleet ---------------------------------------------------------------------------
  if (s.users) {
    // With load, a user's speed at b users is the load model's (serving_load.hpp): mean time per
    // output token at b closed-loop users, prefill interference and queueing included. Without,
    // the steady decode step of b sequences.
    const bool by_load = decoder && s.load && s.mode == Mode::kInference;
    auto per_user = [&](double b) {
      if (!decoder) return steps.serving_rate(b).requests_per_s / b * std::max(1.0, s.prompt_tokens);
      if (by_load) {
        const ServingLoad l = serving_load(s, catalog, Load{std::floor(b), std::nullopt, s.load->length_cv});
        if (l.requests > 0 && l.tpot_ms.mean > 0) return 1000 / l.tpot_ms.mean;
      }
      return 1 / steps.decode_step(b, r.decode.kv_tokens).total_s();
    };
    std::optional<double> gpu_price;
    if (r.price) gpu_price = r.price->usd_per_gpu_hour;
    r.fleet = size_fleet(s, r.max_batch_size, per_user, gpu_price);
    if (r.fleet->users_per_replica < 1) {
      if (r.fleet->limited_by == "memory") {
        r.warnings.push_back("fleet: one sequence of context_tokens does not fit on " + gpu_label(s) +
                             ", so no replica can serve a user");
      } else {
        r.warnings.push_back("fleet: even alone, a user gets " + num(r.fleet->tokens_per_s_per_user) + " tokens/s on " +
                             gpu_label(s) + ", below min_tokens_per_s_per_user " +
                             num(s.min_tokens_per_s_per_user.value_or(0)));
      }
    }
  }

  // --- serving under load (serving_load.hpp) ---------------------------------------------
  if ((s.load || s.slo) && s.mode == Mode::kInference) {
    if (!decoder) {
      r.warnings.push_back("serving_load: " + m.name + " is an encoder; the continuous-batching model is for decoders");
    } else if (r.max_batch_size < 1) {
      r.warnings.push_back("serving_load: one sequence of context_tokens does not fit on " + gpu_label(s));
    } else {
      if (s.load) r.serving_load = serving_load(s, catalog, *s.load);
      if (s.slo) {
        r.slo_fleet = size_for_slo(s, catalog, *s.slo);
        if (!r.slo_fleet->max_rate_per_replica_within_slo) {
          r.warnings.push_back("fleet: even one request at a time misses the SLO on " + gpu_label(s));
        }
      }
    }
  }

  // --- fine-tuning -----------------------------------------------------------------------
  if (s.mode != Mode::kInference && s.train_tokens) {
    r.training = training_time(s, te, *s.train_tokens);
    if (r.cost) r.training_usd = r.training->hours * r.cost->usd_per_hour;
  }

  // --- warnings ------------------------------------------------------------------------
  shape_warnings(s, r);
  link_warnings(s, link, r);
  if (!decoder) {
    r.warnings.push_back(m.name +
                         " is an encoder (embedding model): it has no decode; throughput and cost count "
                         "input tokens");
  }
  if (s.mode == Mode::kInference && !engine_runs(s.engine, s.weights.id)) {
    r.warnings.push_back(s.engine.name + " does not run " + s.weights.name +
                         " weights: the figures assume it did (pick another engine or format)");
  }
  if (!engine_supports_vendor(s.engine, s.gpu.vendor)) {
    r.warnings.push_back(s.engine.name + " does not run on " + s.gpu.vendor + " GPUs");
  }
  if (!r.fits) {
    const std::string fewest = r.min_gpus_to_fit > 0 ? std::to_string(r.min_gpus_to_fit) : "";
    r.warnings.push_back(
        detail::join({"does not fit: ", detail::fixed(r.memory.total_gb, 1), " GB needed per GPU, ",
                      detail::fixed(r.memory.available_gb, 1), " GB usable on ", s.gpu.name,
                      r.min_gpus_to_fit > 0 ? "; fewest GPUs that fit: " : "; not even 64 GPUs hold it", fewest}));
  }
  if (r.min_gpus_to_fit > 8) {
    r.warnings.push_back(
        "needs " + std::to_string(r.min_gpus_to_fit) +
        " GPUs: beyond one 8-GPU server, which takes pipeline parallelism across nodes (not modelled)");
  }
  if (s.mode == Mode::kLora && s.weights.bits_per_weight < 8) {
    r.warnings.push_back("LoRA on a " + s.weights.name + " base is QLoRA in all but name");
  }

  // A compact answer (a sweep point, a comparison column) states no assumptions and no measured
  // results: the page's full result beside it does.
  if (!full) return r;

  // --- assumptions ------------------------------------------------------------------------
  const EngineSpec& e = s.mode == Mode::kInference ? s.engine : te;
  // The engine's provenance from its catalog entry (a scenario carries an EngineSpec, without it);
  // an engine the catalog does not list has none.
  static const Engine kUnlisted;
  const Engine* entry = catalog.engine(s.engine.id);
  const Engine& provenance = entry ? *entry : kUnlisted;
  std::string fitted = provenance.fitted_on.empty()
                           ? "a prior, not yet fitted to measurements"
                           : "fitted on " + std::to_string(provenance.fitted_on.size()) + " measured benchmarks";
  // The factors as the step times use them on this GPU (the HBM factor, the compute share after
  // its scaling with the peak), not the engine's raw parameters.
  const Achieved& a = steps.achieved();
  add(r, "bandwidth_efficiency", a.bandwidth_efficiency,
      s.engine.name + ": achieved share of peak memory bandwidth" + (a.hbm_factor ? " on HBM" : "") + "; " + fitted);
  add(r, "compute_efficiency", a.compute_fraction,
      s.engine.name + ": achieved share of the tensor peak: " + num(s.engine.compute_efficiency) +
          (s.engine.compute_scaling > 0 ? " at 100 TFLOPS, x (peak / 100)^-" + num(s.engine.compute_scaling) : "") +
          (a.matmul_factor != 1 ? ", x " + num(a.matmul_factor) + " (" + s.gpu.name + "'s best matmul measured at " +
                                      num(*s.gpu.matmul_efficiency) + " of its peak, against " +
                                      num(kTypicalMatmulEfficiency) + " typical)"
                                : "") +
          "; " + fitted);
  add(r, "step_overhead_ms", s.engine.step_overhead_ms, s.engine.name + ": fixed time per forward pass");
  if (s.engine.sequence_overhead_us > 0) {
    add(r, "sequence_overhead_us", s.engine.sequence_overhead_us,
        s.engine.name + ": time per sequence per decode step (sampling, bookkeeping)");
  }
  if (s.engine.layer_overhead_us > 0) {
    add(r, "layer_overhead_us", s.engine.layer_overhead_us,
        s.engine.name + ": time per layer per forward pass (kernel launches), on top of step_overhead_ms");
  }
  if (s.engine.sequence_overhead_us > 0 && s.engine.sequence_scaling > 0) {
    add(r, "sequence_scaling", s.engine.sequence_scaling,
        s.engine.name + ": the per-sequence time is stated at 1 TB/s and scales as (bandwidth / 1 TB/s)^-" +
            num(s.engine.sequence_scaling));
  }
  add(r, "peak_tflops", a.peak_tflops,
      "dense " + std::string(a.precision) + " tensor peak of " + s.gpu.name +
          (a.fp16_accumulate ? " with FP16 accumulation (the engine's GEMMs accumulate in FP16)" : ""));
  add(r, "memory_bandwidth_gbs", s.gpu.memory_bandwidth_gbs, "datasheet peak of " + s.gpu.name);
  add(r, "usable_memory_gb", s.gpu.usable_memory_gb,
      s.gpu.usable_memory_note.empty() ? "memory the driver reports" : s.gpu.usable_memory_note);
  add(r, "runtime_overhead_gb", e.runtime_overhead_gb, e.name + ": CUDA context, libraries and graphs per GPU");
  add(r, "memory_reserve_fraction", e.memory_reserve_fraction,
      e.name + ": share of usable memory the runtime leaves unallocated");
  if (s.mode == Mode::kInference) {
    const StepLimits limits = step_limits(e, s.gpu);
    add(r, "activation_chunk_tokens", limits.chunk_tokens,
        e.name + ": tokens per forward pass the activation workspace is sized for" +
            (limits.chunk_tokens != e.activation_chunk_tokens ? " (its default on GPUs of this memory)" : ""));
  }
  if (decoder) {
    add(r, "kv_tokens_per_step", r.decode.kv_tokens,
        "tokens each sequence attends to on average in decode: prompt + half the output");
  }
  if (m.experts > 0) {
    add(r, "experts_read_per_step", expert_coverage(m, s.batch_size),
        "share of routed experts a decode step reads at this batch: 1 - (1 - k/E)^batch, uniform routing");
  }
  if (s.gpu_count > 1) {
    add_text(r, "interconnect", layer_split(s.engine) ? "layer split" : link.id,
             layer_split(s.engine)
                 ? "layers split across GPUs, run in sequence"
                 : "tensor parallel: two all-reduces of the hidden states per layer, " + num(link.latency_us) +
                       " us each plus the data at " + num(link.one_way_gbs * link.efficiency) + " GB/s");
  }
  if (r.price) {
    std::string note = r.price->from_scenario
                           ? "price_usd_per_hour given"
                           : r.price->provider + " " + r.price->pricing + ", seen " + r.price->date_seen +
                                 " (median of " + std::to_string(r.price->providers_considered) +
                                 " providers' newest prices); " + r.price->source;
    add(r, "usd_per_gpu_hour", r.price->usd_per_gpu_hour, note);
  }
  add_text(r, "tokens_counted", decoder ? "output" : "input",
           decoder ? "cost per token and J/token count generated tokens, prefill time included"
                   : "an encoder produces no tokens: cost per token counts input tokens");
  add(r, "hours_per_month", kHoursPerMonth, "365 x 24 / 12");
  if (s.utilization) {
    add(r, "utilization", *s.utilization, "share of TDP the GPUs draw, as given; power scales linearly from 0 to TDP");
  } else {
    add(r, "idle_w", idle_watts(s.gpu),
        s.gpu.idle_w ? s.gpu.name + " at rest, measured"
                     : "no measured idle draw for " + s.gpu.name + ": " + num(kIdleShareOfTdp) +
                           " x TDP (an H200 measured 78 W of 700 W)");
    add_text(r, "power_model", "work",
             "board watts = idle + (TDP - idle) x min(1, " + num(kPowerCurve.active_share) + " + " +
                 num(kPowerCurve.compute_weight) + " x ln(1 + tensor share / " + num(kPowerCurve.compute_knee) +
                 ")): a floor whenever kernels run (an H200 copy kernel's draw, shared/measurements), then about the "
                 "same watts per doubling of tensor work, fitted on measured board power (ML.ENERGY, Argonne "
                 "LLM-Inference-Bench, nvidia-smi on an H200 and others); the tensor share is of the GPU's dense peak "
                 "achieved over the phase; set utilization to override");
  }
  add(r, "power_budget_w_per_gpu", r.power.budget_w_per_gpu,
      s.utilization ? "a power budget counts each GPU at TDP"
                    : "a power budget counts each GPU at the highest draw this workload sustains (the larger of "
                      "prefill, decode and the serving mix), not its average");
  add(r, "pue", s.pue, "facility power over IT power, applied to the energy bill");
  add(r, "electricity_usd_per_kwh", s.electricity_usd_per_kwh, "");
  if (s.power_budget_w) {
    add(r, "host_w_per_server", s.host_w_per_server,
        "CPU, memory, fans and NICs per server of " + std::to_string(s.gpus_per_server) +
            " GPUs; GPUs counted at power_budget_w_per_gpu");
  }
  if (s.mode != Mode::kInference) {
    add_text(
        r, "optimizer", s.mode == Mode::kFullFinetune ? "AdamW, mixed precision" : "AdamW on FP32 LoRA adapters",
        s.mode == Mode::kFullFinetune
            ? "16-bit weights and gradients, FP32 master weights and two FP32 moments, sharded across GPUs"
            : "frozen base at its format; adapters of rank " + std::to_string(s.lora_rank) + " on every linear layer");
    add(r, "mfu", s.mfu.value_or(te.training_mfu), te.name + ": model-FLOPs utilization assumed for fine-tuning");
  }
  if (auto it = provenance.error_pct.find("decode"); it != provenance.error_pct.end()) {
    add(r, "decode_error_pct", it->second,
        s.engine.name + ": typical decode error against measured results (cross-validated median)");
  }

  // --- measured results beside the estimate --------------------------------------------------
  for (const Benchmark& b : catalog.benchmarks) {
    if (r.measured.size() >= 12) break;
    if (b.gpu != s.gpu_ref || b.model != s.model_ref || b.weights != s.weights.id || b.engine != s.engine.id ||
        b.gpu_count != s.gpu_count || b.kind == "memory" || b.mig_profile != (s.mig ? s.mig->profile : "")) {
      continue;
    }
    Measured x;
    x.id = b.id;
    x.kind = b.kind;
    x.source = b.source;
    x.date = b.date;
    x.engine_version = b.engine_version;
    x.value = b.value;
    x.batch_size = b.batch_size;
    x.prompt_tokens = b.prompt_tokens;
    x.output_tokens = b.output_tokens;
    const PreparedBenchmark p = prepare_benchmark(b, catalog);
    x.estimate = estimate_prepared(p, catalog, p.scenario.engine);
    if (x.estimate) {
      x.error_pct = (*x.estimate - b.value) / b.value * 100;
    } else {
      x.no_estimate_why = p.why_not.empty() ? "no estimate for these settings" : p.why_not;
    }
    r.measured.push_back(std::move(x));
  }
  return r;
}

}  // namespace

Result evaluate(const Setup& s, const Catalog& catalog, bool full) {
  if (s.workload_model) return detail::evaluate_workload(s, catalog, full);  // image, speech, embedding
  return evaluate_llm(s, catalog, full);
}

}  // namespace gpufit
