// A loaded catalog as compact bytes, and back. The WebAssembly build embeds the snapshot that the
// native gpucalc writes at build time from the same files (`gpucalc snapshot`), so the page's
// first call copies numbers and strings into place instead of parsing and checking 150 KB of JSON
// in the module's baseline tier (30 ms in Node, 40-110 ms in a cold browser). The bytes are only
// ever read by the build that wrote them: the layout is this file's, and a snapshot from another
// version is refused by its header, never misread.
#pragma once

#include <string>
#include <string_view>

#include "gpufit/catalog.hpp"
#include "gpufit/error.hpp"

namespace gpufit {

std::string write_catalog_snapshot(const Catalog& catalog);

// The catalog written by write_catalog_snapshot; an error (code "invalid_snapshot") if the bytes
// are from another layout, cut short or longer than what they hold.
Outcome<Catalog> read_catalog_snapshot(std::string_view bytes);

}  // namespace gpufit
