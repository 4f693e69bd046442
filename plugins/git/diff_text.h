// The diffs of git_diff_unstaged, git_diff_staged, git_diff and git_show.
//
// The first three print libgit2's patch format, which is git's own (`diff
// --git` header, index line, ---/+++, hunks, "\ No newline at end of
// file", "Binary files ... differ"), with rename detection as git's
// diff.renames default. git_show prints the reference's layout instead:
// for each file "\n--- <old path>\n+++ <new path>\n" and then only the
// hunks (GitPython's Diff.diff), with "None" for the side that does not
// exist, as the reference's f-string prints it.
//
// Blobs larger than max_blob_bytes (16 times the output budget) are
// treated as binary: libgit2 loads each blob it diffs whole, and the diff
// of a file that large could not be shown within the budget anyway.
#pragma once

#include <git2.h>

#include <cstdint>
#include <string>

#include "bounded_text.h"
#include "git_library.h"

namespace mcpgw::git {

struct DiffSettings {
  uint32_t context_lines = 3;
  uint64_t max_blob_bytes = 1024 * 1024;
};

// Working tree against the index (`git diff`).
Diff UnstagedDiff(git_repository* repo, const DiffSettings& settings);
// The index against HEAD (`git diff --cached`); an unborn HEAD is the empty tree.
Diff StagedDiff(git_repository* repo, const DiffSettings& settings);
// The working tree (with the index) against `target`'s tree (`git diff <target>`).
Diff TargetDiff(git_repository* repo, const git_commit* target, const DiffSettings& settings);
// `commit` against its first parent, or against the empty tree for a root commit.
Diff CommitDiff(git_repository* repo, const git_commit* commit, const DiffSettings& settings);

// Writes `diff` as git's patch text; stops once `out` is full.
void PrintPatch(git_diff* diff, BoundedText& out);
// Writes `diff` in git_show's per-file layout; stops once `out` is full.
void PrintShowPatches(git_diff* diff, BoundedText& out);

}  // namespace mcpgw::git
