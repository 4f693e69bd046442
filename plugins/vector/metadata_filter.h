// The filter language of the query tool, on document metadata.
//
// A filter is a JSON object; every entry is one condition on the top-level
// metadata key of that name, and a document matches when all conditions
// hold (AND). A condition is either a scalar (string, number, boolean),
// meaning equality, or an object of operators, all of which must hold:
//
//   {"lang": "en"}                          lang equals "en"
//   {"year": {"$gte": 2020, "$lt": 2024}}   2020 <= year < 2024
//   {"tag": {"$in": ["a", "b"]}}            tag is "a" or "b"
//   {"draft": {"$ne": true}}                draft is missing or not true
//
// Operators: $eq, $ne, $in, $nin (arrays of scalars), $gt, $gte, $lt, $lte.
// Numbers compare numerically (1 equals 1.0), strings by bytes, booleans
// only for (in)equality; a comparison of different types is false. A missing
// key satisfies only $ne and $nin. Nested objects and arrays in metadata are
// stored and returned, but never match a condition.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "result.h"

namespace mcpgw::vector {

class MetadataFilter {
 public:
  // Checks the filter's shape; an unknown operator or a non-scalar operand
  // is a rejection naming it.
  static Result<MetadataFilter> Parse(const nlohmann::json& filter);

  bool Matches(const nlohmann::json& metadata) const;
  bool empty() const { return conditions_.empty(); }

 private:
  enum class Op { kEq, kNe, kIn, kNin, kGt, kGte, kLt, kLte };
  struct Condition {
    std::string key;
    Op op;
    nlohmann::json operand;  // a scalar, or an array of scalars for $in / $nin
  };
  static bool Holds(const Condition& condition, const nlohmann::json* value);

  std::vector<Condition> conditions_;
};

}  // namespace mcpgw::vector
