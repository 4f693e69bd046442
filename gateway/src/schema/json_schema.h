// JSON Schema validation of MCP tool arguments.
//
// Compile a tool's inputSchema once, then Validate each call's arguments
// against it. Speaks JSON Schema 2020-12 (the default) and draft-07. It never
// fetches anything: every "$ref" must resolve inside the schema document, and
// a schema that would need more is refused at Compile, not half-checked later.
//
// Keywords it does not know (and the annotations "format", "title",
// "default", "contentMediaType", ...) are ignored, as the specification asks.
// "unevaluatedProperties" and "unevaluatedItems" are implemented;
// "$dynamicRef" is refused, since its dynamic scope is not. Patterns are
// ECMA-262 as std::regex knows it, so "\p{...}" classes and back-references
// are refused at Compile rather than matched wrongly.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace mcpgw::schema {

namespace detail {
struct SchemaTree;
}  // namespace detail

enum class Dialect {
  kDraft2020_12,  // https://json-schema.org/draft/2020-12/schema
  kDraft07,       // http://json-schema.org/draft-07/schema#
};

// Bounds that keep a hostile schema or instance from exhausting the stack,
// memory or CPU of the request path. Past a compile bound, Compile fails;
// past a validation bound, Validate reports an error (never "valid").
struct CompileOptions {
  // The dialect of a schema that has no "$schema".
  Dialect default_dialect = Dialect::kDraft2020_12;
  // Subschemas nested inside subschemas, counted from the root. Also bounds
  // how deeply "const" and "enum" values may nest.
  std::size_t max_schema_depth = 64;
  // Distinct subschemas compiled ("true" and "false" are shared, not counted).
  std::size_t max_subschemas = 10'000;
  // Subschemas applied inside one another while validating one instance:
  // this is what stops a recursive "$ref" against a deeply nested value.
  std::size_t max_validation_depth = 128;
  // "pattern" and "patternProperties" refuse to match strings longer than
  // this many bytes, and fail validation instead.
  std::size_t max_pattern_input_bytes = 8192;
};

// Why an instance does not match: where, and what was expected there.
struct SchemaError {
  std::string instance_path;  // JSON pointer into the instance; "" is the whole instance
  std::string message;        // e.g. "must be a string, got number"
};

// "/entities/0: missing required property \"name\"", writing "/" for the
// whole instance.
std::string Describe(const SchemaError& error);

// An immutable compiled schema. Copies share one compiled tree, so copying
// and moving are cheap and every copy may Validate from any thread.
class CompiledSchema {
 public:
  // Fails, with a message naming the place in the schema, for an invalid
  // schema, an unsupported "$schema" dialect, a "$ref" that is not local or
  // does not resolve, an invalid or too complex "pattern", and a schema past
  // the bounds in `options`.
  static std::variant<CompiledSchema, std::string> Compile(const nlohmann::json& schema,
                                                           const CompileOptions& options = {});

  // The first error found, or nullopt when `instance` is valid.
  std::optional<SchemaError> Validate(const nlohmann::json& instance) const;

 private:
  explicit CompiledSchema(std::shared_ptr<const detail::SchemaTree> tree);

  std::shared_ptr<const detail::SchemaTree> tree_;
};

}  // namespace mcpgw::schema
