#include "diff_text.h"

#include <climits>
#include <string_view>

namespace mcpgw::git {
namespace {

git_diff_options Options(const DiffSettings& settings) {
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.context_lines = settings.context_lines;
  // Never open a submodule's repository: its .git file may point anywhere,
  // outside the root too. A gitlink counts as unchanged against the working tree.
  options.ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
  options.max_size = static_cast<git_off_t>(settings.max_blob_bytes > INT64_MAX ? INT64_MAX : settings.max_blob_bytes);
  return options;
}

// Renames as git's diff.renames default shows them.
Diff WithRenames(git_diff* raw, int rc) {
  Diff diff(raw);
  Check(rc, "Cannot compute the diff");
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  Check(git_diff_find_similar(diff.get(), &find), "Cannot detect renames");
  return diff;
}

Tree TreeOf(const git_commit* commit) {
  git_tree* tree = nullptr;
  Check(git_commit_tree(&tree, commit), "Cannot read the commit's tree");
  return Tree(tree);
}

struct Printer {
  BoundedText* out;
  bool show_layout;
};

std::string PathOrNone(const git_diff_file& file, bool exists) {
  return exists && file.path != nullptr ? std::string(file.path) : std::string("None");
}

int PrintLine(const git_diff_delta* delta, const git_diff_hunk*, const git_diff_line* line, void* payload) {
  const Printer& printer = *static_cast<Printer*>(payload);
  BoundedText& out = *printer.out;
  const std::string_view content(line->content, line->content_len);
  bool more = true;
  switch (line->origin) {
    case GIT_DIFF_LINE_CONTEXT:
    case GIT_DIFF_LINE_ADDITION:
    case GIT_DIFF_LINE_DELETION:
      more = out.Append(std::string_view(&line->origin, 1)) && out.Append(content);
      break;
    case GIT_DIFF_LINE_FILE_HDR:
      if (printer.show_layout) {
        more = out.Append("\n--- " + PathOrNone(delta->old_file, delta->status != GIT_DELTA_ADDED) + "\n+++ " +
                          PathOrNone(delta->new_file, delta->status != GIT_DELTA_DELETED) + "\n");
      } else {
        more = out.Append(content);
      }
      break;
    default:  // hunk headers, "Binary files ... differ", "\ No newline at end of file"
      more = out.Append(content);
  }
  return more ? 0 : 1;  // nonzero stops libgit2: the budget is spent
}

void Print(git_diff* diff, BoundedText& out, bool show_layout) {
  Printer printer{&out, show_layout};
  const int rc = git_diff_print(diff, GIT_DIFF_FORMAT_PATCH, &PrintLine, &printer);
  if (!out.full()) Check(rc, "Cannot print the diff");
}

}  // namespace

Diff UnstagedDiff(git_repository* repo, const DiffSettings& settings) {
  const git_diff_options options = Options(settings);
  git_diff* raw = nullptr;
  const int rc = git_diff_index_to_workdir(&raw, repo, nullptr, &options);
  return WithRenames(raw, rc);
}

Diff StagedDiff(git_repository* repo, const DiffSettings& settings) {
  const git_diff_options options = Options(settings);
  const Commit head = HeadCommitOrNull(repo);
  const Tree tree = head ? TreeOf(head.get()) : nullptr;
  git_diff* raw = nullptr;
  const int rc = git_diff_tree_to_index(&raw, repo, tree.get(), nullptr, &options);
  return WithRenames(raw, rc);
}

Diff TargetDiff(git_repository* repo, const git_commit* target, const DiffSettings& settings) {
  const git_diff_options options = Options(settings);
  const Tree tree = TreeOf(target);
  git_diff* raw = nullptr;
  const int rc = git_diff_tree_to_workdir_with_index(&raw, repo, tree.get(), &options);
  return WithRenames(raw, rc);
}

Diff CommitDiff(git_repository* repo, const git_commit* commit, const DiffSettings& settings) {
  const git_diff_options options = Options(settings);
  Tree parent_tree;
  if (git_commit_parentcount(commit) > 0) {
    git_commit* parent = nullptr;
    Check(git_commit_parent(&parent, commit, 0), "Cannot read the commit's parent");
    const Commit owned(parent);
    parent_tree = TreeOf(owned.get());
  }
  const Tree tree = TreeOf(commit);
  git_diff* raw = nullptr;
  const int rc = git_diff_tree_to_tree(&raw, repo, parent_tree.get(), tree.get(), &options);
  return WithRenames(raw, rc);
}

void PrintPatch(git_diff* diff, BoundedText& out) { Print(diff, out, false); }

void PrintShowPatches(git_diff* diff, BoundedText& out) { Print(diff, out, true); }

}  // namespace mcpgw::git
