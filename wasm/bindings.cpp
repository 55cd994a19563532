// Embind declarations of the host API of the core, and the one piece of marshalling Embind does
// badly: answers. Embind turns a returned std::string into a JavaScript string by walking every
// byte in JavaScript, twice (a 1 MB ranking: milliseconds). So each call keeps its JSON answer
// here and the Reply carries only ok/code/field/message; wasm/gpufit.js reads the answer's bytes
// through answerBytes() (a view of wasm memory, valid until the next call) and decodes them with
// TextDecoder. No logic of the calculator lives here.
#include <emscripten/bind.h>

#include <string>
#include <utility>

#include "gpufit/host.hpp"

namespace {

using gpufit::host::Reply;

std::string answer;  // the last call's JSON answer

// Keeps the answer here, returns the rest.
Reply keep(Reply r) {
  answer = std::move(r.json);
  r.json.clear();
  return r;
}

emscripten::val answer_bytes() {
  return emscripten::val(emscripten::typed_memory_view(answer.size(), reinterpret_cast<const unsigned char*>(answer.data())));
}

}  // namespace

EMSCRIPTEN_BINDINGS(gpufit) {
  using namespace emscripten;
  namespace host = gpufit::host;
  value_object<Reply>("Reply")
      .field("ok", &Reply::ok)
      .field("code", &Reply::code)
      .field("field", &Reply::field)
      .field("message", &Reply::message);
  function("answerBytes", &answer_bytes);
  function("evaluate", +[](std::string s) { return keep(host::evaluate(s)); });
  function("rank", +[](std::string s, std::string o) { return keep(host::rank(s, o)); });
  function("sweep", +[](std::string s, std::string f, std::string v) { return keep(host::sweep(s, f, v)); });
  function("catalog", +[](std::string kind) { return keep(host::catalog(kind)); });
  function("validation", +[] { return keep(host::validation()); });
  function("setCustomEntries", +[](std::string c) { return keep(host::set_custom_entries(c)); });
  function("loadBenchmarks", +[](std::string b) { return keep(host::load_benchmarks(b)); });
  function("scenarioFromPermalink", +[](std::string q) { return keep(host::scenario_from_permalink(q)); });
  function("permalinkFromScenario", +[](std::string s) { return keep(host::permalink_from_scenario(s)); });
}
