#include "confined_repository.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <climits>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>

namespace mcpgw::git {
namespace {

// The canonical form of `path`, or "" when it does not exist.
std::string RealPath(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr), &std::free);
  return resolved ? std::string(resolved.get()) : std::string();
}

// The canonical form of `path`, which must lie beneath the root.
std::string RequireWithin(const char* what, const char* path, const Root& root) {
  const std::string canonical = path != nullptr ? RealPath(path) : std::string();
  if (canonical.empty() || !PathWithin(canonical, root.canonical)) {
    throw GitRefusal(std::string("The repository's ") + what +
                     " lies outside the allowed root (a .git file, core.worktree or a linked worktree pointing "
                     "elsewhere); refusing to open it");
  }
  return canonical;
}

// objects/info/alternates lets a repository read another's objects: each
// entry, and the entries of its own alternates (libgit2 follows them a few
// levels deep), must lie beneath the root too.
void RequireAlternatesWithin(const std::string& objects, const Root& root, int depth = 0) {
  std::ifstream alternates(objects + "/info/alternates");
  std::string line;
  while (std::getline(alternates, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::string canonical = RealPath(line[0] == '/' ? line : objects + "/" + line);
    if (canonical.empty()) continue;  // a missing alternate lends nothing
    if (!PathWithin(canonical, root.canonical) || depth >= 5) {
      throw GitRefusal("The repository borrows objects from outside the allowed root (objects/info/alternates); "
                       "refusing to open it");
    }
    RequireAlternatesWithin(canonical, root, depth + 1);
  }
}

// How deep the walk of a git directory goes: far beyond anything git makes
// (refs/heads/a/b/c is four), and a bound on a planted tree of directories.
constexpr int kMaxGitDirDepth = 64;

struct CloseDir {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using DirStream = std::unique_ptr<DIR, CloseDir>;

[[noreturn]] void RefuseSymlink(const char* what, const std::string& relative, const char* why) {
  throw GitRefusal("'" + relative + "' in the repository's " + what + " is a symbolic link " + why +
                   "; the repository is refused");
}

[[noreturn]] void RefuseUninspectable(const char* what, const std::string& relative, int error) {
  throw GitRefusal("Cannot inspect '" + relative + "' in the repository's " + what + " (" + std::strerror(error) +
                   "); the repository is refused");
}

// Walks a git directory for symbolic links that lead out of the root.
class GitDirWalk {
 public:
  GitDirWalk(const char* what, const RepoRoots& roots, const Root& root) : what_(what), roots_(roots), root_(root) {}

  // Walks the directory at `canonical` (beneath the root), shown as
  // `relative` ("" for the top), `depth` levels down.
  void Walk(const std::string& canonical, const std::string& relative, int depth) {
    if (!walked_.insert(canonical).second) return;  // reached again through a link
    const ResolvedDirectory dir = roots_.Reopen(root_, canonical);
    const int fd = ::openat(dir.fd.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) RefuseUninspectable(what_, relative.empty() ? "." : relative, errno);
    WalkOpen(fd, canonical, relative, depth);
  }

 private:
  // One readdir pass over the directory open as `fd` (owned from here on);
  // an entry is stat'ed only when the file system leaves its type unknown;
  // real directories are entered with O_NOFOLLOW.
  void WalkOpen(int fd, const std::string& canonical, const std::string& relative, int depth) {
    DirStream dir(::fdopendir(fd));
    if (!dir) {
      const int error = errno;
      ::close(fd);
      RefuseUninspectable(what_, relative.empty() ? "." : relative, error);
    }
    for (;;) {
      errno = 0;
      const dirent* entry = ::readdir(dir.get());
      if (entry == nullptr) {
        if (errno != 0) RefuseUninspectable(what_, relative.empty() ? "." : relative, errno);
        return;
      }
      const char* name = entry->d_name;
      if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
      const std::string path = relative.empty() ? std::string(name) : relative + "/" + name;
      unsigned char type = entry->d_type;
      if (type == DT_UNKNOWN) {
        struct stat st {};
        if (::fstatat(::dirfd(dir.get()), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
          if (errno == ENOENT) continue;  // gone since readdir (git removing a lock or temporary file)
          RefuseUninspectable(what_, path, errno);
        }
        type = S_ISLNK(st.st_mode) ? DT_LNK : S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
      }
      if (type == DT_LNK) {
        FollowLink(canonical + "/" + name, path, depth);
        continue;
      }
      if (type != DT_DIR) continue;
      RequireDepth(path, depth);
      walked_.insert(canonical + "/" + name);
      const int child = ::openat(::dirfd(dir.get()), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (child < 0) {
        if (errno == ELOOP) {  // swapped for a link since readdir
          FollowLink(canonical + "/" + name, path, depth);
          continue;
        }
        if (errno == ENOENT || errno == ENOTDIR) continue;  // gone, or no longer a directory
        RefuseUninspectable(what_, path, errno);
      }
      WalkOpen(child, canonical + "/" + name, path, depth + 1);
    }
  }

  // A link must resolve beneath the root; libgit2 follows it, so a
  // directory it leads to is walked too (each directory once).
  void FollowLink(const std::string& link, const std::string& path, int depth) {
    const std::string target = RealPath(link);
    if (target.empty()) RefuseSymlink(what_, path, "that leads nowhere (dangling)");
    if (!PathWithin(target, root_.canonical)) RefuseSymlink(what_, path, "leading outside the allowed root");
    struct stat st {};
    if (::stat(target.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return;
    RequireDepth(path, depth);
    Walk(target, path, depth + 1);
  }

  void RequireDepth(const std::string& path, int depth) const {
    if (depth >= kMaxGitDirDepth) {
      throw GitRefusal("The repository's " + std::string(what_) + " nests deeper than " +
                       std::to_string(kMaxGitDirDepth) + " levels ('" + path + "'); the repository is refused");
    }
  }

  const char* what_;
  const RepoRoots& roots_;
  const Root& root_;
  std::set<std::string> walked_;
};

// A symbolic link inside a git directory (git-new-workdir, hooks linked
// from the working tree) is accepted only when it resolves beneath the
// root: a planted one (objects, refs/heads, a pack, the index, config, ...)
// leading elsewhere would have libgit2 read or write wherever it points.
// `canonical` lies beneath `root`.
void RequireNoSymlinksOut(const char* what, const std::string& canonical, const RepoRoots& roots, const Root& root) {
  GitDirWalk(what, roots, root).Walk(canonical, "", 0);
}

// Where an include names a file that may be read: the file's canonical
// path when it exists, else its canonical directory joined with its name
// (a missing file lends nothing now, but could be created there later);
// "" when neither resolves.
std::string IncludeTarget(const std::string& path) {
  const std::string file = RealPath(path);
  if (!file.empty()) return file;
  const size_t slash = path.find_last_of('/');
  const std::string parent = RealPath(slash == 0 ? "/" : path.substr(0, slash));
  return parent.empty() ? std::string() : parent + path.substr(slash);
}

// include.path and includeIf.<condition>.path make libgit2 read further
// files into the repository's config, wherever they lie (the system, XDG
// and global configs are never read: see GitLibrary). An include is
// accepted, whatever its condition, only when the file it names lies
// beneath the root: absolute, or relative to the directory of the config
// file (`config_dir`, the common git directory) that names it. `~` paths
// and relative includes inside included files (whose directory libgit2
// does not tell) are refused. libgit2 gives the names with the section and
// key lowercased.
void RequireConfigIncludesWithin(git_repository* repo, const std::string& config_dir, const Root& root) {
  git_config* raw_config = nullptr;
  Check(git_repository_config(&raw_config, repo), "Cannot read the repository's config");
  const Config config(raw_config);
  // Not git_config_iterator_glob_new: libgit2 1.5 leaks PCRE2 match data
  // on each entry a regular expression does not match.
  git_config_iterator* raw_iterator = nullptr;
  Check(git_config_iterator_new(&raw_iterator, config.get()), "Cannot read the repository's config");
  const ConfigIterator iterator(raw_iterator);
  git_config_entry* entry = nullptr;
  int rc = 0;
  while ((rc = git_config_next(&entry, iterator.get())) == 0) {
    const std::string_view name = entry->name;
    if (name != "include.path" && !(name.starts_with("includeif.") && name.ends_with(".path"))) continue;
    const std::string value = entry->value != nullptr ? entry->value : "";
    const bool absolute = !value.empty() && value[0] == '/';
    const std::string target = value.empty() || value[0] == '~' || (!absolute && entry->include_depth > 0)
                                   ? std::string()
                                   : IncludeTarget(absolute ? value : config_dir + "/" + value);
    if (target.empty() || !PathWithin(target, root.canonical)) {
      throw GitRefusal("The repository's config includes a file ('" + std::string(name) +
                       "') that lies outside the allowed root or cannot be located; the repository is refused");
    }
  }
  if (rc != GIT_ITEROVER) Check(rc, "Cannot read the repository's config");
}

bool IsDotOrEmpty(const std::string& path) {
  for (char c : path) {
    if (c != '.' && c != '/') return false;
  }
  return path.find("..") == std::string::npos;
}

// "a//b/./c/" -> "a/b/c"; refuses `..` and `.git` components.
std::string NormalizeRelative(const std::string& path, const std::string& shown) {
  std::string out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string part = path.substr(start, end - start);
    if (part == "..") throw GitRefusal("Path '" + shown + "' is outside the repository's working tree");
    if (part == ".git") throw GitRefusal("Path '" + shown + "' is inside the .git directory");
    if (!part.empty() && part != ".") out += (out.empty() ? "" : "/") + part;
    start = end + 1;
  }
  return out;
}

}  // namespace

ConfinedRepository ConfinedRepository::Open(const RepoRoots& roots, const std::string& repo_path) {
  const ResolvedDirectory dir = roots.Resolve(repo_path);
  git_repository* raw = nullptr;
  const int rc = git_repository_open_ext(&raw, dir.canonical.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  Repository repo(raw);
  if (rc == GIT_ENOTFOUND) throw GitRefusal("'" + repo_path + "' is not a git repository");
  if (rc == GIT_EOWNER) {
    throw GitRefusal("The repository at '" + repo_path + "' is not owned by the gateway's user; refusing to open it");
  }
  Check(rc, "Cannot open the repository at '" + repo_path + "'");

  const Root& root = *dir.root;
  const std::string git_dir = RequireWithin("git directory", git_repository_path(repo.get()), root);
  const std::string common_dir = RequireWithin("common git directory", git_repository_commondir(repo.get()), root);
  RequireNoSymlinksOut("git directory", git_dir, roots, root);
  if (common_dir != git_dir) RequireNoSymlinksOut("common git directory", common_dir, roots, root);
  RequireAlternatesWithin(common_dir + "/objects", root);
  RequireConfigIncludesWithin(repo.get(), common_dir, root);
  const char* workdir = git_repository_workdir(repo.get());
  if (workdir == nullptr) return ConfinedRepository(std::move(repo), "", UniqueFd(), "");
  RequireWithin("working tree", workdir, root);

  const std::string canonical_workdir = RealPath(workdir);
  ResolvedDirectory workdir_dir = roots.Reopen(root, canonical_workdir);
  std::string client_workdir =
      dir.canonical == canonical_workdir && repo_path[0] == '/' ? repo_path : std::string();
  while (client_workdir.size() > 1 && client_workdir.back() == '/') client_workdir.pop_back();
  return ConfinedRepository(std::move(repo), canonical_workdir, std::move(workdir_dir.fd), std::move(client_workdir));
}

void ConfinedRepository::RequireWorkdir(const char* tool) const {
  if (bare()) throw GitRefusal(std::string(tool) + " needs a working tree, and this repository is bare");
}

std::string ConfinedRepository::RelativeToWorkdir(const std::string& file) const {
  if (file.empty()) throw GitRefusal("File paths must not be empty");
  if (file.find('\0') != std::string::npos) throw GitRefusal("File paths must not contain NUL");
  if (file[0] != '/') return NormalizeRelative(file, file);
  for (const std::string& base : {workdir_, client_workdir_}) {
    if (!base.empty() && PathWithin(file, base)) return NormalizeRelative(file.substr(base.size()), file);
  }
  throw GitRefusal("Path '" + file + "' is outside the repository's working tree");
}

Pathspecs ConfinedRepository::WorkdirPathspecs(const std::vector<std::string>& files) const {
  RequireWorkdir("git_add");
  Pathspecs pathspecs;
  for (const std::string& file : files) {
    if (IsDotOrEmpty(file) && !file.empty()) return Pathspecs{true, {}, {}};  // "." stages the whole working tree
    const std::string relative = RelativeToWorkdir(file);
    if (relative.empty()) return Pathspecs{true, {}, {}};  // the working tree itself, written absolutely
    // No symbolic link anywhere on the way: a directory that is a link out
    // must not let the index read files beyond it. A missing path is fine
    // (staging a deletion): the kernel stopped at a real directory.
    const UniqueFd fd(OpenBeneath(workdir_fd_.get(), relative, O_PATH | O_NOFOLLOW,
                                  RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS));
    if (!fd.valid() && errno != ENOENT) {
      throw GitRefusal("Path '" + file + "' is outside the repository's working tree or passes through a symbolic link");
    }
    (fd.valid() ? pathspecs.paths : pathspecs.missing).push_back(relative);
  }
  return pathspecs;
}

}  // namespace mcpgw::git
