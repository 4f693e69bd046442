// A root directory and the only way this plugin reaches anything below it.
//
// Every path is resolved by the kernel with openat2(2) relative to the
// root's directory descriptor under RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS
// (and RESOLVE_NO_SYMLINKS when the route asks): "..", absolute paths and
// symlinks that would leave the root fail inside the kernel, atomically with
// the lookup, so a symlink swapped in between two calls cannot redirect one.
// Nothing here ever hands the kernel a path relative to the working
// directory or to "/".
#pragma once

#include <fcntl.h>
#include <sys/types.h>

#include <string>
#include <string_view>

#include "sys_error.h"
#include "unique_fd.h"

namespace mcpgw::filesystem {

// A directory descriptor and the plain name of an entry in it: the
// form every create, rename and unlink takes, so the kernel acts on exactly
// one entry of a directory that was itself reached beneath the root.
struct ParentAndName {
  UniqueFd parent;
  std::string name;
};

class ConfinedRoot {
 public:
  // Opens `host_path` (absolute) as a root. Fails with ENOSYS where the
  // kernel lacks openat2 (before Linux 5.6).
  static SysResult<ConfinedRoot> Open(const std::string& host_path, bool no_symlinks);

  // Opens `relative` ("" is the root itself) beneath the root.
  SysResult<UniqueFd> OpenBeneath(std::string_view relative, int flags, mode_t mode = 0) const;

  // Opens the directory that holds the last component of `relative` (readable,
  // so it can be fsynced), which must be a plain name (kNotAPlainName for "",
  // "." or "..").
  SysResult<ParentAndName> OpenParent(std::string_view relative) const;

  // Opens `name` (one component) in `parent`, which must have come from
  // this root, with the same resolve rules: used for O_CREAT | O_EXCL.
  SysResult<UniqueFd> OpenInParent(int parent, const std::string& name, int flags, mode_t mode) const;

  int fd() const { return fd_.get(); }

 private:
  ConfinedRoot(UniqueFd fd, bool no_symlinks) : fd_(std::move(fd)), no_symlinks_(no_symlinks) {}
  SysResult<UniqueFd> OpenAt(int dir, std::string_view relative, int flags, mode_t mode) const;

  UniqueFd fd_;
  bool no_symlinks_;
};

// Splits "a/b/c/" into "a/b" and "c". Trailing slashes are dropped.
std::pair<std::string_view, std::string_view> SplitLastComponent(std::string_view relative);

}  // namespace mcpgw::filesystem
