// The git plugin's `config:` block:
//
//   roots: ["/srv/repos"]          # required: host directories; every repo_path must lie beneath one
//                                  # (an absolute repo_path names its root; a relative one is taken
//                                  # beneath the first root)
//   max_output_bytes: 1048576      # integer >= 1024: longest text a tool returns (then a truncation marker)
//   max_log_count: 1000            # integer >= 1: git_log's max_count is clamped to this
//   commit_identity: principal     # "principal" or "repository": who git_commit records as author
//
// commit_identity "principal" records the authenticated caller (name: the
// subject, email: the subject if it looks like an address, else
// subject@tenant); "repository" uses the repository's own user.name and
// user.email, as the reference server does, and falls back to the principal
// when the repository sets none. An unknown key or a value of the wrong type
// stops the gateway at start with a message naming the key.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

namespace mcpgw::git {

enum class CommitIdentity { kPrincipal, kRepository };

struct GitOptions {
  std::vector<std::string> roots;
  uint64_t max_output_bytes = 1024 * 1024;
  uint64_t max_log_count = 1000;
  CommitIdentity commit_identity = CommitIdentity::kPrincipal;
};

// The options, or the message that explains why the block is wrong.
std::variant<GitOptions, std::string> ParseGitConfig(const nlohmann::json& config);

}  // namespace mcpgw::git
