#include "status_text.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "git_library.h"

namespace mcpgw::git {
namespace {

struct Line {
  std::string label;  // "modified:" etc.; empty for untracked files
  std::string path;
};

struct Sections {
  std::vector<Line> staged, unmerged, unstaged, untracked;
  bool unstaged_deletion = false;
};

std::string Pad(const std::string& label) {
  // git pads every label to the widest one it knows ("typechange:") plus one.
  return label + std::string(label.size() < 12 ? 12 - label.size() : 1, ' ');
}

std::string DeltaPaths(const git_diff_delta* delta) {
  const std::string old_path = delta->old_file.path ? delta->old_file.path : "";
  const std::string new_path = delta->new_file.path ? delta->new_file.path : old_path;
  if (delta->status == GIT_DELTA_RENAMED && old_path != new_path) return QuotePath(old_path) + " -> " + QuotePath(new_path);
  return QuotePath(new_path);
}

const char* IndexLabel(unsigned int status) {
  if (status & GIT_STATUS_INDEX_NEW) return "new file:";
  if (status & GIT_STATUS_INDEX_DELETED) return "deleted:";
  if (status & GIT_STATUS_INDEX_RENAMED) return "renamed:";
  if (status & GIT_STATUS_INDEX_TYPECHANGE) return "typechange:";
  if (status & GIT_STATUS_INDEX_MODIFIED) return "modified:";
  return nullptr;
}

const char* WorkdirLabel(unsigned int status) {
  if (status & GIT_STATUS_WT_DELETED) return "deleted:";
  if (status & GIT_STATUS_WT_RENAMED) return "renamed:";
  if (status & GIT_STATUS_WT_TYPECHANGE) return "typechange:";
  if (status & GIT_STATUS_WT_MODIFIED) return "modified:";
  return nullptr;
}

// Leaving submodules out (above) leaves out their staged changes too: a
// gitlink added to or removed from the index, or moved to another commit.
// Those compare HEAD's tree with the index only, commit ids both, and open
// no submodule repository, so they are listed as git lists them.
void AddStagedGitlinks(git_repository* repo, Sections& sections) {
  git_status_options options = GIT_STATUS_OPTIONS_INIT;
  options.show = GIT_STATUS_SHOW_INDEX_ONLY;
  options.flags = GIT_STATUS_OPT_SORT_CASE_SENSITIVELY;
  git_status_list* raw = nullptr;
  Check(git_status_list_new(&raw, repo, &options), "Cannot read the repository status");
  const StatusList list(raw);
  bool added = false;
  for (size_t i = 0; i < git_status_list_entrycount(list.get()); ++i) {
    const git_status_entry* entry = git_status_byindex(list.get(), i);
    const git_diff_delta* delta = entry->head_to_index;
    if (delta == nullptr ||
        (delta->old_file.mode != GIT_FILEMODE_COMMIT && delta->new_file.mode != GIT_FILEMODE_COMMIT)) {
      continue;
    }
    if (const char* label = IndexLabel(entry->status)) {
      sections.staged.push_back({label, DeltaPaths(delta)});
      added = true;
    }
  }
  if (added) {
    std::stable_sort(sections.staged.begin(), sections.staged.end(),
                     [](const Line& a, const Line& b) { return a.path < b.path; });
  }
}

Sections Collect(git_repository* repo) {
  git_status_options options = GIT_STATUS_OPTIONS_INIT;
  options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  // Submodules are left out: their repositories (a .git file may point
  // outside the root) are never opened.
  options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RENAMES_HEAD_TO_INDEX |
                  GIT_STATUS_OPT_SORT_CASE_SENSITIVELY | GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
  git_status_list* raw = nullptr;
  Check(git_status_list_new(&raw, repo, &options), "Cannot read the repository status");
  const StatusList list(raw);
  Sections sections;
  for (size_t i = 0; i < git_status_list_entrycount(list.get()); ++i) {
    const git_status_entry* entry = git_status_byindex(list.get(), i);
    if (entry->status & GIT_STATUS_CONFLICTED) {
      sections.unmerged.push_back({"both modified:", DeltaPaths(entry->index_to_workdir ? entry->index_to_workdir
                                                                                        : entry->head_to_index)});
      continue;
    }
    if (const char* label = IndexLabel(entry->status)) sections.staged.push_back({label, DeltaPaths(entry->head_to_index)});
    if (const char* label = WorkdirLabel(entry->status)) {
      sections.unstaged.push_back({label, DeltaPaths(entry->index_to_workdir)});
      if (entry->status & GIT_STATUS_WT_DELETED) sections.unstaged_deletion = true;
    }
    if (entry->status & GIT_STATUS_WT_NEW) sections.untracked.push_back({"", DeltaPaths(entry->index_to_workdir)});
  }
  AddStagedGitlinks(repo, sections);
  return sections;
}

std::string Plural(size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

// The upstream branch.<name>.remote / .merge name for branch `head`, mapped
// as the default fetch refspec maps it (refs/remotes/<remote>/<branch>);
// "" when none is configured. git_branch_upstream would do this too, but it
// lists every remote through a regular expression, and libgit2 1.5 leaks
// PCRE2 match data on each non-matching config entry.
std::string UpstreamNameOf(git_repository* repo, git_reference* head) {
  git_config* raw_config = nullptr;
  if (git_repository_config_snapshot(&raw_config, repo) < 0) return "";
  const Config config(raw_config);
  const std::string branch = git_reference_shorthand(head);
  const char* remote = nullptr;
  const char* merge = nullptr;
  if (git_config_get_string(&remote, config.get(), ("branch." + branch + ".remote").c_str()) < 0 ||
      git_config_get_string(&merge, config.get(), ("branch." + branch + ".merge").c_str()) < 0) {
    return "";
  }
  const std::string target = merge;
  if (target.rfind("refs/heads/", 0) != 0) return "";
  if (std::string(remote) == ".") return target;
  return "refs/remotes/" + std::string(remote) + "/" + target.substr(11);
}

// "Your branch is ..." for a branch with an upstream; "" without one.
std::string TrackingText(git_repository* repo, git_reference* head) {
  const std::string upstream_name = UpstreamNameOf(repo, head);
  if (upstream_name.empty()) return "";
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo, upstream_name.c_str()) < 0) {
    const std::string shown = upstream_name.substr(upstream_name.rfind("refs/remotes/", 0) == 0 ? 13 : 11);
    return "Your branch is based on '" + shown +
           "', but the upstream is gone.\n  (use \"git branch --unset-upstream\" to fixup)\n\n";
  }
  const Reference upstream(raw);
  const std::string name = git_reference_shorthand(upstream.get());
  const git_oid* local = git_reference_target(head);
  const git_oid* remote = git_reference_target(upstream.get());
  size_t ahead = 0, behind = 0;
  if (local == nullptr || remote == nullptr || git_graph_ahead_behind(&ahead, &behind, repo, local, remote) < 0) return "";
  std::string text;
  if (ahead == 0 && behind == 0) {
    text = "Your branch is up to date with '" + name + "'.\n";
  } else if (behind == 0) {
    text = "Your branch is ahead of '" + name + "' by " + Plural(ahead, "commit") +
           ".\n  (use \"git push\" to publish your local commits)\n";
  } else if (ahead == 0) {
    text = "Your branch is behind '" + name + "' by " + Plural(behind, "commit") +
           ", and can be fast-forwarded.\n  (use \"git pull\" to update your local branch)\n";
  } else {
    text = "Your branch and '" + name + "' have diverged,\nand have " + std::to_string(ahead) + " and " +
           std::to_string(behind) + " different commits each, respectively.\n" +
           "  (use \"git pull\" to merge the remote branch into yours)\n";
  }
  return text + "\n";
}

// "On branch x" (or the detached form), tracking lines and "No commits yet".
std::string Header(git_repository* repo, bool& unborn) {
  git_reference* raw = nullptr;
  const int rc = git_repository_head(&raw, repo);
  unborn = rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND;
  if (unborn) {
    git_reference* symbolic = nullptr;
    std::string branch = "master";
    if (git_reference_lookup(&symbolic, repo, "HEAD") == 0) {
      const Reference head(symbolic);
      if (const char* target = git_reference_symbolic_target(head.get())) {
        branch = target;
        if (branch.rfind("refs/heads/", 0) == 0) branch.erase(0, 11);
      }
    }
    return "On branch " + branch + "\n\nNo commits yet\n\n";
  }
  Check(rc, "Cannot read HEAD");
  const Reference head(raw);
  if (git_repository_head_detached(repo) == 1) {
    char sha[8];
    git_oid_tostr(sha, sizeof sha, git_reference_target(head.get()));
    return std::string("HEAD detached at ") + sha + "\n";
  }
  return "On branch " + std::string(git_reference_shorthand(head.get())) + "\n" + TrackingText(repo, head.get());
}

void AppendSection(std::string& out, const char* title, const std::vector<const char*>& hints,
                   const std::vector<Line>& lines) {
  if (lines.empty()) return;
  out += std::string(title) + "\n";
  for (const char* hint : hints) out += std::string("  ") + hint + "\n";
  for (const Line& line : lines) out += "\t" + (line.label.empty() ? "" : Pad(line.label)) + line.path + "\n";
  out += "\n";
}

}  // namespace

std::string QuotePath(const std::string& path) {
  bool plain = true;
  for (unsigned char c : path) plain = plain && c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
  if (plain) return path;
  std::string out = "\"";
  for (unsigned char c : path) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\v': out += "\\v"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c >= 0x20 && c < 0x7F) {
          out += static_cast<char>(c);
        } else {
          char octal[5];
          std::snprintf(octal, sizeof octal, "\\%03o", c);
          out += octal;
        }
    }
  }
  return out + "\"";
}

std::string StatusText(git_repository* repo) {
  bool unborn = false;
  std::string out = Header(repo, unborn);
  const Sections s = Collect(repo);
  AppendSection(out, "Changes to be committed:",
                {unborn ? "(use \"git rm --cached <file>...\" to unstage)"
                        : "(use \"git restore --staged <file>...\" to unstage)"},
                s.staged);
  AppendSection(out, "Unmerged paths:", {"(use \"git add <file>...\" to mark resolution)"}, s.unmerged);
  AppendSection(out, "Changes not staged for commit:",
                {s.unstaged_deletion ? "(use \"git add/rm <file>...\" to update what will be committed)"
                                     : "(use \"git add <file>...\" to update what will be committed)",
                 "(use \"git restore <file>...\" to discard changes in working directory)"},
                s.unstaged);
  AppendSection(out, "Untracked files:", {"(use \"git add <file>...\" to include in what will be committed)"},
                s.untracked);
  if (s.staged.empty()) {
    if (!s.unstaged.empty() || !s.unmerged.empty()) {
      out += "no changes added to commit (use \"git add\" and/or \"git commit -a\")\n";
    } else if (!s.untracked.empty()) {
      out += "nothing added to commit but untracked files present (use \"git add\" to track)\n";
    } else if (unborn) {
      out += "nothing to commit (create/copy files and use \"git add\" to track)\n";
    } else {
      out += "nothing to commit, working tree clean\n";
    }
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();  // GitPython strips one final newline
  return out;
}

}  // namespace mcpgw::git
