#include "branch_text.h"

#include <algorithm>
#include <vector>

#include "git_library.h"

namespace mcpgw::git {
namespace {

struct Listed {
  std::string refname;  // sorts the output as git does
  std::string line;
};

// True when the commit `tip` passes the --contains / --no-contains filters.
bool Passes(git_repository* repo, const git_oid* tip, const git_commit* contains, const git_commit* not_contains) {
  const auto reaches = [&](const git_commit* commit) {
    const git_oid* wanted = git_commit_id(commit);
    return git_oid_equal(tip, wanted) != 0 || git_graph_descendant_of(repo, tip, wanted) == 1;
  };
  if (contains != nullptr && !reaches(contains)) return false;
  if (not_contains != nullptr && reaches(not_contains)) return false;
  return true;
}

// The commit a branch reference ends at (following a symbolic one), or null.
bool TipOf(git_reference* ref, git_oid& tip) {
  git_reference* resolved = nullptr;
  if (git_reference_resolve(&resolved, ref) < 0) return false;
  const Reference owned(resolved);
  git_object* peeled = nullptr;
  if (git_reference_peel(&peeled, owned.get(), GIT_OBJECT_COMMIT) < 0) return false;
  const Object commit(peeled);
  git_oid_cpy(&tip, git_object_id(commit.get()));
  return true;
}

void Collect(git_repository* repo, git_branch_t type, bool all, const git_commit* contains,
             const git_commit* not_contains, std::vector<Listed>& out) {
  git_branch_iterator* raw = nullptr;
  Check(git_branch_iterator_new(&raw, repo, type), "Cannot list branches");
  const BranchIterator iterator(raw);
  git_reference* ref = nullptr;
  git_branch_t found_type{};
  while (git_branch_next(&ref, &found_type, iterator.get()) == 0) {
    const Reference owned(ref);
    git_oid tip;
    if (!TipOf(owned.get(), tip) || !Passes(repo, &tip, contains, not_contains)) continue;
    const bool remote = found_type == GIT_BRANCH_REMOTE;
    std::string name = git_reference_shorthand(owned.get());
    std::string line = (git_branch_is_head(owned.get()) == 1 ? "* " : "  ") +
                       std::string(remote && all ? "remotes/" : "") + name;
    if (git_reference_type(owned.get()) == GIT_REFERENCE_SYMBOLIC) {
      std::string target = git_reference_symbolic_target(owned.get());
      if (target.rfind("refs/remotes/", 0) == 0) target.erase(0, 13);
      line += " -> " + target;
    }
    out.push_back({git_reference_name(owned.get()), std::move(line)});
  }
}

}  // namespace

std::string BranchText(git_repository* repo, BranchKind kind, const git_commit* contains,
                       const git_commit* not_contains) {
  std::vector<Listed> listed;
  if (kind != BranchKind::kRemote) {
    Collect(repo, GIT_BRANCH_LOCAL, kind == BranchKind::kAll, contains, not_contains, listed);
  }
  if (kind != BranchKind::kLocal) {
    Collect(repo, GIT_BRANCH_REMOTE, kind == BranchKind::kAll, contains, not_contains, listed);
  }
  std::sort(listed.begin(), listed.end(), [](const Listed& a, const Listed& b) { return a.refname < b.refname; });
  std::string out;
  if (kind != BranchKind::kRemote && git_repository_head_detached(repo) == 1) {
    const Commit head = HeadCommitOrNull(repo);
    if (head && Passes(repo, git_commit_id(head.get()), contains, not_contains)) {
      char sha[8];
      git_oid_tostr(sha, sizeof sha, git_commit_id(head.get()));
      out += std::string("* (HEAD detached at ") + sha + ")\n";
    }
  }
  for (const Listed& entry : listed) out += entry.line + "\n";
  if (!out.empty()) out.pop_back();
  return out;
}

}  // namespace mcpgw::git
