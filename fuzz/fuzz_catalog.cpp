// Fuzzes the catalog loader: each input replaces one catalog file (chosen by its first byte), as an
// imported custom catalog or a hand-edited data/ file would. Also the custom-entries overlay.
// The files it does not replace come from the small seed catalog (tests/fuzz/catalog/*-small.json,
// compiled in by fuzz/CMakeLists.txt), not from data/: re-parsing the full catalog's 1 MB for every
// input held the harness near 30 executions per second, where the loader's paths are the same.
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  gpufit::CatalogFiles files = seed_files();
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 8) {
    case 0:
      files.gpus = text;
      break;
    case 1:
      files.models = text;
      break;
    case 2:
      files.formats = text;
      break;
    case 3:
      files.engines = text;
      break;
    case 4:
      files.interconnects = text;
      break;
    case 5:
      files.prices = text;
      break;
    case 6:
      files.benchmarks = text;
      break;
    default: {
      auto custom = gpufit::with_custom_entries(seed_catalog(), text);
      if (!custom.ok() && custom.error().message.empty()) std::abort();
      return 0;
    }
  }
  auto c = gpufit::load_catalog(files);
  if (!c.ok() && c.error().message.empty()) std::abort();
  return 0;
}
