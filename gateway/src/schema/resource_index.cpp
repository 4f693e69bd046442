#include "schema/resource_index.h"

#include "schema/dialect.h"
#include "schema/json_access.h"
#include "schema/json_pointer.h"
#include "schema/uri.h"

namespace mcpgw::schema::detail {

namespace {

using json = nlohmann::json;

bool IsValidAnchorName(std::string_view name) {
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (name.empty() || !letter(name.front())) return false;
  for (const char c : name) {
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.') return false;
  }
  return true;
}

class IndexWalk {
 public:
  IndexWalk(Dialect dialect, const CompileOptions& options) : dialect_(dialect), options_(options) {}

  // Returns an error message, or "" when the walk succeeded.
  std::string Walk(const json& schema, std::string_view parent_base, std::size_t depth) {
    if (depth > options_.max_schema_depth) {
      return "schema nests deeper than " + std::to_string(options_.max_schema_depth) + " levels at " + Where();
    }
    // Not a schema: the compiler says what is wrong with it, keyword by keyword.
    if (!schema.is_object()) return "";
    if (++count_ > options_.max_subschemas) {
      return "schema has more than " + std::to_string(options_.max_subschemas) + " subschemas";
    }
    if (std::string error = CheckNestedDialect(schema); !error.empty()) return error;
    auto id = ReadId(parent_base, schema, dialect_);
    if (auto* error = std::get_if<std::string>(&id)) return "invalid schema at " + Where() + ": " + *error;
    IdEffect& effect = std::get<IdEffect>(id);
    if (depth == 0 || effect.names_resource) {
      if (!index_.resources.emplace(effect.base, &schema).second && depth > 0) {
        return "invalid schema at " + Where() + ": \"$id\" \"" + effect.base + "\" is declared twice";
      }
    }
    if (std::string error = AddAnchors(schema, effect); !error.empty()) return error;
    index_.places[&schema] = {effect.base, depth};
    return WalkSubschemas(schema, effect.base, depth);
  }

  ResourceIndex Take() { return std::move(index_); }

 private:
  std::string Where() const { return location_.empty() ? "the root" : "\"" + location_ + "\""; }

  std::string CheckNestedDialect(const json& schema) const {
    const json* it = FindMember(schema, "$schema");
    if (location_.empty() || it == nullptr) return "";
    if (!it->is_string()) return "invalid schema at " + Where() + ": \"$schema\" must be a string";
    const auto dialect = DialectFromSchemaUri(it->get_ref<const std::string&>());
    if (auto* error = std::get_if<std::string>(&dialect)) return *error;
    if (std::get<Dialect>(dialect) != dialect_) {
      return "invalid schema at " + Where() + ": mixing dialects in one schema is not supported";
    }
    return "";
  }

  std::string AddAnchors(const json& schema, const IdEffect& effect) {
    std::vector<std::string> names;
    if (!effect.anchor.empty()) names.push_back(effect.anchor);
    if (dialect_ == Dialect::kDraft2020_12) {
      for (const char* keyword : {"$anchor", "$dynamicAnchor"}) {
        const json* it = FindMember(schema, keyword);
        if (it == nullptr) continue;
        if (!it->is_string() || !IsValidAnchorName(it->get_ref<const std::string&>())) {
          return "invalid schema at " + Where() + ": \"" + keyword + "\" must be a name like \"node\"";
        }
        names.push_back(it->get<std::string>());
      }
    }
    for (const std::string& name : names) {
      const auto [it, added] = index_.anchors.emplace(effect.base + "#" + name, &schema);
      if (!added && it->second != &schema) {
        return "invalid schema at " + Where() + ": anchor \"" + name + "\" is declared twice";
      }
    }
    return "";
  }

  std::string WalkChild(const json& child, std::string_view base, std::size_t depth, std::string_view keyword,
                        const std::string* key, std::size_t index) {
    const std::size_t saved = location_.size();
    AppendPointerToken(location_, keyword);
    if (key != nullptr) AppendPointerToken(location_, *key);
    if (key == nullptr && index != std::string::npos) AppendPointerToken(location_, std::to_string(index));
    std::string error = Walk(child, base, depth + 1);
    location_.resize(saved);
    return error;
  }

  std::string WalkSubschemas(const json& schema, std::string_view base, std::size_t depth) {
    for (const SubschemaKeyword& keyword : SubschemaKeywords(dialect_)) {
      const json* found = FindMember(schema, keyword.name);
      if (found == nullptr) continue;
      const json& value = *found;
      std::string error;
      const bool one = keyword.shape == SubschemaShape::kSchema ||
                       (keyword.shape == SubschemaShape::kSchemaOrArray && !value.is_array());
      const bool many = keyword.shape == SubschemaShape::kArrayOfSchemas ||
                        (keyword.shape == SubschemaShape::kSchemaOrArray && value.is_array());
      if (one) {
        error = WalkChild(value, base, depth, keyword.name, nullptr, std::string::npos);
      } else if (many && value.is_array()) {
        const auto& elements = Elements(value);
        for (std::size_t i = 0; i < elements.size() && error.empty(); ++i) {
          error = WalkChild(elements[i], base, depth, keyword.name, nullptr, i);
        }
      } else if (value.is_object()) {
        for (const auto& [name, child] : Members(value)) {
          if (keyword.shape == SubschemaShape::kMapOfSchemasOrNames && child.is_array()) continue;
          error = WalkChild(child, base, depth, keyword.name, &name, 0);
          if (!error.empty()) break;
        }
      }
      if (!error.empty()) return error;
    }
    return "";
  }

  Dialect dialect_;
  const CompileOptions& options_;
  ResourceIndex index_;
  std::size_t count_ = 0;
  std::string location_;  // JSON pointer of the subschema being walked
};

}  // namespace

std::variant<IdEffect, std::string> ReadId(std::string_view parent_base, const json& schema, Dialect dialect) {
  IdEffect effect{std::string(parent_base), "", false};
  if (!schema.is_object()) return effect;
  const json* it = FindMember(schema, "$id");
  if (it == nullptr) return effect;
  // draft-07 ignores every keyword beside "$ref", "$id" included.
  if (dialect == Dialect::kDraft07 && FindMember(schema, "$ref") != nullptr) return effect;
  if (!it->is_string()) return std::string("\"$id\" must be a string");
  const std::string resolved = ResolveUri(parent_base, it->get_ref<const std::string&>());
  const SplitUri split = SplitFragment(resolved);
  if (!split.fragment.empty()) {
    if (dialect != Dialect::kDraft07) return "\"$id\" must not have a fragment; name a location with \"$anchor\"";
    effect.anchor = std::string(split.fragment);
  }
  effect.base = std::string(split.resource);
  effect.names_resource = !SplitFragment(it->get_ref<const std::string&>()).resource.empty();
  return effect;
}

std::variant<ResourceIndex, std::string> IndexResources(const json& root, Dialect dialect,
                                                        const CompileOptions& options) {
  IndexWalk walk(dialect, options);
  if (std::string error = walk.Walk(root, "", 0); !error.empty()) return error;
  return walk.Take();
}

}  // namespace mcpgw::schema::detail
