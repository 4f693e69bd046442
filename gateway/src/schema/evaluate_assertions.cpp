// The part of the evaluator that checks a value itself ("type", "minimum",
// "pattern", "required", ...) and descends into its elements and members.
#include "schema/evaluator.h"
#include "schema/json_access.h"
#include "schema/number.h"
#include "schema/utf8.h"

#include <algorithm>
#include <numeric>

namespace mcpgw::schema::detail {

namespace {

using json = nlohmann::json;

// Past this many elements, duplicates are found by sorting, not pairwise.
constexpr std::size_t kPairwiseUniqueLimit = 32;

bool HasType(std::uint8_t types, const json& value) {
  switch (value.type()) {
    case json::value_t::null: return (types & kTypeNull) != 0;
    case json::value_t::boolean: return (types & kTypeBoolean) != 0;
    case json::value_t::object: return (types & kTypeObject) != 0;
    case json::value_t::array: return (types & kTypeArray) != 0;
    case json::value_t::string: return (types & kTypeString) != 0;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return (types & kTypeNumber) != 0 || ((types & kTypeInteger) != 0 && IsIntegral(value));
    default: return false;
  }
}

// The indices of two equal elements (JSON equality: 1 equals 1.0), if any.
std::optional<std::pair<std::size_t, std::size_t>> FindDuplicate(const json::array_t& array) {
  const std::size_t n = array.size();
  if (n <= kPairwiseUniqueLimit) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        if (array[i] == array[j]) return std::pair{i, j};
      }
    }
    return std::nullopt;
  }
  // nlohmann's ordering compares numbers by value across int/uint/float, as
  // its equality does, so equal elements end up next to each other.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return array[a] < array[b]; });
  for (std::size_t k = 1; k < n; ++k) {
    if (array[order[k - 1]] == array[order[k]]) {
      return std::pair{std::min(order[k - 1], order[k]), std::max(order[k - 1], order[k])};
    }
  }
  return std::nullopt;
}

std::string ValueList(const std::vector<json>& values) {
  constexpr std::size_t kShown = 10;
  std::string text;
  for (std::size_t i = 0; i < values.size() && i < kShown; ++i) {
    if (i > 0) text.append(", ");
    text.append(Preview(values[i]));
  }
  if (values.size() > kShown) text.append(", ... (" + std::to_string(values.size()) + " values)");
  return text;
}

}  // namespace

bool Evaluator::CheckTypeAndValues(const Node& node, const json& instance, const InstancePath& path) {
  if (node.types != 0 && !HasType(node.types, instance)) {
    return Fail(path, [&] {
      return "must be " + ExpectedTypes(node.types) + ", got " + std::string(TypeName(instance));
    });
  }
  if (node.const_value && instance != *node.const_value) {
    return Fail(path, [&] { return "must be " + Preview(*node.const_value) + ", got " + Preview(instance); });
  }
  if (node.enum_values &&
      std::find(node.enum_values->begin(), node.enum_values->end(), instance) == node.enum_values->end()) {
    return Fail(path, [&] {
      return "must be one of " + ValueList(*node.enum_values) + "; got " + Preview(instance);
    });
  }
  return true;
}

bool Evaluator::CheckNumber(const NumberChecks& checks, const json& instance, const InstancePath& path) {
  auto fail = [&](const char* relation, const json& bound) {
    return Fail(path, [&] { return std::string("must be ") + relation + " " + bound.dump() + ", got " + instance.dump(); });
  };
  if (checks.minimum && CompareNumbers(instance, *checks.minimum) < 0) return fail(">=", *checks.minimum);
  if (checks.maximum && CompareNumbers(instance, *checks.maximum) > 0) return fail("<=", *checks.maximum);
  if (checks.exclusive_minimum && CompareNumbers(instance, *checks.exclusive_minimum) <= 0) {
    return fail(">", *checks.exclusive_minimum);
  }
  if (checks.exclusive_maximum && CompareNumbers(instance, *checks.exclusive_maximum) >= 0) {
    return fail("<", *checks.exclusive_maximum);
  }
  if (checks.multiple_of && !IsMultipleOf(instance, *checks.multiple_of)) {
    return fail("a multiple of", *checks.multiple_of);
  }
  return true;
}

std::optional<bool> Evaluator::Matches(const Pattern& pattern, const std::string& text, const InstancePath& path) {
  const std::size_t limit = std::min(tree_.limits.max_pattern_input_bytes, pattern.max_subject_bytes());
  if (text.size() > limit) {
    Abort(path, "is too long to be checked against pattern \"" + pattern.source() + "\" (" +
                    std::to_string(text.size()) + " bytes; the limit is " + std::to_string(limit) + ")");
    return std::nullopt;
  }
  return pattern.Matches(text);
}

bool Evaluator::CheckString(const StringChecks& checks, const json& instance, const InstancePath& path) {
  const std::string& text = instance.get_ref<const std::string&>();
  if (checks.min_length || checks.max_length) {
    const std::size_t length = CountCodePoints(text);
    if (checks.min_length && length < *checks.min_length) {
      return Fail(path, [&] {
        return "must be at least " + Count(*checks.min_length, "character", "characters") + " long, got " +
               std::to_string(length);
      });
    }
    if (checks.max_length && length > *checks.max_length) {
      return Fail(path, [&] {
        return "must be at most " + Count(*checks.max_length, "character", "characters") + " long, got " +
               std::to_string(length);
      });
    }
  }
  if (checks.pattern) {
    const std::optional<bool> matches = Matches(*checks.pattern, text, path);
    if (!matches) return false;
    if (!*matches) return Fail(path, [&] { return "does not match pattern \"" + checks.pattern->source() + "\""; });
  }
  return true;
}

bool Evaluator::CheckArray(const ArrayChecks& checks, const json& instance, const InstancePath& path,
                           Evaluated* evaluated) {
  const auto& elements = Elements(instance);
  const std::size_t size = elements.size();
  if (checks.min_items && size < *checks.min_items) {
    return Fail(path, [&] {
      return "must have at least " + Count(*checks.min_items, "item", "items") + ", got " + std::to_string(size);
    });
  }
  if (checks.max_items && size > *checks.max_items) {
    return Fail(path, [&] {
      return "must have at most " + Count(*checks.max_items, "item", "items") + ", got " + std::to_string(size);
    });
  }
  if (checks.unique_items) {
    // Comparing elements recurses into them; refuse what would go too deep.
    const bool nested =
        std::any_of(elements.begin(), elements.end(), [](const json& element) { return element.is_structured(); });
    if (nested && NestsDeeperThan(instance, tree_.limits.max_depth)) {
      return Abort(path, "is nested more than " + std::to_string(tree_.limits.max_depth) +
                             " levels deep, too deep to check \"uniqueItems\"");
    }
    if (const auto duplicate = FindDuplicate(elements)) {
      return Fail(path, [&] {
        return "must not contain duplicates, but items " + std::to_string(duplicate->first) + " and " +
               std::to_string(duplicate->second) + " are equal";
      });
    }
  }
  const std::size_t prefix = checks.prefix_items.size();
  for (std::size_t i = 0; i < size; ++i) {
    const NodeId id = i < prefix ? checks.prefix_items[i] : checks.items;
    if (id == kNoNode) break;
    const InstancePath element{&path, nullptr, i};
    if (id == kFalseNode && i >= prefix) {
      return Fail(element, [&] { return "unexpected item: at most " + Count(prefix, "item is", "items are") + " allowed"; });
    }
    if (!Valid(id, elements[i], element, nullptr)) return false;
    if (evaluated != nullptr) evaluated->Add(elements[i]);
  }
  return checks.contains == kNoNode || CheckContains(checks, instance, path, evaluated);
}

bool Evaluator::CheckContains(const ArrayChecks& checks, const json& instance, const InstancePath& path,
                              Evaluated* evaluated) {
  // Without a maximum or annotations to collect, enough matches settle it.
  const bool count_all = checks.max_contains.has_value() || evaluated != nullptr;
  const auto& elements = Elements(instance);
  std::size_t matches = 0;
  for (std::size_t i = 0; i < elements.size() && (count_all || matches < checks.min_contains); ++i) {
    const InstancePath element{&path, nullptr, i};
    bool valid = false;
    {
      Quietly quietly(*this);
      valid = Valid(checks.contains, elements[i], element, nullptr);
    }
    if (aborted_) return false;
    if (!valid) continue;
    ++matches;
    if (evaluated != nullptr) evaluated->Add(elements[i]);
  }
  if (matches < checks.min_contains) {
    return Fail(path, [&] {
      return "must contain at least " + Count(checks.min_contains, "item", "items") +
             " matching the \"contains\" schema, got " + std::to_string(matches);
    });
  }
  if (checks.max_contains && matches > *checks.max_contains) {
    return Fail(path, [&] {
      return "must contain at most " + Count(*checks.max_contains, "item", "items") +
             " matching the \"contains\" schema, got " + std::to_string(matches);
    });
  }
  return true;
}

bool Evaluator::CheckObject(const ObjectChecks& checks, const json& instance, const InstancePath& path,
                            Evaluated* evaluated) {
  const auto& members = Members(instance);
  for (const std::string& name : checks.required) {
    if (!members.contains(name)) return Fail(path, [&] { return "missing required property \"" + name + "\""; });
  }
  const std::size_t size = members.size();
  if (checks.min_properties && size < *checks.min_properties) {
    return Fail(path, [&] {
      return "must have at least " + Count(*checks.min_properties, "property", "properties") + ", got " +
             std::to_string(size);
    });
  }
  if (checks.max_properties && size > *checks.max_properties) {
    return Fail(path, [&] {
      return "must have at most " + Count(*checks.max_properties, "property", "properties") + ", got " +
             std::to_string(size);
    });
  }
  for (const DependentRequired& dependency : checks.dependent_required) {
    if (!members.contains(dependency.property)) continue;
    for (const std::string& name : dependency.required) {
      if (!members.contains(name)) {
        return Fail(path, [&] {
          return "missing property \"" + name + "\", required when \"" + dependency.property + "\" is present";
        });
      }
    }
  }
  // Members and "properties" are both sorted by name: one merge pass pairs
  // them up without a lookup per member.
  auto property = checks.properties.begin();
  for (const auto& [name, value] : members) {
    int order = -1;
    while (property != checks.properties.end() && (order = property->first.compare(name)) < 0) ++property;
    const NodeId declared = property != checks.properties.end() && order == 0 ? property->second : kNoNode;
    if (!CheckMember(checks, name, value, declared, path, evaluated)) return false;
  }
  for (const auto& [name, id] : checks.dependent_schemas) {
    if (members.contains(name) && !Valid(id, instance, path, evaluated)) return false;
  }
  return true;
}

bool Evaluator::CheckMember(const ObjectChecks& checks, const std::string& name, const json& value, NodeId declared,
                            const InstancePath& path, Evaluated* evaluated) {
  const InstancePath member{&path, &name, 0};
  if (checks.property_names != kNoNode && !CheckPropertyName(checks.property_names, name, member)) return false;
  bool matched = false;
  if (declared != kNoNode) {
    matched = true;
    if (!Valid(declared, value, member, nullptr)) return false;
  }
  for (const auto& [pattern, id] : checks.pattern_properties) {
    const std::optional<bool> matches = Matches(pattern, name, member);
    if (!matches) return false;
    if (!*matches) continue;
    matched = true;
    if (!Valid(id, value, member, nullptr)) return false;
  }
  if (!matched && checks.additional_properties != kNoNode) {
    if (checks.additional_properties == kFalseNode) {
      return Fail(member, [&] { return "unexpected property \"" + name + "\""; });
    }
    if (!Valid(checks.additional_properties, value, member, nullptr)) return false;
    matched = true;
  }
  if (matched && evaluated != nullptr) evaluated->Add(value);
  return true;
}

// A property name is checked as a string value; its error names the member.
bool Evaluator::CheckPropertyName(NodeId id, const std::string& name, const InstancePath& member) {
  const json as_value = name;
  bool valid = false;
  {
    Quietly quietly(*this);
    valid = Valid(id, as_value, member, nullptr);
  }
  if (valid || aborted_ || quiet_ > 0) return valid;
  Valid(id, as_value, member, nullptr);  // again, to write the message
  if (error_ && !aborted_) error_->message = "invalid property name \"" + name + "\": " + error_->message;
  return false;
}

}  // namespace mcpgw::schema::detail
