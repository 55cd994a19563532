#include "result_json.hpp"

#include <cmath>

namespace gpufit::detail {

namespace {

// Numbers leave the core finite: anything else is a bug, written as null rather than as text
// no JSON reader accepts. Whole values print without a fraction.
json number(double v) {
  if (!std::isfinite(v)) return nullptr;
  if (v == std::floor(v) && std::fabs(v) < 9e15) return static_cast<long long>(v);
  return v;
}

json opt(const std::optional<double>& v) { return v ? number(*v) : json(nullptr); }

}  // namespace

json result_to_json(const Result& r, bool compact) {
  const Scenario& s = *r.scenario;
  json out = json::object();
  out["fits"] = r.fits;
  json mem = json::object();
  mem["weights_gb"] = number(r.memory.weights_gb);
  mem["kv_cache_gb"] = number(r.memory.kv_cache_gb);
  mem["activations_gb"] = number(r.memory.activations_gb);
  mem["overhead_gb"] = number(r.memory.overhead_gb);
  mem["optimizer_gb"] = number(r.memory.optimizer_gb);
  mem["gradients_gb"] = number(r.memory.gradients_gb);
  mem["total_gb"] = number(r.memory.total_gb);
  mem["available_gb"] = number(r.memory.available_gb);
  mem["free_gb"] = number(r.memory.free_gb());
  out["memory"] = mem;
  out["max_batch_size"] = number(r.max_batch_size);
  out["max_context_tokens"] = number(r.max_context_tokens);
  out["min_gpus_to_fit"] = r.min_gpus_to_fit > 0 ? json(r.min_gpus_to_fit) : json(nullptr);

  json decode = json::object();
  decode["tokens_per_s_per_sequence"] = number(r.decode.tokens_per_s_per_sequence);
  decode["tokens_per_s_total"] = number(r.decode.tokens_per_s_total);
  decode["bound"] = r.decode.bound;
  decode["bound_switch_batch"] = opt(r.decode.bound_switch_batch);
  decode["step_ms"] = number(r.decode.step.total_s() * 1000);
  decode["memory_ms"] = number(r.decode.step.memory_s * 1000);
  decode["compute_ms"] = number(r.decode.step.compute_s * 1000);
  decode["communication_ms"] = number(r.decode.step.communication_s * 1000);
  decode["overhead_ms"] = number(r.decode.step.overhead_s * 1000);
  out["decode"] = decode;

  out["prefill"] = {{"tokens_per_s", number(r.prefill.tokens_per_s)},
                    {"seconds", number(r.prefill.seconds)},
                    {"bound", r.prefill.bound}};
  out["latency"] = {{"ttft_s", number(r.ttft_s)},
                    {"time_per_output_token_ms", number(r.time_per_output_token_ms)},
                    {"request_s", number(r.serving.request_s)}};
  out["serving"] = {{"output_tokens_per_s", number(r.serving.output_tokens_per_s)},
                    {"input_tokens_per_s", number(r.serving.input_tokens_per_s)},
                    {"requests_per_s", number(r.serving.requests_per_s)},
                    {"batch_size", number(s.batch_size)}};

  json cost = json::object();
  if (r.cost) {
    cost["usd_per_hour"] = number(r.cost->usd_per_hour);
    cost["usd_per_million_tokens"] = number(r.cost->usd_per_million_tokens);
    cost["tokens_per_s_per_usd_per_hour"] = number(r.cost->tokens_per_s_per_usd_per_hour);
    cost["usd_per_day"] = number(r.cost->usd_per_day);
    cost["usd_per_month"] = number(r.cost->usd_per_month);
    cost["replica_hours_per_day"] = number(r.cost->replica_hours_per_day);
    cost["break_even_hours"] = opt(r.cost->break_even_hours);
    cost["usd_per_gpu_hour"] = number(r.price->usd_per_gpu_hour);
    cost["provider"] = r.price->provider.empty() ? json(nullptr) : json(r.price->provider);
    cost["pricing"] = r.price->pricing;
    cost["price_date_seen"] = r.price->date_seen.empty() ? json(nullptr) : json(r.price->date_seen);
  } else {
    for (const char* k : {"usd_per_hour", "usd_per_million_tokens", "tokens_per_s_per_usd_per_hour", "usd_per_day",
                          "usd_per_month", "replica_hours_per_day", "break_even_hours", "usd_per_gpu_hour", "provider",
                          "pricing", "price_date_seen"}) {
      cost[k] = nullptr;
    }
  }
  out["cost"] = cost;

  out["power"] = {{"watts", number(r.power.watts)},
                  {"joules_per_token", number(r.power.joules_per_token)},
                  {"annual_energy_usd", number(r.power.annual_energy_usd)},
                  {"gpus_in_budget", opt(r.power.gpus_in_budget)},
                  {"tdp_w", number(s.gpu.tdp_w)},
                  {"fp16_tflops_per_w", number(r.power.fp16_tflops_per_w)},
                  {"fp32_tflops_per_w", opt(r.power.fp32_tflops_per_w)}};

  if (r.fleet) {
    out["fleet"] = {{"replicas", opt(r.fleet->replicas)},
                    {"gpus_needed", opt(r.fleet->gpus_needed)},
                    {"users_per_replica", number(r.fleet->users_per_replica)},
                    {"usd_per_hour", opt(r.fleet->usd_per_hour)},
                    {"tokens_per_s_per_user", number(r.fleet->tokens_per_s_per_user)},
                    {"limited_by", r.fleet->limited_by}};
  }
  if (r.training) {
    out["training"] = {{"hours", number(r.training->hours)},
                       {"usd", opt(r.training_usd)},
                       {"tokens_per_s", number(r.training->tokens_per_s)},
                       {"flops_per_token", number(r.training->flops_per_token)},
                       {"mfu", number(r.training->mfu)}};
  }

  out["model"] = {{"id", s.model.id},
                  {"name", s.model.name},
                  {"params", number(r.params)},
                  {"active_params", number(r.active_params)},
                  {"kv_cache_bytes_per_token", number(r.kv_cache_bytes_per_token)},
                  {"weights_gb", number(r.weights_bytes / 1e9)},
                  {"layers", s.model.layers},
                  {"hidden_size", s.model.hidden_size},
                  {"attention_heads", s.model.attention_heads},
                  {"kv_heads", s.model.kv_heads},
                  {"head_dim", s.model.head_dim},
                  {"vocab_size", s.model.vocab_size},
                  {"max_context_tokens", number(s.model.max_context_tokens)}};
  out["scenario"] = {{"gpu", s.gpu.id},
                     {"gpu_name", s.gpu.name},
                     {"gpu_count", s.gpu_count},
                     {"weights", s.weights.id},
                     {"kv_cache", s.kv_cache.id},
                     {"engine", s.engine.id},
                     {"mode", std::string(mode_name(s.mode))},
                     {"context_tokens", number(s.context_tokens)},
                     {"prompt_tokens", number(s.prompt_tokens)},
                     {"output_tokens", number(s.output_tokens)},
                     {"batch_size", number(s.batch_size)},
                     {"pricing", s.pricing},
                     {"electricity_usd_per_kwh", number(s.electricity_usd_per_kwh)},
                     {"pue", number(s.pue)},
                     {"utilization", number(s.utilization)},
                     {"host_w_per_server", number(s.host_w_per_server)},
                     {"gpus_per_server", s.gpus_per_server},
                     {"lora_rank", s.lora_rank},
                     {"gradient_checkpointing", s.gradient_checkpointing},
                     {"compute_precision", r.compute_precision},
                     {"interconnect", r.link.empty() ? json(nullptr) : json(r.link)}};
  if (!compact) {
    json assumptions = json::object();
    for (const Assumption& a : r.assumptions) {
      json v = a.number ? number(*a.number) : json(a.text);
      assumptions[a.key] = {{"value", v}, {"note", a.note}};
    }
    out["assumptions"] = assumptions;
    json measured = json::array();
    for (const Measured& m : r.measured) {
      // Absent figures are null, never 0: a 0 would read as a measurement or an estimate.
      measured.push_back({{"id", m.id},
                          {"kind", m.kind},
                          {"value", number(m.value)},
                          {"estimate", opt(m.estimate)},
                          {"no_estimate_why", m.estimate ? json(nullptr) : json(m.no_estimate_why)},
                          {"batch_size", opt(m.batch_size)},
                          {"prompt_tokens", opt(m.prompt_tokens)},
                          {"output_tokens", opt(m.output_tokens)},
                          {"engine_version", m.engine_version},
                          {"source", m.source},
                          {"date", m.date}});
    }
    out["measured"] = measured;
  }
  out["warnings"] = r.warnings;
  return out;
}

}  // namespace gpufit::detail
