// Reading JSON: malformed text, hostile sizes and depths are refused with a message, never a
// crash; field readers name the field and say what was wrong.
#include "json_read.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

using detail::FieldReader;
using detail::parse_json;

TEST(JsonRead, MalformedTextSaysWhere) {
  auto r = parse_json("{\"model\": NaN}", "scenario");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_json");
  EXPECT_EQ(r.error().field, "scenario");
  EXPECT_NE(r.error().message.find("line 1, column"), std::string::npos) << r.error().message;
}

TEST(JsonRead, RefusesDeepNestingBeforeParsing) {
  std::string deep(100000, '[');
  auto r = parse_json(deep, "scenario");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().to_string(), "scenario: JSON nested deeper than 64 levels");
}

TEST(JsonRead, BracketsInsideStringsDoNotCount) {
  std::string s = "{\"name\": \"" + std::string(200, '[') + "\"}";
  EXPECT_TRUE(parse_json(s, "x").ok());
}

TEST(JsonRead, RefusesOversizeInput) {
  std::string big(detail::kMaxJsonBytes + 1, ' ');
  auto r = parse_json(big, "model.hf_config");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "too_large");
}

TEST(JsonRead, FieldReaderNamesTheFieldAndTheValue) {
  json j = {{"kv_heads", -8}, {"name", 3}, {"ratio", 1.5}, {"layers", 2.5}};
  FieldReader r(j, "model");
  r.integer("kv_heads", 1, 100);
  EXPECT_EQ(r.error().to_string(), "model.kv_heads: must be a positive integer, got -8");
  FieldReader r2(j, "model");
  r2.string("name");
  EXPECT_EQ(r2.error().to_string(), "model.name: must be a string, got 3");
  FieldReader r3(j, "");
  r3.number("ratio", FieldReader::Num::kFraction);
  EXPECT_EQ(r3.error().to_string(), "ratio: must be a number in (0, 1], got 1.5");
  FieldReader r4(j, "model");
  r4.integer("layers", 1, 100);
  EXPECT_EQ(r4.error().to_string(), "model.layers: must be a positive integer, got 2.5");
  FieldReader r5(j, "model");
  r5.number("memory_gb", FieldReader::Num::kPositive);
  EXPECT_EQ(r5.error().to_string(), "model.memory_gb: is required (a positive number)");
}

TEST(JsonRead, UnknownFieldsSuggestTheKnownOne) {
  json j = {{"contxt_tokens", 4096}};
  FieldReader r(j, "");
  r.opt_number("context_tokens", FieldReader::Num::kPositive);
  r.reject_unknown();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "contxt_tokens");
  EXPECT_EQ(r.error().message, "unknown field \"contxt_tokens\" (did you mean \"context_tokens\"?)");
}

TEST(JsonRead, LongStringsAreRefusedAndShownShort) {
  json j = {{"id", std::string(100000, 'x')}};
  FieldReader r(j, "gpu");
  r.string("id");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "too_large");
  EXPECT_LT(detail::show(j["id"]).size(), 80u);
}

TEST(JsonRead, InvalidUtf8NeverBreaksAMessage) {
  json j = json(std::string("\xff\xfe bad", 6));
  std::string shown = detail::show(j);
  EXPECT_FALSE(shown.empty());
  // The message must itself be valid JSON text when dumped.
  EXPECT_NO_THROW((void)json(shown).dump());
}

}  // namespace
}  // namespace gpufit::test
