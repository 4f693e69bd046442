// Shorthands for the schema tests: compile or fail the test, and validate
// to the text a caller would see.
#pragma once

#include "schema/json_schema.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <variant>

namespace mcpgw::schema::testing {

using nlohmann::json;

// The compiled schema; the test fails (and the result accepts anything)
// when it does not compile.
inline CompiledSchema MustCompile(const json& schema, const CompileOptions& options = {}) {
  auto compiled = CompiledSchema::Compile(schema, options);
  if (auto* error = std::get_if<std::string>(&compiled)) {
    ADD_FAILURE() << "schema did not compile: " << *error << "\n" << schema.dump();
    return std::get<CompiledSchema>(CompiledSchema::Compile(json(true)));
  }
  return std::get<CompiledSchema>(std::move(compiled));
}

// Why the schema does not compile, or "" when it does.
inline std::string CompileError(const json& schema, const CompileOptions& options = {}) {
  auto compiled = CompiledSchema::Compile(schema, options);
  if (auto* error = std::get_if<std::string>(&compiled)) return *error;
  return "";
}

// "" when valid, else the error as Describe writes it ("/path: message").
inline std::string Check(const CompiledSchema& schema, const json& instance) {
  const std::optional<SchemaError> error = schema.Validate(instance);
  return error ? Describe(*error) : "";
}

inline std::string Check(const json& schema, const json& instance, const CompileOptions& options = {}) {
  return Check(MustCompile(schema, options), instance);
}

inline CompileOptions Draft07() {
  CompileOptions options;
  options.default_dialect = Dialect::kDraft07;
  return options;
}

}  // namespace mcpgw::schema::testing
