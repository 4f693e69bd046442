#include "durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mcpgw::vector {
namespace {

IoError Errno(const std::string& operation, const std::string& path) {
  return IoError{operation + " " + path, errno != 0 ? errno : EIO};
}

IoStatus SyncFd(int fd, const std::string& path) {
  if (::fsync(fd) != 0) return Errno("fsync", path);
  return std::nullopt;
}

}  // namespace

std::string IoError::ToString() const { return code == 0 ? what : what + ": " + std::strerror(code); }

Fd::~Fd() {
  // close() errors are not actionable: every write that matters was fsynced and checked.
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

IoStatus OpenFile(const std::string& path, int flags, Fd& out) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW, 0600);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return Errno("open", path);
  out = Fd(fd);
  return std::nullopt;
}

IoStatus EnsureDirectory(const std::string& path, const std::string& parent) {
  if (::mkdir(path.c_str(), 0700) == 0) return SyncDirectory(parent);
  if (errno != EEXIST) return Errno("mkdir", path);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return Errno("stat", path);
  if (!S_ISDIR(st.st_mode)) return IoError{"mkdir " + path, ENOTDIR};
  return std::nullopt;
}

IoStatus SyncDirectory(const std::string& path) {
  Fd dir;
  if (IoStatus opened = OpenFile(path, O_RDONLY | O_DIRECTORY, dir)) return opened;
  return SyncFd(dir.get(), path);
}

IoStatus ReadFile(const std::string& path, std::string& out, bool* missing) {
  out.clear();
  if (missing != nullptr) *missing = false;
  Fd file;
  if (IoStatus opened = OpenFile(path, O_RDONLY, file)) {
    if (missing != nullptr && opened->code == ENOENT) {
      *missing = true;
      return std::nullopt;
    }
    return opened;
  }
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(file.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("read", path);
    if (n == 0) return std::nullopt;
    out.append(buffer, static_cast<size_t>(n));
  }
}

IoStatus WriteAll(int fd, std::string_view data, off_t offset, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return Errno("write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
    offset += n;
  }
  return std::nullopt;
}

IoStatus SyncFileAt(const std::string& path) {
  Fd file;
  if (IoStatus opened = OpenFile(path, O_RDONLY, file)) return opened;
  return SyncFd(file.get(), path);
}

IoStatus CommitRename(const std::string& temp, const std::string& path, const std::string& dir) {
  if (::rename(temp.c_str(), path.c_str()) != 0) return Errno("rename", temp);
  return SyncDirectory(dir);
}

IoStatus WriteFileAtomically(const std::string& dir, const std::string& path, std::string_view contents) {
  const std::string temp = path + ".tmp";
  Fd file;
  IoStatus status = OpenFile(temp, O_WRONLY | O_CREAT | O_TRUNC, file);
  if (!status) status = WriteAll(file.get(), contents, 0, temp);
  if (!status) status = SyncFd(file.get(), temp);
  if (!status) status = CommitRename(temp, path, dir);
  if (status) (void)RemoveFile(temp);  // best effort; leftovers are removed at the next load
  return status;
}

IoStatus RemoveFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Errno("unlink", path);
  return std::nullopt;
}

}  // namespace mcpgw::vector
