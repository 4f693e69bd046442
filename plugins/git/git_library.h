// libgit2 as this plugin uses it: one process-wide initialisation with the
// settings that keep a repository from reaching past itself, owning handles
// for its objects, and the refusal that turns a failed step into a tool error.
#pragma once

#include <git2.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mcpgw::git {

// Holds libgit2 initialised (reference-counted by libgit2 itself) and applies
// the process-wide settings every repository is opened under:
//  - owner validation on: a repository not owned by the gateway's user is
//    refused (libgit2's safe.directory check);
//  - no system, XDG or global configuration: a repository sees only its own
//    config, never the gateway host's ~/.gitconfig or /etc/gitconfig;
//  - fsync of objects and refs, so an acknowledged commit survives a crash.
// libgit2 itself never runs hooks, filter or diff drivers, fsmonitor, or
// any other program, and this plugin offers no network operation.
class GitLibrary {
 public:
  GitLibrary();
  ~GitLibrary();
  GitLibrary(const GitLibrary&) = delete;
  GitLibrary& operator=(const GitLibrary&) = delete;
};

// What the caller asked for cannot be done (an unknown revision, a path
// outside the root, a conflicting checkout). The tool layer answers it as a
// CallToolResult with isError and this message.
class GitRefusal : public std::runtime_error {
 public:
  explicit GitRefusal(const std::string& message) : std::runtime_error(message) {}
};

// libgit2's message for the last failure on this thread ("" when none).
std::string LastGitErrorMessage();

// Throws GitRefusal("<what>: <libgit2's message>") when `rc` < 0.
void Check(int rc, std::string_view what);

template <auto Free>
struct GitFree {
  template <typename T>
  void operator()(T* object) const {
    Free(object);
  }
};

using Repository = std::unique_ptr<git_repository, GitFree<&git_repository_free>>;
using Index = std::unique_ptr<git_index, GitFree<&git_index_free>>;
using Object = std::unique_ptr<git_object, GitFree<&git_object_free>>;
using Commit = std::unique_ptr<git_commit, GitFree<&git_commit_free>>;
using Tree = std::unique_ptr<git_tree, GitFree<&git_tree_free>>;
using Reference = std::unique_ptr<git_reference, GitFree<&git_reference_free>>;
using Diff = std::unique_ptr<git_diff, GitFree<&git_diff_free>>;
using StatusList = std::unique_ptr<git_status_list, GitFree<&git_status_list_free>>;
using RevWalk = std::unique_ptr<git_revwalk, GitFree<&git_revwalk_free>>;
using BranchIterator = std::unique_ptr<git_branch_iterator, GitFree<&git_branch_iterator_free>>;
using Signature = std::unique_ptr<git_signature, GitFree<&git_signature_free>>;
using Config = std::unique_ptr<git_config, GitFree<&git_config_free>>;
using ConfigIterator = std::unique_ptr<git_config_iterator, GitFree<&git_config_iterator_free>>;

// Owns the strings of a git_buf that libgit2 filled.
class Buffer {
 public:
  Buffer() = default;
  ~Buffer() { git_buf_dispose(&buf_); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  git_buf* get() { return &buf_; }
  std::string_view view() const { return buf_.ptr ? std::string_view(buf_.ptr, buf_.size) : std::string_view(); }

 private:
  git_buf buf_ = GIT_BUF_INIT;
};

// The commit `spec` names (a revision: sha, branch, tag, HEAD~2, ...), or a
// refusal that quotes `spec`. Specs starting with '-' are refused as the
// reference refuses them.
Commit ResolveCommit(git_repository* repo, const std::string& spec, std::string_view what);

// HEAD's commit, or null when HEAD is unborn (a repository with no commit yet).
Commit HeadCommitOrNull(git_repository* repo);

}  // namespace mcpgw::git
