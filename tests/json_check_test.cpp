// The fuzz harnesses' oracle (fuzz/json_check.hpp) must say "JSON" exactly when nlohmann::json,
// the oracle it replaced, does: on hand-picked edge cases, on every committed fuzz seed, and on
// thousands of damaged copies of a real answer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "../fuzz/json_check.hpp"
#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"

namespace {

using gpufit_fuzz_oracle::is_json;

bool reference(const std::string& text) {
  // nlohmann skips a leading UTF-8 byte-order mark; the answers never start with one, and the
  // oracle refuses it.
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) return false;
  return nlohmann::json::accept(text);
}

TEST(JsonCheck, AgreesWithNlohmannOnEdgeCases) {
  const std::pair<std::string, bool> cases[] = {
      {"{}", true},
      {"[]", true},
      {" \t\r\n{ \"a\" : [1, -0, 0.5, -1e3, 2E+7, 3e-2, true, false, null] } \n", true},
      {"\"\\u00e9\\n\\\"\\\\\\/\\b\\f\\r\\t\"", true},
      {"\"\\ud83d\\ude00\"", true},
      {"\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"", true},
      {"0", true},
      {"", false},
      {"  ", false},
      {"{", false},
      {"[1,]", false},
      {"{\"a\":1,}", false},
      {"{\"a\" 1}", false},
      {"{1:2}", false},
      {"[1 2]", false},
      {"01", false},
      {"-", false},
      {"1.", false},
      {".5", false},
      {"1e", false},
      {"+1", false},
      {"NaN", false},
      {"Infinity", false},
      {"tru", false},
      {"nul", false},
      {"[] []", false},
      {"\"a", false},
      {"\"\\x\"", false},
      {"\"\\u12\"", false},
      {"\"\\ud800\"", false},
      {"\"\\udc00\"", false},
      {"\"\\ud800\\u0041\"", false},
      {std::string("\"a\0b\"", 5), false},
      {"\"\x01\"", false},
      {"\"\xC0\xAF\"", false},          // overlong
      {"\"\xED\xA0\x80\"", false},      // a surrogate in UTF-8
      {"\"\xF4\x90\x80\x80\"", false},  // past U+10FFFF
      {"\"\xE2\x82\"", false},          // cut short
      {"\"\x80\"", false},              // a lone continuation byte
  };
  for (const auto& [text, valid] : cases) {
    EXPECT_EQ(is_json(text), valid) << text;
    EXPECT_EQ(reference(text), valid) << text;
  }
}

TEST(JsonCheck, AgreesWithNlohmannOnEveryFuzzSeed) {
  int n = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(GPUFIT_TESTS_DIR "/fuzz")) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    EXPECT_EQ(is_json(buf.str()), reference(buf.str())) << entry.path();
    ++n;
  }
  EXPECT_GT(n, 50);
}

// Each byte (every `stride`th) deleted, doubled or replaced by a byte that matters to the
// grammar; returns the number of damaged copies that were still JSON.
int compare_damaged(const std::string& doc, std::size_t stride) {
  int valid = 0;
  for (std::size_t i = 0; i < doc.size(); i += stride) {
    std::string v[] = {doc, doc, doc, doc, doc, doc};
    v[0].erase(i, 1);
    v[1].insert(i, 1, doc[i]);
    v[2][i] = '"';
    v[3][i] = '\\';
    v[4][i] = '\x80';
    v[5][i] = '\xED';
    for (const std::string& t : v) {
      const bool ok = is_json(t);
      EXPECT_EQ(ok, reference(t)) << "at byte " << i << ": " << t.substr(i > 20 ? i - 20 : 0, 40);
      valid += ok;
    }
  }
  return valid;
}

TEST(JsonCheck, AgreesWithNlohmannOnDamagedAnswers) {
  const auto& catalog = gpufit::builtin_catalog().value();
  auto out =
      gpufit::evaluate_json(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "load": {"concurrency": 8}})", catalog);
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(is_json(out.value()));
  EXPECT_GT(compare_damaged(out.value(), 7), 50);
  // Strings of every UTF-8 length, escapes and surrogate pairs, which the answer above lacks.
  const std::string text =
      nlohmann::json{{"s", "caf\u00e9 \u20ac \U0001F600 \x01 \"q\" \\ /"}, {"n", {1.5e-300, -0.0, 12345678901234567LL}}}
          .dump();
  EXPECT_TRUE(is_json(text));
  EXPECT_TRUE(is_json(R"({"e": "\ud83d\ude00 \u00e9"})"));
  compare_damaged(text, 1);
  compare_damaged(R"({"e": "\ud83d\ude00 \u00e9"})", 1);
}

}  // namespace
