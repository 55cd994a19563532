#include "text_format.hpp"

#include <algorithm>
#include <cmath>

namespace gpufit::detail {

namespace {

// A non-negative integer below 2^63 in decimal.
std::string digits_of(unsigned long long n) {
  char buf[24];
  int i = 24;
  do {
    buf[--i] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n);
  return std::string(buf + i, buf + 24);
}

double pow10(int e) {
  double p = 1;
  for (int i = 0; i < (e < 0 ? -e : e); ++i) p *= 10;
  return e < 0 ? 1 / p : p;
}

// round(a x 10^decimals) as printf rounds: the exact binary value decides, and an exact tie goes
// to the even neighbour. The product in doubles may land on the wrong side of a half; fma tells
// the side exactly (one rounding of the exact product minus the half-way point keeps its sign).
double rounded_scaled(double a, int decimals) {
  const double p = pow10(decimals);
  double n = std::round(a * p);
  const double below = std::fma(a, p, -(n - 0.5));
  if (below < 0 || (below == 0 && std::fmod(n, 2) != 0)) return n - 1;
  const double above = std::fma(a, p, -(n + 0.5));
  if (above > 0 || (above == 0 && std::fmod(n + 1, 2) == 0)) return n + 1;
  return n;
}

}  // namespace

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return v != v ? "nan" : v > 0 ? "inf" : "-inf";
  const bool negative = v < 0;
  const double scaled = rounded_scaled(std::fabs(v), decimals);
  if (scaled >= 9e18) return significant(v, 17);  // beyond an integer's reach: exponent form
  // Written once into a string of its final length (warnings and notes format a few numbers
  // each; digits, padding, point and sign as separate strings were most of a call): the
  // integer's digits, zeros before them up to one before the point, the point before the last
  // `decimals` digits, a minus unless every digit is zero.
  unsigned long long n = static_cast<unsigned long long>(scaled);
  int count = 0;
  for (unsigned long long rest = n; count == 0 || rest; rest /= 10) ++count;
  const std::size_t point = decimals > 0 ? 1 : 0;
  const std::size_t width = static_cast<std::size_t>(decimals > 0 ? std::max(count, decimals + 1) : count);
  const std::size_t sign = negative && n != 0 ? 1 : 0;
  std::string s(sign + width + point, '0');
  const std::size_t point_at = point ? s.size() - 1 - static_cast<std::size_t>(decimals) : s.size();
  std::size_t at = s.size();
  do {
    if (--at == point_at) --at;
    s[at] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n);
  if (point) s[point_at] = '.';
  if (sign) s[0] = '-';
  return s;
}

std::string significant(double v, int digits) {
  if (!std::isfinite(v)) return v != v ? "nan" : v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";
  if (digits < 1) digits = 1;
  const double a = std::fabs(v);
  int e = static_cast<int>(std::floor(std::log10(a)));
  // Rounding to `digits` may carry into the next power of ten (9.996 -> 10.0).
  const double rounded =
      digits - 1 - e >= 0 ? rounded_scaled(a, digits - 1 - e) : std::round(a / pow10(e - digits + 1));
  if (rounded >= pow10(digits)) ++e;
  std::string out;
  if (e < -4 || e >= digits) {
    std::string m = fixed(a / pow10(e), digits - 1);
    if (m.find('.') != std::string::npos) {
      while (m.back() == '0') m.pop_back();
      if (m.back() == '.') m.pop_back();
    }
    std::string ex = digits_of(static_cast<unsigned long long>(e < 0 ? -e : e));
    if (ex.size() < 2) ex.insert(0, "0");
    out = m + (e < 0 ? "e-" : "e+") + ex;
  } else {
    out = fixed(a, digits - 1 - e > 0 ? digits - 1 - e : 0);
    if (out.find('.') != std::string::npos) {
      while (out.back() == '0') out.pop_back();
      if (out.back() == '.') out.pop_back();
    }
  }
  if (v < 0) out.insert(0, 1, '-');
  return out;
}

std::string join(std::initializer_list<std::string_view> pieces) {
  std::size_t size = 0;
  for (std::string_view p : pieces) size += p.size();
  std::string out;
  out.reserve(size);
  for (std::string_view p : pieces) out += p;
  return out;
}

}  // namespace gpufit::detail
