// Numbers in messages without printf: fixed() and significant() read as "%.Nf" and "%.Ng" do,
// checked against the C library natively over a spread of values.
#include <cstdio>
#include <random>

#include "test_helpers.hpp"
#include "text_format.hpp"

namespace gpufit::test {
namespace {

std::string c_format(const char* fmt, int n, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, n, v);
  return buf;
}

TEST(TextFormat, AsPrintfOnTheValuesMessagesShow) {
  for (double v : {0.0,     1.0,         -1.0,     0.5,      1.5,    2.5,      12.345,       99.95,  99.96,
                   1e6,     123456789.0, 0.001234, 0.000123, 4096.0, 131072.0, 1073741824.0, 85.899, 24.15,
                   7.615e9, 1e15,        1.5e20,   -3.25,    0.125,  0.375,    2.675}) {
    // fixed() covers what messages print: below 9e18.
    if (v < 9e18) {
      for (int d : {0, 1, 2}) EXPECT_EQ(detail::fixed(v, d), c_format("%.*f", d, v)) << v << " " << d;
    }
    for (int d : {3, 10}) EXPECT_EQ(detail::significant(v, d), c_format("%.*g", d, v)) << v << " " << d;
  }
}

TEST(TextFormat, AsPrintfOverGeneratedValues) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mantissa(1, 10);
  std::uniform_int_distribution<int> exponent(-6, 12);
  int differ = 0;  // printf rounds the exact binary value; so does fixed(), through fma
  for (int i = 0; i < 20000; ++i) {
    const double v = mantissa(rng) * std::pow(10, exponent(rng));
    if (detail::significant(v, 3) != c_format("%.*g", 3, v)) ++differ;
    if (v < 1e12 && detail::fixed(v, 1) != c_format("%.*f", 1, v)) ++differ;
  }
  EXPECT_EQ(differ, 0) << "of 40000";
}

}  // namespace
}  // namespace gpufit::test
