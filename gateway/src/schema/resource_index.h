// Where every "$id" and "$anchor" of one schema document points, found by a
// walk over the subschemas before compiling, so that a "$ref" can jump
// forwards, backwards or into itself. The walk also enforces the depth and
// count bounds, and refuses a nested "$schema" that changes the dialect.
#pragma once

#include "schema/json_schema.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

namespace mcpgw::schema::detail {

struct ResourceIndex {
  // URI without fragment -> the schema that "$id" (or the document) names.
  // The document without an "$id" is the resource "".
  std::unordered_map<std::string, const nlohmann::json*> resources;
  // Resource URI + "#" + anchor name -> the schema holding the anchor.
  std::unordered_map<std::string, const nlohmann::json*> anchors;
  // Every subschema found: its base URI (after its own "$id") and depth.
  struct Place {
    std::string base;
    std::size_t depth = 0;
  };
  std::unordered_map<const nlohmann::json*, Place> places;
};

std::variant<ResourceIndex, std::string> IndexResources(const nlohmann::json& root, Dialect dialect,
                                                        const CompileOptions& options);

// What a schema's "$id" does: the base URI it sets for itself and its
// subschemas, and (draft-07 "$id": "#name" only) the anchor it declares.
struct IdEffect {
  std::string base;
  std::string anchor;
  bool names_resource = false;  // false for no "$id" and for draft-07's "#name"
};
std::variant<IdEffect, std::string> ReadId(std::string_view parent_base, const nlohmann::json& schema,
                                           Dialect dialect);

}  // namespace mcpgw::schema::detail
