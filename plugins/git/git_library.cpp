#include "git_library.h"

namespace mcpgw::git {
namespace {

void SetOption(int rc, const char* option) {
  if (rc < 0) throw std::runtime_error(std::string("git: cannot set libgit2 option ") + option + ": " + LastGitErrorMessage());
}

}  // namespace

GitLibrary::GitLibrary() {
  if (git_libgit2_init() < 0) throw std::runtime_error("git: libgit2 failed to initialise: " + LastGitErrorMessage());
  SetOption(git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 1), "owner validation");
  for (const git_config_level_t level :
       {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_PROGRAMDATA}) {
    SetOption(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, ""), "config search path");
  }
  SetOption(git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1), "fsync");
}

GitLibrary::~GitLibrary() { git_libgit2_shutdown(); }

std::string LastGitErrorMessage() {
  const git_error* error = git_error_last();
  return error != nullptr && error->message != nullptr ? std::string(error->message) : std::string();
}

void Check(int rc, std::string_view what) {
  if (rc >= 0) return;
  const std::string detail = LastGitErrorMessage();
  throw GitRefusal(std::string(what) + (detail.empty() ? "" : ": " + detail));
}

Commit ResolveCommit(git_repository* repo, const std::string& spec, std::string_view what) {
  if (spec.empty() || spec[0] == '-') {
    throw GitRefusal("Invalid " + std::string(what) + ": '" + spec + "' - cannot be empty or start with '-'");
  }
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, spec.c_str()) < 0) {
    throw GitRefusal("Unknown " + std::string(what) + " '" + spec + "': " + LastGitErrorMessage());
  }
  const Object object(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) < 0) {
    throw GitRefusal("'" + spec + "' does not name a commit");
  }
  return Commit(reinterpret_cast<git_commit*>(peeled));
}

Commit HeadCommitOrNull(git_repository* repo) {
  git_reference* head = nullptr;
  const int rc = git_repository_head(&head, repo);
  if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) return nullptr;
  Check(rc, "Cannot read HEAD");
  const Reference owned(head);
  git_object* peeled = nullptr;
  Check(git_reference_peel(&peeled, owned.get(), GIT_OBJECT_COMMIT), "HEAD does not point at a commit");
  return Commit(reinterpret_cast<git_commit*>(peeled));
}

}  // namespace mcpgw::git
