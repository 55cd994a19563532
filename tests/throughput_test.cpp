// Throughput: the roofline bounds, batching, the memory/compute switch, tensor-parallel
// communication, layer split and prefill.
#include "gpufit/throughput.hpp"
#include "gpufit/weights_memory.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

TEST(Throughput, IdealBatchOneDecodeIsBandwidthOverBytesRead) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "l4"}, {"engine", "ideal"}});
  StepTime t = decode_step(s, catalog(), 1, 1000);
  const double weights = weight_bytes(s.model, s.weights).read_per_step(s.model, 1);
  const double kv = 1000 * 131072.0;
  EXPECT_DOUBLE_EQ(t.memory_s, (weights + kv) / 300e9);
  EXPECT_FALSE(t.compute_bound());
  EXPECT_DOUBLE_EQ(t.total_s(), t.memory_s);
}

TEST(Throughput, EnginesAreSlowerThanTheRoofline) {
  for (const char* engine : {"vllm", "tensorrt-llm", "sglang", "llama.cpp"}) {
    gpufit::Setup e = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"engine", engine}});
    gpufit::Setup ideal = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"engine", "ideal"}});
    EXPECT_GT(decode_step(e, catalog(), 1, 512).total_s(), decode_step(ideal, catalog(), 1, 512).total_s()) << engine;
  }
}

TEST(Throughput, BatchingSwitchesFromMemoryToCompute) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"engine", "ideal"}});
  auto sw = bound_switch_batch(s, catalog(), 128);
  ASSERT_TRUE(sw.has_value());
  EXPECT_FALSE(decode_step(s, catalog(), *sw - 1, 128).compute_bound());
  EXPECT_TRUE(decode_step(s, catalog(), *sw, 128).compute_bound());
  // H100 BF16: weights take 15.0 GB / 3.35 TB/s = 4.48 ms per step; each sequence adds 16.8 MB of
  // KV (128 tokens) = 5.0 us of reading and 15.07 GFLOP / 989.4 TFLOPS = 15.2 us of compute: the
  // switch is at 4.48 ms / (15.2 - 5.0) us = 438.
  EXPECT_EQ(*sw, 438);
}

// The switch is the smallest batch whose step is compute-bound, found by scanning every batch:
// for dense models (solved where the lines cross) and MoE ones (searched), on every GPU, engine,
// several counts and contexts.
TEST(Throughput, SwitchIsTheFirstComputeBoundBatch) {
  int checked = 0;
  for (const char* model : {"llama-3.1-8b", "llama-3.1-70b", "qwen2.5-7b", "mixtral-8x7b", "qwen3-30b-a3b"}) {
    for (const Gpu& g : catalog().gpus) {
      for (const char* engine : {"ideal", "vllm", "llama.cpp"}) {
        for (int count : {1, 4}) {
          for (double kv : {0.0, 128.0, 8192.0}) {
            gpufit::Setup s = scenario({{"model", model}, {"gpu", g.id}, {"engine", engine}, {"gpu_count", count}});
            const auto sw = bound_switch_batch(s, catalog(), kv);
            double first = 0;
            for (double b = 1; b <= 4096 && first == 0; ++b) {
              if (decode_step(s, catalog(), b, kv).compute_bound()) first = b;
            }
            if (first == 0) {
              if (sw) EXPECT_GT(*sw, 4096) << model << " " << g.id << " " << engine << " x" << count << " kv " << kv;
              continue;
            }
            ASSERT_TRUE(sw.has_value()) << model << " " << g.id << " " << engine;
            EXPECT_EQ(*sw, first) << model << " " << g.id << " " << engine << " x" << count << " kv " << kv;
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 500);
}

TEST(Throughput, TensorParallelPaysForItsAllReduces) {
  gpufit::Setup nv = scenario({{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"}, {"gpu_count", 4}});
  gpufit::Setup pcie = scenario({{"model", "llama-3.1-70b"}, {"gpu", "l40s"}, {"gpu_count", 4}});
  StepTime a = decode_step(nv, catalog(), 1, 1000), b = decode_step(pcie, catalog(), 1, 1000);
  EXPECT_GT(a.communication_s, 0);
  EXPECT_GT(b.communication_s, a.communication_s);
  EXPECT_EQ(tensor_parallel_link(nv, catalog(), 4).id, "nvlink");
  EXPECT_EQ(tensor_parallel_link(pcie, catalog(), 4).id, "pcie");
  // An NVLink bridge joins two RTX 3090s; four fall back to PCIe.
  gpufit::Setup rtx = scenario({{"model", "llama-3.1-70b"}, {"gpu", "rtx-3090"}, {"weights", "int4"}});
  EXPECT_EQ(tensor_parallel_link(rtx, catalog(), 2).id, "nvlink");
  EXPECT_EQ(tensor_parallel_link(rtx, catalog(), 4).id, "pcie");
}

TEST(Throughput, LayerSplitDoesNotSpeedUpOneSequence) {
  gpufit::Setup one =
      scenario({{"model", "llama-3-8b"}, {"gpu", "rtx-4090"}, {"engine", "llama.cpp"}, {"weights", "q4_k_m"}});
  gpufit::Setup two = one;
  two.gpu_count = 2;
  EXPECT_GE(decode_step(two, catalog(), 1, 256).total_s(), decode_step(one, catalog(), 1, 256).total_s());
}

TEST(Throughput, PrefillIsComputeBoundAndUnderThePeak) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"engine", "ideal"}});
  StepTime t = prefill_time(s, catalog(), 1, 2048);
  EXPECT_TRUE(t.compute_bound());
  const double tokens_per_s = 2048 / t.total_s();
  // Every prompt token multiplies through the body: the parameters less the embedding and the
  // output head (128256 x 4096 each), 2 FLOPs per parameter.
  EXPECT_LT(tokens_per_s, 989.4e12 / (2 * (s.model.params - 2 * 525336576.0)));
}

// No engine beats the peak: the compute share falls with the peak's size (compute_scaling) but
// is capped at 1 on small peaks, where the power law alone would pass it (llama.cpp on a T4's
// FP32 units: 0.44 x 0.081^-0.46 = 1.4).
TEST(Throughput, NoEngineComputesAbovePeakOnAnyGpu) {
  for (const Engine& e : catalog().engines) {
    for (const Gpu& g : catalog().gpus) {
      for (const char* w : {"fp32", "bf16", "fp8", "int8"}) {
        gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", g.id}, {"weights", w}});
        s.engine = e;
        const Achieved a = achieved(s);
        EXPECT_LE(a.compute_fraction, 1.0) << e.id << " " << g.id << " " << w;
        EXPECT_GT(a.compute_fraction, 0.0) << e.id << " " << g.id << " " << w;
        const StepTime t = prefill_time(s, catalog(), 1, 2048);
        // Every prompt token multiplies through the body: the parameters less the embedding and
        // the output head (128256 x 4096 each).
        EXPECT_LE(2048 / t.total_s(), a.peak_tflops * 1e12 / (2 * (s.model.params - 2 * 525336576.0)) * (1 + 1e-9))
            << e.id << " " << g.id << " " << w;
      }
    }
  }
}

// A GPU's measured matmul efficiency scales what every fitted engine achieves on it against a GPU
// of the typical one (the MI300X's 0.514 of its peak: 0.64x); the ideal engine keeps the
// datasheet's peak, and a GPU with none measured is taken as typical.
TEST(Throughput, MeasuredMatmulEfficiencyScalesTheComputeShare) {
  const Gpu& mi300x = *catalog().gpu("mi300x");
  ASSERT_TRUE(mi300x.matmul_efficiency.has_value());
  const auto share = [](const char* gpu, const char* engine) {
    return evaluate({{"model", "llama-3.1-8b"},
                     {"gpu", gpu},
                     {"engine", engine}})["assumptions"]["compute_efficiency"]["value"]
        .get<double>();
  };
  const Engine& vllm = *catalog().engine("vllm");
  EXPECT_NEAR(share("mi300x", "vllm"),
              vllm.compute_efficiency * *mi300x.matmul_efficiency / kTypicalMatmulEfficiency *
                  std::pow(catalog().gpu("mi300x")->fp16_tflops / 100, -vllm.compute_scaling),
              1e-12);
  EXPECT_LT(share("mi300x", "vllm"), 0.8 * share("h200-sxm", "vllm"));
  EXPECT_FALSE(catalog().gpu("h200-sxm")->matmul_efficiency.has_value());
  EXPECT_DOUBLE_EQ(share("h200-sxm", "vllm"),
                   std::min(1.0, vllm.compute_efficiency *
                                     std::pow(catalog().gpu("h200-sxm")->fp16_tflops / 100, -vllm.compute_scaling)));
  EXPECT_DOUBLE_EQ(share("mi300x", "ideal"), 1.0);
  // The typical figure is the median of the six measured in the table the catalog cites (A100 SXM,
  // GH200, A100 PCIe, H100 SXM, MI325X, MI300X), four of which the catalog holds.
  EXPECT_DOUBLE_EQ(kTypicalMatmulEfficiency, (0.811 + 0.803) / 2);
  EXPECT_DOUBLE_EQ(*catalog().gpu("h100-sxm")->matmul_efficiency, 0.803);
  EXPECT_DOUBLE_EQ(*catalog().gpu("a100-80gb-sxm")->matmul_efficiency, 0.869);
  EXPECT_DOUBLE_EQ(*catalog().gpu("mi325x")->matmul_efficiency, 0.604);
}

// The assumptions state the factors the step times used: the HBM factor on an HBM GPU, the
// compute share after its scaling and the GPU's measured matmul efficiency against the typical.
TEST(Throughput, AssumptionsStateTheFactorsUsed) {
  const json r = evaluate({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"engine", "vllm"}});
  const Engine& vllm = *catalog().engine("vllm");
  ASSERT_TRUE(vllm.hbm_bandwidth_efficiency.has_value());
  EXPECT_DOUBLE_EQ(r["assumptions"]["bandwidth_efficiency"]["value"].get<double>(), *vllm.hbm_bandwidth_efficiency);
  const double peak = r["assumptions"]["peak_tflops"]["value"].get<double>();
  const double matmul = *catalog().gpu("h100-sxm")->matmul_efficiency / kTypicalMatmulEfficiency;
  EXPECT_DOUBLE_EQ(r["assumptions"]["compute_efficiency"]["value"].get<double>(),
                   std::min(1.0, vllm.compute_efficiency * matmul * std::pow(peak / 100, -vllm.compute_scaling)));
  EXPECT_NE(r["assumptions"]["compute_efficiency"]["note"].get<std::string>().find("best matmul measured at 0.803"),
            std::string::npos)
      << r["assumptions"]["compute_efficiency"].dump();
  // On a GeForce card llama.cpp's FP16 path runs at the FP16-accumulate peak, and says so.
  const json g = evaluate({{"model", "llama-3-8b"}, {"gpu", "rtx-4090"}, {"engine", "llama.cpp"}, {"weights", "fp16"}});
  EXPECT_DOUBLE_EQ(g["assumptions"]["peak_tflops"]["value"].get<double>(),
                   *catalog().gpu("rtx-4090")->fp16_acc16_tflops);
}

TEST(Throughput, Fp8ComputesAtTheFp8PeakOnlyWhereItExists) {
  const Gpu& h100 = *catalog().gpu("h100-sxm");
  const Gpu& a100 = *catalog().gpu("a100-80gb-sxm");
  const WeightFormat& fp8 = *catalog().weight_format("fp8");
  EXPECT_EQ(compute_peak(h100, fp8).precision, "fp8");
  EXPECT_DOUBLE_EQ(compute_peak(h100, fp8).tflops, *h100.fp8_tflops);
  ComputePeak a = compute_peak(a100, fp8);
  EXPECT_EQ(a.precision, "fp16");
  EXPECT_DOUBLE_EQ(a.tflops, a100.fp16_tflops);
  EXPECT_TRUE(a.substituted);
  EXPECT_FALSE(compute_peak_warning(a100, fp8).empty());
  EXPECT_TRUE(compute_peak_warning(h100, fp8).empty());
  // Weight-only INT4 computes in FP16.
  EXPECT_EQ(compute_peak(h100, *catalog().weight_format("int4")).precision, "fp16");
}

TEST(Throughput, ServingIncludesPrefill) {
  gpufit::Setup s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"batch_size", 16}});
  Serving srv = serving_rate(s, catalog(), 16);
  StepTime step = decode_step(s, catalog(), 16, mean_attended_tokens(s));
  EXPECT_LT(srv.output_tokens_per_s, 16 / step.total_s());
  EXPECT_NEAR(srv.requests_per_s * s.output_tokens, srv.output_tokens_per_s, 1e-9);
}

}  // namespace
}  // namespace gpufit::test
