// The JSON-in, JSON-out face of the core: what gpucalc and the WebAssembly module call. Every
// function returns either JSON text or an Error naming the field; none throws, none prints.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gpufit/catalog.hpp"
#include "gpufit/error.hpp"

namespace gpufit {

// A scenario object -> a result object; an array of scenarios -> an array of results, in order.
// `today` (YYYY-MM-DD) stands in for a scenario's as_of_date where it gives none, so catalog
// prices older than a year are flagged (the core has no clock; its callers do).
Outcome<std::string> evaluate_json(std::string_view scenarios, const Catalog& catalog, std::string_view today = "");

// One scenario and options ({"by": "usd_per_million_tokens"|"tokens_per_s"|"latency"|"watts"|
// "gpus", "counts": [1, 2], "formats": ["bf16", "int4"], "gpus": ["l4"], "batch": "scenario"|
// "max_fit", "max_batch": 256}; "" or "{}" for defaults) -> the ranking.
Outcome<std::string> rank_json(std::string_view scenario, std::string_view options, const Catalog& catalog,
                               std::string_view today = "");

// One numeric scenario field swept over values (a JSON array) -> an array of compact results,
// for charts ("batch_size", [1, 2, 4, 8]).
Outcome<std::string> sweep_json(std::string_view scenario, std::string_view field, std::string_view values,
                                const Catalog& catalog, std::string_view today = "");

// The page's one call per input change: the scenario is read and resolved once, then each view
// asked for is computed from it. `views` (JSON; "" = {"result": true}):
//   {"result": true, "rank": {rank options}, "sweeps": [{"field": "batch_size", "values": [1, 8]}],
//    "compare": ["l4", "a100-80gb-sxm"], "permalink": true}
// -> {"result": {...}, "rank": {...}, "sweeps": [[compact results]], "compare": [compact results],
//     "permalink": "model=...&gpu=..."}. Errors in the scenario point into it ("/batch_size");
// errors in the views name input "views".
Outcome<std::string> update_json(std::string_view scenario, std::string_view views, const Catalog& catalog,
                                 std::string_view today = "");

// A weight file's first bytes -> what its header says (core/src/header_api.cpp). `kind`: "gguf" or
// "safetensors"; `file_size`: the file's length (0: unknown, fewer checks); `name`: the file's name
// (the model source's id). Either {"kind", "need_bytes": N} (hand in the file's first N bytes; exact
// for safetensors, a lower bound for GGUF) or {"kind", "header_bytes", "data_bytes", "tensor_count",
// "params", "weights_bytes", "weights_bytes_by_dtype": {dtype: bytes}, "main_dtype",
// "embedding_bytes", "routed_expert_bytes", "tied_embeddings", "weights" (the catalog format the
// file is in, "" if none), "metadata": {...}} and, for GGUF, "version" and "model": the custom model
// object a scenario takes as its "model" (shape from the metadata, "file_source" with the bytes).
Outcome<std::string> inspect_header_json(std::string_view bytes, std::string_view kind, std::uint64_t file_size = 0,
                                         std::string_view name = "");

// config.json + every safetensors file's header -> a custom model (a Hub repository, a folder of
// shards). `request`: {"kind": "hub"|"safetensors", "id": "org/name@rev", "config": {config.json},
// "headers": ["<header JSON text>", ...], "bytes_fetched": N} -> {"kind", "id", "weights", the
// summary fields of inspect_header_json, "config_params" (derived from config.json alone),
// "bytes_fetched", "model": {the scenario's "model" object, with "file_source"}}.
Outcome<std::string> model_from_headers_json(std::string_view request);

// The catalog's entries of one kind as a JSON array ("gpus", "models", "formats",
// "kv_cache_formats", "engines", "interconnects", "prices", "benchmarks"), or "all" as one object
// of those arrays.
Outcome<std::string> catalog_json(const Catalog& catalog, std::string_view kind);

// Every measured benchmark against its estimate: {"groups": [{"kind", "engine", "n",
// "median_abs_pct", "p90_abs_pct", "bias_pct", "worst": [...]}], "points": [...], "skipped": [...]}.
Outcome<std::string> validation_json(const Catalog& catalog);

// Fits the named engines (all but "ideal" and the training runtime when empty) to the benchmarks:
// {"engines": [{"id", "fit": {factors, fitted_on, validation, error_pct}, "in_sample": {kind: stats},
// "cross_validated": {kind: stats}, "gpus": [...], "points": n}]}. Slow by design (a fit per GPU
// left out): gpucalc calibrate runs it by hand.
Outcome<std::string> calibration_json(const Catalog& catalog, const std::vector<std::string>& engine_ids);

// Several scenarios onto MIG-sliced cards (core/src/mig_pack.cpp). `request`: an array of
// scenarios, or {"scenarios": [...], "gpus": ["a100-80gb-sxm"], "whole_gpus": ["l4"]}. Each
// scenario's traffic is its users (with min_tokens_per_s_per_user), else its tokens_per_day, else
// it only has to fit; its gpu may be left out. -> {"scenarios": [...], "plans": [one per MIG card:
// {gpu, usd_per_gpu_hour, feasible, reason, gpus, usd_per_hour, assignments: [{scenario, profile,
// instances, ...}], layout: [{gpu_index, instances: [{scenario, profile, start_slice, ...}], ...}],
// whole: [...], whole_gpus, whole_usd_per_hour, saving_usd_per_hour}], "best": index of the
// cheapest plan, "whole_gpus": each scenario on the cheapest whole GPU listed (or null), "statement"}.
Outcome<std::string> pack_json(std::string_view request, const Catalog& catalog, std::string_view today = "");

}  // namespace gpufit
