// Image generation (latent diffusion): text encoding once, then `steps` passes of the denoiser
// (two per step with classifier-free guidance) over the latent, then the VAE decodes the image
// (and an upscaler, where the pipeline has one). Compute-bound: FLOPs from the architecture over
// the fitted fraction of the tensor peak, plus the denoiser's weights read once per step.
#include <algorithm>
#include <cmath>

#include "workload_common.hpp"

namespace gpufit::detail {

namespace {

constexpr double kVaeScale = 8;  // latent pixels per image pixel, each way

// PCIe bandwidth one way, per generation, x16 (GB/s), for offloading.
double pcie_gbs(const Gpu& g) {
  const double per_lane = g.pcie_gen >= 5 ? 3.94 : g.pcie_gen == 4 ? 1.97 : 0.985;
  return per_lane * g.pcie_lanes;
}

// FLOPs of one denoiser forward pass for one image at width x height.
double denoiser_flops(const WorkloadComponent& c, double width, double height) {
  const double latent_pixels = (width / kVaeScale) * (height / kVaeScale);
  if (c.kind == "unet") {
    const double r = latent_pixels / c.ref_latent_pixels;
    return (c.linear_tflops * r + c.attention_tflops * r * r) * 1e12;
  }
  // DiT: latent patches plus the text tokens attend jointly in every block.
  const double tokens = latent_pixels / (c.patch_size * c.patch_size) + c.text_tokens;
  return 2 * c.token_params * tokens + 4.0 * c.layers * tokens * tokens * c.hidden_size;
}

// Peak activations of one denoiser pass per image: a few hidden-wide tensors per latent token.
double denoiser_activation_bytes(const WorkloadComponent& c, double width, double height) {
  const double latent_pixels = (width / kVaeScale) * (height / kVaeScale);
  if (c.kind == "unet") return latent_pixels * 320 * 2 * 16;  // 320 channels at full latent size
  const double tokens = latent_pixels / (c.patch_size * c.patch_size) + c.text_tokens;
  return tokens * c.hidden_size * 2 * 12.0;  // qkv, MLP (4x), residual
}

}  // namespace

WorkloadFigures image_figures(const Setup& s, const WorkloadFit& fit) {
  const WorkloadModel& m = *s.workload_model;
  WorkloadFigures f;
  f.workload = "image";
  f.fit = fit;
  const double w = s.width.value_or(m.native_width), h = s.height.value_or(m.native_height);
  const double steps = s.steps.value_or(m.default_steps);
  const double b = s.batch_size;
  const double megapixels = w * h / 1e6;
  const double peak = peak_flops_per_s(s) * fit.compute_efficiency;
  const double bw = bandwidth_bytes_per_s(s) * fit.bandwidth_efficiency;

  double flops = 0, step_bytes = 0, denoiser_steps = 0, resident_gb = 0, largest_gb = 0, all_bytes = 0, act_bytes = 0;
  for (const WorkloadComponent& c : m.components) {
    // The VAE and the upscaler stay at 16 bits; the rest take the scenario's format.
    const double bytes = (c.role == "vae" || c.role == "upscaler") ? c.params * 2 : bytes_at(s, c.params);
    f.memory_components_gb.emplace_back(c.name, bytes / kBytesPerGB);
    resident_gb += bytes / kBytesPerGB;
    largest_gb = std::max(largest_gb, bytes / kBytesPerGB);
    all_bytes += bytes;
    if (c.role == "text_encoder") {
      flops += b * 2 * c.params * c.tokens * m.guidance_passes;  // prompt and negative prompt
    } else if (c.role == "denoiser") {
      const double n = std::round(steps * c.steps_fraction);
      flops += n * m.guidance_passes * b * denoiser_flops(c, w, h);
      step_bytes += n * bytes;
      denoiser_steps += n;
      act_bytes = std::max(act_bytes, m.guidance_passes * b * denoiser_activation_bytes(c, w, h));
    } else if (c.role == "vae") {
      flops += b * c.decoder_tflops_per_megapixel * 1e12 * megapixels;
      act_bytes = std::max(act_bytes, w * h * 128 * 2 * 3.0);  // 128 channels at full size, one image at a time
    } else if (c.role == "upscaler") {
      flops += b * c.tflops_per_output_megapixel * 1e12 * megapixels * 16;
      act_bytes = std::max(act_bytes, w * h * 64 * 2 * 4.0);  // 64 features at the input size, a few live
    }
  }
  f.flops = flops;
  const double speed = fit.speed_of(s.workload_engine);
  f.compute_s = flops / peak / speed;
  f.memory_s = step_bytes / bw / speed;
  f.overhead_s = denoiser_steps * fit.step_overhead_ms / 1000 / speed;
  const bool offload = s.offload == "model";
  // Model offload moves every component over PCIe once per batch.
  f.offload_s = offload ? all_bytes / (pcie_gbs(s.gpu) * 1e9 * 0.8) : 0;
  f.seconds_per_batch = f.compute_s + f.memory_s + f.overhead_s + f.offload_s;
  f.bound = f.compute_s >= f.memory_s ? "compute" : "memory";
  f.seconds_per_image = f.seconds_per_batch / b / s.gpu_count;
  f.images_per_minute = 60 / f.seconds_per_image;

  f.weights_gb = offload ? largest_gb : resident_gb;
  f.activations_gb = act_bytes / kBytesPerGB;
  f.overhead_gb = kWorkloadRuntimeOverheadGb;
  f.memory_components_gb.emplace_back("activations", f.activations_gb);
  f.assumptions.push_back(std::to_string(int(steps)) + " steps x " + std::to_string(m.guidance_passes) +
                          " denoiser passes at " + std::to_string(int(w)) + "x" + std::to_string(int(h)));
  if (offload)
    f.assumptions.push_back("model offload: one component on the GPU at a time, each moved over PCIe once per batch");
  return f;
}

}  // namespace gpufit::detail
