// Ranking rows of the image, speech and embedding workloads: every GPU (at the counts asked for,
// else one: each GPU holds the whole model), ranked by the workload's cost figure ($ per 1000
// images, per audio hour, per million tokens) through the same sorting as text generation.
#include <algorithm>

#include "gpufit/cost.hpp"
#include "gpufit/power.hpp"
#include "gpufit/rank.hpp"
#include "text_format.hpp"
#include "workload_common.hpp"

namespace gpufit::detail {

void add_workload_rank_rows(Setup& s, const Catalog& catalog, const RankOptions& o, std::vector<RankRow>& rows) {
  std::vector<std::string> price_warnings;
  const std::optional<PriceChoice> price = choose_price(s, catalog, price_warnings);
  const WorkloadFit fit = catalog.workloads.fit(s.workload_model->workload, catalog);
  const double scenario_batch = s.batch_size;
  const int scenario_count = s.gpu_count;
  std::vector<int> counts = o.counts.empty() ? std::vector<int>{1} : o.counts;
  for (int n : counts) {
    s.gpu_count = n;
    RankRow row;
    row.gpu = s.gpu.id;
    row.gpu_name = s.gpu.name;
    row.weights = s.weights.id;
    row.gpu_count = n;
    row.warnings = price_warnings;
    WorkloadFigures f = workload_figures(s, fit);
    const double available = s.gpu.usable_memory_gb > 0 ? s.gpu.usable_memory_gb : s.gpu.memory_gb;
    if (o.batch_max_fit && f.activations_gb > 0) {
      const double per_item = f.activations_gb / s.batch_size;
      const double room = available - f.weights_gb - f.overhead_gb;
      s.batch_size = std::clamp(std::floor(room / per_item), 1.0, o.max_batch);
      f = workload_figures(s, fit);
    }
    row.batch_size = s.batch_size;
    row.memory_total_gb = f.weights_gb + f.activations_gb + f.overhead_gb;
    row.memory_available_gb = available;
    row.fits = row.memory_total_gb <= available;
    if (!row.fits) {
      row.reason = "needs " + fixed(row.memory_total_gb, 1) + " GB per GPU, " + fixed(available, 1) + " GB usable";
    }
    row.bound = f.bound;
    // As the workload result: the utilization model (TDP unless the scenario sets utilization).
    row.watts = gpu_watts(s.gpu, s.utilization.value_or(1)) * n;
    const std::string& w = s.workload_model->workload;
    // Throughput in the workload's own items; latency: one item's time.
    if (w == "image") {
      row.tokens_per_s = f.images_per_minute;
      row.throughput_unit = "images/min";
      row.ttft_s = f.seconds_per_image * n;
      row.cost_unit = "1000 images";
    } else if (w == "speech") {
      row.tokens_per_s = f.real_time_factor;
      row.throughput_unit = "audio s/s";
      row.ttft_s = f.seconds_per_batch;
      row.cost_unit = "audio hour";
    } else {
      row.tokens_per_s = f.tokens_per_s;
      row.throughput_unit = "tokens/s";
      row.ttft_s = f.seconds_per_batch;
      row.cost_unit = "million tokens";
    }
    if (price) {
      const double usd_h = price->usd_per_gpu_hour * n;
      row.usd_per_hour = usd_h;
      if (w == "image")
        row.usd_per_unit = usd_h / (3600 / f.seconds_per_image) * 1000;
      else if (w == "speech")
        row.usd_per_unit = usd_h / f.real_time_factor;
      else
        row.usd_per_unit = usd_h / (f.tokens_per_s * 3600) * 1e6;
      if (w == "embedding") {
        row.usd_per_million_tokens = row.usd_per_unit;
        row.tokens_per_s_per_usd_per_hour = f.tokens_per_s / usd_h;
      }
    }
    rows.push_back(std::move(row));
    s.batch_size = scenario_batch;
  }
  s.gpu_count = scenario_count;
}

}  // namespace gpufit::detail
