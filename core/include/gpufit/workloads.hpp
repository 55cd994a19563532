// Workloads beyond text generation: image generation (diffusion pipelines), speech-to-text
// (Whisper) and embeddings (encoders). Their models, engines and measured results come from
// data/workloads.json; the efficiencies the time figures use are fitted on those results when the
// catalog is loaded (one compute efficiency per workload; speech adds a time per decoder step).
// Memory and time rest on the architecture: parameters per component, FLOPs of one forward pass.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gpufit/error.hpp"

namespace gpufit {

struct Gpu;
struct Catalog;
struct Setup;

// One part of an image pipeline (text encoder, UNet or DiT, VAE, ControlNet, upscaler).
struct WorkloadComponent {
  std::string name, role, kind, source;  // role: text_encoder | denoiser | vae | upscaler; kind: unet | dit
  double params = 0;
  double tokens = 0;  // text encoders: tokens encoded
  // UNet denoisers: TFLOPs of one forward pass at ref_latent_pixels, the part linear in pixels and
  // the self-attention part (quadratic in pixels).
  double ref_latent_pixels = 0, linear_tflops = 0, attention_tflops = 0;
  // DiT denoisers: blocks, width, patch size, text tokens attended jointly.
  int layers = 0, hidden_size = 0, patch_size = 2;
  double text_tokens = 0;
  // DiT denoisers: parameters each latent or text token passes through (the blocks' attention and
  // MLP weights of its stream; adaLN modulation runs on one vector, not per token).
  double token_params = 0;
  double steps_fraction = 1;                // share of the steps this denoiser runs (SDXL base + refiner)
  double decoder_tflops_per_megapixel = 0;  // VAE: decoding one output megapixel
  double tflops_per_output_megapixel = 0;   // upscaler (x4)
  bool operator==(const WorkloadComponent&) const = default;
};

struct WorkloadModel {
  std::string id, workload, name, source, notes;  // workload: image | speech | embedding
  double params = 0;
  // embedding (encoder, or a decoder backbone used as one)
  int layers = 0, hidden_size = 0, intermediate_size = 0, attention_heads = 0, kv_heads = 0, head_dim = 0;
  int vocab_size = 0;
  bool gated_mlp = false;
  double max_sequence_tokens = 0;
  // speech (Whisper): encoder over 30 s windows of 1500 frames, decoder with cross-attention
  int d_model = 0, encoder_layers = 0, decoder_layers = 0, ffn_dim = 0, mel_bins = 0;
  // image
  int native_width = 0, native_height = 0, default_steps = 0, guidance_passes = 1;
  std::vector<WorkloadComponent> components;
  bool operator==(const WorkloadModel&) const = default;
};

struct WorkloadEngine {
  std::string id, workload, name, source, notes;
  bool operator==(const WorkloadEngine&) const = default;
};

// A measured public result. unit: image "seconds_per_image" | "images_per_minute" |
// "steps_per_s"; speech "real_time_factor" (audio seconds per wall second); embedding
// "tokens_per_s" | "sequences_per_s".
struct WorkloadBenchmark {
  std::string id, workload, model, gpu, engine, weights, unit, source, date, notes, excluded;
  std::string mig_profile;  // measured on this MIG slice of `gpu` ("1g.10gb"); empty = the whole GPU
  int gpu_count = 1;
  double value = 0;
  std::optional<double> width, height, steps, batch_size, audio_seconds, beam_size, sequence_tokens;
  bool operator==(const WorkloadBenchmark&) const = default;
};

// What a workload's time figures use: fitted on its measured results.
struct WorkloadFit {
  double compute_efficiency = 0.5;    // achieved fraction of the dense tensor peak
  double bandwidth_efficiency = 0.8;  // achieved fraction of DRAM bandwidth (assumed, not fitted)
  // Fixed time beyond FLOPs and bytes (kernel launches, the framework's Python): image per
  // denoiser step, speech per decoder step and layer, embedding per batch.
  double step_overhead_ms = 0;
  // Engines measured often enough (3 rows or more): how much faster than the fit's average engine.
  std::map<std::string, double> engine_speed;
  std::size_t fitted_on = 0;  // rows
  bool fitted = false;
  double speed_of(const std::string& engine) const {
    auto it = engine_speed.find(engine);
    return it == engine_speed.end() ? 1.0 : it->second;
  }
  bool operator==(const WorkloadFit&) const = default;
};

struct WorkloadCatalog {
  std::vector<WorkloadModel> models;
  std::vector<WorkloadEngine> engines;
  // The measured rows the fits are made from and validated on. Read with the file, or (rows
  // deferred: see load_workloads) on first use.
  const std::vector<WorkloadBenchmark>& benchmarks() const;
  void add_benchmark(WorkloadBenchmark b) { rows_.push_back(std::move(b)); }
  bool rows_deferred() const { return !deferred_rows_.empty(); }
  // workload -> fit, made on first use: fitting all three took ~180 ms natively, which every
  // catalog load (and the page's start) paid whether or not it used a workload.
  mutable std::map<std::string, WorkloadFit> fits;
  const WorkloadModel* model(std::string_view id) const;
  const WorkloadEngine* engine(std::string_view workload, std::string_view id) const;
  std::vector<std::string> model_ids(std::string_view workload) const;
  std::vector<std::string> engine_ids(std::string_view workload) const;
  WorkloadFit fit(std::string_view workload, const Catalog& catalog) const;

  bool operator==(const WorkloadCatalog&) const = default;
  friend struct SnapshotFields;  // core/src/catalog_snapshot.cpp

 private:
  friend Outcome<WorkloadCatalog> load_workloads(std::string_view, bool, bool);
  mutable std::vector<WorkloadBenchmark> rows_;
  // The rows' JSON text, until first read (then cleared); sources_required for reading them.
  mutable std::string deferred_rows_;
  bool rows_sources_required_ = true;
};

// Reads data/workloads.json's text (empty text: an empty catalog); each workload is fitted on
// first use (WorkloadCatalog::fit).
// Errors are named as "workloads.json: /models/3/params".
// With defer_rows, the measured rows ("benchmarks": 96 of the file's 98 KB) stay text until a
// fit or a validation first reads them, and are not checked here: for the catalog embedded in the
// WebAssembly module, whose start-up would otherwise parse them for nothing (most pages never show
// an image, speech or embedding workload), and whose rows the native build reads and checks.
Outcome<WorkloadCatalog> load_workloads(std::string_view text, bool sources_required = true, bool defer_rows = false);

// Checks benchmarks against the GPUs, models and engines.
std::vector<Error> check_workloads(const WorkloadCatalog& w, const Catalog& catalog);

// The figures of one workload scenario.
struct WorkloadFigures {
  std::string workload;
  std::vector<std::pair<std::string, double>> memory_components_gb;  // resident, per GPU
  double weights_gb = 0, activations_gb = 0, overhead_gb = 0;
  double seconds_per_batch = 0;  // image: one batch of images; speech: all of audio_seconds; embedding: one batch
  double compute_s = 0, memory_s = 0, overhead_s = 0, offload_s = 0;
  double flops = 0;  // per batch (image, embedding) or per audio_seconds (speech)
  // image
  double seconds_per_image = 0, images_per_minute = 0;
  // speech
  double real_time_factor = 0, audio_hours_per_gpu_hour = 0;
  // embedding
  double sequences_per_s = 0, tokens_per_s = 0;
  std::string bound;  // compute | memory
  WorkloadFit fit;
  std::vector<std::string> assumptions;  // plain words
};

// The estimate; `fit` overrides the catalog's (calibration and cross-validation).
WorkloadFigures workload_figures(const Setup& s, const WorkloadFit& fit);

// A benchmark's value as estimated at its own settings; nullopt when its GPU, model or unit
// cannot be estimated.
std::optional<double> estimate_workload_benchmark(const WorkloadBenchmark& b, const Catalog& catalog,
                                                  const WorkloadFit& fit);

// Fits a workload on the rows given (the catalog's where `rows` is empty).
WorkloadFit fit_workload(const Catalog& catalog, std::string_view workload,
                         const std::vector<const WorkloadBenchmark*>& rows);

// Cross-validated by source: every row of one source leaves together, the fit on the others
// estimates it. Per workload: rows, median and p90 of the absolute % errors.
struct WorkloadValidation {
  std::string workload;
  std::size_t n = 0, sources = 0;
  double median_abs_pct = 0, p90_abs_pct = 0, in_sample_median_abs_pct = 0;
  // The rows measured on MIG slices, held out like the rest; and the slice-to-whole-card ratio of
  // their figures where the same source measured the whole card at the same settings. The ratio
  // cancels what a source's harness adds to all its rows, so it tests the slicing alone.
  std::size_t mig_n = 0, mig_ratio_n = 0;
  double mig_median_abs_pct = 0, mig_ratio_median_abs_pct = 0, mig_ratio_p90_abs_pct = 0;
  WorkloadFit fit;
  struct Point {
    const WorkloadBenchmark* benchmark;
    double estimate, error_pct;
  };
  std::vector<Point> points;  // held out
};
std::vector<WorkloadValidation> validate_workloads(const Catalog& catalog);

inline constexpr std::string_view kWorkloadLlm = "llm";
// Tokens the Whisper decoder emits per second of speech: ~150 words a minute x ~1.3 tokens a word.
inline constexpr double kSpeechTokensPerAudioSecond = 3.3;

}  // namespace gpufit
