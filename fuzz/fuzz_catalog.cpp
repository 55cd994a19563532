// Fuzzes the catalog loader: each input replaces one catalog file (chosen by its first byte), as an
// imported custom catalog or a hand-edited data/ file would. Also the custom-entries overlay.
// The files it does not replace come from the small seed catalog (tests/fuzz/catalog/*-small.json,
// compiled in by fuzz/CMakeLists.txt), loaded once: re-parsing the full catalog's 1 MB for every
// input held the harness near 30 executions per second, and the seed's 52 KB near 500. The seed's
// formats are the float and integer ones (formats-small.json); the GGUF formats and their types
// (formats-gguf.json) are in the corpus only, where they are mutated rather than copied per input.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_catalog_seed.hpp"  // generated: kSeed{Gpus,Models,...} raw string literals
#include "gpufit/catalog_load.hpp"

namespace {

const gpufit::CatalogFiles& seed_files() {
  static const gpufit::CatalogFiles files{kSeedGpus,          kSeedModels, kSeedFormats,   kSeedEngines,
                                          kSeedInterconnects, kSeedPrices, kSeedBenchmarks};
  return files;
}

const gpufit::Catalog& seed_catalog() {
  static const gpufit::Catalog catalog = [] {
    auto c = gpufit::load_catalog(seed_files());
    if (!c.ok()) std::abort();  // the seed catalog must load: otherwise every input is refused early
    return c.value();
  }();
  return catalog;
}

// Puts back the seed's entries of the file an input replaced, and that file's published text (only
// its own: copying every file's text back was a tenth of the harness's time).
void restore(gpufit::Catalog& work, const gpufit::Catalog& seed, gpufit::CatalogFile file) {
  using F = gpufit::CatalogFile;
  auto text = [&](const char* kind) {
    const auto it = seed.entries_json.find(kind);
    if (it == seed.entries_json.end()) {
      work.entries_json.erase(kind);
    } else {
      work.entries_json[kind] = it->second;
    }
  };
  switch (file) {
    case F::kGpus:
      work.gpus = seed.gpus;
      text("gpus");
      break;
    case F::kModels:
      work.models = seed.models;
      text("models");
      break;
    case F::kFormats:
      work.weight_formats = seed.weight_formats;
      work.kv_formats = seed.kv_formats;
      text("formats");
      text("kv_cache_formats");
      break;
    case F::kEngines:
      work.engines = seed.engines;
      text("engines");
      break;
    case F::kInterconnects:
      work.interconnects = seed.interconnects;
      text("interconnects");
      break;
    case F::kPrices:
      work.prices = seed.prices;
      text("prices");
      break;
    case F::kBenchmarks:
      work.benchmarks = seed.benchmarks;
      text("benchmarks");
      break;
    default:
      std::abort();  // the harness replaces none of the others
  }
  // A replaced file may only have written its own texts: anything else differing from the seed is
  // a bug in replace_catalog_file (or in the list above).
  if (work.entries_json.size() != seed.entries_json.size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  // The input stands for one file; the others are the seed catalog's, read once. The file is read
  // and checked exactly as load_catalog reads and checks it (cross-references included), in a
  // working copy of the seed whose replaced entries are put back after each input.
  static constexpr gpufit::CatalogFile kFiles[] = {gpufit::CatalogFile::kGpus,          gpufit::CatalogFile::kModels,
                                                   gpufit::CatalogFile::kFormats,       gpufit::CatalogFile::kEngines,
                                                   gpufit::CatalogFile::kInterconnects, gpufit::CatalogFile::kPrices,
                                                   gpufit::CatalogFile::kBenchmarks};
  const unsigned pick = data[0] % 8;
  if (pick < 7) {
    static gpufit::Catalog work = seed_catalog();
    auto err = gpufit::replace_catalog_file(work, kFiles[pick], text);
    if (err && err->message.empty()) std::abort();
    restore(work, seed_catalog(), kFiles[pick]);
    return 0;
  }
  auto custom = gpufit::with_custom_entries(seed_catalog(), text);
  if (!custom.ok() && custom.error().message.empty()) std::abort();
  return 0;
}
