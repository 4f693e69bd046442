// The compiled form of a schema: a graph of nodes in one vector, linked by
// index, so recursive "$ref"s are just edges and the whole tree is one
// immutable value shared by every copy of a CompiledSchema.
//
// Only the compiler writes it; only the evaluator reads it.
#pragma once

#include "schema/json_schema.h"
#include "schema/pattern.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mcpgw::schema::detail {

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
// Every boolean schema shares one of these two nodes.
inline constexpr NodeId kTrueNode = 0;
inline constexpr NodeId kFalseNode = 1;

// The "type" keyword as a bit set; 0 means no "type" keyword.
enum TypeBit : std::uint8_t {
  kTypeNull = 1 << 0,
  kTypeBoolean = 1 << 1,
  kTypeObject = 1 << 2,
  kTypeArray = 1 << 3,
  kTypeNumber = 1 << 4,
  kTypeInteger = 1 << 5,
  kTypeString = 1 << 6,
};

// Bounds keep the schema's own JSON number so messages print it as written.
struct NumberChecks {
  std::optional<nlohmann::json> minimum;
  std::optional<nlohmann::json> maximum;
  std::optional<nlohmann::json> exclusive_minimum;
  std::optional<nlohmann::json> exclusive_maximum;
  std::optional<nlohmann::json> multiple_of;
};

struct StringChecks {
  std::optional<std::size_t> min_length;  // in Unicode code points
  std::optional<std::size_t> max_length;
  std::optional<Pattern> pattern;
};

struct ArrayChecks {
  std::optional<std::size_t> min_items;
  std::optional<std::size_t> max_items;
  bool unique_items = false;
  // draft-07's array-form "items" and 2020-12's "prefixItems" both land here;
  // `items` applies to the elements after them (draft-07 "additionalItems").
  std::vector<NodeId> prefix_items;
  NodeId items = kNoNode;
  NodeId contains = kNoNode;
  std::size_t min_contains = 1;
  std::optional<std::size_t> max_contains;
  NodeId unevaluated_items = kNoNode;
};

struct DependentRequired {
  std::string property;
  std::vector<std::string> required;
};

struct ObjectChecks {
  std::vector<std::string> required;
  std::vector<std::pair<std::string, NodeId>> properties;  // sorted by name
  std::vector<std::pair<Pattern, NodeId>> pattern_properties;
  NodeId additional_properties = kNoNode;
  NodeId property_names = kNoNode;
  std::optional<std::size_t> min_properties;
  std::optional<std::size_t> max_properties;
  std::vector<DependentRequired> dependent_required;
  std::vector<std::pair<std::string, NodeId>> dependent_schemas;
  NodeId unevaluated_properties = kNoNode;
};

// Keywords that apply subschemas to the same instance, not to its children.
struct InPlaceApplicators {
  NodeId ref = kNoNode;
  std::vector<NodeId> all_of;
  std::vector<NodeId> any_of;
  std::vector<NodeId> one_of;
  NodeId not_schema = kNoNode;
  NodeId if_schema = kNoNode;
  NodeId then_schema = kNoNode;
  NodeId else_schema = kNoNode;
};

struct Node {
  enum class Kind : std::uint8_t { kAlwaysValid, kNeverValid, kChecks };
  Kind kind = Kind::kChecks;
  std::uint8_t types = 0;
  std::optional<std::vector<nlohmann::json>> enum_values;
  std::optional<nlohmann::json> const_value;
  // Absent groups cost a null check; most nodes use one or two of them.
  std::unique_ptr<NumberChecks> number;
  std::unique_ptr<StringChecks> string;
  std::unique_ptr<ArrayChecks> array;
  std::unique_ptr<ObjectChecks> object;
  std::unique_ptr<InPlaceApplicators> in_place;
};

struct ValidationLimits {
  std::size_t max_depth = 128;
  std::size_t max_pattern_input_bytes = 8192;
};

struct SchemaTree {
  std::vector<Node> nodes;
  NodeId root = kTrueNode;
  ValidationLimits limits;
};

}  // namespace mcpgw::schema::detail
