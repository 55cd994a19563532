// MIG slices: a scenario run on one GPU instance of a card (core/src/mig_slice.cpp), and several
// models packed onto the fewest cards (core/src/mig_pack.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gpufit/catalog.hpp"
#include "gpufit/error.hpp"

namespace gpufit {

// What a slice gets of its card. The slice is evaluated as a GPU of its own (slice_gpu()), so
// every result block comes out as for a whole GPU; this says how it was derived.
struct MigSlice {
  std::string profile;        // "2g.20gb"
  std::string gpu, gpu_name;  // the whole card
  int compute_slices = 0, compute_slices_total = 7;
  int memory_slices = 0, memory_slices_total = 8;
  double memory_gb = 0;        // as the profile names it
  double compute_share = 0;    // compute_slices / compute_slices_total: SMs, tensor peak
  double bandwidth_share = 0;  // of the card's DRAM bandwidth (its memory slices)
  double l2_share = 0;
  double price_share = 0;  // of the card's hourly and purchase price: its compute share
  double power_share = 0;  // of the card's TDP: its compute share
  int max_instances = 1;   // of this profile on one card
};

// The slice `profile` of `card`, or an error at `path`/mig_profile naming the profiles the card
// has (or saying it has none).
Outcome<MigSlice> mig_slice(const Gpu& card, const Catalog& catalog, std::string_view profile,
                            const std::string& path = "");

// The card as the slice sees it: memory, bandwidth, tensor peaks, TDP and purchase price scaled
// by the slice's shares; no NVLink (a MIG instance has no peer links). Name "A100 80GB SXM 2g.20gb".
Gpu slice_gpu(const Gpu& card, const MigSlice& slice);

struct Setup;  // scenario.hpp
// Runs `setup` on the slice `profile` of `card`: its mig is the slice, its gpu the card as the
// slice sees it (slice_gpu()); gpu_ref stays the caller's (a catalog id or "custom"). The one way
// a scenario, a measured row, a ranking option or a workload row is put on a slice. On an error
// (see mig_slice()) `setup` is left as it was.
std::optional<Error> place_on_slice(Setup& setup, const Gpu& card, const Catalog& catalog, std::string_view profile,
                                    const std::string& path = "");

// What to know about a slice's figures, in plain words: they are the card's scaled by its shares,
// and a profile holding more of the card's memory than of its compute (1g.20gb) is priced by its
// compute share though fewer of it fit on a card.
std::vector<std::string> mig_warnings(const MigSlice& slice);

// The profiles a card can be sliced into, in catalog order, without the media-extension ones
// ("+me": one per card, same compute as their plain twin).
std::vector<const MigProfile*> plain_profiles(const MigGpu& g);

}  // namespace gpufit
