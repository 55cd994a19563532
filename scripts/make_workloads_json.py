#!/usr/bin/env python3
# Writes data/workloads.json: the workload models (architecture figures with their sources), the
# engines, and the benchmark rows produced by scripts/import_workload_rows.py.
import json, os, sys
HF = "https://huggingface.co/"
def emb(id, name, repo, params, layers, hidden, inter, heads, kv, hd, vocab, maxseq, gated, params_note, extra=""):
    return {"id": id, "workload": "embedding", "name": name, "params": params, "layers": layers, "hidden_size": hidden,
            "intermediate_size": inter, "attention_heads": heads, "kv_heads": kv, "head_dim": hd, "vocab_size": vocab,
            "gated_mlp": gated, "max_sequence_tokens": maxseq,
            "source": HF + repo + "/blob/main/config.json",
            "field_sources": {"params": params_note},
            "notes": extra}
models = [
 emb("bge-small-en-v1.5", "BGE small en v1.5", "BAAI/bge-small-en-v1.5", 33360000, 12, 384, 1536, 12, 12, 32, 30522, 512, False,
     "model card: 33.4M parameters (Hub 'Model size'); BERT layout: embeddings (30522+512+2) x 384"),
 emb("bge-base-en-v1.5", "BGE base en v1.5", "BAAI/bge-base-en-v1.5", 109482240, 12, 768, 3072, 12, 12, 64, 30522, 512, False,
     "Hub 'Model size' 109M; equals the BERT-base layout of config.json"),
 emb("bge-large-en-v1.5", "BGE large en v1.5", "BAAI/bge-large-en-v1.5", 335142400, 24, 1024, 4096, 16, 16, 64, 30522, 512, False,
     "as models.json's entry (HF safetensors total 335,142,400)"),
 emb("e5-base-v2", "E5 base v2", "intfloat/e5-base-v2", 109482240, 12, 768, 3072, 12, 12, 64, 30522, 512, False,
     "BERT-base layout of config.json (109M; Hub 'Model size' 109M)"),
 emb("e5-large-v2", "E5 large v2", "intfloat/e5-large-v2", 335142400, 24, 1024, 4096, 16, 16, 64, 30522, 512, False,
     "BERT-large layout of config.json (335M; Hub 'Model size' 335M)"),
 emb("gte-base", "GTE base", "thenlper/gte-base", 109482240, 12, 768, 3072, 12, 12, 64, 30522, 512, False,
     "BERT-base layout of config.json (Hub 'Model size' 109M)"),
 emb("gte-large", "GTE large", "thenlper/gte-large", 335142400, 24, 1024, 4096, 16, 16, 64, 30522, 512, False,
     "BERT-large layout of config.json (Hub 'Model size' 335M)"),
 emb("nomic-embed-text-v1.5", "Nomic Embed Text v1.5", "nomic-ai/nomic-embed-text-v1.5", 136731648, 12, 768, 3072, 12, 12, 64, 30528, 8192, True,
     "Hub 'Model size' 137M; config.json (nomic_bert): n_layer 12, n_embd 768, n_inner 3072, SwiGLU, rotary, n_positions 8192"),
 emb("qwen3-embedding-0.6b", "Qwen3-Embedding 0.6B", "Qwen/Qwen3-Embedding-0.6B", 595776512, 28, 1024, 3072, 16, 8, 128, 151669, 32768, True,
     "model card: 0.6B parameters, 28 layers, context 32k; config.json: hidden 1024, intermediate 3072, 16 heads, 8 KV heads, head_dim 128",
     "decoder-only backbone used as an encoder (last-token pooling): one forward pass per sequence, no decode"),
 emb("qwen3-embedding-4b", "Qwen3-Embedding 4B", "Qwen/Qwen3-Embedding-4B", 4021774336, 36, 2560, 9728, 32, 8, 128, 151665, 32768, True,
     "model card: 4B parameters, 36 layers, context 32k; config.json: hidden 2560, intermediate 9728, 32 heads, 8 KV heads",
     "decoder-only backbone used as an encoder (last-token pooling)"),
 emb("qwen3-embedding-8b", "Qwen3-Embedding 8B", "Qwen/Qwen3-Embedding-8B", 7567295488, 36, 4096, 12288, 32, 8, 128, 151665, 32768, True,
     "model card: 8B parameters, 36 layers, context 32k; config.json: hidden 4096, intermediate 12288, 32 heads, 8 KV heads; no LM head",
     "decoder-only backbone used as an encoder (last-token pooling)"),
]
def whisper(id, name, repo, params, d, enc, dec, ffn, heads, vocab, mels, note=""):
    return {"id": id, "workload": "speech", "name": name, "params": params, "d_model": d, "encoder_layers": enc,
            "decoder_layers": dec, "ffn_dim": ffn, "attention_heads": heads, "vocab_size": vocab, "mel_bins": mels,
            "source": HF + repo + "/blob/main/config.json",
            "field_sources": {"params": "Hub 'Model size' of " + repo + "; equals the layout derived from config.json within 1% (tests/workload_test.cpp)"},
            "notes": note}
models += [
 whisper("whisper-small", "Whisper small", "openai/whisper-small", 241734912, 768, 12, 12, 3072, 12, 51865, 80),
 whisper("whisper-medium", "Whisper medium", "openai/whisper-medium", 763857920, 1024, 24, 24, 4096, 16, 51865, 80),
 whisper("whisper-large-v2", "Whisper large-v2", "openai/whisper-large-v2", 1543304960, 1280, 32, 32, 5120, 20, 51865, 80),
 whisper("whisper-large-v3", "Whisper large-v3", "openai/whisper-large-v3", 1543490560, 1280, 32, 32, 5120, 20, 51866, 128),
 whisper("whisper-large-v3-turbo", "Whisper large-v3-turbo", "openai/whisper-large-v3-turbo", 808878080, 1280, 32, 4, 5120, 20, 51866, 128,
         "large-v3 encoder with 4 decoder layers"),
 whisper("distil-large-v3", "Distil-Whisper large-v3", "distil-whisper/distil-large-v3", 756220160, 1280, 32, 2, 5120, 20, 51866, 128,
         "large-v3 encoder with 2 decoder layers (distilled)"),
]
CLIP_L = {"name": "text_encoder", "role": "text_encoder", "params": 123060480, "tokens": 77,
          "source": "CLIP ViT-L/14 text model (openai/clip-vit-large-patch14), 123M: Hub 'Model size' of the pipelines' text_encoder"}
CLIP_G = {"name": "text_encoder_2", "role": "text_encoder", "params": 694659840, "tokens": 77,
          "source": "OpenCLIP ViT-bigG/14 text model with projection, 694.7M: stable-diffusion-xl-base-1.0 text_encoder_2"}
T5 = lambda tokens: {"name": "text_encoder_3", "role": "text_encoder", "params": 4762310656, "tokens": tokens,
          "source": "T5 v1.1 XXL encoder, 4.76B (google/t5-v1_1-xxl encoder only), as in the SD3.5 and FLUX.1 pipelines"}
VAE4 = {"name": "vae", "role": "vae", "params": 83653863, "decoder_tflops_per_megapixel": 9.687,
        "source": "AutoencoderKL of SD 1.5/SDXL (83.65M); decoder FLOPs: 2.539 TFLOPs at 512x512 (NVIDIA, 'Stable Diffusion inference acceleration' slides, https://www.sgpjbg.com/bgdown/155314.html) = 9.687 TFLOPs per megapixel"}
VAE16 = dict(VAE4, params=83819683, source="16-channel AutoencoderKL of SD3/FLUX (83.8M, Hub); decoder as SD's (same block_out_channels 128-512; only the first conv differs): 9.687 TFLOPs per megapixel")
def img(id, name, repo, w, h, steps, passes, components, note="", extra_src=None):
    m = {"id": id, "workload": "image", "name": name, "native_width": w, "native_height": h, "default_steps": steps,
         "guidance_passes": passes, "components": components, "source": HF + repo, "notes": note}
    if extra_src: m["field_sources"] = extra_src
    return m
SD15_UNET = {"name": "unet", "role": "denoiser", "kind": "unet", "params": 859520964, "ref_latent_pixels": 4096,
             "linear_tflops": 0.6807, "attention_tflops": 0.1225,
             "source": "unet/config.json of runwayml/stable-diffusion-v1-5 (859.5M); FLOPs at a 64x64 latent from the architecture by scripts/unet_flops.py (0.803 TFLOPs; NVIDIA's slides state 0.840)"}
SDXL_UNET = {"name": "unet", "role": "denoiser", "kind": "unet", "params": 2567463684, "ref_latent_pixels": 16384,
             "linear_tflops": 6.0096, "attention_tflops": 0.7516,
             "source": "unet/config.json of stabilityai/stable-diffusion-xl-base-1.0 (2.567B); FLOPs at a 128x128 latent from the architecture by scripts/unet_flops.py"}
REFINER_UNET = {"name": "refiner_unet", "role": "denoiser", "kind": "unet", "params": 2518742852, "ref_latent_pixels": 16384,
             "linear_tflops": 6.1247, "attention_tflops": 1.1613, "steps_fraction": 0.2,
             "source": "unet/config.json of stabilityai/stable-diffusion-xl-refiner-1.0 (block_out_channels 384-1536, 4 transformer layers); FLOPs by scripts/unet_flops.py; runs the last 20% of the steps (the diffusers ensemble-of-experts default high_noise_frac 0.8)"}
CONTROLNET = {"name": "controlnet", "role": "denoiser", "kind": "unet", "params": 1251364868, "ref_latent_pixels": 16384,
             "linear_tflops": 2.93, "attention_tflops": 0.37,
             "source": "diffusers/controlnet-canny-sdxl-1.0 (1.25B, Hub); FLOPs taken as SDXL's UNet's in proportion to parameters (the ControlNet copies the UNet's encoder and middle block), an assumption"}
UPSCALER = {"name": "upscaler", "role": "upscaler", "params": 16697987, "tflops_per_output_megapixel": 2.24,
            "source": "Real-ESRGAN x4plus (RRDBNet, 23 blocks, 64 features: 16.7M parameters, https://github.com/xinntao/Real-ESRGAN); FLOPs from the layer shapes: each RDB's five 3x3 convolutions (64+32k inputs, 32 or 64 outputs) are 239,616 MACs per input pixel, x 3 per RRDB x 23 = 16.5M, plus the trunk and the two x2 upsampling convolutions 1.4M: 17.9M MACs = 35.8 MFLOPs per input pixel = 2.24 TFLOPs per output megapixel at x4"}
def dit(name, params, layers, hidden, text_tokens, src, token_params, why):
    return {"name": name, "role": "denoiser", "kind": "dit", "params": params, "layers": layers, "hidden_size": hidden,
            "patch_size": 2, "text_tokens": text_tokens, "token_params": token_params, "source": src + "; token_params: " + why}
models += [
 img("sd-1.5", "Stable Diffusion 1.5", "runwayml/stable-diffusion-v1-5", 512, 512, 50, 2, [CLIP_L, SD15_UNET, VAE4],
     "classifier-free guidance: two UNet passes per step"),
 img("sdxl-base-1.0", "SDXL base 1.0", "stabilityai/stable-diffusion-xl-base-1.0", 1024, 1024, 50, 2, [CLIP_L, CLIP_G, SDXL_UNET, VAE4],
     "classifier-free guidance: two UNet passes per step; diffusers' default 50 steps"),
 img("sdxl-base-refiner-1.0", "SDXL base + refiner 1.0", "stabilityai/stable-diffusion-xl-refiner-1.0", 1024, 1024, 50, 2,
     [CLIP_L, CLIP_G, dict(SDXL_UNET, steps_fraction=0.8), REFINER_UNET, VAE4],
     "ensemble of experts: the base runs the first 80% of the steps, the refiner the rest; the refiner reuses text_encoder_2 and the VAE"),
 img("sdxl-controlnet-upscaler", "SDXL + ControlNet + x4 upscaler", "diffusers/controlnet-canny-sdxl-1.0", 1024, 1024, 50, 2,
     [CLIP_L, CLIP_G, SDXL_UNET, CONTROLNET, VAE4, UPSCALER],
     "the seeds' 'ControlNet + base + upscaler' workflow: ControlNet runs beside the UNet each step; Real-ESRGAN x4 upscales the decoded image"),
 img("sd-3.5-medium", "Stable Diffusion 3.5 Medium", "stabilityai/stable-diffusion-3.5-medium", 1024, 1024, 40, 2,
     [CLIP_L, dict(CLIP_G, params=694659840), T5(256),
      dit("transformer", 2470000000, 24, 1536, 333, "MMDiT-X, 2.5B (model card); transformer/config.json: 24 layers (num_layers), 24 heads x 64 = 1536, patch 2",
      0.80e9, "each token passes its own stream's attention (4 h^2) and MLP (8 h^2, ratio 4) in each of 24 blocks = 0.68B, plus the extra self-attention of the first 13 blocks (4 h^2 each) = 0.80B; adaLN modulation acts on one vector"),
      VAE16], "classifier-free guidance (two passes per step); 40 steps as the model card's example; 77 CLIP + 256 T5 text tokens"),
 img("sd-3.5-large", "Stable Diffusion 3.5 Large", "stabilityai/stable-diffusion-3.5-large", 1024, 1024, 28, 2,
     [CLIP_L, CLIP_G, T5(256),
      dit("transformer", 8060000000, 38, 2432, 333, "MMDiT, 8.1B (model card); transformer/config.json: 38 layers, 38 heads x 64 = 2432, patch 2",
      2.70e9, "each token passes its own stream's attention (4 h^2) and MLP (8 h^2) in each of 38 blocks: 38 x 12 x 2432^2 = 2.70B; the other stream and the adaLN modulation (on one vector) are the rest of the 8.1B"),
      VAE16], "classifier-free guidance (two passes per step); 28 steps as the model card's example"),
 img("flux.1-dev", "FLUX.1 [dev]", "black-forest-labs/FLUX.1-dev", 1024, 1024, 28, 1,
     [CLIP_L, T5(512),
      dit("transformer", 11901408320, 57, 3072, 512, "FluxTransformer2DModel, 11.9B (Hub); transformer/config.json: 19 double-stream + 38 single-stream blocks, 24 heads x 128 = 3072, patch 2 (2x2 latent packing)",
      6.45e9, "double-stream blocks: a token passes its stream's attention and MLP, 12 h^2 = 113M, x 19 = 2.15B; single-stream blocks: fused QKV + MLP in (h x 7h) and out (5h x h) = 113M, x 38 = 4.30B; modulation weights act on one vector"),
      VAE16], "guidance-distilled: one pass per step; 28 steps (the model card's example uses 50; 28 is the common setting)"),
 img("flux.1-schnell", "FLUX.1 [schnell]", "black-forest-labs/FLUX.1-schnell", 1024, 1024, 4, 1,
     [CLIP_L, T5(256),
      dit("transformer", 11901408320, 57, 3072, 256, "as FLUX.1 [dev]: 11.9B, 57 blocks, hidden 3072", 6.45e9, "as FLUX.1 [dev]"),
      VAE16], "timestep-distilled: 4 steps, one pass each; 256 T5 tokens"),
]
doc = {
 "notes": "Models of the non-LLM workloads (image generation, speech-to-text, embeddings) with the architecture figures their memory and FLOPs rest on; measured results used to fit and validate them; read by core/src/workload_catalog.cpp. params: parameters; FLOPs figures in TFLOPs (10^12) of one forward pass; image components' weights take the scenario's weight format except the VAE (kept at 16 bits).",
 "models": models,
 "engines": [
  {"id": "diffusers", "workload": "image", "name": "Hugging Face Diffusers (PyTorch)", "source": "https://github.com/huggingface/diffusers"},
  {"id": "tensorrt", "workload": "image", "name": "NVIDIA TensorRT (diffusion demo / TensorRT extension)", "source": "https://github.com/NVIDIA/TensorRT/tree/release/10.0/demo/Diffusion"},
  {"id": "diffusers-compiled", "workload": "image", "name": "Diffusers with a compiler (torch.compile, stable-fast, OneDiff, AITemplate)", "source": "https://huggingface.co/docs/diffusers/optimization/torch2.0"},
  {"id": "comfyui", "workload": "image", "name": "ComfyUI (PyTorch)", "source": "https://github.com/comfyanonymous/ComfyUI"},
  {"id": "faster-whisper", "workload": "speech", "name": "faster-whisper (CTranslate2)", "source": "https://github.com/SYSTRAN/faster-whisper"},
  {"id": "transformers", "workload": "speech", "name": "Hugging Face Transformers (PyTorch)", "source": "https://github.com/huggingface/transformers"},
  {"id": "whisper.cpp", "workload": "speech", "name": "whisper.cpp (ggml)", "source": "https://github.com/ggerganov/whisper.cpp"},
  {"id": "openai-whisper", "workload": "speech", "name": "openai-whisper (PyTorch reference)", "source": "https://github.com/openai/whisper"},
  {"id": "tensorrt-llm", "workload": "speech", "name": "TensorRT-LLM (Whisper example)", "source": "https://github.com/NVIDIA/TensorRT-LLM/tree/main/examples/whisper"},
  {"id": "tei", "workload": "embedding", "name": "Text Embeddings Inference", "source": "https://github.com/huggingface/text-embeddings-inference"},
  {"id": "sentence-transformers", "workload": "embedding", "name": "Sentence Transformers (PyTorch)", "source": "https://github.com/UKPLab/sentence-transformers"},
  {"id": "infinity", "workload": "embedding", "name": "Infinity (michaelfeil/infinity)", "source": "https://github.com/michaelfeil/infinity"},
  {"id": "onnxruntime", "workload": "embedding", "name": "ONNX Runtime (CUDA / TensorRT EP)", "source": "https://github.com/microsoft/onnxruntime"}
 ],
 "benchmarks": json.load(open(sys.argv[1] if len(sys.argv) > 1 else 'workload_rows.json')),
}
json.dump(doc, open(os.path.join(os.path.dirname(__file__), '..', 'data', 'workloads.json'),'w'), indent=2)
print(len(models))
