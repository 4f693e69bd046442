// Turns one schema document into a SchemaTree, checking every keyword's
// value on the way, so that validation never meets a malformed schema.
//
// Subschemas nested in the document compile recursively (bounded by the
// depth the resource index already checked); "$ref" targets go on a work
// list instead, so a long chain or a cycle of references costs no stack and
// each target compiles once.
#pragma once

#include "schema/json_schema.h"
#include "schema/resource_index.h"
#include "schema/schema_tree.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace mcpgw::schema::detail {

class Compiler {
 public:
  Compiler(const nlohmann::json& root, Dialect dialect, const CompileOptions& options, ResourceIndex index);

  std::variant<std::shared_ptr<const SchemaTree>, std::string> Run();

 private:
  // Where the schema being compiled sits: what its relative URIs resolve
  // against, and how deep it is.
  struct Scope {
    const std::string& base;
    std::size_t depth;
  };
  struct PendingRef {
    NodeId id;
    const nlohmann::json* target;
    std::string base;
    std::size_t depth;
    std::string location;
  };

  // compiler.cpp: the graph, references and in-place applicators.
  bool CompileSchema(NodeId id, const nlohmann::json& schema, const Scope& scope);
  std::optional<NodeId> Subschema(const nlohmann::json& value, const Scope& scope, std::string_view keyword,
                                  std::optional<std::string_view> token = std::nullopt);
  std::optional<std::vector<NodeId>> SubschemaArray(const nlohmann::json& schema, const Scope& scope,
                                                    std::string_view keyword);
  std::optional<NodeId> Reserve(const nlohmann::json& schema, const std::string& location);
  std::optional<NodeId> Reference(const nlohmann::json& ref, const Scope& scope);
  bool CompileInPlace(const nlohmann::json& schema, const Scope& scope, Node& node);
  bool RejectInPlaceCycles();

  // compile_assertions.cpp: keywords that check the instance itself.
  bool CompileTypeAndValues(const nlohmann::json& schema, Node& node);
  bool CompileNumberChecks(const nlohmann::json& schema, Node& node);
  bool CompileStringChecks(const nlohmann::json& schema, Node& node);
  bool CompileArrayChecks(const nlohmann::json& schema, const Scope& scope, Node& node);
  bool CompileObjectChecks(const nlohmann::json& schema, const Scope& scope, Node& node);
  bool CompileDependencies(const nlohmann::json& schema, const Scope& scope, ObjectChecks& checks);
  bool ReadCount(const nlohmann::json& schema, std::string_view keyword, std::optional<std::size_t>& out);
  bool ReadNumber(const nlohmann::json& schema, std::string_view keyword, std::optional<nlohmann::json>& out);
  bool ReadPattern(const nlohmann::json& source, std::string_view keyword, std::optional<Pattern>& out);
  bool ReadValue(const nlohmann::json& value, std::string_view keyword, std::vector<nlohmann::json>& out);

  // Records why the schema is invalid at the current location; returns false.
  bool Invalid(std::string_view keyword, std::string_view why);
  bool Fail(std::string message);
  std::string Where() const;

  const nlohmann::json& root_;
  const Dialect dialect_;
  const CompileOptions& options_;
  const ResourceIndex index_;
  std::vector<Node> nodes_;
  std::vector<std::string> node_locations_;  // for messages about cycles
  std::vector<bool> compiled_;
  std::unordered_map<const nlohmann::json*, NodeId> ids_;
  std::vector<PendingRef> pending_;
  std::string location_;  // JSON pointer of the schema being compiled, or the "$ref" that led there
  std::string error_;
};

}  // namespace mcpgw::schema::detail
