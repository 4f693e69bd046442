// Numeric comparisons as JSON Schema defines them: on mathematical values,
// whatever JSON number type each side was parsed into (int64, uint64 or
// double), exactly where both are integers.
#pragma once

#include <nlohmann/json.hpp>

namespace mcpgw::schema::detail {

// A number with no fractional part: 1 and 1.0 both are; 1.5 is not.
bool IsIntegral(const nlohmann::json& number);

// Negative, zero or positive as a is less than, equal to or greater than b.
// Both must be numbers.
int CompareNumbers(const nlohmann::json& a, const nlohmann::json& b);

// Whether `value` is an integer multiple of `divisor` (> 0). Exact for
// integers; for fractions, within a tolerance that absorbs binary rounding
// (0.0075 is a multiple of 0.0001; 0.00751 is not).
bool IsMultipleOf(const nlohmann::json& value, const nlohmann::json& divisor);

}  // namespace mcpgw::schema::detail
