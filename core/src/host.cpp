#include "gpufit/host.hpp"

#include <optional>

#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"
#include "gpufit/scenario_read.hpp"

namespace gpufit::host {

namespace {

// The session's catalog: built-in, then custom entries and benchmarks layered on. A host is
// single-threaded (one wasm instance), so plain statics suffice.
struct Session {
  std::optional<Catalog> base;     // built-in + benchmarks
  std::optional<Catalog> current;  // base + custom entries
  std::string custom_json;
};

Session& session() {
  static Session s;
  return s;
}

Reply from(const Outcome<std::string>& o) {
  if (o.ok()) return Reply{true, o.value(), "", "", ""};
  return Reply{false, "", o.error().code, o.error().field, o.error().message};
}

Reply from_error(const Error& e) { return Reply{false, "", e.code, e.field, e.message}; }

// The catalog of the session, loading the built-in one on first use.
const Catalog* current(Reply& error) {
  Session& s = session();
  if (!s.current) {
    const auto& builtin = builtin_catalog();
    if (!builtin.ok()) {
      error = from_error(builtin.error());
      return nullptr;
    }
    s.base = builtin.value();
    s.current = s.base;
  }
  return &*s.current;
}

}  // namespace

Reply evaluate(const std::string& scenarios) {
  Reply err;
  const Catalog* c = current(err);
  return c ? from(evaluate_json(scenarios, *c)) : err;
}

Reply rank(const std::string& scenario, const std::string& options) {
  Reply err;
  const Catalog* c = current(err);
  return c ? from(rank_json(scenario, options, *c)) : err;
}

Reply sweep(const std::string& scenario, const std::string& field, const std::string& values) {
  Reply err;
  const Catalog* c = current(err);
  return c ? from(sweep_json(scenario, field, values, *c)) : err;
}

Reply catalog(const std::string& kind) {
  Reply err;
  const Catalog* c = current(err);
  return c ? from(catalog_json(*c, kind)) : err;
}

Reply validation() {
  Reply err;
  const Catalog* c = current(err);
  return c ? from(validation_json(*c)) : err;
}

Reply set_custom_entries(const std::string& custom_json) {
  Reply err;
  if (!current(err)) return err;
  Session& s = session();
  auto merged = custom_json.empty() ? Outcome<Catalog>(*s.base) : with_custom_entries(*s.base, custom_json);
  if (!merged.ok()) return from_error(merged.error());
  s.current = std::move(merged).value();
  s.custom_json = custom_json;
  return Reply{true, "{}", "", "", ""};
}

Reply load_benchmarks(const std::string& benchmarks_json) {
  Reply err;
  if (!current(err)) return err;
  Session& s = session();
  CatalogFiles files = builtin_catalog_files();
  files.benchmarks = benchmarks_json;
  auto loaded = load_catalog(files);
  if (!loaded.ok()) return from_error(loaded.error());
  auto merged = s.custom_json.empty() ? Outcome<Catalog>(loaded.value()) : with_custom_entries(loaded.value(), s.custom_json);
  if (!merged.ok()) return from_error(merged.error());  // the session stays as it was
  s.base = std::move(loaded).value();
  s.current = std::move(merged).value();
  return Reply{true, "{\"benchmarks\":" + std::to_string(s.current->benchmarks.size()) + "}", "", "", ""};
}

Reply scenario_from_permalink(const std::string& query) { return from(scenario_json_from_query(query)); }

Reply permalink_from_scenario(const std::string& scenario_json) { return from(query_from_scenario_json(scenario_json)); }

}  // namespace gpufit::host
