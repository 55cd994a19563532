// Bytes of a model's weights in a given format, tensor by tensor: the format's main block layout
// for most tensors, and the tensors it keeps at another precision (embeddings and output head at
// 16 bits for AWQ/GPTQ/NF4/FP8, llama.cpp's K-quant mixes that give attn_v and ffn_down more
// bits in some layers, MXFP4 only on the experts).
#pragma once

#include <string_view>

#include "gpufit/catalog.hpp"
#include "gpufit/model_shape.hpp"

namespace gpufit {

struct WeightBytes {
  double total = 0;
  double embedding = 0;       // the token embedding table
  double routed_experts = 0;  // all routed experts
  // Bytes a decode step at `batch` sequences reads: everything but the embedding table (a step
  // reads only the rows it looks up; a tied head reads it whole), and of the routed experts only
  // the share the batch touches.
  double read_per_step(const Model& m, double batch) const;
};

// A model read from weight files' headers (m.file_source) in the files' own format gets the
// files' bytes.
WeightBytes weight_bytes(const Model& m, const WeightFormat& f);

// llama.cpp's rule for the layers a K-quant mix gives more bits:
// i < n/8 || i >= 7n/8 || (i - n/8) % 3 == 2 (integer division).
bool use_more_bits(int layer, int layers);

// Whether a format override's layer rule covers `layer` of `layers`: "all", "more_bits",
// "first_<n>" (layer < n), "first_fraction_<k>" (layer < layers/k).
bool layer_rule_matches(std::string_view rule, int layer, int layers);

// Checks a layer rule's spelling (for the catalog loader).
bool layer_rule_valid(std::string_view rule);

}  // namespace gpufit
