// git_status's text: `git status` in its long format, as the reference
// returns it (GitPython runs the git CLI and strips the final newline).
// Reproduced: the branch line (or "HEAD detached at <sha>"), upstream
// ahead/behind lines, "No commits yet", the staged, unmerged, unstaged and
// untracked sections with git's hints and label widths, and git's closing
// line. Paths are quoted as git quotes them (core.quotePath).
#pragma once

#include <git2.h>

#include <string>

namespace mcpgw::git {

std::string StatusText(git_repository* repo);

// A path as git prints it: unchanged when plain, else C-quoted with octal
// escapes for bytes outside printable ASCII.
std::string QuotePath(const std::string& path);

}  // namespace mcpgw::git
