#include "schema/json_schema.h"

#include "schema/compiler.h"
#include "schema/dialect.h"
#include "schema/evaluator.h"
#include "schema/json_access.h"
#include "schema/resource_index.h"
#include "schema/schema_tree.h"

namespace mcpgw::schema {

std::string Describe(const SchemaError& error) {
  return (error.instance_path.empty() ? "/" : error.instance_path) + ": " + error.message;
}

CompiledSchema::CompiledSchema(std::shared_ptr<const detail::SchemaTree> tree) : tree_(std::move(tree)) {}

std::variant<CompiledSchema, std::string> CompiledSchema::Compile(const nlohmann::json& schema,
                                                                  const CompileOptions& options) {
  if (!schema.is_object() && !schema.is_boolean()) return std::string("a schema must be an object or a boolean");
  Dialect dialect = options.default_dialect;
  if (const nlohmann::json* uri = detail::FindMember(schema, "$schema")) {
    if (!uri->is_string()) return std::string("\"$schema\" must be a string");
    auto named = detail::DialectFromSchemaUri(uri->get_ref<const std::string&>());
    if (auto* error = std::get_if<std::string>(&named)) return std::move(*error);
    dialect = std::get<Dialect>(named);
  }
  auto index = detail::IndexResources(schema, dialect, options);
  if (auto* error = std::get_if<std::string>(&index)) return std::move(*error);
  detail::Compiler compiler(schema, dialect, options, std::move(std::get<detail::ResourceIndex>(index)));
  auto tree = compiler.Run();
  if (auto* error = std::get_if<std::string>(&tree)) return std::move(*error);
  return CompiledSchema(std::move(std::get<std::shared_ptr<const detail::SchemaTree>>(tree)));
}

std::optional<SchemaError> CompiledSchema::Validate(const nlohmann::json& instance) const {
  detail::Evaluator evaluator(*tree_);
  return evaluator.Run(instance);
}

}  // namespace mcpgw::schema
