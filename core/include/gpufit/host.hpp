// The core as a long-lived host (the WebAssembly module behind the page and the widget) uses it:
// one catalog for the session, the built-in one plus the user's custom entries and, once the page
// has fetched them, the measured benchmarks. Every call answers JSON text: the answer, or
// {"error": {"code", "path", "message", "input"}} — errors are data, with the field at fault as a
// JSON Pointer, so no caller parses a message.
#pragma once

#include <string>
#include <string_view>

namespace gpufit::host {

std::string evaluate(std::string_view scenarios);
std::string update(std::string_view scenario, std::string_view views);
std::string rank(std::string_view scenario, std::string_view options);
std::string pack(std::string_view request);
std::string sweep(std::string_view scenario, std::string_view field, std::string_view values);
std::string catalog(std::string_view kind);
std::string validation();
std::string schema();

// Replaces the session's custom GPUs and models ({"gpus": [...], "models": [...]}), checked as
// inline scenario objects (errors point at /custom/gpus/0/...); an error leaves the previous ones.
std::string set_custom_entries(std::string_view custom_json);
// Adds the measured benchmarks (the text of data/benchmarks.json) to the session's catalog.
std::string load_benchmarks(std::string_view benchmarks_json);

// A weight file's first bytes (GGUF or safetensors) -> inspect_header_json's answer; `options`:
// {"file_size": N, "name": "file.gguf"} (both optional). The page reads a dropped file with
// File.slice and hands in more bytes while the answer says {"need_bytes": N}.
std::string inspect_header(std::string_view bytes, std::string_view kind, std::string_view options);
// config.json + safetensors headers fetched by the page -> a custom model (model_from_headers_json).
std::string model_from_headers(std::string_view request);

std::string scenario_from_permalink(std::string_view query);
std::string permalink_from_scenario(std::string_view scenario_json);

}  // namespace gpufit::host
