// The tools that change a repository: add, commit, reset, create_branch
// and checkout. None runs a hook (libgit2 has no hook support), none
// touches the network, and checkout never overwrites local changes.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "tool_handlers.h"

namespace mcpgw::git {
namespace {

using nlohmann::json;

Index IndexOf(git_repository* repo) {
  git_index* raw = nullptr;
  Check(git_repository_index(&raw, repo), "Cannot read the index");
  return Index(raw);
}

void WriteIndex(git_index* index) {
  const int rc = git_index_write(index);
  if (rc == GIT_ELOCKED) throw GitRefusal("Another operation holds the index lock (index.lock); try again");
  Check(rc, "Cannot write the index");
}

// A name or email git accepts in a signature: no angle brackets or line breaks.
std::string SignaturePart(std::string text) {
  text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == '<' || c == '>' || c == '\n' || c == '\r'; }),
             text.end());
  return text;
}

Signature PrincipalSignature(const Caller& caller) {
  const std::string subject = caller.subject.empty() ? "mcp-gateway" : caller.subject;
  std::string email = subject;
  if (email.find('@') == std::string::npos) email += "@" + (caller.tenant.empty() ? "mcp-gateway" : caller.tenant);
  git_signature* raw = nullptr;
  Check(git_signature_now(&raw, SignaturePart(subject).c_str(), SignaturePart(email).c_str()),
        "Cannot build the commit author from the caller's identity");
  return Signature(raw);
}

Signature CommitSignature(git_repository* repo, const ToolContext& context) {
  if (context.options.commit_identity == CommitIdentity::kRepository) {
    git_signature* raw = nullptr;
    if (git_signature_default(&raw, repo) == 0) return Signature(raw);  // the repository's user.name / user.email
  }
  return PrincipalSignature(context.caller);
}

// Stages deletions of paths gone from the working tree; a path that is in
// neither the working tree nor the index matches nothing, as git says.
void StageRemoval(git_index* index, const std::string& path) {
  size_t position = 0;
  const bool tracked_file = git_index_find(&position, index, path.c_str()) == 0;
  const bool tracked_dir = git_index_find_prefix(&position, index, (path + "/").c_str()) == 0;
  if (!tracked_file && !tracked_dir) throw GitRefusal("pathspec '" + path + "' did not match any files");
  if (tracked_file) Check(git_index_remove_bypath(index, path.c_str()), "Cannot stage the removal of '" + path + "'");
  if (tracked_dir) Check(git_index_remove_directory(index, path.c_str(), 0), "Cannot stage the removal of '" + path + "'");
}

struct Staging {
  git_index* index;
  std::string workdir;  // with its trailing '/'
};

// git_add leaves a gitlink (a submodule) still in the working tree as the
// index records it: staging it would record the HEAD of whatever
// repository its .git file names, outside the root too. Its removal is
// staged as usual.
int SkipGitlinks(const char* path, const char*, void* payload) {
  const Staging& staging = *static_cast<const Staging*>(payload);
  const git_index_entry* entry = git_index_get_bypath(staging.index, path, 0);
  if (entry == nullptr || entry->mode != GIT_FILEMODE_COMMIT) return 0;
  struct stat st {};
  const bool gone = ::lstat((staging.workdir + path).c_str(), &st) != 0 && errno == ENOENT;
  return gone ? 0 : 1;  // > 0 skips the path
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  return out;
}

struct Conflicts {
  std::vector<std::string> paths;
};

int NoteConflict(git_checkout_notify_t, const char* path, const git_diff_file*, const git_diff_file*,
                 const git_diff_file*, void* payload) {
  static_cast<Conflicts*>(payload)->paths.emplace_back(path);
  return 0;  // keep collecting; the checkout is refused as a whole
}

// Checks out `commit`'s tree without overwriting anything changed locally.
void SafeCheckout(git_repository* repo, const git_commit* commit) {
  git_object* tree = nullptr;
  Check(git_object_lookup(&tree, repo, git_commit_tree_id(commit), GIT_OBJECT_TREE), "Cannot read the tree");
  const Object owned(tree);
  Conflicts conflicts;
  git_checkout_options options = GIT_CHECKOUT_OPTIONS_INIT;
  options.checkout_strategy = GIT_CHECKOUT_SAFE;
  options.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT;
  options.notify_cb = &NoteConflict;
  options.notify_payload = &conflicts;
  const int rc = git_checkout_tree(repo, owned.get(), &options);
  if (rc == GIT_ECONFLICT || !conflicts.paths.empty()) {
    std::string message = "Your local changes to the following files would be overwritten by checkout:\n";
    for (const std::string& path : conflicts.paths) message += "\t" + path + "\n";
    throw GitRefusal(message + "Please commit your changes or stash them before you switch branches.");
  }
  Check(rc, "Cannot check out");
}

void RefuseOption(const std::string& value, const char* what) {
  if (!value.empty() && value[0] == '-') {
    throw GitRefusal("Invalid " + std::string(what) + ": '" + value + "' - cannot start with '-'");
  }
}

}  // namespace

std::string GitAddTool(const ConfinedRepository& repo, const json& args, const ToolContext&) {
  const Pathspecs pathspecs = repo.WorkdirPathspecs(args.at("files").get<std::vector<std::string>>());
  const Index index = IndexOf(repo.get());
  Staging staging{index.get(), git_repository_workdir(repo.get())};
  if (pathspecs.whole_tree) {
    Check(git_index_add_all(index.get(), nullptr, GIT_INDEX_ADD_DEFAULT, &SkipGitlinks, &staging),
          "Cannot stage the files");
    Check(git_index_update_all(index.get(), nullptr, &SkipGitlinks, &staging), "Cannot stage the removals");
  } else {
    for (const std::string& path : pathspecs.missing) StageRemoval(index.get(), path);
    std::vector<std::string> present = pathspecs.paths;
    if (!present.empty()) {
      std::vector<char*> strings = CStrings(present);
      const git_strarray array{strings.data(), strings.size()};
      Check(git_index_add_all(index.get(), &array, GIT_INDEX_ADD_DISABLE_PATHSPEC_MATCH, &SkipGitlinks, &staging),
            "Cannot stage the files");
    }
  }
  WriteIndex(index.get());
  return "Files staged successfully";
}

std::string GitCommitTool(const ConfinedRepository& repo, const json& args, const ToolContext& context) {
  const std::string message = args.at("message").get<std::string>();
  const Index index = IndexOf(repo.get());
  if (git_index_has_conflicts(index.get()) == 1) throw GitRefusal("The index has unresolved conflicts; resolve them first");
  git_oid tree_id;
  Check(git_index_write_tree(&tree_id, index.get()), "Cannot write the index as a tree");
  git_tree* raw_tree = nullptr;
  Check(git_tree_lookup(&raw_tree, repo.get(), &tree_id), "Cannot read the new tree");
  const Tree tree(raw_tree);
  const Commit head = HeadCommitOrNull(repo.get());
  const git_commit* parents[] = {head.get()};
  const Signature who = CommitSignature(repo.get(), context);
  git_oid id;
  Check(git_commit_create(&id, repo.get(), "HEAD", who.get(), who.get(), nullptr, message.c_str(), tree.get(),
                          head ? 1 : 0, parents),
        "Cannot create the commit");
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &id);
  return std::string("Changes committed successfully with hash ") + hex;
}

std::string GitResetTool(const ConfinedRepository& repo, const json&, const ToolContext&) {
  const Index index = IndexOf(repo.get());
  const Commit head = HeadCommitOrNull(repo.get());
  if (head) {
    git_tree* raw = nullptr;
    Check(git_commit_tree(&raw, head.get()), "Cannot read HEAD's tree");
    const Tree tree(raw);
    Check(git_index_read_tree(index.get(), tree.get()), "Cannot reset the index");
  } else {
    Check(git_index_clear(index.get()), "Cannot reset the index");  // nothing committed: nothing staged remains
  }
  WriteIndex(index.get());
  return "All staged changes reset";
}

std::string GitCreateBranchTool(const ConfinedRepository& repo, const json& args, const ToolContext&) {
  const std::string name = args.at("branch_name").get<std::string>();
  const auto base_arg = args.find("base_branch");
  const std::string base_branch = base_arg == args.end() || base_arg->is_null() ? "" : base_arg->get<std::string>();
  RefuseOption(name, "branch name");
  RefuseOption(base_branch, "base branch");
  int valid = 0;
  if (git_branch_name_is_valid(&valid, name.c_str()) < 0 || valid == 0) {
    throw GitRefusal("'" + name + "' is not a valid branch name");
  }
  git_reference* raw = nullptr;
  if (!base_branch.empty()) {
    if (git_reference_dwim(&raw, repo.get(), base_branch.c_str()) < 0) {
      throw GitRefusal("No branch, tag or remote branch named '" + base_branch + "'");
    }
  } else if (git_repository_head_detached(repo.get()) == 1) {
    throw GitRefusal("HEAD is detached, so there is no current branch to start from; pass base_branch");
  } else if (git_repository_head(&raw, repo.get()) < 0) {
    throw GitRefusal("The current branch has no commits yet; pass base_branch or commit first");
  }
  const Reference base(raw);
  git_object* peeled = nullptr;
  Check(git_reference_peel(&peeled, base.get(), GIT_OBJECT_COMMIT), "'" + base_branch + "' does not point at a commit");
  const Commit commit(reinterpret_cast<git_commit*>(peeled));

  git_reference* created = nullptr;
  const int rc = git_branch_create(&created, repo.get(), name.c_str(), commit.get(), 0);
  const Reference owned(created);
  if (rc == GIT_EEXISTS) {
    // GitPython's create_head accepts an existing branch at the same commit.
    git_reference* existing = nullptr;
    Check(git_branch_lookup(&existing, repo.get(), name.c_str(), GIT_BRANCH_LOCAL), "Cannot read branch '" + name + "'");
    const Reference same(existing);
    const git_oid* target = git_reference_target(same.get());
    if (target == nullptr || git_oid_equal(target, git_commit_id(commit.get())) == 0) {
      throw GitRefusal("A branch named '" + name + "' already exists");
    }
  } else {
    Check(rc, "Cannot create branch '" + name + "'");
  }
  return "Created branch '" + name + "' from '" + git_reference_shorthand(base.get()) + "'";
}

std::string GitCheckoutTool(const ConfinedRepository& repo, const json& args, const ToolContext&) {
  repo.RequireWorkdir("git_checkout");
  const std::string name = args.at("branch_name").get<std::string>();
  RefuseOption(name, "branch name");
  git_reference* raw = nullptr;
  if (git_branch_lookup(&raw, repo.get(), name.c_str(), GIT_BRANCH_LOCAL) == 0) {
    const Reference branch(raw);
    git_object* peeled = nullptr;
    Check(git_reference_peel(&peeled, branch.get(), GIT_OBJECT_COMMIT), "Branch '" + name + "' has no commit");
    const Commit commit(reinterpret_cast<git_commit*>(peeled));
    SafeCheckout(repo.get(), commit.get());
    Check(git_repository_set_head(repo.get(), git_reference_name(branch.get())), "Cannot switch HEAD");
  } else {
    // Any other revision checks out detached, as `git checkout <commit>` does.
    const Commit commit = ResolveCommit(repo.get(), name, "branch name");
    SafeCheckout(repo.get(), commit.get());
    Check(git_repository_set_head_detached(repo.get(), git_commit_id(commit.get())), "Cannot switch HEAD");
  }
  return "Switched to branch '" + name + "'";
}

}  // namespace mcpgw::git
