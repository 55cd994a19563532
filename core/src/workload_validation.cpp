// Cross-validation of the image, speech and embedding estimates, by source: every measured row
// of one source leaves together, the workload is refitted on the rest, and the refit estimates
// the rows left out. A source's rows share a harness, prompts and settings nobody states, so
// leaving one row out at a time would flatter the estimate.
#include <algorithm>
#include <cmath>
#include <map>

#include "gpufit/catalog.hpp"
#include "gpufit/workloads.hpp"

namespace gpufit {

namespace {

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::min(v.size(), std::max<std::size_t>(rank, 1)) - 1];
}

// The page or article a row comes from: its URL up to a '#', or up to the first space (a note
// may follow).
std::string source_key(const std::string& source) {
  std::string s = source.substr(0, source.find(' '));
  return s.substr(0, s.find('#'));
}

}  // namespace

std::vector<WorkloadValidation> validate_workloads(const Catalog& catalog) {
  std::vector<WorkloadValidation> out;
  for (const char* workload : {"image", "speech", "embedding"}) {
    WorkloadValidation v;
    v.workload = workload;
    v.fit = catalog.workloads.fit(workload, catalog);
    std::map<std::string, std::vector<const WorkloadBenchmark*>> by_source;
    for (const WorkloadBenchmark& b : catalog.workloads.benchmarks) {
      if (b.workload == workload && b.excluded.empty()) by_source[source_key(b.source)].push_back(&b);
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
    v.n = held.size();
    v.median_abs_pct = percentile(held, 0.5);
    v.p90_abs_pct = percentile(held, 0.9);
    v.in_sample_median_abs_pct = percentile(in_sample, 0.5);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace gpufit
