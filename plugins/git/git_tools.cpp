#include "git_tools.h"

#include <map>

#include "bounded_text.h"
#include "confined_repository.h"
#include "tool_handlers.h"

namespace mcpgw::git {
namespace {

using nlohmann::json;

const std::map<std::string, ToolHandler, std::less<>>& Handlers() {
  static const std::map<std::string, ToolHandler, std::less<>> handlers{
      {"git_status", &GitStatusTool},
      {"git_diff_unstaged", &GitDiffUnstagedTool},
      {"git_diff_staged", &GitDiffStagedTool},
      {"git_diff", &GitDiffTool},
      {"git_commit", &GitCommitTool},
      {"git_add", &GitAddTool},
      {"git_reset", &GitResetTool},
      {"git_log", &GitLogTool},
      {"git_create_branch", &GitCreateBranchTool},
      {"git_checkout", &GitCheckoutTool},
      {"git_show", &GitShowTool},
      {"git_branch", &GitBranchTool},
  };
  return handlers;
}

json TextResult(std::string text, bool is_error) {
  json result{{"content", json::array({json{{"type", "text"}, {"text", ValidUtf8(text)}}})}};
  if (is_error) result["isError"] = true;
  return result;
}

}  // namespace

GitTools::GitTools(GitOptions options) : options_(std::move(options)), roots_(options_.roots) {}

std::optional<json> GitTools::Call(const std::string& tool, const Caller& caller, const json& arguments,
                                   const std::function<bool()>& cancelled) const {
  const auto handler = Handlers().find(tool);
  if (handler == Handlers().end()) return std::nullopt;
  const ToolContext context{options_, caller, cancelled};
  try {
    const ConfinedRepository repo = ConfinedRepository::Open(roots_, arguments.at("repo_path").get<std::string>());
    return TextResult(handler->second(repo, arguments, context), false);
  } catch (const GitRefusal& refusal) {
    return TextResult(refusal.what(), true);
  }
}

}  // namespace mcpgw::git
