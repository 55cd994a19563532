// The WebAssembly module's whole interface: a buffer to write arguments into, one call by number,
// and the answer's bytes. Everything crosses as UTF-8 JSON text, answers included (errors are
// {"error": {...}} objects, see core/include/gpufit/host.hpp), so no binding library is needed:
// web/js/calculator.js writes the arguments with TextEncoder and reads the answer with
// TextDecoder straight from memory. No logic of the calculator lives here.
#include <cstddef>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gpufit/host.hpp"

namespace {

// What each call number does; web/js/calculator.js holds the same list (CALLS).
enum Call : int {
  kEvaluate = 0,
  kUpdate = 1,
  kRank = 2,
  kSweep = 3,
  kCatalog = 4,
  kValidation = 5,
  kSchema = 6,
  kSetCustomEntries = 7,
  kLoadBenchmarks = 8,
  kPermalinkDecode = 9,
  kPermalinkEncode = 10,
  kInspectHeader = 11,
  kModelFromHeaders = 12,
  kPack = 13,
};

std::string answer;  // the last call's answer, valid until the next call

}  // namespace

extern "C" {

// Memory for the caller's arguments (freed with gf_free).
__attribute__((export_name("gf_alloc"))) char* gf_alloc(std::size_t bytes) {
  return static_cast<char*>(std::malloc(bytes ? bytes : 1));
}

__attribute__((export_name("gf_free"))) void gf_free(char* p) {
  std::free(p);
}

// Runs call `fn` on up to three text arguments; returns the answer's address (its length from
// gf_answer_length()).
__attribute__((export_name("gf_call"))) const char* gf_call(int fn, const char* a, std::size_t a_len, const char* b,
                                                            std::size_t b_len, const char* c, std::size_t c_len) {
  namespace host = gpufit::host;
  const std::string_view x(a, a_len), y(b, b_len), z(c, c_len);
  switch (fn) {
    case kEvaluate:
      answer = host::evaluate(x);
      break;
    case kUpdate:
      answer = host::update(x, y);
      break;
    case kRank:
      answer = host::rank(x, y);
      break;
    case kSweep:
      answer = host::sweep(x, y, z);
      break;
    case kCatalog:
      answer = host::catalog(x);
      break;
    case kValidation:
      answer = host::validation();
      break;
    case kSchema:
      answer = host::schema();
      break;
    case kSetCustomEntries:
      answer = host::set_custom_entries(x);
      break;
    case kLoadBenchmarks:
      answer = host::load_benchmarks(x);
      break;
    case kPermalinkDecode:
      answer = host::scenario_from_permalink(x);
      break;
    case kPermalinkEncode:
      answer = host::permalink_from_scenario(x);
      break;
    case kInspectHeader:
      answer = host::inspect_header(x, y, z);
      break;
    case kModelFromHeaders:
      answer = host::model_from_headers(x);
      break;
    case kPack:
      answer = host::pack(x);
      break;
    default:
      answer = R"({"error":{"code":"internal","path":"","message":"unknown call","input":""}})";
  }
  return answer.data();
}

__attribute__((export_name("gf_answer_length"))) std::size_t gf_answer_length() {
  return answer.size();
}

}  // extern "C"
