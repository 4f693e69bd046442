// The part of the compiler that reads assertion keywords ("type", "minimum",
// "pattern", "required", ...) and the applicators that descend into array
// elements and object members.
#include "schema/compiler.h"
#include "schema/json_access.h"
#include "schema/json_pointer.h"
#include "schema/number.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace mcpgw::schema::detail {

namespace {

using json = nlohmann::json;

std::optional<std::uint8_t> TypeBitFor(const json& name) {
  if (!name.is_string()) return std::nullopt;
  static constexpr std::pair<std::string_view, std::uint8_t> kNames[] = {
      {"null", kTypeNull},     {"boolean", kTypeBoolean}, {"object", kTypeObject},  {"array", kTypeArray},
      {"number", kTypeNumber}, {"integer", kTypeInteger}, {"string", kTypeString},
  };
  for (const auto& [text, bit] : kNames) {
    if (name.get_ref<const std::string&>() == text) return bit;
  }
  return std::nullopt;
}

bool IsEmpty(const ArrayChecks& a) {
  return !a.min_items && !a.max_items && !a.unique_items && a.prefix_items.empty() && a.items == kNoNode &&
         a.contains == kNoNode && a.unevaluated_items == kNoNode;
}

bool IsEmpty(const ObjectChecks& o) {
  return o.required.empty() && o.properties.empty() && o.pattern_properties.empty() &&
         o.additional_properties == kNoNode && o.property_names == kNoNode && !o.min_properties &&
         !o.max_properties && o.dependent_required.empty() && o.dependent_schemas.empty() &&
         o.unevaluated_properties == kNoNode;
}

bool IsStringArray(const json& value) {
  return value.is_array() &&
         std::all_of(Elements(value).begin(), Elements(value).end(), [](const json& v) { return v.is_string(); });
}

}  // namespace

bool Compiler::ReadCount(const json& schema, std::string_view keyword, std::optional<std::size_t>& out) {
  const json* it = FindMember(schema, keyword);
  if (it == nullptr) return true;
  if (!it->is_number() || !IsIntegral(*it) || CompareNumbers(*it, json(0)) < 0) {
    return Invalid(keyword, "must be a non-negative integer");
  }
  const bool huge = CompareNumbers(*it, json(std::numeric_limits<std::size_t>::max())) >= 0;
  out = huge ? std::numeric_limits<std::size_t>::max() : it->get<std::size_t>();
  return true;
}

bool Compiler::ReadNumber(const json& schema, std::string_view keyword, std::optional<json>& out) {
  const json* it = FindMember(schema, keyword);
  if (it == nullptr) return true;
  if (!it->is_number()) return Invalid(keyword, "must be a number");
  out = *it;
  return true;
}

bool Compiler::ReadPattern(const json& source, std::string_view keyword, std::optional<Pattern>& out) {
  if (!source.is_string()) return Invalid(keyword, "must be a string");
  auto pattern = Pattern::Compile(source.get_ref<const std::string&>());
  if (auto* why = std::get_if<std::string>(&pattern)) return Fail("invalid schema at " + Where() + ": " + *why);
  out.emplace(std::move(std::get<Pattern>(pattern)));
  return true;
}

bool Compiler::ReadValue(const json& value, std::string_view keyword, std::vector<json>& out) {
  if (NestsDeeperThan(value, options_.max_schema_depth)) {
    return Invalid(keyword, "holds a value nested deeper than " + std::to_string(options_.max_schema_depth) + " levels");
  }
  out.push_back(value);
  return true;
}

bool Compiler::CompileTypeAndValues(const json& schema, Node& node) {
  if (const json* type = FindMember(schema, "type")) {
    const json names = type->is_array() && !type->empty() ? *type : json::array({*type});
    for (const json& name : Elements(names)) {
      const std::optional<std::uint8_t> bit = TypeBitFor(name);
      if (!bit) return Invalid("type", "must be a type name (\"object\", \"string\", ...) or an array of them");
      node.types |= *bit;
    }
  }
  if (const json* values = FindMember(schema, "enum")) {
    if (!values->is_array()) return Invalid("enum", "must be an array");
    node.enum_values.emplace();
    for (const json& value : Elements(*values)) {
      if (!ReadValue(value, "enum", *node.enum_values)) return false;
    }
  }
  if (const json* value = FindMember(schema, "const")) {
    std::vector<json> one;
    if (!ReadValue(*value, "const", one)) return false;
    node.const_value = std::move(one.front());
  }
  return true;
}

bool Compiler::CompileNumberChecks(const json& schema, Node& node) {
  NumberChecks n;
  if (!ReadNumber(schema, "minimum", n.minimum) || !ReadNumber(schema, "maximum", n.maximum) ||
      !ReadNumber(schema, "exclusiveMinimum", n.exclusive_minimum) ||
      !ReadNumber(schema, "exclusiveMaximum", n.exclusive_maximum) || !ReadNumber(schema, "multipleOf", n.multiple_of)) {
    return false;
  }
  if (n.multiple_of && CompareNumbers(*n.multiple_of, json(0)) <= 0) {
    return Invalid("multipleOf", "must be greater than 0");
  }
  if (n.minimum || n.maximum || n.exclusive_minimum || n.exclusive_maximum || n.multiple_of) {
    node.number = std::make_unique<NumberChecks>(std::move(n));
  }
  return true;
}

bool Compiler::CompileStringChecks(const json& schema, Node& node) {
  StringChecks s;
  if (!ReadCount(schema, "minLength", s.min_length) || !ReadCount(schema, "maxLength", s.max_length)) return false;
  if (const json* pattern = FindMember(schema, "pattern")) {
    if (!ReadPattern(*pattern, "pattern", s.pattern)) return false;
  }
  if (s.min_length || s.max_length || s.pattern) node.string = std::make_unique<StringChecks>(std::move(s));
  return true;
}

bool Compiler::CompileArrayChecks(const json& schema, const Scope& scope, Node& node) {
  ArrayChecks a;
  if (!ReadCount(schema, "minItems", a.min_items) || !ReadCount(schema, "maxItems", a.max_items)) return false;
  if (const json* unique = FindMember(schema, "uniqueItems")) {
    if (!unique->is_boolean()) return Invalid("uniqueItems", "must be a boolean");
    a.unique_items = unique->get<bool>();
  }
  auto single = [&](std::string_view keyword, NodeId& slot) {
    const json* it = FindMember(schema, keyword);
    if (it == nullptr) return true;
    const std::optional<NodeId> id = Subschema(*it, scope, keyword);
    if (id) slot = *id;
    return id.has_value();
  };
  const json* items = FindMember(schema, "items");
  if (dialect_ == Dialect::kDraft07 && items != nullptr && items->is_array()) {
    const auto& elements = Elements(*items);
    for (std::size_t i = 0; i < elements.size(); ++i) {
      const std::optional<NodeId> id = Subschema(elements[i], scope, "items", std::to_string(i));
      if (!id) return false;
      a.prefix_items.push_back(*id);
    }
    if (!single("additionalItems", a.items)) return false;
  } else if (dialect_ == Dialect::kDraft2020_12 && items != nullptr && items->is_array()) {
    return Invalid("items", "must be a schema in JSON Schema 2020-12; for a tuple use \"prefixItems\"");
  } else if (!single("items", a.items)) {
    return false;
  }
  if (!single("contains", a.contains)) return false;
  if (dialect_ == Dialect::kDraft2020_12) {
    std::optional<std::vector<NodeId>> prefix = SubschemaArray(schema, scope, "prefixItems");
    if (!prefix) return false;
    a.prefix_items = std::move(*prefix);
    std::optional<std::size_t> min_contains;
    if (!ReadCount(schema, "minContains", min_contains) || !ReadCount(schema, "maxContains", a.max_contains) ||
        !single("unevaluatedItems", a.unevaluated_items)) {
      return false;
    }
    a.min_contains = min_contains.value_or(1);
  }
  if (!IsEmpty(a)) node.array = std::make_unique<ArrayChecks>(std::move(a));
  return true;
}

bool Compiler::CompileObjectChecks(const json& schema, const Scope& scope, Node& node) {
  ObjectChecks o;
  if (const json* required = FindMember(schema, "required")) {
    if (!IsStringArray(*required)) return Invalid("required", "must be an array of property names");
    o.required = required->get<std::vector<std::string>>();
  }
  auto map_of = [&](std::string_view keyword, auto&& add) {
    const json* it = FindMember(schema, keyword);
    if (it == nullptr) return true;
    if (!it->is_object()) return Invalid(keyword, "must be an object");
    for (const auto& [name, value] : Members(*it)) {
      if (!add(name, value)) return false;
    }
    return true;
  };
  const bool ok = map_of("properties", [&](const std::string& name, const json& value) {
    const std::optional<NodeId> id = Subschema(value, scope, "properties", name);
    if (id) o.properties.emplace_back(name, *id);
    return id.has_value();
  }) && map_of("patternProperties", [&](const std::string& source, const json& value) {
    const std::size_t saved = location_.size();
    AppendPointerToken(location_, "patternProperties");
    std::optional<Pattern> pattern;
    const bool compiled = ReadPattern(json(source), "patternProperties", pattern);
    location_.resize(saved);
    const std::optional<NodeId> id = compiled ? Subschema(value, scope, "patternProperties", source) : std::nullopt;
    if (id) o.pattern_properties.emplace_back(std::move(*pattern), *id);
    return id.has_value();
  });
  if (!ok) return false;
  std::sort(o.properties.begin(), o.properties.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto [keyword, slot] : {std::pair{std::string_view("additionalProperties"), &o.additional_properties},
                               {"propertyNames", &o.property_names},
                               {"unevaluatedProperties", &o.unevaluated_properties}}) {
    const json* it = FindMember(schema, keyword);
    if (it == nullptr || (dialect_ == Dialect::kDraft07 && keyword == "unevaluatedProperties")) continue;
    const std::optional<NodeId> id = Subschema(*it, scope, keyword);
    if (!id) return false;
    *slot = *id;
  }
  if (!ReadCount(schema, "minProperties", o.min_properties) || !ReadCount(schema, "maxProperties", o.max_properties) ||
      !CompileDependencies(schema, scope, o)) {
    return false;
  }
  if (!IsEmpty(o)) node.object = std::make_unique<ObjectChecks>(std::move(o));
  return true;
}

// draft-07's "dependencies" holds both kinds; 2020-12 split it into
// "dependentRequired" and "dependentSchemas" and still accepts it here.
bool Compiler::CompileDependencies(const json& schema, const Scope& scope, ObjectChecks& checks) {
  const bool modern = dialect_ == Dialect::kDraft2020_12;
  for (const std::string_view keyword : {"dependencies", "dependentRequired", "dependentSchemas"}) {
    const json* it = FindMember(schema, keyword);
    if (it == nullptr || (!modern && keyword != "dependencies")) continue;
    if (!it->is_object()) return Invalid(keyword, "must be an object");
    for (const auto& [name, value] : Members(*it)) {
      const bool names = keyword == "dependentRequired" || (keyword == "dependencies" && value.is_array());
      if (names && !IsStringArray(value)) return Invalid(keyword, "must map each property to an array of names");
      if (names) {
        checks.dependent_required.push_back({name, value.get<std::vector<std::string>>()});
        continue;
      }
      const std::optional<NodeId> id = Subschema(value, scope, keyword, name);
      if (!id) return false;
      checks.dependent_schemas.emplace_back(name, *id);
    }
  }
  return true;
}

}  // namespace mcpgw::schema::detail
