#!/usr/bin/env python3
"""FLOPs of one forward pass of a diffusers UNet2DConditionModel, from its config.json fields.

Counts the multiply-adds of convolutions, linear layers and attention score/value products
(2 FLOPs each), split into the part linear in the latent's pixels and the self-attention part
quadratic in them, at the latent size given. Norms, activations and the time embedding are left
out (a few percent). Used to derive data/workloads.json's denoiser figures:
    python3 scripts/unet_flops.py
"""


def unet_flops(block_out, layers_per_block, down_types, transformer_layers, cross_dim, mid_layers, h, w,
               context_tokens=77):
    lin = 0.0   # MACs linear in pixels
    quad = 0.0  # MACs of self-attention scores and values (quadratic in pixels)
    hw = h * w

    def conv(cin, cout, k, pix):
        return k * k * cin * cout * pix

    def resnet(cin, cout, pix):
        m = conv(cin, cout, 3, pix) + conv(cout, cout, 3, pix)
        if cin != cout:
            m += conv(cin, cout, 1, pix)
        return m

    def transformer(c, n, pix):
        lin_m = 2 * c * c * pix  # proj_in, proj_out
        quad_m = 0.0
        for _ in range(n):
            lin_m += 4 * c * c * pix            # self-attention q, k, v, o
            quad_m += 2 * pix * pix * c         # scores and values
            lin_m += 2 * c * c * pix            # cross-attention q, o
            lin_m += 2 * context_tokens * cross_dim * c  # cross-attention k, v of the text
            lin_m += 2 * pix * context_tokens * c        # cross-attention scores and values
            lin_m += 12 * c * c * pix           # GEGLU feed-forward: c -> 2x4c, 4c -> c
        return lin_m, quad_m

    n = len(block_out)
    lin += conv(4, block_out[0], 3, hw)
    skips = [block_out[0]]
    pix = hw
    cin = block_out[0]
    for i, c in enumerate(block_out):
        attn = down_types[i]
        for _ in range(layers_per_block):
            lin += resnet(cin, c, pix)
            cin = c
            if attn:
                l, q = transformer(c, transformer_layers[i], pix)
                lin += l
                quad += q
            skips.append(c)
        if i < n - 1:
            lin += conv(c, c, 3, pix // 4)
            pix //= 4
            skips.append(c)
    # mid block at the lowest resolution
    c = block_out[-1]
    lin += 2 * resnet(c, c, pix)
    l, q = transformer(c, mid_layers, pix)
    lin += l
    quad += q
    rev = list(reversed(block_out))
    rev_attn = list(reversed(down_types))
    rev_layers = list(reversed(transformer_layers))
    prev = rev[0]
    for j, c in enumerate(rev):
        for k in range(layers_per_block + 1):
            skip = skips.pop()
            rin = prev if k == 0 else c
            lin += resnet(rin + skip, c, pix)
            if rev_attn[j]:
                l, q = transformer(c, rev_layers[j], pix)
                lin += l
                quad += q
        prev = c
        if j < n - 1:
            pix *= 4
            lin += conv(c, c, 3, pix)
    lin += conv(block_out[0], 4, 3, hw)
    return 2 * lin, 2 * quad


if __name__ == "__main__":
    # SD 1.5 (runwayml/stable-diffusion-v1-5 unet/config.json), 512x512 image = 64x64 latent.
    l, q = unet_flops([320, 640, 1280, 1280], 2, [True, True, True, False], [1, 1, 1, 1], 768, 1, 64, 64)
    print(f"sd-1.5 64x64: linear {l/1e12:.4f} TFLOPs, attention {q/1e12:.4f} TFLOPs, total {(l+q)/1e12:.4f}")
    # SDXL base (stabilityai/stable-diffusion-xl-base-1.0 unet/config.json), 1024x1024 = 128x128 latent.
    l, q = unet_flops([320, 640, 1280], 2, [False, True, True], [1, 2, 10], 2048, 10, 128, 128)
    print(f"sdxl 128x128: linear {l/1e12:.4f} TFLOPs, attention {q/1e12:.4f} TFLOPs, total {(l+q)/1e12:.4f}")
    # SDXL refiner (unet/config.json of stable-diffusion-xl-refiner-1.0): 384,768,1536,1536, attention in
    # the middle two blocks, 4 transformer layers, cross_attention_dim 1280.
    l, q = unet_flops([384, 768, 1536, 1536], 2, [False, True, True, False], [4, 4, 4, 4], 1280, 4, 128, 128)
    print(f"sdxl-refiner 128x128: linear {l/1e12:.4f} TFLOPs, attention {q/1e12:.4f} TFLOPs, total {(l+q)/1e12:.4f}")
