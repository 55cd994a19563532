// Numbers in words for messages and notes, without printf: "%.1f" and "%.3g" alike, written
// here because the page's WebAssembly module would otherwise carry printf's whole formatter
// (with its 128-bit float arithmetic) for a handful of warnings.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace gpufit::detail {

// v with `decimals` digits after the point, rounded half away from zero ("%.1f").
std::string fixed(double v, int decimals);

// v with at most `digits` significant digits, trailing zeros dropped ("%.3g"); exponent form
// ("1.5e+20") only beyond 10^digits or below 10^-4, as %g does.
std::string significant(double v, int digits);

// The pieces one after another, in a string reserved at their total length: a message of a dozen
// pieces joined with + reallocates as it grows, and every result writes a few.
std::string join(std::initializer_list<std::string_view> pieces);

}  // namespace gpufit::detail
