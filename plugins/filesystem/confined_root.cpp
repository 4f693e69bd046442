#include "confined_root.h"

#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace mcpgw::filesystem {
namespace {

// openat2 answers EAGAIN when a rename or mount raced with a ".." lookup
// under RESOLVE_BENEATH; the kernel asks the caller to try again. A bounded
// number of retries keeps a hostile renamer from spinning a worker forever.
constexpr int kEagainRetries = 64;

int RawOpenat2(int dir, const char* path, int flags, mode_t mode, uint64_t resolve) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags) | O_CLOEXEC;
  how.mode = (flags & O_CREAT) != 0 ? mode : 0;
  how.resolve = resolve;
  return static_cast<int>(::syscall(SYS_openat2, dir, path, &how, sizeof how));
}

}  // namespace

std::pair<std::string_view, std::string_view> SplitLastComponent(std::string_view relative) {
  while (relative.size() > 1 && relative.back() == '/') relative.remove_suffix(1);
  const size_t slash = relative.rfind('/');
  if (slash == std::string_view::npos) return {std::string_view(), relative};
  return {relative.substr(0, slash), relative.substr(slash + 1)};
}

SysResult<ConfinedRoot> ConfinedRoot::Open(const std::string& host_path, bool no_symlinks) {
  // The configured root itself is the operator's choice: it may be reached
  // through symlinks. Confinement starts below it.
  UniqueFd fd(::open(host_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return SysError{errno, "open"};
  // Probe once, so a kernel or seccomp profile without openat2 fails at
  // start-up instead of on the first call.
  UniqueFd probe(RawOpenat2(fd.get(), ".", O_PATH | O_DIRECTORY, 0, RESOLVE_BENEATH));
  if (!probe.valid()) return SysError{errno, "openat2"};
  return ConfinedRoot(std::move(fd), no_symlinks);
}

SysResult<UniqueFd> ConfinedRoot::OpenAt(int dir, std::string_view relative, int flags, mode_t mode) const {
  // A NUL would silently cut the path short in the kernel: refuse it here.
  if (relative.find('\0') != std::string_view::npos) return SysError{EINVAL, "open"};
  const std::string path = relative.empty() ? std::string(".") : std::string(relative);
  uint64_t resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  if (no_symlinks_) resolve |= RESOLVE_NO_SYMLINKS;
  for (int attempt = 0;; ++attempt) {
    const int fd = RawOpenat2(dir, path.c_str(), flags, mode, resolve);
    if (fd >= 0) return UniqueFd(fd);
    const int err = errno;
    if (err == EAGAIN && attempt < kEagainRetries) continue;
    if (err == EXDEV) return SysError{kEscapesRoot, "open"};
    if (err == ELOOP && no_symlinks_) return SysError{kSymlinkRefused, "open"};
    return SysError{err, "open"};
  }
}

SysResult<UniqueFd> ConfinedRoot::OpenBeneath(std::string_view relative, int flags, mode_t mode) const {
  return OpenAt(fd_.get(), relative, flags, mode);
}

SysResult<ParentAndName> ConfinedRoot::OpenParent(std::string_view relative) const {
  const auto [parent_path, name] = SplitLastComponent(relative);
  if (name.empty() || name == "." || name == ".." || name == "/") return SysError{kNotAPlainName, "open"};
  if (name.find('\0') != std::string_view::npos) return SysError{EINVAL, "open"};
  auto parent = OpenAt(fd_.get(), parent_path, O_RDONLY | O_DIRECTORY, 0);
  if (!parent) return parent.error();
  return ParentAndName{std::move(*parent), std::string(name)};
}

SysResult<UniqueFd> ConfinedRoot::OpenInParent(int parent, const std::string& name, int flags, mode_t mode) const {
  return OpenAt(parent, name, flags, mode);
}

}  // namespace mcpgw::filesystem
