// git_branch's text: `git branch` / `git branch -r` / `git branch -a`,
// optionally with --contains / --no-contains, as the git CLI prints it
// (the current branch marked "* ", a detached HEAD as
// "* (HEAD detached at <sha>)", a remote's symbolic HEAD as
// "origin/HEAD -> origin/main", refs sorted by name, no final newline).
#pragma once

#include <git2.h>

#include <string>

namespace mcpgw::git {

enum class BranchKind { kLocal, kRemote, kAll };

// `contains` / `not_contains` may be null (no filter).
std::string BranchText(git_repository* repo, BranchKind kind, const git_commit* contains,
                       const git_commit* not_contains);

}  // namespace mcpgw::git
