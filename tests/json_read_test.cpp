// Reading JSON: the core's own parser (json_value.cpp) refuses malformed text, hostile sizes and
// depths with a message and never crashes; field readers name the field by JSON Pointer and say
// what was wrong.
#include "json_read.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

using detail::FieldReader;
using detail::Json;
using detail::parse_json;

Json parsed(const std::string& text) {
  auto r = parse_json(text, "test");
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? r.value() : Json();
}

TEST(JsonRead, MalformedTextSaysWhere) {
  auto r = parse_json("{\"model\": NaN}", "scenario");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_json");
  EXPECT_EQ(r.error().input, "scenario");
  EXPECT_EQ(r.error().path, "");
  EXPECT_EQ(r.error().to_string(),
            "scenario: is not valid JSON (syntax error at line 1, column 11: expected a value (an object, array, "
            "string, number, true, false or null))");
  r = parse_json("{\n  \"a\": 1,\n  \"b\" 2\n}", "scenario");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "is not valid JSON (syntax error at line 3, column 7: expected ':' after an object key)");
}

TEST(JsonRead, RefusesEveryMalformedForm) {
  for (const char* text :
       {"",    "{",     "[1,]",      "{\"a\":1,}", "01",        "1.",          ".5",           "-",
        "1e",  "+1",    "\"a",       "\"\\x\"",    "\"\\u12\"", "\"\\ud800\"", "\"\\udc00x\"", "tru",
        "nul", "[1 2]", "{\"a\" 1}", "{1:2}",      "1 2",       "\"a\tb\"",    "1e999",        "{\"a\":1,\"a\":2}"}) {
    auto r = parse_json(text, "x");
    EXPECT_FALSE(r.ok()) << text;
    if (!r.ok()) EXPECT_EQ(r.error().code, "invalid_json") << text;
  }
  auto dup = parse_json("{\"gpu\": \"l4\", \"gpu\": \"t4\"}", "scenario");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("duplicate key \"gpu\""), std::string::npos);
}

TEST(JsonRead, ParsesValuesAsWritten) {
  const Json j = parsed(R"({"a": [1, 2.5, -0, 1e3, true, false, null], "s": "x\n\u00e9\ud83d\ude00\"\\/", "o": {}})");
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j.members()[0].key, "a");  // order kept
  const Json& a = *j.find("a");
  ASSERT_EQ(a.size(), 7u);
  EXPECT_TRUE(a[0].is_number_integer());
  EXPECT_FALSE(a[1].is_number_integer());
  EXPECT_DOUBLE_EQ(a[1].as_number(), 2.5);
  EXPECT_FALSE(a[3].is_number_integer());  // 1e3 is written with an exponent
  EXPECT_DOUBLE_EQ(a[3].as_number(), 1000);
  EXPECT_TRUE(a[4].as_bool());
  EXPECT_TRUE(a[6].is_null());
  EXPECT_EQ(j.find("s")->as_string(), "x\n\xC3\xA9\xF0\x9F\x98\x80\"\\/");
  EXPECT_EQ(j.find("missing"), nullptr);
  EXPECT_EQ(j.dump(), R"({"a":[1,2.5,0,1000,true,false,null],"s":"x\né😀\"\\/","o":{}})");
}

TEST(JsonRead, StringsOfEveryMixReadAsWritten) {
  // Plain runs, escapes (escaped quotes too), UTF-8 and \u escapes in random mixes, up to 20,000
  // pieces: the scanner finds each string's end with memchr and must read the same text whatever
  // sits between.
  const std::pair<std::string, std::string> pieces[] = {
      {"abc", "abc"},
      {"\\\"", "\""},
      {"\\\\", "\\"},
      {"\\n", "\n"},
      {"\\u00e9", "\xC3\xA9"},
      {"\xC3\xA9", "\xC3\xA9"},
      {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
      {" ", " "},
      {"'", "'"},
      {"\\/", "/"},
      {"\x7F", "\x7F"},
  };
  std::uint32_t seed = 7;
  auto next = [&] { return seed = seed * 1664525u + 1013904223u, seed >> 8; };
  for (int n : {0, 1, 2, 5, 50, 1000, 20000}) {
    std::string text = "[\"", want;
    for (int k = 0; k < n; ++k) {
      const auto& [in, out] = pieces[next() % std::size(pieces)];
      text += in;
      want += out;
    }
    text += "\", \"\\\"\"]";
    const Json j = parsed(text);
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[0].as_string(), want) << n;
    EXPECT_EQ(j[1].as_string(), "\"");
    // Cut before its closing quote, the same text is refused.
    EXPECT_FALSE(parse_json(text.substr(0, text.size() - 8), "test").ok()) << n;
  }
}

TEST(JsonRead, RefusesDeepNestingWhileParsing) {
  // A 100,000-deep array (and object) stops at its 65th bracket: nothing deeper is ever built.
  for (const std::string& deep : {std::string(100000, '['), std::string(100000, '[') + std::string(100000, ']'), [] {
                                    std::string s;
                                    for (int i = 0; i < 50000; ++i) s += "{\"a\":";
                                    return s;
                                  }()}) {
    auto r = parse_json(deep, "scenario");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().to_string(), "scenario: JSON nested deeper than 64 levels");
    EXPECT_EQ(r.error().code, "too_large");
  }
  EXPECT_TRUE(parse_json(std::string(64, '[') + std::string(64, ']'), "x").ok());
  EXPECT_FALSE(parse_json(std::string(65, '[') + std::string(65, ']'), "x").ok());
}

TEST(JsonRead, MemberTextIsTheValueAsWritten) {
  const std::string text =
      R"({"notes": "a \"[quoted]\" {x}", "n": 12, "gpus": [ {"id": "a", "x": [1, 2]}, {"id": "b"} ], "t": true})";
  EXPECT_EQ(detail::member_text(text, "gpus"), R"([ {"id": "a", "x": [1, 2]}, {"id": "b"} ])");
  EXPECT_EQ(detail::member_text(text, "n"), "12");
  EXPECT_EQ(detail::member_text(text, "notes"), R"("a \"[quoted]\" {x}")");
  EXPECT_EQ(detail::member_text(text, "t"), "true");
  EXPECT_EQ(detail::member_text(text, "missing"), "");
}

TEST(JsonRead, BracketsInsideStringsDoNotCount) {
  std::string s = "{\"name\": \"" + std::string(200, '[') + "\"}";
  EXPECT_TRUE(parse_json(s, "x").ok());
}

TEST(JsonRead, RefusesOversizeInput) {
  std::string big(detail::kMaxJsonBytes + 1, ' ');
  auto r = parse_json(big, "config.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "too_large");
}

TEST(JsonRead, RefusesInvalidUtf8InStrings) {
  auto r = parse_json(std::string("{\"a\": \"\xff\xfe\"}"), "x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("invalid UTF-8"), std::string::npos);
  EXPECT_FALSE(parse_json(std::string("\"\xed\xa0\x80\""), "x").ok());  // an encoded surrogate
  EXPECT_FALSE(parse_json(std::string("\"\xc0\xaf\""), "x").ok());      // an overlong form
}

TEST(JsonRead, FieldReaderNamesTheFieldByPointerAndTheValue) {
  const Json j = parsed(R"({"kv_heads": -8, "name": 3, "ratio": 1.5, "layers": 2.5, "a/b": "x"})");
  FieldReader r(j, "/model");
  r.integer("kv_heads", 1, 100);
  EXPECT_EQ(r.error().to_string(), "/model/kv_heads: must be a positive integer, got -8");
  FieldReader r2(j, "/model");
  r2.string("name");
  EXPECT_EQ(r2.error().to_string(), "/model/name: must be a string, got 3");
  FieldReader r3(j, "");
  r3.number("ratio", FieldReader::Num::kFraction);
  EXPECT_EQ(r3.error().to_string(), "/ratio: must be a number in (0, 1], got 1.5");
  FieldReader r4(j, "/model");
  r4.integer("layers", 1, 100);
  EXPECT_EQ(r4.error().to_string(), "/model/layers: must be a positive integer, got 2.5");
  FieldReader r5(j, "/gpus/3", "gpus.json");
  r5.number("memory_gb", FieldReader::Num::kPositive);
  EXPECT_EQ(r5.error().to_string(), "gpus.json: /gpus/3/memory_gb: is required (a positive number)");
  FieldReader r6(j, "");
  r6.integer("a/b", 1, 2);
  EXPECT_EQ(r6.error().path, "/a~1b");  // RFC 6901 escaping
}

TEST(JsonRead, UnknownFieldsSuggestTheKnownOne) {
  const Json j = parsed(R"({"contxt_tokens": 4096})");
  FieldReader r(j, "");
  r.opt_number("context_tokens", FieldReader::Num::kPositive);
  r.reject_unknown();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().path, "/contxt_tokens");
  EXPECT_EQ(r.error().message, "unknown field \"contxt_tokens\" (did you mean \"context_tokens\"?)");
}

// The bounded distance is the full one up to its limit and limit + 1 beyond, for every pair of
// a few ids and typos (it stops early: suggestions run on every refused id).
TEST(JsonRead, BoundedEditDistanceAgreesWithTheFullOne) {
  const std::vector<std::string> words = {"",
                                          "h100",
                                          "h100-sxm",
                                          "h100-pcie",
                                          "a100-80gb-sxm",
                                          "l4",
                                          "l40s",
                                          "llama-3.1-8b",
                                          "lama-3.1-8b",
                                          "llama-3.1-70b",
                                          "batch_size",
                                          "bacth_size",
                                          "memory_bandwidth_gbs",
                                          "q4_k_m",
                                          "xxxxxxxxxxxxxxxxxxxxxxxx"};
  for (const auto& a : words) {
    for (const auto& b : words) {
      const std::size_t full = detail::edit_distance(a, b);
      for (std::size_t limit : {0u, 1u, 2u, 3u, 5u, 8u, 30u}) {
        EXPECT_EQ(detail::edit_distance(a, b, limit), full <= limit ? full : limit + 1)
            << a << " / " << b << " limit " << limit;
      }
    }
  }
  EXPECT_EQ(detail::edit_distance("kitten", "sitting"), 3u);
  // Against the whole table, on random words of up to 64 letters from a small alphabet (so that
  // many pairs are close).
  auto reference = [](const std::string& a, const std::string& b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      for (std::size_t j = 1; j <= b.size(); ++j) {
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      }
    }
    return d[a.size()][b.size()];
  };
  std::uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1664525u + 1013904223u, seed >> 8; };
  for (int k = 0; k < 3000; ++k) {
    std::string a(next() % 65, 'a'), b;
    for (char& c : a) c = static_cast<char>('a' + next() % 3);
    b = a;
    for (std::uint32_t e = next() % 12; e > 0; --e) {  // a few edits of a, or a new word
      const std::size_t at = b.empty() ? 0 : next() % b.size();
      switch (next() % 4) {
        case 0:
          if (!b.empty()) b.erase(at, 1);
          break;
        case 1:
          if (b.size() < 64) b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), 'c');
          break;
        case 2:
          if (!b.empty()) b[at] = 'b';
          break;
        default:
          b.assign(next() % 65, 'a');
      }
    }
    const std::size_t full = reference(a, b);
    ASSERT_EQ(detail::edit_distance(a, b), full) << a << " / " << b;
    for (std::size_t limit : {0u, 1u, 2u, 4u, 7u, 21u, 64u}) {
      ASSERT_EQ(detail::edit_distance(a, b, limit), full <= limit ? full : limit + 1)
          << a << " / " << b << " limit " << limit;
    }
  }
  EXPECT_EQ(detail::closest("bacth_size", {"batch_size", "engine"}), "batch_size");
  EXPECT_EQ(detail::closest("zzzzzzzzzz", {"batch_size", "engine"}), "");
}

TEST(JsonRead, LongStringsAreRefusedAndShownShort) {
  const Json j = parsed("{\"id\": \"" + std::string(100000, 'x') + "\"}");
  FieldReader r(j, "/gpu");
  r.string("id");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "too_large");
  EXPECT_LT(detail::show(*j.find("id")).size(), 80u);
}

// A message shows a value's first 60 bytes; they are written from the start of the value only,
// and are the same bytes a full dump cut there gives (escapes, multi-byte characters and
// replaced bytes near the cut included).
TEST(JsonRead, ShownValuesAreTheFullDumpCutShort) {
  const auto reference = [](const Json& v) {
    std::string s = v.dump();
    if (s.size() <= 60) return s;
    std::size_t cut = 60;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "...";
  };
  std::vector<std::string> texts = {"short", std::string(1 << 20, 'x'), std::string(200, '\x01')};
  std::string emoji;
  for (int i = 0; i < 100; ++i) emoji += "\xF0\x9F\x98\x80";  // U+1F600, 4 bytes
  texts.push_back(emoji);
  for (std::size_t shift = 0; shift < 4; ++shift) texts.push_back(std::string(shift + 55, 'a') + emoji);
  texts.push_back(std::string(57, 'a') + "\xff\xfe\xfd\xfc\xfb" + std::string(100, 'b'));
  texts.push_back(std::string(58, 'a') + "\"\\\n\t" + std::string(100, 'b'));
  for (const auto& t : texts) {
    const Json v = Json::string(t);
    EXPECT_EQ(detail::show(v), reference(v)) << t.size();
    EXPECT_EQ(detail::show(std::string_view(t)), reference(v)) << t.size();
  }
  const Json big = parsed("[" + std::string("\"") + std::string(70, 'k') + "\", {\"" + std::string(80, 'q') +
                          "\": [1, 2.5, null, true]}, " + std::string("1, ") + "2]");
  EXPECT_EQ(detail::show(big), reference(big));
  const Json object = parsed("{\"" + std::string(100, 'k') + "\": 1, \"b\": 2}");
  EXPECT_EQ(detail::show(object), reference(object));
}

TEST(JsonRead, InvalidUtf8NeverBreaksAMessage) {
  std::string shown = detail::show(std::string_view("\xff\xfe bad", 6));
  EXPECT_FALSE(shown.empty());
  EXPECT_TRUE(json::accept(shown));  // the message excerpt is itself valid JSON text
}

}  // namespace
}  // namespace gpufit::test
