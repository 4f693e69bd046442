// A repository opened only when everything it consists of lies beneath the
// root its repo_path resolved under.
//
// repo_path is resolved by the kernel beneath a configured root (see
// RepoRoots); libgit2 then opens the repository at that canonical path
// without searching parent directories and without reading GIT_DIR or any
// other environment variable. Before any tool touches it, the repository's
// git directory, common directory (linked worktrees), working directory
// (core.worktree) and object alternates are each resolved to canonical paths
// and must lie beneath the same root: a `.git` file saying "gitdir:
// /elsewhere", a core.worktree pointing out, or an alternates file reading
// another repository's objects are refused.
//
// The git directory and the common directory are then walked (one readdir
// pass per directory, at most 64 levels deep, entering real directories with
// O_NOFOLLOW). libgit2 follows symbolic links there: objects, refs/heads, a
// pack, the index, config or packed-refs linked elsewhere would be read, or
// written, wherever they point. A link is therefore accepted only when it
// resolves (realpath) beneath the same root, as hooks linked from the working
// tree or git-new-workdir's links do; a dangling link or one leading outside
// the root refuses the repository, naming the link's path. A directory a
// link leads to is walked by the same rule (each directory once, so a link
// back up does not loop). The walk checks the tree as it is when the
// repository is opened; someone with write access to the root who swaps a
// directory for a link between the check and libgit2's use of it (TOCTOU) is
// not stopped. The tools themselves never create a symbolic link inside a git
// directory.
//
// An include.path or includeIf.<condition>.path entry in the repository's
// own config is accepted only when the file it names (absolute, or relative
// to the directory of the config file) lies beneath the same root per
// realpath; one leading elsewhere, starting with `~`, or relative inside an
// included file is refused: libgit2 reads the included file wherever it lies
// (user.name and user.email from outside the root would sign commits under
// commit_identity "repository").
#pragma once

#include <string>
#include <vector>

#include "git_library.h"
#include "repo_roots.h"

namespace mcpgw::git {

// What git_add stages: the whole working tree, or these literal paths.
struct Pathspecs {
  bool whole_tree = false;
  std::vector<std::string> paths;    // relative to the working tree, normalised; present there
  std::vector<std::string> missing;  // the same, for paths gone from the working tree (deletions)
};

class ConfinedRepository {
 public:
  // Throws GitRefusal with a message for the client.
  static ConfinedRepository Open(const RepoRoots& roots, const std::string& repo_path);

  git_repository* get() const { return repo_.get(); }
  bool bare() const { return workdir_.empty(); }

  // Tools that read or write the working tree refuse a bare repository.
  void RequireWorkdir(const char* tool) const;

  // git_add's file arguments as literal pathspecs relative to the working
  // tree: each (relative to the working tree, or absolute beneath it) is
  // resolved by the kernel beneath the working tree without following any
  // symbolic link on the way, so `..`, absolute paths elsewhere and
  // directories that are symlinks out are refused. "." means everything.
  Pathspecs WorkdirPathspecs(const std::vector<std::string>& files) const;

 private:
  ConfinedRepository(Repository repo, std::string workdir, UniqueFd workdir_fd, std::string client_workdir)
      : repo_(std::move(repo)),
        workdir_(std::move(workdir)),
        workdir_fd_(std::move(workdir_fd)),
        client_workdir_(std::move(client_workdir)) {}

  std::string RelativeToWorkdir(const std::string& file) const;

  Repository repo_;
  std::string workdir_;         // canonical, without trailing '/'; empty when bare
  UniqueFd workdir_fd_;         // O_PATH, opened beneath the root
  std::string client_workdir_;  // repo_path as the client wrote it, when it named the working tree
};

}  // namespace mcpgw::git
