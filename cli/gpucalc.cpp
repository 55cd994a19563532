// gpucalc: the GPU Fit calculator on the command line. Reads scenario JSON (the SPEC contract),
// prints results as JSON for scripts or tables for people. Bad input: exit status 2, one message
// on standard error naming the field, nothing on standard output.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"
#include "gpufit/catalog_snapshot.hpp"
#include "gpufit/permalink.hpp"
#include "gpufit/scenario_read.hpp"
#include "gpufit/schema.hpp"
#include "table.hpp"
#include "weight_files.hpp"

namespace {

using nlohmann::json;

constexpr int kOk = 0;
constexpr int kBadInput = 2;
constexpr std::size_t kMaxInputBytes = 64u * 1024u * 1024u;

const char* const kUsage =
    "usage: gpucalc <command> [options]\n"
    "\n"
    "commands:\n"
    "  evaluate FILE|-      evaluate a scenario (object) or several (array)\n"
    "  inspect FILE|DIR     shape, parameters and bytes by type from a .gguf or .safetensors\n"
    "                       file's header, or a folder of shards (reads only the headers)\n"
    "  rank FILE|-          rank every catalog GPU (and count) for one scenario\n"
    "  sweep FILE|- FIELD V1,V2,...   evaluate a scenario over values of one field\n"
    "  pack FILE|-          several scenarios onto the fewest MIG-sliced GPUs\n"
    "  catalog KIND         list gpus, models, formats, kv_cache_formats, engines,\n"
    "                       interconnects, prices or benchmarks\n"
    "  permalink FILE|-     print a scenario as a permalink query\n"
    "  validate             every measured benchmark against its estimate\n"
    "  calibrate            fit the engines' efficiency factors to the benchmarks\n"
    "  scenario QUERY       print the scenario a permalink query holds\n"
    "  schema               every field of the scenario, result and catalog (JSON Schema,\n"
    "                       TypeScript with --json-schema DOC, --typescript, --out DIR)\n"
    "  snapshot FILE        write the catalog as the WebAssembly module embeds it (a build step)\n"
    "\n"
    "options for every command:\n"
    "  --format json|table  JSON for scripts, a table for people\n"
    "                       (default: table on a terminal, JSON otherwise)\n"
    "  --data DIR           read the catalog from DIR instead of the built-in copy\n"
    "  --help               help for a command: gpucalc evaluate --help\n";

const char* const kEvaluateHelp =
    "usage: gpucalc evaluate FILE|- [--format json|table] [--data DIR]\n"
    "\n"
    "Reads one scenario object, or an array of them, from FILE (- for standard input)\n"
    "and prints one result object, or an array in the same order. Scenario fields and\n"
    "result fields are those of SPEC.md; for example:\n"
    "  {\"model\": \"llama-3.1-8b\", \"weights\": \"bf16\", \"gpu\": \"l4\", \"batch_size\": 8}\n"
    "When a scenario has no as_of_date, today's date is used to flag old prices.\n"
    "\n"
    "\"model\": {\"hub\": \"org/name\"} (or \"org/name@revision\") fetches the model's config.json\n"
    "and its safetensors headers from the Hugging Face Hub with HTTP Range requests (a few\n"
    "kilobytes per file), so the weights memory is the files' exact bytes.\n"
    "  --hub-endpoint URL   the Hub to ask (default https://huggingface.co)\n"
    "  --hub-timeout S      seconds to wait for each request (default 30)\n"
    "A gated or private model needs a token with access in the HF_TOKEN environment variable.\n";

const char* const kInspectHelp =
    "usage: gpucalc inspect FILE|DIR [--format json|table]\n"
    "\n"
    "Reads only the header of a .gguf or .safetensors file (the 8-byte length and the JSON of a\n"
    "safetensors file; the metadata and tensor infos of a GGUF file), or of every shard of a\n"
    "folder holding config.json and model.safetensors.index.json (or model.safetensors), and\n"
    "prints the shape, the parameter count, the bytes by type and the bytes read. For GGUF and\n"
    "folders, \"model\" is a custom model object a scenario takes as its \"model\".\n";

const char* const kRankHelp =
    "usage: gpucalc rank FILE|- [--by METRIC] [--counts 1,2,4,8] [--formats F1,F2|all]\n"
    "                   [--gpus G1,G2] [--batch scenario|max_fit] [--max-batch N] [--mig]\n"
    "                   [--format json|table] [--data DIR]\n"
    "\n"
    "Evaluates the scenario on every catalog GPU and prints them sorted, the ones that\n"
    "do not fit last with the reason, and the winner with its margin.\n"
    "  --by        usd_per_million_tokens (default), tokens_per_s, latency, watts, gpus\n"
    "  --counts    GPU counts per replica to try (default: each GPU's fewest of 1,2,4,8 that fit)\n"
    "  --formats   weight formats to try (default: the scenario's; all = every format)\n"
    "  --gpus      only these GPUs\n"
    "  --batch     the scenario's batch_size (default) or each row's largest that fits\n"
    "  --max-batch cap for --batch max_fit (default 256)\n"
    "  --mig       also every MIG slice of the GPUs that have them (one slice per replica)\n";

const char* const kPackHelp =
    "usage: gpucalc pack FILE|- [--format json|table] [--data DIR]\n"
    "\n"
    "FILE: an array of scenarios, or {\"scenarios\": [...], \"gpus\": [MIG GPU ids],\n"
    "\"whole_gpus\": [GPU ids to compare with]}. Each scenario's traffic is its users (with\n"
    "min_tokens_per_s_per_user), else its tokens_per_day, else it only has to fit. For each MIG\n"
    "GPU: the smallest profile serving each scenario, the instances placed on the fewest cards\n"
    "under NVIDIA's placement rules, the cost per hour, against whole GPUs.\n";

const char* const kSweepHelp =
    "usage: gpucalc sweep FILE|- FIELD V1,V2,... [--format json|table] [--data DIR]\n"
    "\n"
    "Evaluates the scenario once per value of a numeric field (batch_size, context_tokens,\n"
    "users, ...) and prints an array of compact results, for charts. FIELD may be\n"
    "load.concurrency or load.request_rate_per_s (the load curve: throughput, TTFT and TPOT\n"
    "percentiles, the knee; --format table lays it out), or load.length_cv.\n";

const char* const kCatalogHelp =
    "usage: gpucalc catalog KIND [--format json|table] [--data DIR]\n"
    "\n"
    "KIND: gpus, models, formats, kv_cache_formats, engines, interconnects, prices,\n"
    "benchmarks. JSON output is an array of the entries with the same field names an\n"
    "inline gpu or model object takes, so an entry, edited, can be passed back.\n";

const char* const kValidateHelp =
    "usage: gpucalc validate [--format json|table] [--data DIR]\n"
    "\n"
    "Estimates every measured result of benchmarks.json at its own settings and prints,\n"
    "per kind (decode, prefill, serving, memory) and engine: the number of points, the\n"
    "median and 90th-percentile absolute error, the signed bias, and the five worst cases\n"
    "with their sources.\n";

const char* const kCalibrateHelp =
    "usage: gpucalc calibrate [--engines E1,E2] [--data DIR [--write]] [--format json|table]\n"
    "\n"
    "Fits each engine's bandwidth efficiency, compute efficiency and per-step overhead to\n"
    "its decode, prefill and serving benchmarks (least squares on log errors), and measures\n"
    "the error by leaving each source (repository, site) out of the fit in turn. Prints the fit before and after;\n"
    "with --write, stores the factors, the benchmark ids and the cross-validated errors in\n"
    "DIR/engines.json. Takes about ten seconds.\n";

const char* const kSchemaHelp =
    "usage: gpucalc schema [--json-schema DOC | --typescript | --out DIR]\n"
    "\n"
    "Prints the schema tables the core reads and writes through: each field's name, type, unit,\n"
    "range, default, widget attribute and one line of documentation. --json-schema DOC prints a\n"
    "JSON Schema (draft 2020-12) of one document: scenario, result, gpus, models, formats,\n"
    "engines, interconnects, prices, benchmarks, mig_profiles, workloads. --typescript prints the module's "
    "declarations.\n"
    "--out DIR writes all of them: DIR/<doc>.schema.json and DIR/gpufit.d.ts.\n";

const char* const kSnapshotHelp =
    "usage: gpucalc snapshot FILE [--data DIR] [--lean]\n"
    "\n"
    "Writes the loaded catalog to FILE as compact bytes (core/include/gpufit/catalog_snapshot.hpp):\n"
    "the WebAssembly build embeds them, so the page starts without parsing the catalog's JSON. Only\n"
    "the build that wrote a snapshot reads it. --lean reads DIR as the module's copy of the catalog\n"
    "(wasm/lean_catalog.mjs: no citations; benchmarks.json may be absent; the workloads' measured\n"
    "rows stay text until first used), as the module loads it.\n";

const char* const kPermalinkHelp =
    "usage: gpucalc permalink FILE|-    scenario JSON -> permalink query\n"
    "       gpucalc scenario QUERY      permalink query -> scenario JSON\n";

struct Options {
  std::string command;
  std::vector<std::string> args;
  std::string format;  // "" = by terminal
  std::string data_dir;
  bool help = false;
  std::string by, counts, formats, gpus, batch, max_batch, engines;
  bool mig = false;
  bool write = false;
  std::string json_schema, out_dir;
  bool typescript = false;
  bool lean = false;
  std::string hub_endpoint = "https://huggingface.co", hub_timeout;
};

int fail(const std::string& message) {
  std::cerr << message << "\n";
  return kBadInput;
}

int fail(const gpufit::Error& e) {
  return fail(e.to_string());
}

std::optional<std::string> read_all(const std::string& path, std::string& error) {
  std::string text;
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    text = ss.str();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = path + ": cannot be read";
      return std::nullopt;
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (text.size() > kMaxInputBytes) {
    error = path + ": is larger than " + std::to_string(kMaxInputBytes) + " bytes";
    return std::nullopt;
  }
  return text;
}

std::string today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string json_list(const std::string& csv, bool numbers) {
  json out = json::array();
  std::stringstream ss(csv);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    if (numbers) {
      json v = json::parse(item, nullptr, false);
      out.push_back(v.is_discarded() ? json(item) : v);
    } else {
      out.push_back(item);
    }
  }
  return out.dump();
}

bool use_table(const Options& o) {
  return o.format.empty() ? isatty(STDOUT_FILENO) : o.format == "table";
}

gpufit::Outcome<gpufit::Catalog> load(const Options& o) {
  if (o.data_dir.empty()) return gpufit::builtin_catalog();
  gpufit::CatalogFiles files;
  std::string error;
  struct Item {
    const char* name;
    std::string* text;
  };
  for (Item it : {Item{"gpus", &files.gpus}, Item{"models", &files.models}, Item{"formats", &files.formats},
                  Item{"engines", &files.engines}, Item{"interconnects", &files.interconnects},
                  Item{"prices", &files.prices}, Item{"benchmarks", &files.benchmarks}}) {
    auto text = read_all(o.data_dir + "/" + it.name + ".json", error);
    if (!text && o.lean && it.text == &files.benchmarks) continue;  // the module loads them later
    if (!text) return gpufit::Error{"invalid_catalog", "", error};
    *it.text = std::move(*text);
  }
  // The module's copy (wasm/lean_catalog.mjs), read as builtin_catalog() reads it there.
  files.sources_required = !o.lean;
  files.defer_workload_rows = o.lean;
  // MIG geometry: optional in a data directory (one without it has no MIG slices).
  std::string mig_error;
  if (auto mig = read_all(o.data_dir + "/mig_profiles.json", mig_error)) files.mig_profiles = std::move(*mig);
  // workloads.json is newer than the other files: a data directory without it has no workloads.
  if (auto text = read_all(o.data_dir + "/workloads.json", error)) files.workloads = std::move(*text);
  return gpufit::load_catalog(files);
}

int print(const Options& o, const std::string& json_text, std::string (*table)(const json&)) {
  if (use_table(o) && table) {
    std::cout << table(json::parse(json_text));
  } else {
    std::cout << json_text << "\n";
  }
  return kOk;
}

std::string rank_table(const json& j) {
  return gpucalc::rank_table(j);
}
std::string evaluate_table(const json& j) {
  return gpucalc::evaluate_table(j);
}
std::string pack_table(const json& j) {
  return gpucalc::pack_table(j);
}

// Fits the engines and, with --write, stores the result in DIR/engines.json, leaving every other
// field of the file as it was.
int calibrate(const Options& o, const gpufit::Catalog& c) {
  if (o.write && o.data_dir.empty()) return fail("calibrate: --write needs --data DIR (the catalog to update)");
  std::vector<std::string> ids;
  if (!o.engines.empty()) ids = json::parse(json_list(o.engines, false)).get<std::vector<std::string>>();
  const std::string before = gpufit::validation_json(c).value();
  auto out = gpufit::calibration_json(c, ids);
  if (!out) return fail(out.error());
  const json fits = json::parse(out.value());
  if (use_table(o)) {
    std::cout << gpucalc::calibration_table(json::parse(before), fits);
  } else {
    std::cout << out.value() << "\n";
  }
  if (!o.write) return kOk;
  const std::string path = o.data_dir + "/engines.json";
  std::string error;
  auto text = read_all(path, error);
  if (!text) return fail(error);
  json engines = json::parse(*text, nullptr, false);
  if (engines.is_discarded()) return fail(path + ": is not valid JSON");
  for (const auto& e : fits["engines"]) {
    if (e["fit"].is_null()) continue;
    for (auto& entry : engines["engines"]) {
      if (entry["id"] != e["id"]) continue;
      for (const auto& [k, v] : e["fit"].items()) {
        if (v.is_null())
          entry.erase(k);
        else
          entry[k] = v;
      }
    }
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << engines.dump(2) << "\n";
  if (!f) return fail(path + ": cannot be written");
  std::cerr << "wrote " << path << "\n";
  return kOk;
}

int schema(const Options& o) {
  if (!o.json_schema.empty()) {
    const std::string text = gpufit::json_schema(o.json_schema);
    if (text.empty())
      return fail("--json-schema: unknown document \"" + o.json_schema +
                  "\" (scenario, result, gpus, models, formats, engines, interconnects, prices, benchmarks, "
                  "mig_profiles, workloads)");
    std::cout << text << "\n";
    return kOk;
  }
  if (o.typescript) {
    std::cout << gpufit::typescript_declarations();
    return kOk;
  }
  if (!o.out_dir.empty()) {
    for (auto doc : gpufit::json_schema_documents()) {
      const std::string path = o.out_dir + "/" + std::string(doc) + ".schema.json";
      std::ofstream out(path, std::ios::binary);
      out << gpufit::json_schema(doc) << "\n";
      if (!out) return fail(path + ": cannot be written");
    }
    std::ofstream ts(o.out_dir + "/gpufit.d.ts", std::ios::binary);
    ts << gpufit::typescript_declarations();
    if (!ts) return fail(o.out_dir + "/gpufit.d.ts: cannot be written");
    return kOk;
  }
  std::cout << gpufit::schema_json() << "\n";
  return kOk;
}

int run(const Options& o) {
  const char* help = o.command == "evaluate"    ? kEvaluateHelp
                     : o.command == "inspect"   ? kInspectHelp
                     : o.command == "rank"      ? kRankHelp
                     : o.command == "sweep"     ? kSweepHelp
                     : o.command == "pack"      ? kPackHelp
                     : o.command == "catalog"   ? kCatalogHelp
                     : o.command == "permalink" ? kPermalinkHelp
                     : o.command == "scenario"  ? kPermalinkHelp
                     : o.command == "validate"  ? kValidateHelp
                     : o.command == "calibrate" ? kCalibrateHelp
                     : o.command == "schema"    ? kSchemaHelp
                     : o.command == "snapshot"  ? kSnapshotHelp
                                                : nullptr;
  if (o.command.empty() || (o.help && !help)) {
    std::cout << kUsage;
    return kOk;
  }
  if (!help) return fail("unknown command \"" + o.command + "\" (see gpucalc --help)");
  if (o.help) {
    std::cout << help;
    return kOk;
  }
  if (!o.format.empty() && o.format != "json" && o.format != "table") {
    return fail("--format: must be json or table, got \"" + o.format + "\"");
  }
  if (o.command == "schema") return schema(o);
  if (o.command == "inspect") {
    if (o.args.size() != 1) return fail("inspect: needs one .gguf or .safetensors file, or a folder of shards");
    auto out = gpucalc::inspect_path(o.args[0]);
    if (!out) return fail(out.error());
    if (use_table(o)) {
      std::cout << gpucalc::inspect_table(out.value());
    } else {
      std::cout << out.value() << "\n";
    }
    return kOk;
  }
  auto catalog = load(o);
  if (!catalog) return fail(catalog.error());
  const gpufit::Catalog& c = catalog.value();

  if (o.command == "snapshot") {
    if (o.args.size() != 1) return fail("snapshot: needs one output file");
    std::ofstream out(o.args[0], std::ios::binary | std::ios::trunc);
    out << gpufit::write_catalog_snapshot(c);
    if (!out) return fail(o.args[0] + ": cannot be written");
    return kOk;
  }
  if (o.command == "catalog") {
    if (o.args.size() != 1) return fail("catalog: needs one kind (gpus, models, formats, engines, prices, ...)");
    auto out = gpufit::catalog_json(c, o.args[0]);
    if (!out) return fail(out.error());
    if (use_table(o)) {
      std::cout << gpucalc::catalog_table(o.args[0], json::parse(out.value()));
    } else {
      std::cout << out.value() << "\n";
    }
    return kOk;
  }
  if (o.command == "validate") {
    auto out = gpufit::validation_json(c);
    if (!out) return fail(out.error());
    if (use_table(o)) {
      std::cout << gpucalc::validation_table(json::parse(out.value()));
    } else {
      std::cout << out.value() << "\n";
    }
    return kOk;
  }
  if (o.command == "calibrate") return calibrate(o, c);
  if (o.command == "scenario") {
    if (o.args.size() != 1) return fail("scenario: needs one permalink query");
    auto out = gpufit::scenario_json_from_query(o.args[0]);
    if (!out) return fail(out.error());
    std::cout << out.value() << "\n";
    return kOk;
  }
  const std::size_t want = o.command == "sweep" ? 3 : 1;
  if (o.args.size() != want) {
    return fail(o.command + ": needs " + (want == 3 ? "FILE|- FIELD V1,V2,..." : "one FILE (or - for standard input)"));
  }
  std::string error;
  auto text = read_all(o.args[0], error);
  if (!text) return fail(error);
  if (o.command == "evaluate" || o.command == "rank" || o.command == "sweep") {
    gpucalc::HubOptions hub;
    hub.endpoint = o.hub_endpoint;
    while (!hub.endpoint.empty() && hub.endpoint.back() == '/') hub.endpoint.pop_back();
    if (!o.hub_timeout.empty()) {
      char* end = nullptr;
      const long t = std::strtol(o.hub_timeout.c_str(), &end, 10);
      if (*end != '\0' || t < 1 || t > 3600) return fail("--hub-timeout: must be whole seconds from 1 to 3600");
      hub.timeout_s = t;
    }
    auto resolved = gpucalc::resolve_hub_models(*text, hub);
    if (!resolved) return fail(resolved.error());
    text = std::move(resolved).value();
  }

  if (o.command == "evaluate") {
    auto out = gpufit::evaluate_json(*text, c, today());
    if (!out) return fail(out.error());
    return print(o, out.value(), evaluate_table);
  }
  if (o.command == "pack") {
    auto out = gpufit::pack_json(*text, c, today());
    if (!out) return fail(out.error());
    return print(o, out.value(), pack_table);
  }
  if (o.command == "permalink") {
    auto out = gpufit::query_from_scenario_json(*text);
    if (!out) return fail(out.error());
    std::cout << out.value() << "\n";
    return kOk;
  }
  if (o.command == "sweep") {
    const std::string values = json_list(o.args[2], true);
    auto out = gpufit::sweep_json(*text, o.args[1], values, c, today());
    if (!out) return fail(out.error());
    // JSON unless a table is asked for; over load.* a terminal gets the curve's table too.
    if (o.format == "table" || (o.format.empty() && o.args[1].rfind("load.", 0) == 0 && use_table(o))) {
      std::cout << gpucalc::sweep_table(o.args[1], json::parse(values), json::parse(out.value()));
    } else {
      std::cout << out.value() << "\n";
    }
    return kOk;
  }
  // rank
  json options = json::object();
  if (!o.by.empty()) options["by"] = o.by;
  if (!o.counts.empty()) options["counts"] = json::parse(json_list(o.counts, true));
  if (!o.formats.empty()) {
    if (o.formats == "all") {
      json all = json::array();
      for (const auto& f : c.weight_formats) all.push_back(f.id);
      options["formats"] = all;
    } else {
      options["formats"] = json::parse(json_list(o.formats, false));
    }
  }
  if (!o.gpus.empty()) options["gpus"] = json::parse(json_list(o.gpus, false));
  if (!o.batch.empty()) options["batch"] = o.batch;
  if (o.mig) options["mig"] = true;
  if (!o.max_batch.empty()) {
    json v = json::parse(o.max_batch, nullptr, false);
    options["max_batch"] = v.is_discarded() ? json(o.max_batch) : v;
  }
  auto out = gpufit::rank_json(*text, options.dump(), c, today());
  if (!out) return fail(out.error());
  return print(o, out.value(), rank_table);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& into) -> bool {
      if (i + 1 >= args.size()) return false;
      into = args[++i];
      return true;
    };
    bool ok = true;
    if (a == "--help" || a == "-h")
      o.help = true;
    else if (a == "--format")
      ok = value(o.format);
    else if (a == "--data")
      ok = value(o.data_dir);
    else if (a == "--by")
      ok = value(o.by);
    else if (a == "--counts")
      ok = value(o.counts);
    else if (a == "--formats")
      ok = value(o.formats);
    else if (a == "--gpus")
      ok = value(o.gpus);
    else if (a == "--batch")
      ok = value(o.batch);
    else if (a == "--max-batch")
      ok = value(o.max_batch);
    else if (a == "--mig")
      o.mig = true;
    else if (a == "--engines")
      ok = value(o.engines);
    else if (a == "--write")
      o.write = true;
    else if (a == "--json-schema")
      ok = value(o.json_schema);
    else if (a == "--typescript")
      o.typescript = true;
    else if (a == "--lean")
      o.lean = true;
    else if (a == "--out")
      ok = value(o.out_dir);
    else if (a == "--hub-endpoint")
      ok = value(o.hub_endpoint);
    else if (a == "--hub-timeout")
      ok = value(o.hub_timeout);
    else if (a.size() > 1 && a[0] == '-' && a != "-")
      return fail("unknown option \"" + a + "\" (see gpucalc --help)");
    else if (o.command.empty())
      o.command = a;
    else
      o.args.push_back(a);
    if (!ok) return fail(a + ": needs a value");
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    // The core does not throw; this guards the table formatting and stream errors.
    std::cerr << "internal error: " << e.what() << "\n";
    return 1;
  }
}
