// Reading data/mig_profiles.json into the catalog (internal to core/).
#pragma once

#include <optional>
#include <string>

#include "gpufit/catalog.hpp"
#include "gpufit/error.hpp"

namespace gpufit::detail {

// Reads {"gpus": [{gpu, compute_slices_total, memory_slices_total, profiles: [...], source}]} into
// catalog.mig, checked against the catalog's GPUs (each names a known GPU, its profiles are the
// ones the GPU entry lists) and against itself (slices within the card). Empty text: no MIG data.
std::optional<Error> read_mig_profiles(const std::string& text, Catalog& catalog, bool sources_required);

}  // namespace gpufit::detail
