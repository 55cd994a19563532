// Cross-validation of the image, speech and embedding estimates, by source: every measured row
// of one source leaves together, the workload is refitted on the rest, and the refit estimates
// the rows left out. A source's rows share a harness, prompts and settings nobody states, so
// leaving one row out at a time would flatter the estimate. Sources are grouped as the text
// generation rows are (source_group: one repository at any commit, one web site).
#include <algorithm>
#include <cmath>
#include <map>

#include "gpufit/catalog.hpp"
#include "gpufit/validation.hpp"
#include "gpufit/workloads.hpp"

namespace gpufit {

namespace {

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::min(v.size(), std::max<std::size_t>(rank, 1)) - 1];
}

// Same settings but for the MIG slice: the whole-card row a slice's row can be compared with.
bool same_settings(const WorkloadBenchmark& a, const WorkloadBenchmark& b) {
  return a.model == b.model && a.gpu == b.gpu && a.gpu_count == b.gpu_count && a.engine == b.engine &&
         a.weights == b.weights && a.unit == b.unit && a.width == b.width && a.height == b.height &&
         a.steps == b.steps && a.batch_size == b.batch_size && a.audio_seconds == b.audio_seconds &&
         a.beam_size == b.beam_size && a.sequence_tokens == b.sequence_tokens;
}

}  // namespace

std::vector<WorkloadValidation> validate_workloads(const Catalog& catalog) {
  std::vector<WorkloadValidation> out;
  for (const char* workload : {"image", "speech", "embedding"}) {
    WorkloadValidation v;
    v.workload = workload;
    v.fit = catalog.workloads.fit(workload, catalog);
    std::map<std::string, std::vector<const WorkloadBenchmark*>> by_source;
    for (const WorkloadBenchmark& b : catalog.workloads.benchmarks()) {
      if (b.workload == workload && b.excluded.empty()) by_source[source_group(b.source)].push_back(&b);
    }
    v.sources = by_source.size();
    std::vector<double> held, in_sample;
    for (const auto& [source, rows] : by_source) {
      std::vector<const WorkloadBenchmark*> rest;
      for (const auto& [other, other_rows] : by_source) {
        if (other != source) rest.insert(rest.end(), other_rows.begin(), other_rows.end());
      }
      if (rest.empty()) continue;  // one source alone cannot be held out
      const WorkloadFit fit = fit_workload(catalog, workload, rest);
      for (const WorkloadBenchmark* b : rows) {
        auto est = estimate_workload_benchmark(*b, catalog, fit);
        if (!est) continue;
        const double err = (*est - b->value) / b->value * 100;
        v.points.push_back({b, *est, err});
        held.push_back(std::fabs(err));
        if (auto in = estimate_workload_benchmark(*b, catalog, v.fit)) {
          in_sample.push_back(std::fabs((*in - b->value) / b->value * 100));
        }
      }
    }
    std::vector<double> mig, mig_ratio;
    for (const auto& p : v.points) {
      if (p.benchmark->mig_profile.empty()) continue;
      mig.push_back(std::fabs(p.error_pct));
      for (const auto& q : v.points) {
        if (!q.benchmark->mig_profile.empty() || !same_settings(*p.benchmark, *q.benchmark) ||
            source_group(p.benchmark->source) != source_group(q.benchmark->source)) {
          continue;
        }
        const double measured = p.benchmark->value / q.benchmark->value;
        const double estimated = p.estimate / q.estimate;
        mig_ratio.push_back(std::fabs((estimated / measured - 1) * 100));
        break;
      }
    }
    v.mig_n = mig.size();
    v.mig_median_abs_pct = percentile(mig, 0.5);
    v.mig_ratio_n = mig_ratio.size();
    v.mig_ratio_median_abs_pct = percentile(mig_ratio, 0.5);
    v.mig_ratio_p90_abs_pct = percentile(mig_ratio, 0.9);
    v.n = held.size();
    v.median_abs_pct = percentile(held, 0.5);
    v.p90_abs_pct = percentile(held, 0.9);
    v.in_sample_median_abs_pct = percentile(in_sample, 0.5);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace gpufit
