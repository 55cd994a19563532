#include "gpufit/catalog_load.hpp"

namespace gpufit {

namespace embedded {
// Defined in the catalog_data.cpp generated from data/ (core/embed_catalog.cmake).
extern const char* const k_gpus;
extern const char* const k_models;
extern const char* const k_formats;
extern const char* const k_engines;
extern const char* const k_interconnects;
extern const char* const k_prices;
extern const char* const k_benchmarks;
extern const char* const k_mig_profiles;
extern const char* const k_workloads;
}  // namespace embedded

const CatalogFiles& builtin_catalog_files() {
  static const CatalogFiles files = [] {
    CatalogFiles f{embedded::k_gpus,          embedded::k_models, embedded::k_formats,    embedded::k_engines,
                   embedded::k_interconnects, embedded::k_prices, embedded::k_benchmarks, embedded::k_mig_profiles};
    f.workloads = embedded::k_workloads;
#ifdef GPUFIT_LEAN_CATALOG
    f.sources_required = false;  // embedded without the GPUs' and models' citations
    // The page's start reads no image, speech or embedding rows; the native build checks them.
    f.defer_workload_rows = true;
#endif
    return f;
  }();
  return files;
}

const Outcome<Catalog>& builtin_catalog() {
  static const Outcome<Catalog> catalog = load_catalog(builtin_catalog_files());
  return catalog;
}

}  // namespace gpufit
