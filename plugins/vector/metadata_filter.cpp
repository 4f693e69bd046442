#include "metadata_filter.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <utility>

namespace mcpgw::vector {
namespace {

using nlohmann::json;

bool IsScalar(const json& v) { return v.is_string() || v.is_number() || v.is_boolean(); }

// -1, 0 or 1 when `a` and `b` are comparable (two numbers or two strings).
std::optional<int> Compare(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {
    // Integers compare exactly, so large ids do not collide through double rounding.
    if (a.is_number_integer() && b.is_number_integer()) {
      const bool a_negative = !a.is_number_unsigned() && a.get<int64_t>() < 0;
      const bool b_negative = !b.is_number_unsigned() && b.get<int64_t>() < 0;
      if (a_negative != b_negative) return a_negative ? -1 : 1;
      if (a_negative) {
        const auto x = a.get<int64_t>(), y = b.get<int64_t>();
        return x < y ? -1 : x > y ? 1 : 0;
      }
      const auto x = a.get<uint64_t>(), y = b.get<uint64_t>();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    const double x = a.get<double>(), y = b.get<double>();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is_string() && b.is_string()) {
    const int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return std::nullopt;
}

bool Equal(const json& a, const json& b) {
  if (a.is_boolean() && b.is_boolean()) return a.get<bool>() == b.get<bool>();
  const std::optional<int> c = Compare(a, b);
  return c && *c == 0;
}

}  // namespace

Result<MetadataFilter> MetadataFilter::Parse(const json& filter) {
  MetadataFilter out;
  if (filter.is_null()) return out;
  if (!filter.is_object()) return Rejected("filter must be an object of metadata keys and conditions");
  static const std::pair<const char*, Op> kOps[] = {{"$eq", Op::kEq},   {"$ne", Op::kNe},   {"$in", Op::kIn},
                                                    {"$nin", Op::kNin}, {"$gt", Op::kGt},   {"$gte", Op::kGte},
                                                    {"$lt", Op::kLt},   {"$lte", Op::kLte}};
  for (const auto& [key, condition] : filter.items()) {
    if (IsScalar(condition)) {
      out.conditions_.push_back(Condition{key, Op::kEq, condition});
      continue;
    }
    if (!condition.is_object() || condition.empty()) {
      return Rejected("filter." + key + " must be a string, number, boolean or an object of operators ($eq, $ne, $in, "
                      "$nin, $gt, $gte, $lt, $lte)");
    }
    for (const auto& [name, operand] : condition.items()) {
      const auto* op = std::find_if(std::begin(kOps), std::end(kOps), [&](const auto& o) { return name == o.first; });
      if (op == std::end(kOps)) {
        return Rejected("filter." + key + ": unknown operator \"" + name +
                        "\" (known: $eq, $ne, $in, $nin, $gt, $gte, $lt, $lte)");
      }
      const bool list = op->second == Op::kIn || op->second == Op::kNin;
      const bool valid = list ? operand.is_array() && std::all_of(operand.begin(), operand.end(), IsScalar)
                              : IsScalar(operand);
      if (!valid) {
        return Rejected("filter." + key + "." + name + " takes " +
                        (list ? "an array of strings, numbers or booleans" : "a string, number or boolean"));
      }
      out.conditions_.push_back(Condition{key, op->second, operand});
    }
  }
  return out;
}

bool MetadataFilter::Holds(const Condition& c, const json* value) {
  const bool scalar = value != nullptr && IsScalar(*value);
  const auto in_list = [&] {
    return scalar && std::any_of(c.operand.begin(), c.operand.end(), [&](const json& v) { return Equal(*value, v); });
  };
  const auto compare = [&]() -> std::optional<int> { return scalar ? Compare(*value, c.operand) : std::nullopt; };
  switch (c.op) {
    case Op::kEq:
      return scalar && Equal(*value, c.operand);
    case Op::kNe:
      return !(scalar && Equal(*value, c.operand));
    case Op::kIn:
      return in_list();
    case Op::kNin:
      return !in_list();
    case Op::kGt: {
      const auto r = compare();
      return r && *r > 0;
    }
    case Op::kGte: {
      const auto r = compare();
      return r && *r >= 0;
    }
    case Op::kLt: {
      const auto r = compare();
      return r && *r < 0;
    }
    case Op::kLte: {
      const auto r = compare();
      return r && *r <= 0;
    }
  }
  return false;
}

bool MetadataFilter::Matches(const json& metadata) const {
  for (const Condition& c : conditions_) {
    const json* value = nullptr;
    if (metadata.is_object()) {
      const auto it = metadata.find(c.key);
      if (it != metadata.end()) value = &*it;
    }
    if (!Holds(c, value)) return false;
  }
  return true;
}

}  // namespace mcpgw::vector
