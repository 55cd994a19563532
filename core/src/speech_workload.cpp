// Speech-to-text (Whisper): the audio is cut into 30 s windows; the encoder runs once per window
// over 1500 frames (compute-bound), then the decoder emits the window's tokens one step at a time
// for every beam, reading its weights and every beam's cross-attention keys and values of the 1500
// frames each step (memory-bound at small batch). batch_size windows run together.
#include <algorithm>
#include <cmath>

#include "workload_common.hpp"

namespace gpufit::detail {

namespace {

constexpr double kWindowSeconds = 30;  // Whisper's input: 30 s of log-mel frames
constexpr double kFrames = 1500;       // encoder positions per window (3000 mel frames, stride 2)
constexpr double kMelFrames = 3000;

}  // namespace

WorkloadFigures speech_figures(const Setup& s, const WorkloadFit& fit) {
  const WorkloadModel& m = *s.workload_model;
  WorkloadFigures f;
  f.workload = "speech";
  f.fit = fit;
  const double d = m.d_model;
  const double b = s.batch_size;  // windows decoded together
  const double beams = s.beam_size;
  // Layer parameters from config.json's shape: encoder layers hold self-attention (4 d^2) and
  // the MLP (2 d ffn); decoder layers add cross-attention (4 d^2).
  const double enc_layer = 4 * d * d + 2 * d * m.ffn_dim;
  const double dec_layer = 8 * d * d + 2 * d * m.ffn_dim;
  const double dec_params = m.decoder_layers * dec_layer + double(m.vocab_size) * d;  // + output projection (tied)

  // Encoder per window: the two input convolutions, the layers, self-attention over 1500 frames.
  const double conv = 2 * kMelFrames * (m.mel_bins * d * 3) + 2 * kFrames * (d * d * 3);
  const double enc_flops =
      conv + 2 * kFrames * m.encoder_layers * enc_layer + 4.0 * m.encoder_layers * kFrames * kFrames * d;

  // Decoder: tokens of a window, each a step over batch x beams sequences.
  const double tokens = kWindowSeconds * kSpeechTokensPerAudioSecond;
  const double weight_bytes = bytes_at(s, m.params) * dec_params / m.params;
  const double kv_bytes_per_seq = 2.0 * m.decoder_layers * kFrames * d * 2;  // cross-attention K and V, 16 bits
  const double step_bytes = weight_bytes + b * beams * kv_bytes_per_seq;
  const double step_flops = b * beams * (2 * dec_params + 4.0 * m.decoder_layers * kFrames * d);

  const double speed = fit.speed_of(s.workload_engine);
  const double peak = peak_flops_per_s(s) * fit.compute_efficiency * speed;
  const double bw = bandwidth_bytes_per_s(s) * fit.bandwidth_efficiency * speed;
  const double step_compute = step_flops / peak, step_memory = step_bytes / bw;
  // Launches and bookkeeping grow with the decoder's layers: per step and layer.
  const double step_overhead_s = fit.step_overhead_ms / 1000 * m.decoder_layers / speed;
  const double step_s = std::max(step_compute, step_memory) + step_overhead_s;
  const double windows = std::ceil(s.audio_seconds / kWindowSeconds);
  const double rounds = std::ceil(windows / b);  // batches of windows, one after another
  const double enc_s = b * enc_flops / peak;
  const double round_s = enc_s + tokens * step_s;
  f.seconds_per_batch = rounds * round_s;
  f.compute_s = rounds * (enc_s + tokens * step_compute);
  f.memory_s = rounds * tokens * step_memory;
  f.overhead_s = rounds * tokens * step_overhead_s;
  f.flops = rounds * b * (enc_flops + tokens * step_flops / b);
  f.bound = step_memory >= step_compute ? "memory" : "compute";
  // gpu_count GPUs each transcribe their own share of the audio.
  f.real_time_factor = s.audio_seconds / f.seconds_per_batch * s.gpu_count;
  f.audio_hours_per_gpu_hour = f.real_time_factor / s.gpu_count;

  // --- memory ------------------------------------------------------------------------------
  f.weights_gb = bytes_at(s, m.params) / kBytesPerGB;
  const double kv_gb = b * beams * (kv_bytes_per_seq + 2.0 * m.decoder_layers * 448 * d * 2) / kBytesPerGB;
  const double enc_act_gb = b * kFrames * (double(m.ffn_dim) + 4 * d) * 2 / kBytesPerGB;
  f.activations_gb = kv_gb + enc_act_gb;
  f.overhead_gb = kWorkloadRuntimeOverheadGb;
  f.memory_components_gb = {{"encoder", f.weights_gb * (1 - dec_params / m.params)},
                            {"decoder", f.weights_gb * dec_params / m.params},
                            {"kv_cache", kv_gb},
                            {"activations", enc_act_gb}};
  f.assumptions.push_back("30 s windows of 1500 encoder frames; the decoder emits " +
                          std::to_string(int(std::round(tokens))) + " tokens per window (" +
                          "150 words a minute, ~1.3 tokens a word)");
  return f;
}

}  // namespace gpufit::detail
