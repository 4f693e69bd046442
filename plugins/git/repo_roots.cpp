#include "repo_roots.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "git_library.h"

namespace mcpgw::git {
namespace {

std::string WithoutTrailingSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// The part of `path` after `dir`, when `path` is `dir` or beneath it ("." for `dir` itself).
bool RelativeTo(const std::string& path, const std::string& dir, std::string& relative) {
  if (dir == "/") {
    relative = path.substr(1);
  } else if (path.compare(0, dir.size(), dir) == 0 && (path.size() == dir.size() || path[dir.size()] == '/')) {
    relative = path.substr(dir.size());
  } else {
    return false;
  }
  while (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
  if (relative.empty()) relative = ".";
  return true;
}

std::string WhyUnresolvable(int error, const std::string& shown) {
  switch (error) {
    case EXDEV:
      return "repo_path '" + shown + "' leads outside the allowed root (through '..' or a symbolic link)";
    case ELOOP:
      return "repo_path '" + shown + "' goes through a symbolic link that is not allowed";
    case ENOENT:
      return "repo_path '" + shown + "' does not exist";
    case ENOTDIR:
      return "repo_path '" + shown + "' is not a directory";
    case EACCES:
      return "repo_path '" + shown + "' is not accessible to the gateway";
    default:
      return "repo_path '" + shown + "' cannot be opened: " + std::strerror(error);
  }
}

}  // namespace

bool PathWithin(std::string_view path, std::string_view dir) {
  if (dir == "/") return !path.empty() && path[0] == '/';
  return path.substr(0, dir.size()) == dir && (path.size() == dir.size() || path[dir.size()] == '/');
}

std::string CanonicalPathOf(int fd) {
  const std::string link = "/proc/self/fd/" + std::to_string(fd);
  std::string target(4096, '\0');
  const ssize_t n = ::readlink(link.c_str(), target.data(), target.size());
  if (n <= 0 || static_cast<size_t>(n) >= target.size()) {
    throw std::runtime_error("git: cannot read the path of a directory descriptor from /proc/self/fd");
  }
  target.resize(static_cast<size_t>(n));
  return target;
}

int OpenBeneath(int dirfd, const std::string& path, int flags, unsigned long long resolve) {
  open_how how{};
  how.flags = static_cast<unsigned long long>(flags) | O_CLOEXEC;
  how.resolve = resolve;
  for (int attempt = 0; attempt < 8; ++attempt) {
    const long fd = ::syscall(SYS_openat2, dirfd, path.c_str(), &how, sizeof how);
    if (fd >= 0 || errno != EAGAIN) return static_cast<int>(fd);
  }
  return -1;
}

RepoRoots::RepoRoots(const std::vector<std::string>& roots) {
  for (const std::string& path : roots) {
    UniqueFd fd(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid()) {
      throw std::invalid_argument("git config: root '" + path + "' is not an existing directory: " + std::strerror(errno));
    }
    std::string canonical = CanonicalPathOf(fd.get());
    roots_.push_back(Root{WithoutTrailingSlashes(path), std::move(canonical), std::move(fd)});
  }
}

ResolvedDirectory RepoRoots::Resolve(const std::string& repo_path) const {
  if (repo_path.empty()) throw GitRefusal("repo_path must not be empty");
  if (repo_path.find('\0') != std::string::npos) throw GitRefusal("repo_path must not contain NUL");
  if (repo_path[0] != '/') return ResolveBeneath(roots_.front(), repo_path, repo_path);
  for (const Root& root : roots_) {
    std::string relative;
    if (RelativeTo(repo_path, root.configured, relative) || RelativeTo(repo_path, root.canonical, relative)) {
      return ResolveBeneath(root, relative, repo_path);
    }
  }
  throw GitRefusal("repo_path '" + repo_path + "' is outside the allowed roots");
}

ResolvedDirectory RepoRoots::Reopen(const Root& root, const std::string& canonical) const {
  std::string relative;
  if (!RelativeTo(canonical, root.canonical, relative)) throw GitRefusal("the repository lies outside the allowed root");
  return ResolveBeneath(root, relative, canonical);
}

ResolvedDirectory RepoRoots::ResolveBeneath(const Root& root, const std::string& relative,
                                            const std::string& shown) const {
  UniqueFd fd(OpenBeneath(root.fd.get(), relative, O_PATH | O_DIRECTORY, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS));
  if (!fd.valid()) throw GitRefusal(WhyUnresolvable(errno, shown));
  std::string canonical = CanonicalPathOf(fd.get());
  // The kernel already guaranteed it; a second look costs nothing.
  if (!PathWithin(canonical, root.canonical)) throw GitRefusal(WhyUnresolvable(EXDEV, shown));
  return ResolvedDirectory{std::move(fd), std::move(canonical), &root};
}

}  // namespace mcpgw::git
