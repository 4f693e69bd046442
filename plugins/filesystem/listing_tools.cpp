// The tools that walk directories: list_directory,
// list_directory_with_sizes, directory_tree and search_files. Walks never
// follow a symlink into a directory (as in the reference) and never open
// anything except beneath the root.
#include <algorithm>
#include <cctype>

#include "file_format.h"
#include "file_ops.h"
#include "filesystem_tools.h"
#include "glob_match.h"
#include "path_addressing.h"
#include "utf8_text.h"

namespace mcpgw::filesystem {

using nlohmann::json;

namespace {

// The refusal of a listing whose directory (`shown` as the caller sees
// it) holds more than `max_entries`.
[[noreturn]] void RefuseHugeDirectory(const std::string& shown, size_t max_entries) {
  throw ToolRefusal{"Directory " + shown + " has more than " + std::to_string(max_entries) +
                    " entries; this route lists at most " + std::to_string(max_entries) + " entries of a directory"};
}

std::vector<std::string> Patterns(const json& arguments, const char* key) {
  std::vector<std::string> patterns;
  if (arguments.contains(key)) {
    for (const json& pattern : arguments[key]) patterns.push_back(pattern.get<std::string>());
  }
  return patterns;
}

// `pattern` compiled, or a tool error naming it when it cannot be used.
Glob CompilePattern(const std::string& pattern) {
  auto compiled = Glob::Compile(pattern);
  if (auto* reason = std::get_if<std::string>(&compiled)) {
    throw ToolRefusal{"Invalid pattern - " + *reason + ": " + json(pattern).dump()};
  }
  return std::get<Glob>(std::move(compiled));
}

std::vector<Glob> CompilePatterns(const std::vector<std::string>& patterns) {
  std::vector<Glob> globs;
  for (const std::string& pattern : patterns) globs.push_back(CompilePattern(pattern));
  return globs;
}

bool AnyMatches(const std::vector<Glob>& globs, const std::string& relative) {
  return std::any_of(globs.begin(), globs.end(), [&](const Glob& glob) { return glob.Matches(relative); });
}

// An approximation of String.prototype.localeCompare under ICU's root
// collation for the names directories usually hold: letters compare
// case-insensitively, then lower case first; punctuation sorts before
// digits before letters.
int CollationClass(unsigned char c) {
  if (std::isalpha(c)) return 3;
  if (std::isdigit(c)) return 2;
  return c < 0x80 ? 1 : 4;
}

bool LocaleLess(const std::string& a, const std::string& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    const int cx = CollationClass(x), cy = CollationClass(y);
    if (cx != cy) return cx < cy;
    const int lx = std::tolower(x), ly = std::tolower(y);
    if (lx != ly) return lx < ly;
  }
  if (a.size() != b.size()) return a.size() < b.size();
  for (size_t i = 0; i < n; ++i) {  // tertiary difference: lower case first
    if (a[i] != b[i]) return std::islower(static_cast<unsigned char>(a[i])) != 0;
  }
  return false;
}

// directory_tree's excludePatterns as globs: a pattern with a "*" as it
// is; a bare name excludes that file or directory at any depth.
std::vector<Glob> TreeExcludes(const std::vector<std::string>& patterns) {
  std::vector<std::string> expanded;
  for (const std::string& pattern : patterns) {
    expanded.push_back(pattern);
    if (pattern.find('*') != std::string::npos) continue;
    expanded.push_back("**/" + pattern);
    expanded.push_back("**/" + pattern + "/**");
  }
  return CompilePatterns(expanded);
}

struct TreeWalk {
  const ConfinedRoot& root;
  const std::string& given;  // the start, as the caller wrote it
  const std::vector<Glob>& excludes;
  size_t max_entries;
  size_t entries = 0;
};

// Returns false when the walk grew past walk.max_entries.
bool BuildTree(TreeWalk& walk, const std::string& below_root, const std::string& shown_relative,
               nlohmann::ordered_json& out, SysError& error) {
  auto entries = ListEntries(walk.root, below_root, walk.max_entries);
  if (!entries && entries.error().code == kTooManyEntries) {
    RefuseHugeDirectory(shown_relative.empty() ? walk.given : walk.given + "/" + shown_relative, walk.max_entries);
  }
  if (!entries) {
    error = entries.error();
    return false;
  }
  for (const DirectoryEntry& entry : *entries) {
    const std::string name = DecodeUtf8Lossy(entry.name);
    const std::string relative = shown_relative.empty() ? name : shown_relative + "/" + name;
    if (AnyMatches(walk.excludes, relative)) continue;
    if (++walk.entries > walk.max_entries) return false;
    nlohmann::ordered_json node;
    node["name"] = name;
    node["type"] = entry.is_directory ? "directory" : "file";
    if (entry.is_directory) {
      node["children"] = nlohmann::ordered_json::array();
      if (!BuildTree(walk, JoinRelative(below_root, entry.name), relative, node["children"], error)) return false;
    }
    out.push_back(std::move(node));
  }
  return true;
}

}  // namespace

std::vector<DirectoryEntry> FilesystemTools::ListDirectoryOf(const Target& target) const {
  auto entries = ListEntries(*target.root, target.relative, config_.max_listed_entries);
  if (!entries && entries.error().code == kTooManyEntries) RefuseHugeDirectory(target.given, config_.max_listed_entries);
  if (!entries) Fail(entries.error(), target.given);
  return std::move(*entries);
}

json FilesystemTools::ListDirectory(const json& arguments) const {
  const Target target = Resolve(arguments.at("path").get<std::string>());
  const auto entries = ListDirectoryOf(target);
  std::string text;
  for (const DirectoryEntry& entry : entries) {
    if (!text.empty()) text.push_back('\n');
    text += (entry.is_directory ? "[DIR] " : "[FILE] ") + DecodeUtf8Lossy(entry.name);
  }
  return TextAnswer(std::move(text));
}

json FilesystemTools::ListDirectoryWithSizes(const json& arguments) const {
  const Target target = Resolve(arguments.at("path").get<std::string>());
  const auto entries = ListDirectoryOf(target);
  struct Sized {
    std::string name;
    bool is_directory;
    uint64_t size;
  };
  std::vector<Sized> sized;
  for (const DirectoryEntry& entry : entries) {
    // Sizes follow symlinks, but only beneath the root; one that leads
    // elsewhere (or nowhere) shows 0 as the reference shows unreadable ones.
    auto info = StatBeneath(*target.root, JoinRelative(target.relative, entry.name));
    sized.push_back(Sized{DecodeUtf8Lossy(entry.name), entry.is_directory, info ? info->stx_size : 0});
  }
  if (arguments.value("sortBy", std::string("name")) == "size") {
    std::stable_sort(sized.begin(), sized.end(), [](const Sized& a, const Sized& b) { return a.size > b.size; });
  } else {
    std::stable_sort(sized.begin(), sized.end(), [](const Sized& a, const Sized& b) { return LocaleLess(a.name, b.name); });
  }
  std::vector<std::string> lines;
  size_t files = 0, directories = 0;
  uint64_t total = 0;
  for (const Sized& entry : sized) {
    lines.push_back((entry.is_directory ? "[DIR] " : "[FILE] ") + PadEnd(entry.name, 30) + " " +
                    (entry.is_directory ? std::string() : PadStart(FormatSize(static_cast<int64_t>(entry.size)), 10)));
    if (entry.is_directory) {
      ++directories;
    } else {
      ++files;
      total += entry.size;
    }
  }
  lines.push_back("");
  lines.push_back("Total: " + std::to_string(files) + " files, " + std::to_string(directories) + " directories");
  lines.push_back("Combined size: " + FormatSize(static_cast<int64_t>(total)));
  std::string text;
  for (size_t i = 0; i < lines.size(); ++i) text += (i > 0 ? "\n" : "") + lines[i];
  return TextAnswer(std::move(text));
}

json FilesystemTools::DirectoryTree(const json& arguments) const {
  const Target target = Resolve(arguments.at("path").get<std::string>());
  const std::vector<Glob> excludes = TreeExcludes(Patterns(arguments, "excludePatterns"));
  TreeWalk walk{*target.root, target.given, excludes, config_.max_listed_entries};
  nlohmann::ordered_json tree = nlohmann::ordered_json::array();
  SysError error{0, ""};
  if (!BuildTree(walk, target.relative, "", tree, error)) {
    if (error.code != 0) Fail(error, target.given);
    throw ToolRefusal{"Directory tree of " + target.given + " has more than " + std::to_string(walk.max_entries) +
                      " entries; narrow it with excludePatterns or a subdirectory"};
  }
  return TextAnswer(tree.dump(2));
}

json FilesystemTools::SearchFiles(const json& arguments) const {
  const Target target = Resolve(arguments.at("path").get<std::string>());
  const Glob pattern = CompilePattern(arguments.at("pattern").get<std::string>());
  const std::vector<Glob> excludes = CompilePatterns(Patterns(arguments, "excludePatterns"));
  const std::string shown_start = DisplayPath(*target.root_name, target.relative);
  // The start must be a readable directory; below it, unreadable
  // directories and symlinks leading outside the root are skipped.
  const size_t max_entries = config_.max_listed_entries;
  const auto refuse = [&] {
    throw ToolRefusal{"Search below " + target.given + " visited more than " + std::to_string(max_entries) +
                      " entries; narrow it with excludePatterns or a subdirectory"};
  };
  // Every entry listed is visited, so no listing needs more than the
  // visits left.
  auto top = ListEntries(*target.root, target.relative, max_entries);
  if (!top && top.error().code == kTooManyEntries) refuse();
  if (!top) Fail(top.error(), target.given);
  std::vector<std::string> found;
  size_t visited = 0;
  struct Frame {
    std::vector<DirectoryEntry> entries;
    size_t next;
    std::string below_root, relative;
  };
  std::vector<Frame> stack;
  stack.push_back(Frame{std::move(*top), 0, target.relative, ""});
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.next == frame.entries.size()) {
      stack.pop_back();
      continue;
    }
    const DirectoryEntry& entry = frame.entries[frame.next++];
    if (++visited > max_entries) refuse();
    const std::string below_root = JoinRelative(frame.below_root, entry.name);
    const std::string name = DecodeUtf8Lossy(entry.name);
    const std::string relative = frame.relative.empty() ? name : frame.relative + "/" + name;
    if (entry.is_symlink && !StatBeneath(*target.root, below_root)) continue;  // leads outside, or nowhere
    if (AnyMatches(excludes, relative)) continue;
    if (pattern.Matches(relative)) found.push_back(shown_start + "/" + relative);
    if (!entry.is_directory) continue;
    auto children = ListEntries(*target.root, below_root, max_entries - visited);
    if (!children && children.error().code == kTooManyEntries) refuse();
    if (children) stack.push_back(Frame{std::move(*children), 0, below_root, relative});
  }
  if (found.empty()) return TextAnswer("No matches found");
  std::string text;
  for (size_t i = 0; i < found.size(); ++i) text += (i > 0 ? "\n" : "") + found[i];
  return TextAnswer(std::move(text));
}

}  // namespace mcpgw::filesystem
