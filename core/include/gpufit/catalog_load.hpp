// Loading and checking the catalog. The core does no I/O: it is handed the text of each data/
// file (gpucalc reads them, the WebAssembly build embeds them).
#pragma once

#include <string>
#include <vector>

#include "gpufit/catalog.hpp"
#include "gpufit/error.hpp"

namespace gpufit {

// The text of each catalog file, as in data/.
struct CatalogFiles {
  std::string gpus, models, formats, engines, interconnects, prices, benchmarks;
  std::string mig_profiles;  // data/mig_profiles.json; empty = no MIG geometry
  // Whether every entry must carry its source. The WebAssembly build embeds the catalog without
  // its citations (wasm/lean_catalog.mjs; the page fetches them when shown); the files in data/
  // are held to their sources by the native build and its tests.
  bool sources_required = true;
  std::string workloads;  // data/workloads.json (image, speech, embedding); empty: none
  // Read workloads.json's measured rows on first use rather than now (see load_workloads).
  bool defer_workload_rows = false;
};

// Parses every file and checks each entry (types, ranges, sources, id references). The first
// problem is returned, named as "gpus.json: /gpus/3/tdp_w".
Outcome<Catalog> load_catalog(const CatalogFiles& files);

// The files of the catalog, in the order load_catalog reads them.
enum class CatalogFile {
  kGpus,
  kModels,
  kFormats,
  kEngines,
  kInterconnects,
  kPrices,
  kBenchmarks,
  kMigProfiles,
  kWorkloads
};

// A loaded catalog with one file's entries replaced by `text`, read and checked exactly as
// load_catalog reads and checks that file, the other files' entries kept: an edited file against
// the rest of a catalog without re-reading the rest (the catalog fuzz harness).
Outcome<Catalog> with_catalog_file(Catalog base, CatalogFile which, const std::string& text,
                                   bool sources_required = true);
// The same in place, without copying the catalog: on an error, that file's entries in `c` are
// whatever was read before it (the caller restores them).
std::optional<Error> replace_catalog_file(Catalog& c, CatalogFile which, const std::string& text,
                                          bool sources_required = true);

// Every problem of a loaded catalog's cross-references and completeness (empty = sound): unknown
// ids in prices/benchmarks/engines, duplicate ids, GPUs with no price.
std::vector<Error> check_catalog(const Catalog& catalog);

// The catalog embedded at build time from data/ (parsed once, on first use). The build checks it
// (tests/catalog_test.cpp), so an error here means a broken build, reported rather than crashed on.
const Outcome<Catalog>& builtin_catalog();

// The embedded files themselves (for tests and `gpucalc` without --data).
const CatalogFiles& builtin_catalog_files();

// Adds custom GPUs and models ({"gpus": [...], "models": [...]}, the catalog's own field names;
// sources optional) on top of a catalog, checked like inline scenario objects. Used by the page's
// locally kept entries and imported custom catalogs.
Outcome<Catalog> with_custom_entries(const Catalog& base, std::string_view custom_json);

}  // namespace gpufit
