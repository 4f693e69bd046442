// The words of validation errors: type names, value previews, instance
// paths. Only called once an error is certain, never on the valid path.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mcpgw::schema::detail {

// Where in the instance a check is, as a chain of links on the evaluator's
// stack, so descending costs nothing until a path must be written.
struct InstancePath {
  const InstancePath* parent = nullptr;  // nullptr: the whole instance
  const std::string* key = nullptr;      // the member name, or nullptr for an element
  std::size_t index = 0;                 // the element index when key is nullptr
};

// The JSON pointer of `path`; "" for the whole instance.
std::string RenderPath(const InstancePath& path);

// "a string", "an object or null", ... for a set of TypeBits.
std::string ExpectedTypes(std::uint8_t types);

// "null", "boolean", "object", "array", "number" or "string".
std::string_view TypeName(const nlohmann::json& value);

// The value as compact JSON, cut short (with "...") past a few dozen bytes.
std::string Preview(const nlohmann::json& value);

// "1 item", "3 items".
std::string Count(std::size_t n, std::string_view one, std::string_view many);

}  // namespace mcpgw::schema::detail
