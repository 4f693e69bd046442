// The configured roots, and the kernel-enforced resolution of a client's
// path beneath one of them.
//
// Each root is held open as an O_PATH directory descriptor from the start.
// A path is resolved with openat2(2) relative to that descriptor with
// RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS, so `..` that climbs out, an
// absolute symlink, a relative symlink that leads out and /proc magic links
// are all refused by the kernel, whatever the path looks like. The result's
// canonical path is read back from the descriptor itself
// (/proc/self/fd/N), never computed from the client's string.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "unique_fd.h"

namespace mcpgw::git {

struct Root {
  std::string configured;  // as the operator wrote it, without a trailing '/'
  std::string canonical;   // what the kernel says the descriptor is
  UniqueFd fd;
};

struct ResolvedDirectory {
  UniqueFd fd;             // O_PATH, beneath root->fd
  std::string canonical;   // absolute, symlink-free
  const Root* root = nullptr;
};

// True when `path` is `dir` or lies beneath it (both absolute and canonical).
bool PathWithin(std::string_view path, std::string_view dir);

// The canonical path of an open descriptor, from /proc/self/fd.
std::string CanonicalPathOf(int fd);

// openat2(dirfd, path, flags, resolve); -1 with errno on failure. Retries
// the kernel's EAGAIN (a concurrent rename during a `..` walk).
int OpenBeneath(int dirfd, const std::string& path, int flags, unsigned long long resolve);

class RepoRoots {
 public:
  // Opens every root; throws std::invalid_argument naming one that is not
  // an existing directory.
  explicit RepoRoots(const std::vector<std::string>& roots);

  // Resolves a client's repo_path: an absolute path must start with a
  // root (as configured or canonical); a relative one is taken beneath the
  // first root. Throws GitRefusal with a message for the client.
  ResolvedDirectory Resolve(const std::string& repo_path) const;

  // Opens `canonical` (which must lie beneath `root`) through the root's
  // descriptor again, to confirm it names the same place beneath it.
  ResolvedDirectory Reopen(const Root& root, const std::string& canonical) const;

  const std::vector<Root>& roots() const { return roots_; }

 private:
  ResolvedDirectory ResolveBeneath(const Root& root, const std::string& relative, const std::string& shown) const;

  std::vector<Root> roots_;
};

}  // namespace mcpgw::git
