// The git tools, from JSON arguments to MCP CallToolResults.
//
// Every call opens its repository afresh through ConfinedRepository, so the
// plugin keeps no state between calls and none per tenant: the state is the
// repositories themselves, shared by everyone whose route reaches the same
// roots. A refused request (a path outside the roots, an unknown revision, a
// checkout that would overwrite local changes) is a result with isError and
// the reason; results are the reference server's texts, bounded by
// max_output_bytes.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "git_config.h"
#include "git_library.h"
#include "repo_roots.h"

namespace mcpgw::git {

// Who is calling, for commit_identity "principal".
struct Caller {
  std::string subject;
  std::string tenant;
};

// The client cancelled the call while a long walk ran.
class GitCancelled : public std::runtime_error {
 public:
  GitCancelled() : std::runtime_error("cancelled") {}
};

// What one tool call gets besides its repository and arguments.
struct ToolContext {
  const GitOptions& options;
  const Caller& caller;
  const std::function<bool()>& cancelled;
};

class GitTools {
 public:
  // Throws std::invalid_argument when a root cannot be opened.
  explicit GitTools(GitOptions options);

  // The CallToolResult, or nullopt for a tool this plugin does not have.
  // Throws GitCancelled when `cancelled` turned true during the call.
  std::optional<nlohmann::json> Call(const std::string& tool, const Caller& caller, const nlohmann::json& arguments,
                                     const std::function<bool()>& cancelled = [] { return false; }) const;

  const GitOptions& options() const { return options_; }

 private:
  GitLibrary library_;
  GitOptions options_;
  RepoRoots roots_;
};

}  // namespace mcpgw::git
