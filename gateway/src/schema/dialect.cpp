#include "schema/dialect.h"

namespace mcpgw::schema::detail {

namespace {

using Shape = SubschemaShape;

// "definitions" and "dependencies" stay in 2020-12 for compatibility: schemas
// written for older drafts keep their meaning instead of losing checks.
constexpr SubschemaKeyword kDraft2020_12Keywords[] = {
    {"$defs", Shape::kMapOfSchemas},
    {"definitions", Shape::kMapOfSchemas},
    {"properties", Shape::kMapOfSchemas},
    {"patternProperties", Shape::kMapOfSchemas},
    {"additionalProperties", Shape::kSchema},
    {"propertyNames", Shape::kSchema},
    {"dependentSchemas", Shape::kMapOfSchemas},
    {"dependencies", Shape::kMapOfSchemasOrNames},
    {"unevaluatedProperties", Shape::kSchema},
    {"prefixItems", Shape::kArrayOfSchemas},
    {"items", Shape::kSchema},
    {"contains", Shape::kSchema},
    {"unevaluatedItems", Shape::kSchema},
    {"allOf", Shape::kArrayOfSchemas},
    {"anyOf", Shape::kArrayOfSchemas},
    {"oneOf", Shape::kArrayOfSchemas},
    {"not", Shape::kSchema},
    {"if", Shape::kSchema},
    {"then", Shape::kSchema},
    {"else", Shape::kSchema},
};

constexpr SubschemaKeyword kDraft07Keywords[] = {
    {"definitions", Shape::kMapOfSchemas},
    {"properties", Shape::kMapOfSchemas},
    {"patternProperties", Shape::kMapOfSchemas},
    {"additionalProperties", Shape::kSchema},
    {"propertyNames", Shape::kSchema},
    {"dependencies", Shape::kMapOfSchemasOrNames},
    {"items", Shape::kSchemaOrArray},
    {"additionalItems", Shape::kSchema},
    {"contains", Shape::kSchema},
    {"allOf", Shape::kArrayOfSchemas},
    {"anyOf", Shape::kArrayOfSchemas},
    {"oneOf", Shape::kArrayOfSchemas},
    {"not", Shape::kSchema},
    {"if", Shape::kSchema},
    {"then", Shape::kSchema},
    {"else", Shape::kSchema},
};

bool IsMetaSchemaUri(std::string_view uri, std::string_view host_and_path) {
  if (uri.ends_with('#')) uri.remove_suffix(1);
  if (uri.starts_with("https://")) {
    uri.remove_prefix(8);
  } else if (uri.starts_with("http://")) {
    uri.remove_prefix(7);
  } else {
    return false;
  }
  return uri == host_and_path;
}

}  // namespace

std::variant<Dialect, std::string> DialectFromSchemaUri(std::string_view uri) {
  if (IsMetaSchemaUri(uri, "json-schema.org/draft/2020-12/schema")) return Dialect::kDraft2020_12;
  if (IsMetaSchemaUri(uri, "json-schema.org/draft-07/schema")) return Dialect::kDraft07;
  return "unsupported JSON Schema dialect: \"" + std::string(uri) +
         "\" (supported: https://json-schema.org/draft/2020-12/schema, http://json-schema.org/draft-07/schema#)";
}

std::string_view DialectName(Dialect dialect) {
  return dialect == Dialect::kDraft07 ? "draft-07" : "2020-12";
}

std::span<const SubschemaKeyword> SubschemaKeywords(Dialect dialect) {
  if (dialect == Dialect::kDraft07) return kDraft07Keywords;
  return kDraft2020_12Keywords;
}

}  // namespace mcpgw::schema::detail
