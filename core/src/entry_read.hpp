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
// `path` is the object's JSON Pointer; `input` names the input where it is a file ("models.json").
Outcome<Model> read_model(const Json& object, const std::string& path, EntryKind kind, const std::string& input = "");

}  // namespace gpufit::detail
