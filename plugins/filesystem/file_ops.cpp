#include "file_ops.h"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "unique_fd.h"

namespace mcpgw::filesystem {
namespace {

constexpr size_t kChunk = 64 * 1024;

// Opens a regular file for reading. O_NONBLOCK keeps a FIFO planted in the
// root from hanging the worker; the type check then refuses it.
SysResult<UniqueFd> OpenRegularFile(const ConfinedRoot& root, std::string_view relative, struct stat& info) {
  auto fd = root.OpenBeneath(relative, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (!fd) return fd.error();
  if (::fstat(fd->get(), &info) != 0) return SysError{errno, "fstat"};
  if (S_ISDIR(info.st_mode)) return SysError{EISDIR, "read"};
  if (!S_ISREG(info.st_mode)) return SysError{kNotRegularFile, "read"};
  return fd;
}

// Reads from `fd` at `offset` into `out` until `count` bytes or the end.
SysResult<size_t> ReadAt(int fd, uint64_t offset, size_t count, char* out) {
  size_t done = 0;
  while (done < count) {
    const ssize_t n = ::pread(fd, out + done, count - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SysError{errno, "read"};
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

SysResult<bool> WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SysError{errno, "write"};
    content.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string TemporaryName() {
  unsigned char random[8];
  if (::getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random)) {
    // getrandom on Linux only fails before the pool is seeded; the name
    // only needs to be unlikely, O_EXCL makes it safe.
    const auto now = static_cast<uint64_t>(::time(nullptr)) ^ static_cast<uint64_t>(::getpid());
    std::memcpy(random, &now, sizeof random);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = ".mcpgw-";
  for (const unsigned char byte : random) name.push_back(kHex[byte >> 4]), name.push_back(kHex[byte & 0xF]);
  return name + ".tmp";
}

}  // namespace

SysError Relabel(SysError error, const char* syscall) {
  if (error.code > 0) error.syscall = syscall;
  return error;
}

SysResult<std::string> ReadWholeFile(const ConfinedRoot& root, std::string_view relative, uint64_t limit) {
  struct stat info {};
  auto fd = OpenRegularFile(root, relative, info);
  if (!fd) return fd.error();
  if (static_cast<uint64_t>(info.st_size) > limit) return SysError{kReadLimit, "read"};
  // Read one byte past the limit so a file that grew since fstat is caught.
  std::string content(static_cast<size_t>(info.st_size) + 1, '\0');
  uint64_t offset = 0;
  for (;;) {
    if (content.size() - offset == 0) content.resize(content.size() + kChunk);
    auto n = ReadAt(fd->get(), offset, content.size() - offset, content.data() + offset);
    if (!n) return n.error();
    offset += *n;
    if (offset > limit) return SysError{kReadLimit, "read"};
    if (*n == 0 || offset < content.size()) break;
  }
  content.resize(offset);
  return content;
}

SysResult<std::string> ReadLeadingLines(const ConfinedRoot& root, std::string_view relative, uint64_t newlines,
                                        uint64_t limit) {
  struct stat info {};
  auto fd = OpenRegularFile(root, relative, info);
  if (!fd) return fd.error();
  std::string content;
  uint64_t seen = 0;
  std::vector<char> chunk(kChunk);
  while (seen < newlines) {
    auto n = ReadAt(fd->get(), content.size(), chunk.size(), chunk.data());
    if (!n) return n.error();
    if (*n == 0) break;
    seen += static_cast<uint64_t>(std::count(chunk.data(), chunk.data() + *n, '\n'));
    content.append(chunk.data(), *n);
    if (content.size() > limit) return SysError{kReadLimit, "read"};
  }
  return content;
}

SysResult<std::string> ReadTrailingLines(const ConfinedRoot& root, std::string_view relative, uint64_t newlines,
                                         uint64_t limit) {
  struct stat info {};
  auto fd = OpenRegularFile(root, relative, info);
  if (!fd) return fd.error();
  // Chunks are gathered last-first and joined once at the end.
  auto position = static_cast<uint64_t>(info.st_size);
  std::vector<std::string> chunks;
  uint64_t seen = 0, gathered = 0;
  while (position > 0 && seen < newlines) {
    const size_t size = static_cast<size_t>(std::min<uint64_t>(kChunk, position));
    position -= size;
    std::string chunk(size, '\0');
    auto n = ReadAt(fd->get(), position, size, chunk.data());
    if (!n) return n.error();
    if (*n < size) return SysError{EAGAIN, "read"};  // the file shrank under us: let the caller retry
    seen += static_cast<uint64_t>(std::count(chunk.begin(), chunk.end(), '\n'));
    gathered += size;
    if (gathered > limit) return SysError{kReadLimit, "read"};
    chunks.push_back(std::move(chunk));
  }
  std::string tail;
  tail.reserve(static_cast<size_t>(gathered));
  for (auto it = chunks.rbegin(); it != chunks.rend(); ++it) tail += *it;
  return tail;
}

SysResult<bool> WriteFileAtomically(const ConfinedRoot& root, std::string_view relative, std::string_view content) {
  auto target = root.OpenParent(relative);
  if (!target) return target.error();
  const int dir = target->parent.get();
  mode_t mode = 0666;  // a new file: the process umask applies, as for any create
  bool keep_mode = false;
  struct stat existing {};
  if (::fstatat(dir, target->name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISLNK(existing.st_mode)) return SysError{kIsSymlink, "open"};
    if (S_ISDIR(existing.st_mode)) return SysError{EISDIR, "open"};
    mode = existing.st_mode & 0777;  // the permission bits, as the reference keeps them
    keep_mode = true;
  } else if (errno != ENOENT) {
    return SysError{errno, "open"};
  }
  const std::string temporary = TemporaryName();
  auto fd = root.OpenInParent(dir, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode & 0777);
  if (!fd) return Relabel(fd.error(), "open");
  auto fail = [&](SysError error) -> SysResult<bool> {
    ::unlinkat(dir, temporary.c_str(), 0);  // our own O_EXCL name in a directory fd: cannot hit anything else
    return error;
  };
  if (auto written = WriteAll(fd->get(), content); !written) return fail(written.error());
  if (keep_mode && ::fchmod(fd->get(), mode) != 0) return fail(SysError{errno, "chmod"});
  if (::fsync(fd->get()) != 0) return fail(SysError{errno, "fsync"});
  if (::renameat(dir, temporary.c_str(), dir, target->name.c_str()) != 0) return fail(SysError{errno, "rename"});
  // The rename is durable once the directory is. A failure here leaves the
  // new content in place, so it is not reported as a failed write.
  ::fsync(dir);
  return true;
}

SysResult<bool> MakeDirectories(const ConfinedRoot& root, std::string_view relative) {
  std::string prefix;
  std::string_view rest = relative;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view component = rest.substr(0, slash);
    rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
    if (component.empty()) continue;
    const std::string parent = prefix;
    prefix += (prefix.empty() ? "" : "/") + std::string(component);
    auto existing = root.OpenBeneath(prefix, O_PATH | O_DIRECTORY);
    if (existing) continue;
    if (existing.error().code != ENOENT) return Relabel(existing.error(), "mkdir");
    // Only a plain name can be missing ("." and ".." always exist), so
    // mkdirat acts on one entry of a directory reached beneath the root.
    auto dir = root.OpenBeneath(parent, O_PATH | O_DIRECTORY);
    if (!dir) return Relabel(dir.error(), "mkdir");
    if (::mkdirat(dir->get(), std::string(component).c_str(), 0777) != 0 && errno != EEXIST) {
      return SysError{errno, "mkdir"};
    }
    auto created = root.OpenBeneath(prefix, O_PATH | O_DIRECTORY);  // EEXIST from a race: it must be a directory
    if (!created) return Relabel(created.error(), "mkdir");
  }
  if (relative.empty() || relative.find_first_not_of('/') == std::string_view::npos) {
    auto self = root.OpenBeneath("", O_PATH | O_DIRECTORY);
    if (!self) return Relabel(self.error(), "mkdir");
  }
  return true;
}

SysResult<bool> MoveEntry(const ParentAndName& from, const ParentAndName& to) {
  if (::renameat2(from.parent.get(), from.name.c_str(), to.parent.get(), to.name.c_str(), RENAME_NOREPLACE) != 0) {
    return SysError{errno, "rename"};
  }
  return true;
}

SysResult<std::vector<DirectoryEntry>> ListEntries(const ConfinedRoot& root, std::string_view relative,
                                                   size_t max_entries) {
  auto fd = root.OpenBeneath(relative, O_RDONLY | O_DIRECTORY);
  if (!fd) return Relabel(fd.error(), "scandir");
  const int dir_fd = fd->get();
  UniqueDir dir(::fdopendir(dir_fd));
  if (dir.get() == nullptr) return SysError{errno, "scandir"};
  fd->release();  // the DIR stream owns it now
  std::vector<DirectoryEntry> entries;
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(dir.get());
    if (entry == nullptr) {
      if (errno != 0) return SysError{errno, "scandir"};
      break;
    }
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (entries.size() == max_entries) return SysError{kTooManyEntries, "scandir"};
    unsigned char type = entry->d_type;
    if (type == DT_UNKNOWN) {  // some file systems do not say: ask without following
      struct stat info {};
      if (::fstatat(dir_fd, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) == 0) {
        type = S_ISDIR(info.st_mode) ? DT_DIR : S_ISLNK(info.st_mode) ? DT_LNK : DT_REG;
      }
    }
    entries.push_back(DirectoryEntry{std::string(name), type == DT_DIR, type == DT_LNK});
  }
  std::sort(entries.begin(), entries.end(),
            [](const DirectoryEntry& a, const DirectoryEntry& b) { return a.name < b.name; });
  return entries;
}

SysResult<struct statx> StatBeneath(const ConfinedRoot& root, std::string_view relative) {
  auto fd = root.OpenBeneath(relative, O_PATH);
  if (!fd) return Relabel(fd.error(), "stat");
  struct statx info {};
  if (::statx(fd->get(), "", AT_EMPTY_PATH, STATX_BASIC_STATS | STATX_BTIME, &info) != 0) {
    return SysError{errno, "stat"};
  }
  return info;
}

}  // namespace mcpgw::filesystem
