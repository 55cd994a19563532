// The schema tables in one registry, and what is generated from them: the schema as JSON (for
// `gpucalc schema` and the page), JSON Schema documents (draft 2020-12) and TypeScript
// declarations.
#include "gpufit/schema.hpp"

#include <algorithm>
#include <map>

#include "catalog_schema.hpp"
#include "json_write.hpp"
#include "result_schema.hpp"
#include "scenario_schema.hpp"

namespace gpufit {

namespace {

using detail::JsonWriter;

const std::vector<FieldSpec>& rank_options_specs() {
  using T = FieldType;
  using R = NumRule;
  static const std::vector<FieldSpec> kSpecs = {
      {"by", T::kEnum, "", R::kAny, 0, 0, "usd_per_million_tokens|tokens_per_s|latency|watts|gpus",
       "\"usd_per_million_tokens\"", false, "", "", "the metric rows are sorted by"},
      {"counts", T::kArray, "GPUs", R::kAny, 0, 0, "integer", "", false, "", "",
       "GPU counts per replica to try (default: for each GPU the fewest of 1, 2, 4, 8 that fit)"},
      {"formats", T::kStringArray, "", R::kAny, 0, 0, "", "", false, "", "",
       "weight formats to try (default: the scenario's)"},
      {"gpus", T::kStringArray, "", R::kAny, 0, 0, "", "", false, "", "",
       "GPUs to include (default: every catalog GPU)"},
      {"batch", T::kEnum, "", R::kAny, 0, 0, "scenario|max_fit", "\"scenario\"", false, "", "",
       "the scenario's batch, or each row's largest that fits up to max_batch"},
      {"max_batch", T::kCount, "sequences", R::kPositive, 1, 1e6, "", "256", false, "", "", "cap of max_fit"},
      {"mig", T::kBool, "", R::kAny, 0, 0, "", "false", false, "", "",
       "also every MIG slice of the GPUs that have them, one slice per replica (rows carry mig_profile)"},
  };
  return kSpecs;
}

// data/mig_profiles.json, read by core/src/mig_catalog.cpp.
const std::vector<FieldSpec>& mig_gpu_specs() {
  using T = FieldType;
  using R = NumRule;
  static const std::vector<FieldSpec> kSpecs = {
      {"gpu", T::kId, "", R::kAny, 0, 0, "gpus", "", true, "", "", "gpus.json id"},
      {"compute_slices_total", T::kInteger, "slices", R::kPositive, 1, 64, "", "", true, "", "",
       "compute slices of the card (7)"},
      {"memory_slices_total", T::kInteger, "slices", R::kPositive, 1, 64, "", "", true, "", "",
       "memory slices of the card (8)"},
      {"profiles", T::kArray, "", R::kAny, 0, 0, "mig_profile", "", true, "", "",
       "the card's profiles: the names its gpus.json entry lists"},
      {"source", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "NVIDIA's MIG user guide table (URL, date seen)"},
      {"field_sources", T::kMap, "", R::kAny, 0, 0, "string", "", false, "", "", "field -> source"},
      {"notes", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "free text"},
  };
  return kSpecs;
}

const std::vector<FieldSpec>& mig_profile_specs() {
  using T = FieldType;
  using R = NumRule;
  static const std::vector<FieldSpec> kSpecs = {
      {"name", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "1g.10gb: compute slices, then memory"},
      {"memory_gb", T::kNumber, "GB", R::kPositive, 0, 1e5, "", "", true, "", "", "the slice's memory as named"},
      {"compute_slices", T::kInteger, "slices", R::kPositive, 1, 64, "", "", true, "", "",
       "of compute_slices_total (fraction of SMs)"},
      {"memory_slices", T::kInteger, "slices", R::kPositive, 1, 64, "", "", true, "", "",
       "of memory_slices_total (fraction of memory)"},
      {"bandwidth_share", T::kNumber, "", R::kFraction, 0, 1, "", "", true, "", "", "of the card's DRAM bandwidth"},
      {"l2_share", T::kNumber, "", R::kFraction, 0, 1, "", "", true, "", "", "of the card's L2 cache"},
      {"max_instances", T::kInteger, "", R::kPositive, 1, 64, "", "", true, "", "",
       "instances of this profile alone on one card"},
      {"start_slices", T::kArray, "", R::kAny, 0, 0, "integer", "", true, "", "",
       "memory-slice positions where an instance may start"},
      {"notes", T::kString, "", R::kAny, 0, 0, "", "", false, "", "", "free text"},
  };
  return kSpecs;
}

const std::vector<FieldSpec>& views_specs() {
  using T = FieldType;
  using R = NumRule;
  static const std::vector<FieldSpec> kSpecs = {
      {"result", T::kBool, "", R::kAny, 0, 0, "", "true", false, "", "", "the full result"},
      {"rank", T::kObject, "", R::kAny, 0, 0, "rank_options", "", false, "", "", "a ranking with these options"},
      {"sweeps", T::kArray, "", R::kAny, 0, 0, "sweep", "", false, "", "", "compact results over one field's values"},
      {"compare", T::kStringArray, "", R::kAny, 0, 0, "", "", false, "", "",
       "GPU ids, each at the fewest GPUs that fit"},
      {"permalink", T::kBool, "", R::kAny, 0, 0, "", "false", false, "", "", "the scenario's permalink query"},
      {"charts", T::kBool, "", R::kAny, 0, 0, "", "false", false, "", "",
       "the page's chart sweeps, values chosen from the result: [{field, values, results}]"},
  };
  return kSpecs;
}

const std::vector<FieldSpec>& sweep_specs() {
  using T = FieldType;
  using R = NumRule;
  static const std::vector<FieldSpec> kSpecs = {
      {"field", T::kString, "", R::kAny, 0, 0, "", "", true, "", "", "a scenario field"},
      {"values", T::kArray, "", R::kAny, 0, 0, "any", "", true, "", "", "its values, one compact result each"},
  };
  return kSpecs;
}

struct Table {
  std::string_view name;
  const std::vector<FieldSpec>& (*specs)();
};

template <class T, detail::Table<T> (*F)()>
const std::vector<FieldSpec>& specs() {
  static const std::vector<FieldSpec> kSpecs = detail::specs_of(F());
  return kSpecs;
}

template <std::span<const FieldSpec> (*F)()>
const std::vector<FieldSpec>& plain() {
  static const std::vector<FieldSpec> kSpecs(F().begin(), F().end());
  return kSpecs;
}

const std::vector<Table>& tables() {
  static const std::vector<Table> kTables = {
      {"scenario", &specs<Scenario, detail::scenario_table>},
      {"load", &specs<Load, detail::load_table>},
      {"slo", &specs<Slo, detail::slo_table>},
      {"views", &views_specs},
      {"sweep", &sweep_specs},
      {"rank_options", &rank_options_specs},
      {"result", &plain<detail::result_specs>},
      {"rank_row", &plain<detail::rank_row_specs>},
      {"gpu", &specs<Gpu, detail::gpu_table>},
      {"model", &specs<Model, detail::model_table>},
      {"weight_format", &specs<WeightFormat, detail::weight_format_table>},
      {"kv_format", &specs<KvFormat, detail::kv_format_table>},
      {"ggml_type", &plain<detail::ggml_type_specs>},
      {"tensor_override", &plain<detail::tensor_override_specs>},
      {"engine", &specs<Engine, detail::engine_table>},
      {"interconnect", &specs<Interconnect, detail::interconnect_table>},
      {"price", &specs<Price, detail::price_table>},
      {"benchmark", &specs<Benchmark, detail::benchmark_table>},
      {"mig_gpu", &mig_gpu_specs},
      {"mig_profile", &mig_profile_specs},
  };
  return kTables;
}

std::vector<std::string_view> split_words(std::string_view words) {
  std::vector<std::string_view> out;
  while (!words.empty()) {
    const std::size_t bar = words.find('|');
    out.push_back(words.substr(0, bar));
    if (bar == std::string_view::npos) break;
    words.remove_prefix(bar + 1);
  }
  return out;
}

const char* type_name(FieldType t) {
  switch (t) {
    case FieldType::kNumber:
      return "number";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kCount:
      return "count";
    case FieldType::kBool:
      return "bool";
    case FieldType::kString:
      return "string";
    case FieldType::kEnum:
      return "enum";
    case FieldType::kId:
      return "id";
    case FieldType::kIdOrObject:
      return "id_or_object";
    case FieldType::kDate:
      return "date";
    case FieldType::kStringArray:
      return "string_array";
    case FieldType::kObject:
      return "object";
    case FieldType::kArray:
      return "array";
    case FieldType::kMap:
      return "map";
  }
  return "string";
}

// --- JSON Schema -------------------------------------------------------------------------------

// The schema of one field's value (without its nullability).
void write_value_schema(JsonWriter& w, const FieldSpec& f) {
  w.begin_object();
  switch (f.type) {
    case FieldType::kNumber:
    case FieldType::kInteger:
    case FieldType::kCount: {
      w.field("type", f.type == FieldType::kNumber ? "number" : "integer");
      double lo = f.min;
      bool exclusive = false;
      switch (f.rule) {
        case NumRule::kPositive:
          exclusive = f.min <= 0;
          lo = std::max(0.0, f.min);
          break;
        case NumRule::kNonNegative:
          lo = std::max(0.0, f.min);
          break;
        case NumRule::kFraction:
          exclusive = true;
          lo = 0;
          break;
        case NumRule::kUnit:
          lo = 0;
          break;
        case NumRule::kAny:
          break;
      }
      if (f.type == FieldType::kCount) {
        exclusive = false;
        lo = std::max(1.0, f.min);
      }
      if (f.rule != NumRule::kAny || f.min != 0 || f.type == FieldType::kCount)
        w.field(exclusive ? "exclusiveMinimum" : "minimum", lo);
      const double hi = (f.rule == NumRule::kFraction || f.rule == NumRule::kUnit) ? (f.max > 0 ? f.max : 1) : f.max;
      if (hi > 0) w.field("maximum", hi);
      break;
    }
    case FieldType::kBool:
      w.field("type", "boolean");
      break;
    case FieldType::kString:
    case FieldType::kId:
      w.field("type", "string");
      break;
    case FieldType::kDate:
      w.field("type", "string").field("pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
      break;
    case FieldType::kEnum:
      if (f.words == "number|string") {
        w.key("type").begin_array().string("number").string("string").end_array();
      } else {
        w.key("enum").begin_array();
        for (auto word : split_words(f.words)) w.string(word);
        w.end_array();
      }
      break;
    case FieldType::kIdOrObject:
      w.key("oneOf").begin_array();
      w.begin_object().field("type", "string").end_object();
      w.begin_object().field("$ref", "#/$defs/" + std::string(f.words == "models" ? "model" : "gpu")).end_object();
      w.end_array();
      break;
    case FieldType::kStringArray:
      w.field("type", "array").key("items").begin_object().field("type", "string").end_object();
      break;
    case FieldType::kObject:
      if (f.words.empty())
        w.field("type", "object");
      else
        w.field("$ref", "#/$defs/" + std::string(f.words));
      break;
    case FieldType::kArray:
      w.field("type", "array");
      if (f.words == "integer")
        w.key("items").begin_object().field("type", "integer").end_object();
      else if (!f.words.empty() && f.words != "any")
        w.key("items").begin_object().field("$ref", "#/$defs/" + std::string(f.words)).end_object();
      break;
    case FieldType::kMap:
      w.field("type", "object");
      if (f.words == "number" || f.words == "string") {
        w.key("additionalProperties").begin_object().field("type", f.words).end_object();
      }
      break;
  }
  if (!f.doc.empty()) {
    std::string doc(f.doc);
    if (!f.unit.empty()) doc += " [" + std::string(f.unit) + "]";
    w.field("description", doc);
  }
  if (!f.default_json.empty()) w.key("default").raw(f.default_json);
  w.end_object();
}

void write_field_schema(JsonWriter& w, const FieldSpec& f, bool nullable) {
  if (!nullable) return write_value_schema(w, f);
  w.begin_object().key("anyOf").begin_array();
  write_value_schema(w, f);
  w.begin_object().field("type", "null").end_object();
  w.end_array().end_object();
}

// A flat table as an object schema. Input documents take null for an optional field (the readers
// treat it as absent); `also_required` adds fields a context requires (a catalog entry's id).
void write_object_schema(JsonWriter& w, const std::vector<FieldSpec>& specs, bool input,
                         const std::vector<std::string_view>& also_required = {}) {
  w.begin_object().field("type", "object");
  w.key("properties").begin_object();
  for (const FieldSpec& f : specs) {
    w.key(f.name);
    write_field_schema(w, f, input ? !f.required : f.nullable);
  }
  w.end_object();
  w.key("required").begin_array();
  for (const FieldSpec& f : specs) {
    if (f.required) w.string(f.name);
  }
  for (auto name : also_required) w.string(name);
  w.end_array();
  w.field("additionalProperties", false);
  w.end_object();
}

// The model: either a published config.json or the shape fields (those the table requires).
void write_model_schema(JsonWriter& w, bool catalog) {
  std::vector<FieldSpec> relaxed = schema_table("model");
  std::vector<std::string_view> shape_required;
  for (FieldSpec& f : relaxed) {
    if (f.required) shape_required.push_back(f.name);
    f.required = false;
  }
  w.begin_object().key("allOf").begin_array();
  write_object_schema(w, relaxed, true,
                      catalog ? std::vector<std::string_view>{"id", "source"} : std::vector<std::string_view>{});
  w.begin_object().key("anyOf").begin_array();
  w.begin_object().key("required").begin_array().string("hf_config").end_array().end_object();
  w.begin_object().key("required").begin_array();
  for (auto n : shape_required) w.string(n);
  w.end_array().end_object();
  w.end_array().end_object();
  w.end_array().end_object();
}

// Paths ("memory.weights_gb", "measured[].id", "assumptions{}.value") -> nested schemas.
struct Node {
  // The name lives in the node, not in a std::pair<name, Node>: a pair of an incomplete type
  // does not compile under clang with libstdc++ (vector<Node> of an incomplete Node is allowed).
  std::string name;
  const FieldSpec* spec = nullptr;
  std::vector<Node> children;
  Node& child(const std::string& child_name) {
    for (Node& c : children) {
      if (c.name == child_name) return c;
    }
    children.push_back(Node{child_name, nullptr, {}});
    return children.back();
  }
};

void write_tree(JsonWriter& w, const Node& node);

void write_node_value(JsonWriter& w, const std::string& name, const Node& n) {
  const FieldSpec& f = *n.spec;
  if (n.children.empty()) return write_field_schema(w, f, f.nullable);
  if (f.type == FieldType::kArray) {
    w.begin_object().field("type", "array").key("items");
    write_tree(w, n);
    if (!f.doc.empty()) w.field("description", f.doc);
    w.end_object();
  } else if (f.type == FieldType::kMap) {
    w.begin_object().field("type", "object").key("additionalProperties");
    write_tree(w, n);
    if (!f.doc.empty()) w.field("description", f.doc);
    w.end_object();
  } else {
    write_tree(w, n);
  }
  (void)name;
}

void write_tree(JsonWriter& w, const Node& node) {
  w.begin_object().field("type", "object");
  if (node.spec && !node.spec->doc.empty() && node.spec->type == FieldType::kObject)
    w.field("description", node.spec->doc);
  w.key("properties").begin_object();
  for (const Node& c : node.children) {
    const std::string& name = c.name;
    w.key(name);
    write_node_value(w, name, c);
  }
  w.end_object();
  w.key("required").begin_array();
  for (const Node& c : node.children) {
    const std::string& name = c.name;
    if (c.spec && c.spec->required) w.string(name);
  }
  w.end_array();
  w.field("additionalProperties", false);
  w.end_object();
}

Node tree_of(const std::vector<FieldSpec>& specs) {
  Node root;
  for (const FieldSpec& f : specs) {
    Node* at = &root;
    std::string_view path = f.name;
    while (true) {
      const std::size_t dot = path.find('.');
      std::string part(path.substr(0, dot));
      if (part.size() > 2 && (part.substr(part.size() - 2) == "[]" || part.substr(part.size() - 2) == "{}")) {
        part.resize(part.size() - 2);
      }
      at = &at->child(part);
      if (dot == std::string_view::npos) break;
      path.remove_prefix(dot + 1);
    }
    at->spec = &f;
  }
  return root;
}

void write_defs(JsonWriter& w, std::initializer_list<std::string_view> names, bool catalog) {
  w.key("$defs").begin_object();
  for (auto name : names) {
    w.key(name);
    if (name == "model") {
      write_model_schema(w, catalog);
    } else if (name == "gpu") {
      write_object_schema(w, schema_table("gpu"), true,
                          catalog ? std::vector<std::string_view>{"id", "source"} : std::vector<std::string_view>{});
    } else if (name == "rank_row") {
      write_tree(w, tree_of(schema_table("rank_row")));
    } else {
      write_object_schema(w, schema_table(name), true);
    }
  }
  w.end_object();
}

void write_file_schema(JsonWriter& w, std::string_view title,
                       std::initializer_list<std::pair<std::string_view, std::string_view>> arrays,
                       std::initializer_list<std::string_view> defs) {
  w.begin_object()
      .field("$schema", "https://json-schema.org/draft/2020-12/schema")
      .field("$id", "https://gpu-fit.example/schema/" + std::string(title) + ".schema.json")
      .field("title", "GPU Fit catalog: " + std::string(title) + ".json")
      .field("type", "object");
  w.key("properties").begin_object();
  for (const auto& [key, def] : arrays) {
    w.key(key)
        .begin_object()
        .field("type", "array")
        .key("items")
        .begin_object()
        .field("$ref", "#/$defs/" + std::string(def))
        .end_object()
        .end_object();
  }
  w.key("schema").begin_object().field("type", "string").end_object();
  w.key("notes").begin_object().end_object();
  w.end_object();
  w.key("required").begin_array();
  for (const auto& [key, def] : arrays) {
    if (key != "ggml_types") w.string(key);
  }
  w.end_array();
  w.field("additionalProperties", false);
  write_defs(w, defs, true);
  w.end_object();
}

// --- TypeScript ---------------------------------------------------------------------------------

std::string ts_value(const FieldSpec& f) {
  switch (f.type) {
    case FieldType::kNumber:
    case FieldType::kInteger:
    case FieldType::kCount:
      return "number";
    case FieldType::kBool:
      return "boolean";
    case FieldType::kEnum: {
      if (f.words == "number|string") return "number | string";
      std::string out;
      for (auto word : split_words(f.words)) out += (out.empty() ? "'" : " | '") + std::string(word) + "'";
      return out;
    }
    case FieldType::kIdOrObject:
      return std::string("string | ") + (f.words == "models" ? "ModelObject" : "GpuObject");
    case FieldType::kStringArray:
      return "string[]";
    case FieldType::kObject:
      if (f.words == "rank_options") return "RankOptions";
      if (f.words == "load") return "Load";
      if (f.words == "slo") return "Slo";
      if (f.words.empty()) return "Record<string, unknown>";
      return "unknown";
    case FieldType::kArray:
      if (f.words == "integer") return "number[]";
      if (f.words == "sweep") return "Sweep[]";
      if (f.words == "tensor_override") return "Record<string, unknown>[]";
      return "unknown[]";
    case FieldType::kMap:
      return f.words == "number" ? "Record<string, number>" : "Record<string, string>";
    default:
      return "string";
  }
}

std::string ts_doc(const FieldSpec& f, const std::string& indent) {
  if (f.doc.empty() && f.unit.empty() && f.default_json.empty()) return "";
  std::string doc(f.doc);
  if (!f.unit.empty()) doc += (doc.empty() ? "" : " ") + std::string("[") + std::string(f.unit) + "]";
  if (!f.default_json.empty())
    doc += (doc.empty() ? "" : " ") + std::string("(default ") + std::string(f.default_json) + ")";
  std::string safe;
  for (char c : doc) safe += c == '*' ? '.' : c;  // no "*/" can end the comment early
  return indent + "/** " + safe + " */\n";
}

void ts_interface(std::string& out, std::string_view name, const std::vector<FieldSpec>& specs, bool input) {
  out += "export interface " + std::string(name) + " {\n";
  for (const FieldSpec& f : specs) {
    out += ts_doc(f, "  ");
    const bool optional = !f.required;  // an input may be left out, a result field may be absent
    std::string type = ts_value(f);
    if (input ? !f.required : f.nullable) type += " | null";
    out += "  " + std::string(f.name) + (optional ? "?: " : ": ") + type + ";\n";
  }
  out += "}\n\n";
}

void ts_tree(std::string& out, const Node& node, const std::string& indent) {
  out += "{\n";
  for (const Node& c : node.children) {
    const std::string& name = c.name;
    if (c.spec) out += ts_doc(*c.spec, indent + "  ");
    const bool optional = c.spec && !c.spec->required;
    out += indent + "  " + name + (optional ? "?: " : ": ");
    if (c.children.empty()) {
      out += ts_value(*c.spec) + (c.spec->nullable ? " | null" : "");
    } else if (c.spec && c.spec->type == FieldType::kArray) {
      out += "Array<";
      ts_tree(out, c, indent + "  ");
      out += ">";
    } else if (c.spec && c.spec->type == FieldType::kMap) {
      out += "Record<string, ";
      ts_tree(out, c, indent + "  ");
      out += ">";
    } else {
      ts_tree(out, c, indent + "  ");
    }
    out += ";\n";
  }
  out += indent + "}";
}

}  // namespace

const std::vector<FieldSpec>& schema_table(std::string_view name) {
  for (const Table& t : tables()) {
    if (t.name == name) return t.specs();
  }
  static const std::vector<FieldSpec> kNone;
  return kNone;
}

std::vector<std::string_view> schema_table_names() {
  std::vector<std::string_view> out;
  for (const Table& t : tables()) out.push_back(t.name);
  return out;
}

std::string schema_json() {
  JsonWriter w;
  w.begin_object();
  w.key("tables").begin_object();
  for (const Table& t : tables()) {
    w.key(t.name).begin_array();
    for (const FieldSpec& f : t.specs()) {
      w.begin_object().field("name", f.name).field("type", type_name(f.type));
      if (!f.unit.empty()) w.field("unit", f.unit);
      if (f.rule != NumRule::kAny) {
        w.field("rule", f.rule == NumRule::kPositive      ? "positive"
                        : f.rule == NumRule::kNonNegative ? "non_negative"
                        : f.rule == NumRule::kFraction    ? "fraction"
                                                          : "unit");
      }
      if (f.min != 0) w.field("min", f.min);
      if (f.max != 0) w.field("max", f.max);
      if (!f.words.empty()) {
        if (f.type == FieldType::kEnum) {
          w.key("words").begin_array();
          for (auto word : split_words(f.words)) w.string(word);
          w.end_array();
        } else {
          w.field("of", f.words);
        }
      }
      if (!f.default_json.empty()) w.key("default").raw(f.default_json);
      if (f.required) w.field("required", true);
      if (f.nullable) w.field("nullable", true);
      if (!f.attribute.empty()) w.field("attribute", f.attribute);
      if (!f.group.empty()) w.field("group", f.group);
      if (!f.label.empty()) w.field("label", f.label);
      if (!f.ui.empty()) w.field("ui", f.ui);
      w.field("doc", f.doc).end_object();
    }
    w.end_array();
  }
  w.end_object();
  w.end_object();
  return w.take();
}

std::vector<std::string_view> json_schema_documents() {
  return {"scenario",      "result", "gpus",       "models",       "formats",  "engines",
          "interconnects", "prices", "benchmarks", "mig_profiles", "workloads"};
}

namespace {
// data/workloads.json is read field by field in workload_catalog.cpp, not from schema tables, so
// its JSON Schema is written out here; wasm/test/package.test.mjs validates the file against it,
// which keeps the two in step (a field the reader takes and this lacks fails that test).
constexpr std::string_view kWorkloadsSchema =
    R"gpufit_schema({"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://gpu-fit.example/schema/workloads.schema.json","title":"GPU Fit catalog: workloads.json (image, speech, embedding models, engines, measured rows)","type":"object","required":["models","engines","benchmarks"],"additionalProperties":false,"properties":{"notes":{"type":"string"},"models":{"type":"array","items":{"$ref":"#/$defs/model"}},"engines":{"type":"array","items":{"$ref":"#/$defs/engine"}},"benchmarks":{"type":"array","items":{"$ref":"#/$defs/benchmark"}}},"$defs":{"model":{"type":"object","required":["id","workload","name","source"],"additionalProperties":false,"properties":{"id":{"type":"string"},"workload":{"enum":["image","speech","embedding"]},"name":{"type":"string"},"params":{"type":"number","exclusiveMinimum":0},"layers":{"type":"integer","minimum":1},"hidden_size":{"type":"integer","minimum":1},"intermediate_size":{"type":"integer","minimum":1},"attention_heads":{"type":"integer","minimum":1},"kv_heads":{"type":"integer","minimum":1},"head_dim":{"type":"integer","minimum":1},"vocab_size":{"type":"integer","minimum":1},"gated_mlp":{"type":"boolean"},"max_sequence_tokens":{"type":"integer","minimum":1},"d_model":{"type":"integer","minimum":1},"encoder_layers":{"type":"integer","minimum":1},"decoder_layers":{"type":"integer","minimum":1},"ffn_dim":{"type":"integer","minimum":1},"mel_bins":{"type":"integer","minimum":1},"native_width":{"type":"integer","minimum":1},"native_height":{"type":"integer","minimum":1},"default_steps":{"type":"integer","minimum":1},"guidance_passes":{"type":"integer","minimum":1},"components":{"type":"array","items":{"$ref":"#/$defs/component"}},"source":{"type":"string","minLength":1},"field_sources":{"type":"object","additionalProperties":{"type":"string"}},"notes":{"type":"string"}}},"component":{"type":"object","required":["name","role","params"],"additionalProperties":false,"properties":{"name":{"type":"string"},"role":{"enum":["text_encoder","denoiser","vae","upscaler"]},"kind":{"enum":["unet","dit"]},"params":{"type":"number","exclusiveMinimum":0},"tokens":{"type":"number","exclusiveMinimum":0},"ref_latent_pixels":{"type":"number","exclusiveMinimum":0},"linear_tflops":{"type":"number","exclusiveMinimum":0},"attention_tflops":{"type":"number","minimum":0},"layers":{"type":"integer","minimum":1},"hidden_size":{"type":"integer","minimum":1},"patch_size":{"type":"integer","minimum":1},"text_tokens":{"type":"number","minimum":0},"token_params":{"type":"number","exclusiveMinimum":0},"steps_fraction":{"type":"number","minimum":0,"maximum":1},"decoder_tflops_per_megapixel":{"type":"number","exclusiveMinimum":0},"tflops_per_output_megapixel":{"type":"number","exclusiveMinimum":0},"source":{"type":"string"}}},"engine":{"type":"object","required":["id","workload","name","source"],"additionalProperties":false,"properties":{"id":{"type":"string"},"workload":{"enum":["image","speech","embedding"]},"name":{"type":"string"},"source":{"type":"string","minLength":1}}},"benchmark":{"type":"object","required":["id","workload","model","gpu","engine","value","unit","source"],"additionalProperties":false,"properties":{"id":{"type":"string"},"workload":{"enum":["image","speech","embedding"]},"model":{"type":"string"},"gpu":{"type":"string"},"mig_profile":{"type":"string"},"engine":{"type":"string"},"weights":{"type":"string"},"batch_size":{"type":"integer","minimum":1},"audio_seconds":{"type":"number","exclusiveMinimum":0},"beam_size":{"type":"integer","minimum":1},"width":{"type":"integer","minimum":1},"height":{"type":"integer","minimum":1},"steps":{"type":"integer","minimum":1},"sequence_tokens":{"type":"integer","minimum":1},"value":{"type":"number","exclusiveMinimum":0},"unit":{"type":"string"},"source":{"type":"string","minLength":1},"notes":{"type":"string"},"excluded":{"type":"string"}}}}})gpufit_schema";
}  // namespace

std::string json_schema(std::string_view document) {
  JsonWriter w;
  if (document == "scenario") {
    w.begin_object()
        .field("$schema", "https://json-schema.org/draft/2020-12/schema")
        .field("$id", "https://gpu-fit.example/schema/scenario.schema.json")
        .field("title", "GPU Fit scenario")
        .field("type", "object");
    const auto& specs = schema_table("scenario");
    w.key("properties").begin_object();
    for (const FieldSpec& f : specs) {
      w.key(f.name);
      write_field_schema(w, f, !f.required);
    }
    w.end_object();
    w.key("required").begin_array();
    for (const FieldSpec& f : specs) {
      if (f.required) w.string(f.name);
    }
    w.end_array();
    w.field("additionalProperties", false);
    write_defs(w, {"model", "gpu", "load", "slo"}, false);
    w.end_object();
  } else if (document == "result") {
    // The tree's own object schema with the document keywords in front.
    JsonWriter body;
    write_tree(body, tree_of(schema_table("result")));
    const std::string text = body.take();
    return "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
           "\"$id\":\"https://gpu-fit.example/schema/result.schema.json\",\"title\":\"GPU Fit result\"," +
           text.substr(1);
  } else if (document == "gpus") {
    write_file_schema(w, "gpus", {{"gpus", "gpu"}}, {"gpu"});
  } else if (document == "models") {
    write_file_schema(w, "models", {{"models", "model"}}, {"model"});
  } else if (document == "formats") {
    write_file_schema(w, "formats",
                      {{"weights", "weight_format"}, {"kv_cache", "kv_format"}, {"ggml_types", "ggml_type"}},
                      {"weight_format", "kv_format", "ggml_type", "tensor_override"});
  } else if (document == "engines") {
    write_file_schema(w, "engines", {{"engines", "engine"}}, {"engine"});
  } else if (document == "interconnects") {
    write_file_schema(w, "interconnects", {{"interconnects", "interconnect"}}, {"interconnect"});
  } else if (document == "prices") {
    write_file_schema(w, "prices", {{"prices", "price"}}, {"price"});
  } else if (document == "benchmarks") {
    write_file_schema(w, "benchmarks", {{"benchmarks", "benchmark"}}, {"benchmark"});
  } else if (document == "workloads") {
    return std::string(kWorkloadsSchema);
  } else if (document == "mig_profiles") {
    write_file_schema(w, "mig_profiles", {{"gpus", "mig_gpu"}}, {"mig_gpu", "mig_profile"});
  } else {
    return "";
  }
  return w.take();
}

std::string typescript_declarations() {
  std::string out =
      "// GPU Fit: TypeScript declarations of the calculator module. Generated from the core's schema\n"
      "// tables (`gpucalc schema --typescript`); do not edit by hand.\n\n";
  ts_interface(out, "Scenario", schema_table("scenario"), true);
  ts_interface(out, "ModelObject", schema_table("model"), true);
  ts_interface(out, "GpuObject", schema_table("gpu"), true);
  ts_interface(out, "Load", schema_table("load"), true);
  ts_interface(out, "Slo", schema_table("slo"), true);
  ts_interface(out, "RankOptions", schema_table("rank_options"), true);
  ts_interface(out, "Sweep", schema_table("sweep"), true);
  ts_interface(out, "Views", schema_table("views"), true);
  out += "export interface Result ";
  ts_tree(out, tree_of(schema_table("result")), "");
  out += "\n\nexport interface RankRow ";
  ts_tree(out, tree_of(schema_table("rank_row")), "");
  out +=
      "\n\nexport interface Ranking {\n"
      "  by: RankOptions['by'];\n"
      "  /** \"L4 by 71% on $ per 1M tokens over A10G\" */\n"
      "  statement: string;\n"
      "  winner: RankRow | null;\n"
      "  runner_up: RankRow | null;\n"
      "  margin_pct: number | null;\n"
      "  rows: RankRow[];\n"
      "}\n\n"
      "/** What update() returns: the views asked for. Sweeps and compare hold compact results\n"
      " * (no assumptions, no measured results). */\n"
      "export interface Update {\n"
      "  result?: Result;\n"
      "  rank?: Ranking;\n"
      "  sweeps?: Result[][];\n"
      "  compare?: Result[];\n"
      "  permalink?: string;\n"
      "  charts?: ChartSweep[];\n"
      "}\n\n"
      "/** One chart's sweep: a scenario field, the values the core chose, a compact result each. */\n"
      "export interface ChartSweep {\n"
      "  field: string;\n"
      "  values: number[];\n"
      "  results: Result[];\n"
      "}\n\n"
      "export interface SchemaField {\n"
      "  name: string; type: string; unit?: string; rule?: string; min?: number; max?: number;\n"
      "  words?: string[]; of?: string; default?: unknown; required?: boolean; nullable?: boolean;\n"
      "  attribute?: string; group?: string; label?: string; ui?: string; doc: string;\n"
      "}\n\n"
      "export interface Schema { tables: Record<string, SchemaField[]>; }\n\n"
      "/** A refusal: `path` is a JSON Pointer into the input (\"/model/kv_heads\"), `input` names the\n"
      " * input where it is not the scenario (\"views\", \"permalink\", \"custom\"). */\n"
      "export declare class GpuFitError extends Error {\n"
      "  readonly code: string;\n"
      "  readonly path: string;\n"
      "  readonly input: string;\n"
      "  /** the message without the path */\n"
      "  readonly detail: string;\n"
      "}\n\n"
      "export interface CustomEntries { gpus?: GpuObject[]; models?: ModelObject[]; }\n\n"
      "export interface Calculator {\n"
      "  /** Every view asked for, from one reading of the scenario. */\n"
      "  update(scenario: Scenario, views?: Views): Update;\n"
      "  evaluate(scenario: Scenario): Result;\n"
      "  evaluate(scenarios: Scenario[]): Result[];\n"
      "  rank(scenario: Scenario, options?: RankOptions): Ranking;\n"
      "  /** Several scenarios onto the fewest MIG-sliced GPUs, against whole GPUs (gpucalc pack). */\n"
      "  pack(request: Scenario[] | { scenarios: Scenario[]; gpus?: string[]; whole_gpus?: string[] }): "
      "Record<string, unknown>;\n"
      "  sweep(scenario: Scenario, field: keyof Scenario, values: unknown[]): Result[];\n"
      "  catalog(kind: 'all'): Record<string, Record<string, unknown>[]>;\n"
      "  catalog(kind: string): Record<string, unknown>[];\n"
      "  schema(): Schema;\n"
      "  validation(): Record<string, unknown>;\n"
      "  setCustomEntries(entries: CustomEntries): void;\n"
      "  /** Loads the measured benchmarks once; resolves to how many there are. */\n"
      "  loadMeasured(): Promise<number>;\n"
      "  /** A weight file's first bytes -> its header's summary, or {need_bytes} when more are needed. */\n"
      "  inspectHeader(bytes: Uint8Array, kind: 'gguf' | 'safetensors', options?: { file_size?: number; name?: string "
      "}): "
      "Record<string, unknown>;\n"
      "  /** config.json and safetensors headers a program fetched -> {model, ...}, the model a scenario takes. */\n"
      "  modelFromHeaders(request: { kind: 'hub' | 'safetensors'; id: string; config: Record<string, unknown>; "
      "headers: string[]; bytes_fetched?: number }): Record<string, unknown> & { model: ModelObject };\n"
      "  permalink: { encode(scenario: Scenario): string; decode(query: string): Scenario };\n"
      "}\n\n"
      "export interface CalculatorOptions {\n"
      "  /** Where gpufit-core.wasm is (default: beside this module). */\n"
      "  wasmUrl?: string | URL;\n"
      "  /** The module's bytes, where fetching is not possible. */\n"
      "  wasmBytes?: ArrayBuffer | Uint8Array;\n"
      "  /** Where benchmarks.json is, for loadMeasured(). */\n"
      "  benchmarksUrl?: string | URL;\n"
      "}\n\n"
      "export declare function createCalculator(options?: CalculatorOptions): Promise<Calculator>;\n";
  return out;
}

}  // namespace gpufit
