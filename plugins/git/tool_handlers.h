// One function per tool: the repository is already open and confined, the
// arguments already validated against the tool's inputSchema. Each returns
// the text of the result, or throws GitRefusal with the reason it refused.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "confined_repository.h"
#include "git_tools.h"

namespace mcpgw::git {

using ToolHandler = std::string (*)(const ConfinedRepository& repo, const nlohmann::json& args,
                                    const ToolContext& context);

// Read-only tools (read_tools.cpp).
std::string GitStatusTool(const ConfinedRepository& repo, const nlohmann::json& args, const ToolContext& context);
std::string GitDiffUnstagedTool(const ConfinedRepository& repo, const nlohmann::json& args, const ToolContext& context);
std::string GitDiffStagedTool(const ConfinedRepository& repo, const nlohmann::json& args, const ToolContext& context);
std::string GitDiffTool(const ConfinedRepository& repo, const nlohmann::json& args, const ToolContext& context);
std::string GitLogTool(const ConfinedRepository& repo, const nlohmann::json& args, const ToolContext& context);
std::string GitShowTool(const ConfinedRepository& repo, const nlohmann::json& args, const ToolContext& context);
std::string GitBranchTool(const ConfinedRepository& repo, const nlohmann::json& args, const ToolContext& context);

// Tools that change the index, HEAD, refs or the working tree (write_tools.cpp).
std::string GitAddTool(const ConfinedRepository& repo, const nlohmann::json& args, const ToolContext& context);
std::string GitCommitTool(const ConfinedRepository& repo, const nlohmann::json& args, const ToolContext& context);
std::string GitResetTool(const ConfinedRepository& repo, const nlohmann::json& args, const ToolContext& context);
std::string GitCreateBranchTool(const ConfinedRepository& repo, const nlohmann::json& args, const ToolContext& context);
std::string GitCheckoutTool(const ConfinedRepository& repo, const nlohmann::json& args, const ToolContext& context);

}  // namespace mcpgw::git
