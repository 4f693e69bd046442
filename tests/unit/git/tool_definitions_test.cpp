// The tool list as the gateway sees it: every inputSchema compiles in the
// gateway's own validator, accepts what the reference accepts (including
// null for an optional argument) and rejects what it must.
#include "tool_definitions.h"

#include <gtest/gtest.h>

#include "schema/json_schema.h"

namespace mcpgw::git {
namespace {

using nlohmann::json;

schema::CompiledSchema CompiledInputSchema(const std::string& tool) {
  for (const json& definition : GitToolDefinitions()) {
    if (definition.at("name") != tool) continue;
    auto compiled = schema::CompiledSchema::Compile(definition.at("inputSchema"));
    if (auto* problem = std::get_if<std::string>(&compiled)) throw std::runtime_error(*problem);
    return std::get<schema::CompiledSchema>(std::move(compiled));
  }
  throw std::runtime_error("no tool " + tool);
}

TEST(ToolDefinitionsTest, EveryInputSchemaCompilesInTheGatewaysValidator) {
  for (const json& definition : GitToolDefinitions()) {
    EXPECT_TRUE(std::holds_alternative<schema::CompiledSchema>(schema::CompiledSchema::Compile(definition.at("inputSchema"))))
        << definition.at("name");
  }
}

TEST(ToolDefinitionsTest, SchemasAcceptTheReferencesArgumentsAndRejectBadOnes) {
  const auto log = CompiledInputSchema("git_log");
  EXPECT_FALSE(log.Validate({{"repo_path", "/r"}}));
  EXPECT_FALSE(log.Validate({{"repo_path", "/r"}, {"max_count", 5}, {"start_timestamp", nullptr}}));
  EXPECT_FALSE(log.Validate({{"repo_path", "/r"}, {"end_timestamp", "yesterday"}}));
  EXPECT_TRUE(log.Validate({{"max_count", 5}}));
  EXPECT_TRUE(log.Validate({{"repo_path", "/r"}, {"max_count", -1}}));
  EXPECT_TRUE(log.Validate({{"repo_path", "/r"}, {"start_timestamp", 5}}));
  const auto add = CompiledInputSchema("git_add");
  EXPECT_FALSE(add.Validate({{"repo_path", "/r"}, {"files", {"a", "b"}}}));
  EXPECT_TRUE(add.Validate({{"repo_path", "/r"}, {"files", "a"}}));
  const auto diff = CompiledInputSchema("git_diff");
  EXPECT_TRUE(diff.Validate({{"repo_path", "/r"}}));
  EXPECT_TRUE(diff.Validate({{"repo_path", "/r"}, {"target", "main"}, {"context_lines", -3}}));
  const auto branch = CompiledInputSchema("git_branch");
  EXPECT_FALSE(branch.Validate({{"repo_path", "/r"}, {"branch_type", "all"}, {"contains", nullptr}}));
}

}  // namespace
}  // namespace mcpgw::git
