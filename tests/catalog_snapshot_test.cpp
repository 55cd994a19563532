// The catalog's snapshot (gpufit/catalog_snapshot.hpp), which the WebAssembly build embeds instead
// of the catalog's JSON: it gives back the catalog it was written from, member for member
// (defaulted operator== on every catalog struct, so a member missing from a list in
// catalog_snapshot.cpp fails here), and refuses bytes it did not write without reading past them.
#include "gpufit/catalog_snapshot.hpp"

#include <string>

#include "gpufit/api.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

TEST(CatalogSnapshot, TheCatalogComesBackMemberForMember) {
  const Catalog& original = catalog();
  const std::string bytes = write_catalog_snapshot(original);
  auto back = read_catalog_snapshot(bytes);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  // Field by field first, for a message that names the kind of entry.
  EXPECT_TRUE(back.value().gpus == original.gpus);
  EXPECT_TRUE(back.value().models == original.models);
  EXPECT_TRUE(back.value().weight_formats == original.weight_formats);
  EXPECT_TRUE(back.value().kv_formats == original.kv_formats);
  EXPECT_TRUE(back.value().engines == original.engines);
  EXPECT_TRUE(back.value().interconnects == original.interconnects);
  EXPECT_TRUE(back.value().prices == original.prices);
  EXPECT_TRUE(back.value().benchmarks == original.benchmarks);
  EXPECT_TRUE(back.value().mig == original.mig);
  EXPECT_TRUE(back.value().entries_json == original.entries_json);
  EXPECT_TRUE(back.value().workloads == original.workloads);
  EXPECT_TRUE(back.value() == original);
  // Every member is compared: a changed number anywhere is seen.
  Catalog changed = back.value();
  changed.engines.back().error_pct["decode"] += 1;
  EXPECT_FALSE(changed == original);
}

// The module's own catalog: read without citations and with the workloads' measured rows left as
// text until first used. The rows come back as text, and read on first use they give the same fits.
TEST(CatalogSnapshot, TheModulesLeanCatalogKeepsItsDeferredRows) {
  CatalogFiles files = builtin_catalog_files();
  files.benchmarks.clear();
  files.sources_required = false;
  files.defer_workload_rows = true;
  auto lean = load_catalog(files);
  ASSERT_TRUE(lean.ok()) << lean.error().to_string();
  auto back = read_catalog_snapshot(write_catalog_snapshot(lean.value()));
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_TRUE(back.value() == lean.value());
  EXPECT_TRUE(back.value().workloads.rows_deferred());
  for (const char* workload : {"image", "speech", "embedding"}) {
    const WorkloadFit fit = back.value().workloads.fit(workload, back.value());
    const WorkloadFit direct = catalog().workloads.fit(workload, catalog());
    EXPECT_DOUBLE_EQ(fit.compute_efficiency, direct.compute_efficiency) << workload;
    EXPECT_EQ(fit.fitted_on, direct.fitted_on) << workload;
  }
  // A scenario evaluates to the same answer on either.
  const std::string scenario = R"({"model": "llama-3.1-70b", "weights": "int4", "gpu": "l4", "gpu_count": 2})";
  auto a = evaluate_json(scenario, back.value());
  auto b = evaluate_json(scenario, lean.value());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value(), b.value());
}

TEST(CatalogSnapshot, BytesItDidNotWriteAreRefused) {
  const std::string bytes = write_catalog_snapshot(catalog());
  auto refused = [](const std::string& b) {
    auto r = read_catalog_snapshot(b);
    return !r.ok() && r.error().code == "invalid_snapshot" && !r.error().message.empty();
  };
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused("{\"gpus\": []}"));
  // Cut anywhere: refused, never read past the end (the sanitizer build runs this too).
  for (std::size_t cut : {std::size_t{14}, std::size_t{15}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
    EXPECT_TRUE(refused(bytes.substr(0, cut))) << cut;
  }
  EXPECT_TRUE(refused(bytes + "x"));
  // Another layout number: refused with what to do.
  std::string other = bytes;
  other[14] = static_cast<char>(other[14] + 2);
  auto r = read_catalog_snapshot(other);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("another version"), std::string::npos) << r.error().message;
  // Counts far beyond the bytes left are refused before anything is allocated for them.
  std::string huge = bytes.substr(0, 15) + std::string("\xff\xff\xff\xff\x0f", 5);
  EXPECT_TRUE(refused(huge));
}

}  // namespace
}  // namespace gpufit::test
