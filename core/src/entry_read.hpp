// Readers for one GPU or model object: the same field names serve catalog entries (which must
// also carry their sources) and inline scenario objects (which need only what the calculations
// use), so an edited catalog entry can be passed back as an inline object.
#pragma once

#include "gpufit/catalog.hpp"
#include "json_read.hpp"

namespace gpufit::detail {

enum class EntryKind { kCatalog, kInline };

// Reads a GPU object; the first problem is left in `r`.
Gpu read_gpu(FieldReader& r, EntryKind kind);

// Reads a model object in native form or as {"hf_config": {...}}; returns the error, if any.
Outcome<Model> read_model(const json& object, const std::string& path, std::string sep, EntryKind kind);

}  // namespace gpufit::detail
