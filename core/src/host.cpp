#include "gpufit/host.hpp"

#include <optional>

#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"
#include "gpufit/permalink.hpp"
#include "gpufit/schema.hpp"
#include "json_value.hpp"
#include "json_write.hpp"

namespace gpufit::host {

namespace {

// The session's catalog: built-in, then custom entries and benchmarks layered on. A host is
// single-threaded (one wasm instance), so plain statics suffice. The catalogs are referred to,
// not copied: the built-in one is used in place until benchmarks or custom entries make another.
struct Session {
  std::optional<Catalog> with_benchmarks;  // built-in + measured benchmarks, once loaded
  std::optional<Catalog> with_custom;      // base + custom entries, when there are any
  const Catalog* base = nullptr;           // the built-in catalog or with_benchmarks
  const Catalog* current = nullptr;        // base or with_custom
  std::string custom_json;
};

Session& session() {
  static Session s;
  return s;
}

std::string error_json(const Error& e) {
  detail::JsonWriter w;
  w.begin_object()
      .key("error")
      .begin_object()
      .field("code", e.code)
      .field("path", e.path)
      .field("message", e.message)
      .field("input", e.input)
      .end_object()
      .end_object();
  return w.take();
}

std::string from(const Outcome<std::string>& o) {
  return o.ok() ? o.value() : error_json(o.error());
}

// The catalog of the session, loading the built-in one on first use.
const Catalog* current(std::string& error) {
  Session& s = session();
  if (!s.current) {
    const auto& builtin = builtin_catalog();
    if (!builtin.ok()) {
      error = error_json(builtin.error());
      return nullptr;
    }
    s.base = s.current = &builtin.value();
  }
  return s.current;
}

template <class F>
std::string with_catalog(F&& f) {
  std::string err;
  const Catalog* c = current(err);
  return c ? from(f(*c)) : err;
}

}  // namespace

std::string evaluate(std::string_view scenarios) {
  return with_catalog([&](const Catalog& c) { return evaluate_json(scenarios, c); });
}

std::string update(std::string_view scenario, std::string_view views) {
  return with_catalog([&](const Catalog& c) { return update_json(scenario, views, c); });
}

std::string rank(std::string_view scenario, std::string_view options) {
  return with_catalog([&](const Catalog& c) { return rank_json(scenario, options, c); });
}

std::string pack(std::string_view request) {
  return with_catalog([&](const Catalog& c) { return pack_json(request, c); });
}

std::string sweep(std::string_view scenario, std::string_view field, std::string_view values) {
  return with_catalog([&](const Catalog& c) { return sweep_json(scenario, field, values, c); });
}

std::string catalog(std::string_view kind) {
  return with_catalog([&](const Catalog& c) { return catalog_json(c, kind); });
}

std::string validation() {
  return with_catalog([&](const Catalog& c) { return validation_json(c); });
}

std::string schema() {
  return schema_json();
}

std::string set_custom_entries(std::string_view custom_json) {
  std::string err;
  if (!current(err)) return err;
  Session& s = session();
  if (custom_json.empty()) {
    s.with_custom.reset();
    s.current = s.base;
  } else {
    auto merged = with_custom_entries(*s.base, custom_json);
    if (!merged.ok()) return error_json(merged.error());
    s.with_custom = std::move(merged).value();
    s.current = &*s.with_custom;
  }
  s.custom_json = std::string(custom_json);
  return "{}";
}

std::string load_benchmarks(std::string_view benchmarks_json) {
  std::string err;
  if (!current(err)) return err;
  Session& s = session();
  // The built-in catalog with its benchmarks file read in, checked as load_catalog checks it (its
  // ids against the catalog's): no other file is read again.
  auto loaded = with_catalog_file(builtin_catalog().value(), CatalogFile::kBenchmarks, std::string(benchmarks_json));
  if (!loaded.ok()) return error_json(loaded.error());
  std::optional<Catalog> custom;
  if (!s.custom_json.empty()) {
    auto merged = with_custom_entries(loaded.value(), s.custom_json);
    if (!merged.ok()) return error_json(merged.error());  // the session stays as it was
    custom = std::move(merged).value();
  }
  s.with_benchmarks = std::move(loaded).value();
  s.base = &*s.with_benchmarks;
  s.with_custom = std::move(custom);
  s.current = s.with_custom ? &*s.with_custom : s.base;
  return "{\"benchmarks\":" + std::to_string(s.current->benchmarks.size()) + "}";
}

std::string inspect_header(std::string_view bytes, std::string_view kind, std::string_view options) {
  std::uint64_t file_size = 0;
  std::string name;
  if (!options.empty()) {
    auto o = detail::parse_json(options, "options");
    if (!o.ok()) return error_json(o.error());
    const detail::Json& j = o.value();
    if (!j.is_object()) return error_json(Error{"invalid_type", "", "must be an object", "options"});
    if (const auto* size = j.find("file_size")) {
      if (!size->is_number() || size->as_number() < 0 || size->as_number() > 9.0e15) {
        return error_json(Error{"out_of_range", "/file_size", "must be a byte count", "options"});
      }
      file_size = static_cast<std::uint64_t>(size->as_number());
    }
    if (const auto* n = j.find("name"); n && n->is_string()) name = n->as_string();
  }
  return from(inspect_header_json(bytes, kind, file_size, name));
}

std::string model_from_headers(std::string_view request) {
  return from(model_from_headers_json(request));
}

std::string scenario_from_permalink(std::string_view query) {
  return from(scenario_json_from_query(query));
}

std::string permalink_from_scenario(std::string_view scenario_json) {
  auto q = query_from_scenario_json(scenario_json);
  if (!q) return error_json(q.error());
  detail::JsonWriter w;
  w.string(q.value());
  return w.take();
}

}  // namespace gpufit::host
