// The schema: every field of every JSON document the core reads or writes — the scenario, the
// result, each catalog file's entries — with its type, unit, range, default and one line of
// documentation, in one table per document. The readers read through these tables, and
// everything else that must know the fields derives from them: `gpucalc schema`, the JSON
// Schema files (draft 2020-12), the TypeScript declarations, the page's form, the widget's
// attributes and the embed builder (through schema_json()), and the permalink codec.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gpufit {

enum class FieldType {
  kNumber,   // any finite number within the rule and [min, max]
  kInteger,  // a whole number within [min, max]
  kCount,    // a whole number >= 1 that may exceed 2^31 (parameters, tokens)
  kBool,
  kString,      // free text (names, sources, notes)
  kEnum,        // one of `words`
  kId,          // a catalog id of the kind named in `words` ("gpus", "models", ...)
  kIdOrObject,  // a catalog id or an inline object of that kind
  kDate,        // YYYY-MM-DD
  kStringArray,
  kObject,  // a nested object: its fields are another table (`words` names it)
  kArray,   // an array of objects of the table named in `words`
  kMap,     // an object of free keys to numbers or strings (`words`: "number" or "string")
};

enum class NumRule { kAny, kPositive, kNonNegative, kFraction /* (0,1] */, kUnit /* [0,1] */ };

struct FieldSpec {
  constexpr FieldSpec() = default;
  // Positional, as the tables write their rows; the form's label and control are optional.
  constexpr FieldSpec(std::string_view name_, FieldType type_, std::string_view unit_, NumRule rule_, double min_,
                      double max_, std::string_view words_, std::string_view default_json_, bool required_,
                      std::string_view attribute_, std::string_view group_, std::string_view doc_,
                      bool nullable_ = false, std::string_view label_ = {}, std::string_view ui_ = {})
      : name(name_),
        type(type_),
        unit(unit_),
        rule(rule_),
        min(min_),
        max(max_),
        words(words_),
        default_json(default_json_),
        required(required_),
        attribute(attribute_),
        group(group_),
        doc(doc_),
        nullable(nullable_),
        label(label_),
        ui(ui_) {}

  std::string_view name;  // the JSON name: the contract
  FieldType type = FieldType::kNumber;
  std::string_view unit;  // "tokens", "GB", "USD/h", "W", ""; in the name too
  NumRule rule = NumRule::kAny;
  double min = 0, max = 0;        // numeric bounds (max 0: none beyond the rule)
  std::string_view words;         // kEnum: "a|b|c"; kId/kIdOrObject/kObject/kArray: the table
  std::string_view default_json;  // the default as JSON text; "" = absent unless given
  bool required = false;
  std::string_view attribute;  // the <gpu-fit> widget attribute; "" = none
  std::string_view group;      // for forms: "model", "hardware", "workload", ...
  std::string_view doc;        // one line
  bool nullable = false;       // results: the value may be null (not computed, no price, ...)
  std::string_view label;      // forms: the input's label ("Context per sequence")
  // forms: the control where a plain input is not enough: "slider log 256 131072" (a range with
  // a logarithmic or linear scale), "choices 1 2 4 8" (a select of numbers), "hidden" (no input).
  std::string_view ui;
};

// The tables. Names: "scenario", "load", "slo", "result", "gpu", "model", "weight_format",
// "kv_format", "ggml_type", "tensor_override", "engine", "interconnect", "price", "benchmark".
const std::vector<FieldSpec>& schema_table(std::string_view name);
std::vector<std::string_view> schema_table_names();

// Every table as one JSON object {"tables": {name: [field...]}, "documents": {...}}: what
// `gpucalc schema` prints and the page builds its form from.
std::string schema_json();

// A JSON Schema (draft 2020-12) for one document: "scenario", "result", "gpus", "models",
// "formats", "engines", "interconnects", "prices", "benchmarks". Empty for an unknown name.
std::string json_schema(std::string_view document);
std::vector<std::string_view> json_schema_documents();

// TypeScript declarations of the scenario, the result and the module's API.
std::string typescript_declarations();

}  // namespace gpufit
