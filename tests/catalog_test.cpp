// The catalog in data/: it loads, it has what SPEC asks for, every figure has a source, no dense
// tensor figure exceeds the datasheet, and a broken entry is refused with the entry named.
#include <algorithm>
#include <set>

#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

const char* const kSpecGpus[] = {"t4",
                                 "l4",
                                 "a10",
                                 "a10g",
                                 "l40",
                                 "l40s",
                                 "a100-40gb-pcie",
                                 "a100-80gb-pcie",
                                 "a100-80gb-sxm",
                                 "h100-pcie",
                                 "h100-sxm",
                                 "h100-nvl",
                                 "h200-sxm",
                                 "b200",
                                 "rtx-3090",
                                 "rtx-4090",
                                 "rtx-5090",
                                 "rtx-a5000",
                                 "rtx-a6000",
                                 "rtx-6000-ada",
                                 "v100-32gb-sxm2",
                                 "mi300x"};
const char* const kSpecModels[] = {
    "llama-2-7b",    "llama-2-13b",    "llama-2-70b",      "llama-3-8b",  "llama-3-70b",  "llama-3.1-8b",
    "llama-3.1-70b", "llama-3.1-405b", "llama-3.3-70b",    "mistral-7b",  "mixtral-8x7b", "mixtral-8x22b",
    "qwen2.5-7b",    "qwen2.5-14b",    "qwen2.5-32b",      "qwen2.5-72b", "gemma-2-9b",   "gemma-2-27b",
    "phi-3-mini",    "phi-3-medium",   "deepseek-v2-lite", "deepseek-v3", "falcon-7b",    "bge-large-en-v1.5"};
const char* const kSpecFormats[] = {"fp32", "bf16", "fp16",   "fp8",    "int8", "int4",   "nf4",
                                    "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q4_0", "q3_k_m", "q2_k"};

TEST(Catalog, BuiltInLoads) {
  const auto& c = builtin_catalog();
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_TRUE(check_catalog(c.value()).empty());
}

TEST(Catalog, HasEverySpecId) {
  const Catalog& c = catalog();
  for (const char* id : kSpecGpus) EXPECT_NE(c.gpu(id), nullptr) << id;
  for (const char* id : kSpecModels) EXPECT_NE(c.model(id), nullptr) << id;
  for (const char* id : kSpecFormats) EXPECT_NE(c.weight_format(id), nullptr) << id;
  for (const char* id : {"fp16", "bf16", "fp8", "q8_0", "q4_0"}) EXPECT_NE(c.kv_format(id), nullptr) << id;
  for (const char* id : {"ideal", "vllm", "tensorrt-llm", "sglang", "llama.cpp"})
    EXPECT_NE(c.engine(id), nullptr) << id;
  EXPECT_GE(c.models.size(), 25u);
}

TEST(Catalog, EveryGpuEntryHasEveryFieldAndItsSources) {
  // Read the file itself: "null where unsupported" means the key is there, not forgotten.
  const json file = read_json(std::string(GPUFIT_DATA_DIR) + "/gpus.json");
  const json& gpus = file["gpus"];
  const char* const kFields[] = {"id",
                                 "name",
                                 "vendor",
                                 "architecture",
                                 "release_year",
                                 "memory_gb",
                                 "memory_type",
                                 "usable_memory_gb",
                                 "usable_memory_note",
                                 "memory_bandwidth_gbs",
                                 "fp16_tflops",
                                 "bf16_tflops",
                                 "fp8_tflops",
                                 "int8_tops",
                                 "fp32_tflops",
                                 "tdp_w",
                                 "form_factor",
                                 "slots",
                                 "pcie_gen",
                                 "nvlink_bandwidth_gbs",
                                 "nvlink_max_gpus",
                                 "mig_profiles",
                                 "video_engines",
                                 "purchase_price_usd",
                                 "source",
                                 "field_sources"};
  for (const auto& g : gpus) {
    const std::string id = g.value("id", "?");
    for (const char* f : kFields) EXPECT_TRUE(g.contains(f)) << id << " lacks " << f;
    EXPECT_FALSE(g.value("source", "").empty()) << id;
    // Usable memory never comes from a datasheet: it must say where it was seen and how derived.
    EXPECT_FALSE(g["field_sources"].value("usable_memory_gb", "").empty()) << id;
    EXPECT_FALSE(g.value("usable_memory_note", "").empty()) << id;
    if (g["purchase_price_usd"].is_number()) {
      EXPECT_FALSE(g["field_sources"].value("purchase_price_usd", "").empty()) << id;
    }
  }
}

TEST(Catalog, TensorFiguresAreDenseDatasheetValues) {
  const json file = read_json(tests_dir() + "/datasheet_dense_tflops.json");
  const json& ref = file["gpus"];
  const Catalog& c = catalog();
  for (const Gpu& g : c.gpus) {
    ASSERT_TRUE(ref.contains(g.id)) << g.id << " has no reference row in datasheet_dense_tflops.json";
    const json& r = ref[g.id];
    auto check = [&](const char* name, std::optional<double> value) {
      if (r[name].is_null()) {
        EXPECT_FALSE(value.has_value()) << g.id << " " << name << ": the hardware lacks it";
        return;
      }
      ASSERT_TRUE(value.has_value()) << g.id << " " << name;
      double dense = r[name].get<double>();
      EXPECT_LE(*value, dense * 1.001) << g.id << " " << name << " above the dense datasheet value (sparsity?)";
      EXPECT_GE(*value, dense * 0.95) << g.id << " " << name;
    };
    check("fp16", g.fp16_tflops);
    check("fp8", g.fp8_tflops);
    check("int8", g.int8_tops);
    // Precision ladder: FP8 and INT8 at most twice FP16 on every architecture (NVIDIA's own
    // rounding puts the L40S at 733 vs 2 x 362.05).
    if (g.fp8_tflops) EXPECT_LE(*g.fp8_tflops, 2.03 * g.fp16_tflops) << g.id;
    if (g.int8_tops) EXPECT_LE(*g.int8_tops, 4.01 * g.fp16_tflops) << g.id;
    // BF16 runs at the FP16 rate where it exists; GeForce's FP16-accumulate rate is at most
    // twice the FP32-accumulate one (a sparse figure would be four times).
    if (g.bf16_tflops) EXPECT_LE(*g.bf16_tflops, g.fp16_tflops * 1.001) << g.id;
    if (g.fp16_acc16_tflops) {
      EXPECT_LE(*g.fp16_acc16_tflops, 2.01 * g.fp16_tflops) << g.id << " fp16_acc16 (sparsity?)";
      EXPECT_GE(*g.fp16_acc16_tflops, g.fp16_tflops) << g.id;
    }
  }
}

TEST(Catalog, UsableMemoryIsNearTheNominal) {
  for (const Gpu& g : catalog().gpus) {
    // Vendors' "80GB" is often 80 GiB (85.9 GB): the driver's total lands within 0.9x..1.1x.
    EXPECT_GE(g.usable_memory_gb, g.memory_gb * 0.9) << g.id;
    EXPECT_LE(g.usable_memory_gb, g.memory_gb * 1.1) << g.id;
  }
}

TEST(Catalog, ModelsHaveSourcesAndConsistentShapes) {
  for (const Model& m : catalog().models) {
    EXPECT_FALSE(m.source.empty()) << m.id;
    EXPECT_LE(m.active_params, m.params) << m.id;
    EXPECT_EQ(m.attention_heads % m.kv_heads, 0) << m.id;
    if (m.experts > 0) EXPECT_LT(m.active_params, m.params) << m.id;
  }
}

TEST(Catalog, FormatsAndEnginesHaveSources) {
  const Catalog& c = catalog();
  for (const auto& f : c.weight_formats) EXPECT_FALSE(f.source.empty()) << f.id;
  for (const auto& f : c.kv_formats) EXPECT_FALSE(f.source.empty()) << f.id;
  for (const auto& e : c.engines) EXPECT_FALSE(e.source.empty()) << e.id;
  for (const auto& i : c.interconnects) EXPECT_FALSE(i.source.empty()) << i.id;
}

TEST(Catalog, PricesComeFromSeveralProvidersWithDates) {
  const Catalog& c = catalog();
  std::set<std::string> providers, priced;
  for (const Price& p : c.prices) {
    providers.insert(p.provider);
    priced.insert(p.gpu);
    EXPECT_FALSE(p.source.empty()) << p.provider << " " << p.gpu;
    EXPECT_EQ(p.date_seen.size(), 10u) << p.provider << " " << p.gpu;
  }
  EXPECT_GE(providers.size(), 3u);
  // GPUs with no dated public price found; a new gap must be added here on purpose.
  const std::set<std::string> kUnpriced = {"v100-32gb-sxm2"};
  for (const Gpu& g : c.gpus) {
    EXPECT_EQ(priced.count(g.id) == 0, kUnpriced.count(g.id) == 1) << g.id;
  }
}

TEST(Catalog, BenchmarksCoverWhatCalibrationNeeds) {
  const Catalog& c = catalog();
  std::set<std::string> gpus, models, engines;
  bool moe = false, seventy = false;
  std::size_t measured = 0;
  for (const Benchmark& b : c.benchmarks) {
    EXPECT_FALSE(b.source.empty()) << b.id;
    EXPECT_FALSE(b.date.empty()) << b.id;
    if (b.kind == "memory") continue;
    ++measured;
    gpus.insert(b.gpu);
    models.insert(b.model);
    engines.insert(b.engine);
    const Model* m = c.model(b.model);
    moe = moe || (m && m->experts > 0);
    seventy = seventy || (m && m->params > 6e10 && m->params < 8e10);
  }
  EXPECT_GE(measured, 150u);
  EXPECT_GE(gpus.size(), 12u);
  EXPECT_GE(models.size(), 6u);
  EXPECT_TRUE(moe);
  EXPECT_TRUE(seventy);
  for (const char* e : {"llama.cpp", "vllm", "tensorrt-llm"}) EXPECT_TRUE(engines.count(e)) << e;
}

// --- broken catalogs are refused, the entry named ------------------------------------------

CatalogFiles with_gpus(const json& gpus) {
  CatalogFiles f = builtin_catalog_files();
  f.gpus = json{{"gpus", gpus}}.dump();
  return f;
}

json first_gpu() {
  return json::parse(builtin_catalog_files().gpus)["gpus"][0];
}

TEST(Catalog, RefusesAnEntryWithoutSource) {
  json g = first_gpu();
  g.erase("source");
  auto c = load_catalog(with_gpus(json::array({g})));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().to_string(), "gpus.json: /gpus/0/source: is required (where the figures come from)");
}

TEST(Catalog, RefusesZeroOrNegativeNumbers) {
  json g = first_gpu();
  g["memory_bandwidth_gbs"] = 0;
  auto c = load_catalog(with_gpus(json::array({g})));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().to_string(), "gpus.json: /gpus/0/memory_bandwidth_gbs: must be a positive number, got 0");
  g["memory_bandwidth_gbs"] = 300;
  g["tdp_w"] = -70;
  c = load_catalog(with_gpus(json::array({g})));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().to_string(), "gpus.json: /gpus/0/tdp_w: must be a positive number, got -70");
}

TEST(Catalog, RefusesAMissingRequiredField) {
  json g = first_gpu();
  g.erase("fp16_tflops");
  auto c = load_catalog(with_gpus(json::array({g})));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().to_string(), "gpus.json: /gpus/0/fp16_tflops: is required (a positive number)");
}

TEST(Catalog, SequenceLimitsAreWholeNumbers) {
  CatalogFiles f = builtin_catalog_files();
  json engines = json::parse(f.engines);
  size_t vllm = 0;
  while (engines["engines"][vllm]["id"] != "vllm") ++vllm;
  engines["engines"][vllm]["large_gpu_max_sequences"] = 1024.5;
  f.engines = engines.dump();
  auto c = load_catalog(f);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().to_string(), "engines.json: /engines/" + std::to_string(vllm) +
                                       "/large_gpu_max_sequences: must be an integer >= 0, got 1024.5");
}

TEST(Catalog, RefusesUnknownIdReferences) {
  CatalogFiles f = builtin_catalog_files();
  json prices = json::parse(f.prices);
  prices["prices"][0]["gpu"] = "h900";
  f.prices = prices.dump();
  auto c = load_catalog(f);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().to_string(), "prices.json: /prices/0/gpu: unknown GPU id \"h900\"");
}

// One file replaced in a loaded catalog reads and checks as the whole load would: the same
// entries from the same text, the same errors from a broken file or a dangling reference.
TEST(Catalog, OneFileReplacedReadsAsTheWholeLoad) {
  const CatalogFiles& files = builtin_catalog_files();
  auto same = with_catalog_file(catalog(), CatalogFile::kPrices, files.prices);
  ASSERT_TRUE(same.ok()) << same.error().to_string();
  EXPECT_EQ(same.value().prices.size(), catalog().prices.size());
  EXPECT_EQ(same.value().entries_json.at("prices"), catalog().entries_json.at("prices"));
  EXPECT_EQ(same.value().gpus.size(), catalog().gpus.size());

  json prices = json::parse(files.prices);
  prices["prices"][0]["gpu"] = "h900";
  auto dangling = with_catalog_file(catalog(), CatalogFile::kPrices, prices.dump());
  ASSERT_FALSE(dangling.ok());
  EXPECT_EQ(dangling.error().to_string(), "prices.json: /prices/0/gpu: unknown GPU id \"h900\"");

  json g = first_gpu();
  g["tdp_w"] = -70;
  auto bad = with_catalog_file(catalog(), CatalogFile::kGpus, json{{"gpus", json::array({g})}}.dump());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().to_string(), "gpus.json: /gpus/0/tdp_w: must be a positive number, got -70");

  // Fewer GPUs than the prices name: the prices of the others now dangle.
  auto fewer = with_catalog_file(catalog(), CatalogFile::kGpus, json{{"gpus", json::array({first_gpu()})}}.dump());
  ASSERT_FALSE(fewer.ok());
  EXPECT_EQ(fewer.error().code, "unknown_id");
}

TEST(Catalog, RefusesAMisspelledField) {
  json g = first_gpu();
  g["tdp_watts"] = 70;
  auto c = load_catalog(with_gpus(json::array({g})));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().input, "gpus.json");
  EXPECT_EQ(c.error().path, "/gpus/0/tdp_watts");
}

TEST(Catalog, CustomEntriesAreCheckedLikeInlineObjects) {
  auto ok = with_custom_entries(catalog(), R"({"gpus": [{"id": "my-gpu", "memory_gb": 32,
      "memory_bandwidth_gbs": 1000, "fp16_tflops": 200, "tdp_w": 300}]})");
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_NE(ok.value().gpu("my-gpu"), nullptr);
  auto bad = with_custom_entries(catalog(), R"({"gpus": [{"id": "x", "memory_gb": 32, "fp16_tflops": 200,
      "tdp_w": 300}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().to_string(), "/custom/gpus/0/memory_bandwidth_gbs: is required (a positive number)");
}

TEST(Catalog, MeasuredMatmulEfficienciesCarryTheirSources) {
  // A measured figure, never a datasheet one: each names its measurement, and is a share of the
  // dense peak (a sparsity-doubled peak would put it near 0.4).
  const json file = read_json(std::string(GPUFIT_DATA_DIR) + "/gpus.json");
  int measured = 0;
  for (const auto& g : file["gpus"]) {
    if (!g.contains("matmul_efficiency")) continue;
    ++measured;
    EXPECT_GT(g["matmul_efficiency"].get<double>(), 0.5) << g["id"];
    EXPECT_LT(g["matmul_efficiency"].get<double>(), 1.0) << g["id"];
    EXPECT_NE(g["field_sources"].value("matmul_efficiency", "").find("github.com"), std::string::npos) << g["id"];
  }
  EXPECT_GE(measured, 4);
}

TEST(Catalog, MediaEngineCountsCarryTheirSources) {
  // NVDEC/NVENC/NVJPG counts are present only where a source gives them; each one names it.
  const json file = read_json(std::string(GPUFIT_DATA_DIR) + "/gpus.json");
  int with_counts = 0;
  for (const auto& g : file["gpus"]) {
    for (const char* f : {"nvdec_count", "nvenc_count", "nvjpg_count"}) {
      if (!g.contains(f)) continue;
      ++with_counts;
      EXPECT_TRUE(g[f].is_number_integer()) << g["id"] << " " << f;
      EXPECT_FALSE(g["field_sources"].value(f, "").empty()) << g["id"] << " " << f << " has no source";
    }
  }
  EXPECT_GE(with_counts, 10);
  const Catalog& c = catalog();
  ASSERT_NE(c.gpu("h100-sxm"), nullptr);
  EXPECT_EQ(c.gpu("h100-sxm")->nvdec_count, 7);
  EXPECT_EQ(c.gpu("a10")->nvdec_count, std::nullopt);  // not sourced: absent, never guessed
}

}  // namespace
}  // namespace gpufit::test
