// What each supported dialect means: how "$schema" names it, and which of
// its keywords hold subschemas (so "$id" and "$anchor" are looked for there
// and nowhere else, not inside "enum" or "const" values).
#pragma once

#include "schema/json_schema.h"

#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace mcpgw::schema::detail {

// Accepts the 2020-12 and draft-07 meta-schema URIs, with or without the
// trailing "#" and with either http or https; names anything else.
std::variant<Dialect, std::string> DialectFromSchemaUri(std::string_view uri);

std::string_view DialectName(Dialect dialect);

enum class SubschemaShape {
  kSchema,                // "not": {...}
  kArrayOfSchemas,        // "allOf": [{...}, ...]
  kMapOfSchemas,          // "properties": {"name": {...}}
  kSchemaOrArray,         // draft-07 "items"
  kMapOfSchemasOrNames,   // "dependencies": {"a": {...}, "b": ["c"]}
};

struct SubschemaKeyword {
  std::string_view name;
  SubschemaShape shape;
};

std::span<const SubschemaKeyword> SubschemaKeywords(Dialect dialect);

}  // namespace mcpgw::schema::detail
