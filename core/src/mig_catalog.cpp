// data/mig_profiles.json: the MIG geometry of each GPU that has it (see data/README.md).
#include "mig_catalog.hpp"

#include <algorithm>
#include <set>

#include "json_read.hpp"

namespace gpufit {

const MigProfile* MigGpu::profile(std::string_view name) const {
  auto it = std::find_if(profiles.begin(), profiles.end(), [&](const MigProfile& p) { return p.name == name; });
  return it == profiles.end() ? nullptr : &*it;
}

const MigGpu* Catalog::mig_gpu(std::string_view gpu_id) const {
  auto it = std::find_if(mig.begin(), mig.end(), [&](const MigGpu& g) { return g.gpu == gpu_id; });
  return it == mig.end() ? nullptr : &*it;
}

namespace detail {

namespace {

constexpr const char* kFile = "mig_profiles.json";
using Num = FieldReader::Num;

std::optional<Error> read_profile(const Json& e, const std::string& path, const MigGpu& g, MigProfile& p) {
  FieldReader r(e, path, kFile);
  p.name = r.string("name");
  p.memory_gb = r.number("memory_gb", Num::kPositive, 1e5);
  p.compute_slices = r.integer("compute_slices", 1, g.compute_slices_total);
  p.memory_slices = r.integer("memory_slices", 1, g.memory_slices_total);
  p.bandwidth_share = r.number("bandwidth_share", Num::kFraction, 1);
  p.l2_share = r.number("l2_share", Num::kFraction, 1);
  p.max_instances = r.integer("max_instances", 1, g.compute_slices_total);
  if (const Json* starts = r.opt_array("start_slices")) {
    for (std::size_t i = 0; i < starts->size() && r.ok(); ++i) {
      const Json& v = (*starts)[i];
      const double x = v.is_number() ? v.as_number() : -1;
      if (x < 0 || x != static_cast<int>(x) || static_cast<int>(x) + p.memory_slices > g.memory_slices_total) {
        r.fail("invalid_value", "start_slices",
               "must be memory-slice positions from 0 where the profile still fits in " +
                   std::to_string(g.memory_slices_total) + " slices, got " + show(v));
      } else {
        p.start_slices.push_back(static_cast<int>(x));
      }
    }
  }
  if (r.ok() && p.start_slices.empty())
    r.fail("missing_field", "start_slices", "is required (where an instance may start)");
  r.skip("media_engines");
  r.skip("notes");
  r.reject_unknown();
  if (!r.ok()) return r.error();
  return std::nullopt;
}

}  // namespace

std::optional<Error> read_mig_profiles(const std::string& text, Catalog& c, bool sources_required) {
  if (text.empty()) return std::nullopt;
  auto parsed = parse_json(text, kFile);
  if (!parsed) return parsed.error();
  FieldReader top(parsed.value(), "", kFile);
  const Json* gpus = top.opt_array("gpus");
  top.skip("notes");
  top.reject_unknown();
  if (!top.ok()) return top.error();
  if (!gpus) return Error{"missing_field", "/gpus", "is required (an array of GPUs)", kFile};
  for (std::size_t i = 0; i < gpus->size(); ++i) {
    const std::string path = pointer("/gpus", i);
    FieldReader r((*gpus)[i], path, kFile);
    MigGpu g;
    g.gpu = r.string("gpu");
    g.compute_slices_total = r.integer("compute_slices_total", 1, 64);
    g.memory_slices_total = r.integer("memory_slices_total", 1, 64);
    g.source = r.opt_string("source").value_or("");
    r.skip("field_sources");
    r.skip("notes");
    const Json* profiles = r.opt_array("profiles");
    if (r.ok() && !profiles) r.fail("missing_field", "profiles", "is required");
    if (r.ok() && sources_required && g.source.empty())
      r.fail("missing_field", "source", "is required (where the figures come from)");
    const Gpu* gpu = r.ok() ? c.gpu(g.gpu) : nullptr;
    if (r.ok() && !gpu) r.fail("unknown_id", "gpu", "unknown GPU id " + show(g.gpu));
    if (r.ok() && c.mig_gpu(g.gpu)) r.fail("invalid_catalog", "gpu", "duplicate GPU " + show(g.gpu));
    r.reject_unknown();
    if (!r.ok()) return r.error();
    for (std::size_t j = 0; j < profiles->size(); ++j) {
      MigProfile p;
      if (auto err = read_profile((*profiles)[j], pointer(path + "/profiles", j), g, p)) return err;
      g.profiles.push_back(std::move(p));
    }
    // The profiles are the ones the GPU entry lists, no more, no fewer.
    std::set<std::string> listed(gpu->mig_profiles.begin(), gpu->mig_profiles.end()), here;
    for (const auto& p : g.profiles) here.insert(p.name);
    if (listed != here) {
      return Error{"invalid_catalog", path + "/profiles",
                   "the profiles differ from the mig_profiles of " + g.gpu + " in gpus.json", kFile};
    }
    c.mig.push_back(std::move(g));
  }
  return std::nullopt;
}

}  // namespace detail

}  // namespace gpufit
