#include "schema/number.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace mcpgw::schema::detail {

namespace {

using json = nlohmann::json;

constexpr double kTwoTo63 = 9223372036854775808.0;
constexpr double kTwoTo64 = 18446744073709551616.0;

int Sign(double d) { return d < 0 ? -1 : (d > 0 ? 1 : 0); }

template <typename T>
int Compare(T a, T b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

// int64 against double without rounding the integer.
int CompareSignedToDouble(std::int64_t i, double d) {
  if (d >= kTwoTo63) return -1;
  if (d < -kTwoTo63) return 1;
  const double whole = std::trunc(d);
  const int by_whole = Compare(i, static_cast<std::int64_t>(whole));
  return by_whole != 0 ? by_whole : -Sign(d - whole);
}

int CompareUnsignedToDouble(std::uint64_t u, double d) {
  if (d < 0) return 1;
  if (d >= kTwoTo64) return -1;
  const double whole = std::trunc(d);
  const int by_whole = Compare(u, static_cast<std::uint64_t>(whole));
  return by_whole != 0 ? by_whole : -Sign(d - whole);
}

int CompareSignedToUnsigned(std::int64_t i, std::uint64_t u) {
  if (i < 0) return -1;
  return Compare(static_cast<std::uint64_t>(i), u);
}

// |value| of an integer JSON number, and whether it was negative.
std::uint64_t Magnitude(const json& integer) {
  if (integer.is_number_unsigned()) return integer.get<std::uint64_t>();
  const auto i = integer.get<std::int64_t>();
  return i < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
}

}  // namespace

bool IsIntegral(const json& number) {
  if (number.is_number_integer()) return true;
  const double d = number.get<double>();
  return std::isfinite(d) && std::trunc(d) == d;
}

int CompareNumbers(const json& a, const json& b) {
  const bool a_float = a.is_number_float();
  const bool b_float = b.is_number_float();
  if (a_float && b_float) return Compare(a.get<double>(), b.get<double>());
  if (a_float) return -CompareNumbers(b, a);
  // a is an integer from here on.
  if (b_float) {
    const double d = b.get<double>();
    return a.is_number_unsigned() ? CompareUnsignedToDouble(a.get<std::uint64_t>(), d)
                                  : CompareSignedToDouble(a.get<std::int64_t>(), d);
  }
  if (a.is_number_unsigned() && b.is_number_unsigned()) return Compare(a.get<std::uint64_t>(), b.get<std::uint64_t>());
  if (a.is_number_unsigned()) return -CompareSignedToUnsigned(b.get<std::int64_t>(), a.get<std::uint64_t>());
  if (b.is_number_unsigned()) return CompareSignedToUnsigned(a.get<std::int64_t>(), b.get<std::uint64_t>());
  return Compare(a.get<std::int64_t>(), b.get<std::int64_t>());
}

bool IsMultipleOf(const json& value, const json& divisor) {
  if (value.is_number_integer() && divisor.is_number_integer()) {
    return Magnitude(value) % Magnitude(divisor) == 0;
  }
  const double x = value.get<double>();
  const double m = divisor.get<double>();
  const double quotient = x / m;
  // Past the double range only an exact remainder can tell (1e308 is a
  // multiple of 0.5); fmod is exact.
  if (!std::isfinite(quotient)) return std::fmod(x, m) == 0;
  // The quotient of two rounded operands is off by a few ulps of itself.
  const double tolerance = std::max(1e-9, std::abs(quotient) * 8 * std::numeric_limits<double>::epsilon());
  return std::abs(quotient - std::round(quotient)) <= tolerance;
}

}  // namespace mcpgw::schema::detail
