// A scenario on a MIG slice: the card's figures scaled to the slice, then the usual evaluation.
//
// Why these shares: a MIG GPU instance owns whole memory slices (their DRAM, memory controllers
// and L2), so its bandwidth and L2 are memory_slices / memory_slices_total of the card's; it owns
// compute_slices of the card's compute slices, so its SMs, hence its tensor peak, are
// compute_slices / compute_slices_total (NVIDIA's guide gives "fraction of SMs" as 1/7, 2/7, ...;
// the exact SM counts differ a little: an A100's 7g.80gb has 98 of its 108 SMs). Power and price
// follow the compute share: a provider renting slices prices them by the slices they hold.
#include "gpufit/mig.hpp"

#include <algorithm>

#include "gpufit/scenario.hpp"
#include "json_read.hpp"
#include "text_format.hpp"

namespace gpufit {

std::vector<const MigProfile*> plain_profiles(const MigGpu& g) {
  std::vector<const MigProfile*> out;
  for (const MigProfile& p : g.profiles) {
    if (!p.media_extension()) out.push_back(&p);
  }
  return out;
}

Outcome<MigSlice> mig_slice(const Gpu& card, const Catalog& catalog, std::string_view profile,
                            const std::string& path) {
  const std::string at = pointer(path, "mig_profile");
  const MigGpu* g = catalog.mig_gpu(card.id);
  const std::string label = card.name.empty() ? card.id : card.name;
  if (!g) {
    if (!card.mig_profiles.empty()) {
      return Error{"invalid_value", at, label + " lists MIG profiles but the catalog has no slice geometry for it"};
    }
    return Error{"invalid_value", at, label + " has no MIG: run it whole (leave mig_profile out)"};
  }
  const MigProfile* p = g->profile(profile);
  if (!p) {
    std::string names;
    for (const MigProfile& x : g->profiles) names += (names.empty() ? "" : ", ") + x.name;
    return Error{"unknown_id", at,
                 "unknown MIG profile " + detail::show(profile) + " of " + label + " (it has " + names + ")"};
  }
  MigSlice s;
  s.profile = p->name;
  s.gpu = card.id;
  s.gpu_name = label;
  s.compute_slices = p->compute_slices;
  s.compute_slices_total = g->compute_slices_total;
  s.memory_slices = p->memory_slices;
  s.memory_slices_total = g->memory_slices_total;
  s.memory_gb = p->memory_gb;
  s.compute_share = double(p->compute_slices) / g->compute_slices_total;
  s.bandwidth_share = p->bandwidth_share;
  s.l2_share = p->l2_share;
  s.price_share = s.compute_share;
  s.power_share = s.compute_share;
  s.max_instances = p->max_instances;
  return s;
}

std::vector<std::string> mig_warnings(const MigSlice& m) {
  std::vector<std::string> out;
  out.push_back("MIG " + m.profile + " of " + m.gpu_name + ": bandwidth, L2 and memory are its " +
                std::to_string(m.memory_slices) + " of " + std::to_string(m.memory_slices_total) +
                " memory slices, tensor peak, power and price its " + std::to_string(m.compute_slices) + " of " +
                std::to_string(m.compute_slices_total) + " compute slices of the whole card's");
  const double memory_share = double(m.memory_slices) / m.memory_slices_total;
  if (memory_share > m.compute_share + 1e-9) {
    out.push_back(m.profile + " holds " + detail::significant(memory_share * 100, 3) +
                  "% of the card's memory but is priced at its " + detail::significant(m.compute_share * 100, 3) +
                  "% compute share; only " + std::to_string(m.max_instances) +
                  " fit on one card, so a provider may charge more");
  }
  return out;
}

Gpu slice_gpu(const Gpu& card, const MigSlice& m) {
  Gpu g = card;
  g.name = m.gpu_name + " " + m.profile;
  g.memory_gb = m.memory_gb;
  // The driver's total for the slice: its memory slices of what the card reports, but no more than
  // the profile's name says. An H200 NVL's nvidia-smi shows its 1g.18gb, 2g.35gb and 3g.71gb with
  // 16384, 33280 and 71424 MiB (17.2, 34.9, 74.9 GB) where an eighth, a quarter and half of the
  // card's 143771 MiB are 18.8, 37.7 and 75.4 GB: small slices lose more to the driver's reserve.
  const double usable = card.usable_memory_gb > 0 ? card.usable_memory_gb : card.memory_gb;
  const double share = usable * m.memory_slices / m.memory_slices_total;
  g.usable_memory_gb = std::min(share, m.memory_gb);
  g.usable_memory_note =
      share <= m.memory_gb
          ? std::to_string(m.memory_slices) + " of the card's " + std::to_string(m.memory_slices_total) +
                " memory slices of its " + detail::significant(usable, 4) + " GB usable"
          : "the profile's " + detail::significant(m.memory_gb, 4) + " GB (its " + std::to_string(m.memory_slices) +
                " of " + std::to_string(m.memory_slices_total) +
                " memory slices of the card's usable memory would be " + detail::significant(share, 4) +
                " GB; small slices lose more to the driver's reserve)";
  g.memory_bandwidth_gbs = card.memory_bandwidth_gbs * m.bandwidth_share;
  const double c = m.compute_share;
  g.fp16_tflops = card.fp16_tflops * c;
  if (g.fp16_acc16_tflops) *g.fp16_acc16_tflops *= c;
  if (g.bf16_tflops) *g.bf16_tflops *= c;
  if (g.fp8_tflops) *g.fp8_tflops *= c;
  if (g.int8_tops) *g.int8_tops *= c;
  if (g.fp32_tflops) *g.fp32_tflops *= c;
  g.tdp_w = card.tdp_w * m.power_share;
  // The idle floor too, or a measured card idle (H200: 78 W) would exceed a small slice's share.
  if (g.idle_w) *g.idle_w *= m.power_share;
  if (g.purchase_price_usd) *g.purchase_price_usd *= m.price_share;
  g.nvlink_bandwidth_gbs.reset();
  g.nvlink_max_gpus.reset();
  g.xgmi_bandwidth_gbs.reset();
  g.mig_profiles.clear();
  return g;
}

std::optional<Error> place_on_slice(Setup& setup, const Gpu& card, const Catalog& catalog, std::string_view profile,
                                    const std::string& path) {
  auto slice = mig_slice(card, catalog, profile, path);
  if (!slice) return slice.error();
  setup.mig = std::move(slice).value();
  setup.gpu = slice_gpu(card, *setup.mig);
  return std::nullopt;
}

}  // namespace gpufit
