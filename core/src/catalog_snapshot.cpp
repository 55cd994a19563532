// The catalog's snapshot (gpufit/catalog_snapshot.hpp): every member of every catalog struct, in
// declaration order, through one list per struct that serves both directions. Whole numbers and
// counts are stored as varints, other numbers as their 8 bytes (both targets are little-endian
// IEEE 754), strings as a length and their bytes. A member added to a struct must be added to its
// list here: tests/catalog_snapshot_test.cpp compares a round-tripped catalog with the original,
// member by member (defaulted operator==), and the header's layout number changes with any list.
#include "gpufit/catalog_snapshot.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <type_traits>
#include <vector>

namespace gpufit {

static_assert(std::endian::native == std::endian::little, "the snapshot stores numbers little-endian");

// The magic and the layout number: bump kLayout when a list below changes.
constexpr std::string_view kMagic = "gpufit-catalog";
constexpr std::uint32_t kLayout = 2;
constexpr double kWholeLimit = 4503599627370496.0;  // 2^52: every whole number below it is exact

// WorkloadCatalog's rows and their deferred text are private: this reaches them.
struct SnapshotFields {
  template <class Ar>
  static void io(Ar& a, WorkloadCatalog& w) {
    a(w.models, w.engines, w.fits, w.rows_, w.deferred_rows_, w.rows_sources_required_);
  }
};

namespace {

template <class Ar>
void fields(Ar& a, Gpu& g) {
  a(g.id, g.name, g.vendor, g.architecture, g.memory_type, g.form_factor, g.video_engines, g.release_year, g.memory_gb,
    g.usable_memory_gb, g.memory_bandwidth_gbs, g.fp16_tflops, g.fp16_acc16_tflops, g.bf16_tflops, g.fp8_tflops,
    g.int8_tops, g.fp32_tflops, g.matmul_efficiency, g.tdp_w, g.idle_w, g.slots, g.pcie_gen, g.pcie_lanes,
    g.nvlink_bandwidth_gbs, g.nvlink_max_gpus, g.nvdec_count, g.nvenc_count, g.nvjpg_count, g.xgmi_bandwidth_gbs,
    g.mig_profiles, g.purchase_price_usd, g.source, g.usable_memory_note, g.notes, g.field_sources);
}

template <class Ar>
void fields(Ar& a, ModelFileSource& s) {
  a(s.kind, s.id, s.weights_bytes_by_dtype, s.bytes_fetched, s.weights, s.embedding_bytes, s.routed_expert_bytes);
}

template <class Ar>
void fields(Ar& a, Model& m) {
  a(m.id, m.name, m.family, m.architecture, m.params, m.active_params, m.layers, m.hidden_size, m.intermediate_size,
    m.attention_heads, m.kv_heads, m.head_dim, m.vocab_size, m.max_context_tokens, m.tie_word_embeddings,
    m.sliding_window_tokens, m.sliding_window_layers, m.experts, m.experts_per_token, m.shared_experts,
    m.expert_intermediate_size, m.kv_lora_rank, m.qk_rope_head_dim, m.attention_params, m.expert_params, m.file_source,
    m.source, m.notes, m.field_sources);
}

template <class Ar>
void fields(Ar& a, BlockType& t) {
  a(t.bits_per_weight, t.block_weights, t.fallback_bits, t.fallback_block_weights);
}

template <class Ar>
void fields(Ar& a, TensorOverride& t) {
  a(t.tensor, t.type, t.layers, t.when);
}

template <class Ar>
void fields(Ar& a, WeightFormat& f) {
  a(f.id, f.name, f.kind, f.layout, f.source, f.notes, f.bits_per_weight, f.type, f.compute, f.tensor_overrides);
}

template <class Ar>
void fields(Ar& a, KvFormat& f) {
  a(f.id, f.name, f.source, f.bits_per_value);
}

template <class Ar>
void fields(Ar& a, Engine& e) {
  a(e.id, e.name, e.version, e.source, e.notes, e.bandwidth_efficiency, e.hbm_bandwidth_efficiency, e.fp16_accumulate,
    e.compute_efficiency, e.compute_scaling, e.step_overhead_ms, e.sequence_overhead_us, e.layer_overhead_us,
    e.sequence_scaling, e.memory_reserve_fraction, e.runtime_overhead_gb, e.activation_chunk_tokens, e.max_sequences,
    e.large_gpu_memory_gib, e.large_gpu_excluded_name, e.large_gpu_chunk_tokens, e.large_gpu_max_sequences,
    e.training_mfu, e.multi_gpu, e.weight_formats, e.vendors, e.fitted_on, e.validation, e.error_pct);
}

template <class Ar>
void fields(Ar& a, Interconnect& c) {
  a(c.id, c.name, c.source, c.allreduce_latency_us, c.bandwidth_efficiency);
}

template <class Ar>
void fields(Ar& a, Price& p) {
  a(p.provider, p.gpu, p.pricing, p.date_seen, p.source, p.notes, p.usd_per_hour);
}

template <class Ar>
void fields(Ar& a, Benchmark& b) {
  a(b.id, b.kind, b.engine, b.engine_version, b.gpu, b.model, b.weights, b.kv_cache, b.unit, b.source, b.date, b.notes,
    b.mig_profile, b.gpu_count, b.batch_size, b.prompt_tokens, b.output_tokens, b.context_tokens, b.value,
    b.concurrency, b.request_rate_per_s, b.length_cv, b.requests, b.ttft_mean_ms, b.ttft_p50_ms, b.ttft_p99_ms,
    b.tpot_mean_ms, b.tpot_p50_ms, b.tpot_p99_ms, b.excluded, b.phase);
}

template <class Ar>
void fields(Ar& a, MigProfile& p) {
  a(p.name, p.memory_gb, p.compute_slices, p.memory_slices, p.bandwidth_share, p.l2_share, p.max_instances,
    p.start_slices);
}

template <class Ar>
void fields(Ar& a, MigGpu& g) {
  a(g.gpu, g.compute_slices_total, g.memory_slices_total, g.profiles, g.source);
}

template <class Ar>
void fields(Ar& a, WorkloadComponent& c) {
  a(c.name, c.role, c.kind, c.source, c.params, c.tokens, c.ref_latent_pixels, c.linear_tflops, c.attention_tflops,
    c.layers, c.hidden_size, c.patch_size, c.text_tokens, c.token_params, c.steps_fraction,
    c.decoder_tflops_per_megapixel, c.tflops_per_output_megapixel);
}

template <class Ar>
void fields(Ar& a, WorkloadModel& m) {
  a(m.id, m.workload, m.name, m.source, m.notes, m.params, m.layers, m.hidden_size, m.intermediate_size,
    m.attention_heads, m.kv_heads, m.head_dim, m.vocab_size, m.gated_mlp, m.max_sequence_tokens, m.d_model,
    m.encoder_layers, m.decoder_layers, m.ffn_dim, m.mel_bins, m.native_width, m.native_height, m.default_steps,
    m.guidance_passes, m.components);
}

template <class Ar>
void fields(Ar& a, WorkloadEngine& e) {
  a(e.id, e.workload, e.name, e.source, e.notes);
}

template <class Ar>
void fields(Ar& a, WorkloadBenchmark& b) {
  a(b.id, b.workload, b.model, b.gpu, b.engine, b.weights, b.unit, b.source, b.date, b.notes, b.excluded, b.mig_profile,
    b.gpu_count, b.value, b.width, b.height, b.steps, b.batch_size, b.audio_seconds, b.beam_size, b.sequence_tokens);
}

template <class Ar>
void fields(Ar& a, WorkloadFit& f) {
  a(f.compute_efficiency, f.bandwidth_efficiency, f.step_overhead_ms, f.engine_speed, f.fitted_on, f.fitted);
}

template <class Ar>
void fields(Ar& a, WorkloadCatalog& w) {
  SnapshotFields::io(a, w);
}

template <class Ar>
void fields(Ar& a, Catalog& c) {
  a(c.gpus, c.models, c.weight_formats, c.kv_formats, c.engines, c.interconnects, c.prices, c.benchmarks, c.mig,
    c.entries_json, c.workloads);
}

// Writing: appends each member's bytes.
class Out {
 public:
  std::string bytes;

  template <class... Ts>
  void operator()(Ts&... xs) {
    (item(xs), ...);
  }

  // Whole numbers (most of the catalog's: counts, sizes, parameters) as an even varint; any
  // other value as the marker 1 and its 8 bytes.
  void item(double& x) {
    if (x >= 0 && x < kWholeLimit && x == static_cast<double>(static_cast<std::uint64_t>(x)) && !std::signbit(x)) {
      varint(static_cast<std::uint64_t>(x) << 1);
      return;
    }
    varint(1);
    char b[sizeof x];
    std::memcpy(b, &x, sizeof x);
    bytes.append(b, sizeof x);
  }
  void item(bool& x) { bytes.push_back(x ? 1 : 0); }
  void item(int& x) {
    varint(x < 0 ? (static_cast<std::uint64_t>(-(x + 1)) << 1) | 1 : static_cast<std::uint64_t>(x) << 1);
  }
  void item(std::size_t& x) { varint(x); }
  void item(std::string& s) {
    varint(s.size());
    bytes.append(s);
  }
  template <class E>
  requires std::is_enum_v<E>
  void item(E& e) {
    int v = static_cast<int>(e);
    item(v);
  }
  template <class T>
  void item(std::optional<T>& o) {
    bool has = o.has_value();
    item(has);
    if (has) item(*o);
  }
  template <class T>
  void item(std::vector<T>& v) {
    varint(v.size());
    for (T& x : v) item(x);
  }
  template <class K, class V, class C>
  void item(std::map<K, V, C>& m) {
    varint(m.size());
    for (auto& [k, v] : m) {
      K key = k;
      item(key);
      item(v);
    }
  }
  template <class T>
  requires std::is_class_v<T>
  void item(T& s) { fields(*this, s); }

 private:
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      bytes.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    bytes.push_back(static_cast<char>(v));
  }
};

// Reading: fills each member from the bytes; a short or malformed snapshot clears ok and reads
// nothing further (every read checks what is left first).
class In {
 public:
  In(const char* p, const char* end) : p_(p), end_(end) {}
  bool ok = true;
  bool at_end() const { return p_ == end_; }

  template <class... Ts>
  void operator()(Ts&... xs) {
    (item(xs), ...);
  }

  void item(double& x) {
    const std::uint64_t v = varint();
    if (!(v & 1)) {
      x = static_cast<double>(v >> 1);
      return;
    }
    if (v != 1 || !take(sizeof x)) {
      ok = false;
      return;
    }
    std::memcpy(&x, p_ - sizeof x, sizeof x);
  }
  void item(bool& x) {
    if (!take(1)) return;
    x = p_[-1] != 0;
  }
  // Values out of range of the member are a malformed snapshot, refused, never wrapped.
  void item(int& x) {
    const std::uint64_t v = varint();
    if ((v >> 1) > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
      ok = false;
      return;
    }
    const int magnitude = static_cast<int>(v >> 1);
    x = (v & 1) ? -magnitude - 1 : magnitude;
  }
  void item(std::size_t& x) {
    const std::uint64_t v = varint();
    if constexpr (sizeof(std::size_t) < sizeof(std::uint64_t)) {  // wasm32
      if (v > std::numeric_limits<std::size_t>::max()) {
        ok = false;
        return;
      }
    }
    x = static_cast<std::size_t>(v);
  }
  void item(std::string& s) {
    const std::uint64_t n = varint();
    if (!take(n)) return;
    s.assign(p_ - n, static_cast<std::size_t>(n));
  }
  template <class E>
  requires std::is_enum_v<E>
  void item(E& e) {
    int v = 0;
    item(v);
    e = static_cast<E>(v);
  }
  template <class T>
  void item(std::optional<T>& o) {
    bool has = false;
    item(has);
    if (!has || !ok) {
      o.reset();
      return;
    }
    item(o.emplace());
  }
  template <class T>
  void item(std::vector<T>& v) {
    const std::uint64_t n = count();
    v.clear();
    v.resize(static_cast<std::size_t>(n));
    for (T& x : v) item(x);
  }
  template <class K, class V, class C>
  void item(std::map<K, V, C>& m) {
    const std::uint64_t n = count();
    m.clear();
    for (std::uint64_t i = 0; i < n && ok; ++i) {
      K key{};
      item(key);
      item(m[std::move(key)]);
    }
  }
  template <class T>
  requires std::is_class_v<T>
  void item(T& s) { fields(*this, s); }

 private:
  bool take(std::uint64_t n) {
    if (!ok || n > static_cast<std::uint64_t>(end_ - p_)) {
      ok = false;
      return false;
    }
    p_ += n;
    return true;
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!take(1)) return 0;
      const auto byte = static_cast<unsigned char>(p_[-1]);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
    ok = false;
    return 0;
  }
  // A count of items, each at least one byte: more than the bytes left is a malformed snapshot
  // (and never a huge allocation).
  std::uint64_t count() {
    const std::uint64_t n = varint();
    if (n > static_cast<std::uint64_t>(end_ - p_)) ok = false;
    return ok ? n : 0;
  }
  const char* p_;
  const char* end_;
};

Error invalid(std::string message) {
  return {"invalid_snapshot", "", std::move(message), "catalog snapshot"};
}

}  // namespace

std::string write_catalog_snapshot(const Catalog& catalog) {
  Out out;
  out.bytes.append(kMagic);
  std::size_t layout = kLayout;
  out.item(layout);
  // The lists take members by reference for both directions; writing changes nothing.
  out.item(const_cast<Catalog&>(catalog));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  return std::move(out.bytes);
}

Outcome<Catalog> read_catalog_snapshot(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) return invalid("not a catalog snapshot");
  In in(bytes.data() + kMagic.size(), bytes.data() + bytes.size());
  std::size_t layout = 0;
  in.item(layout);
  if (!in.ok || layout != kLayout) {
    return invalid("written by another version (layout " + std::to_string(layout) + ", this build reads " +
                   std::to_string(kLayout) + "): rebuild it with this build's gpucalc snapshot");
  }
  Catalog c;
  in.item(c);
  if (!in.ok) return invalid("cut short");
  if (!in.at_end()) return invalid("longer than the catalog it holds");
  return c;
}

}  // namespace gpufit
