// Fuzzes the catalog loader: each input replaces one catalog file (chosen by its first byte), as an
// imported custom catalog or a hand-edited data/ file would. Also the custom-entries overlay.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "gpufit/catalog_load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const gpufit::CatalogFiles& builtin = gpufit::builtin_catalog_files();
  gpufit::CatalogFiles files = builtin;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 8) {
    case 0: files.gpus = text; break;
    case 1: files.models = text; break;
    case 2: files.formats = text; break;
    case 3: files.engines = text; break;
    case 4: files.interconnects = text; break;
    case 5: files.prices = text; break;
    case 6: files.benchmarks = text; break;
    default: {
      auto custom = gpufit::with_custom_entries(gpufit::builtin_catalog().value(), text);
      if (!custom.ok() && custom.error().message.empty()) std::abort();
      return 0;
    }
  }
  auto c = gpufit::load_catalog(files);
  if (!c.ok() && c.error().message.empty()) std::abort();
  return 0;
}
