// The JSON writer the results leave the core through: text any JSON reader accepts, numbers that
// read back to the same double (and print as nlohmann's dump() prints them), strings escaped,
// invalid UTF-8 replaced rather than passed on.
#include "json_write.hpp"

#include <cmath>
#include <limits>
#include <random>

#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

using detail::JsonWriter;

TEST(JsonWrite, NestingAndCommas) {
  JsonWriter w;
  w.begin_object()
      .field("a", 1)
      .key("b")
      .begin_array()
      .integer(1)
      .string("x")
      .null()
      .begin_object()
      .end_object()
      .end_array()
      .field("c", true)
      .key("d")
      .begin_object()
      .field("e", std::optional<double>{})
      .end_object()
      .end_object();
  EXPECT_EQ(w.text(), R"({"a":1,"b":[1,"x",null,{}],"c":true,"d":{"e":null}})");
  EXPECT_TRUE(json::accept(w.text()));
}

TEST(JsonWrite, NumbersReadBackExactlyAndMatchDump) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mantissa(-1, 1);
  std::uniform_int_distribution<int> exponent(-30, 30);
  for (int i = 0; i < 20000; ++i) {
    const double v = mantissa(rng) * std::pow(10.0, exponent(rng));
    JsonWriter w;
    w.number(v);
    EXPECT_EQ(json::parse(w.text()).get<double>(), v) << w.text();
    if (v != std::floor(v)) EXPECT_EQ(w.text(), json(v).dump()) << v;
  }
}

TEST(JsonWrite, WholeValuesPrintAsIntegersAndNonFiniteAsNull) {
  const auto text = [](double v) {
    JsonWriter w;
    w.number(v);
    return w.take();
  };
  EXPECT_EQ(text(4), "4");
  EXPECT_EQ(text(-0.0), "0");
  EXPECT_EQ(text(1e15), "1000000000000000");
  EXPECT_EQ(text(0.5), "0.5");
  EXPECT_EQ(text(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(text(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(text(-std::numeric_limits<double>::infinity()), "null");
}

TEST(JsonWrite, StringsAreEscapedAndInvalidUtf8Replaced) {
  const auto text = [](std::string_view s) {
    JsonWriter w;
    w.string(s);
    return w.take();
  };
  EXPECT_EQ(text("a\"b\\c\n\t\x01"), R"("a\"b\\c\n\t\u0001")");
  EXPECT_EQ(text("H100 \xE2\x80\x94 80 GB \xF0\x9F\x9A\x80"), "\"H100 \xE2\x80\x94 80 GB \xF0\x9F\x9A\x80\"");
  // A lone continuation byte, a truncated sequence, an overlong form, a surrogate.
  for (std::string_view bad : {"\x80", "\xE2\x80", "\xC0\xAF", "\xED\xA0\x80", "x\xFFy"}) {
    const std::string out = text(bad);
    EXPECT_TRUE(json::accept(out)) << out;
    EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos) << out;
  }
  JsonWriter w;
  w.begin_object().key("k\"ey").string("v").end_object();
  EXPECT_EQ(json::parse(w.text())["k\"ey"], "v");
}

}  // namespace
}  // namespace gpufit::test
