#include "posix_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mcpgw::memory {
namespace {

StorageError SystemError(std::string what, const std::string& path) {
  const int code = errno != 0 ? errno : EIO;
  return StorageError{std::move(what) + " " + path, code};
}

std::string Join(const std::string& dir, const std::string& name) { return dir + "/" + name; }

}  // namespace

std::string StorageError::ToString() const {
  if (code == 0) return detail;
  return detail + ": " + std::strerror(code);
}

Failure ToFailure(const StorageError& error, const std::string& client_message) {
  if (error.corrupt()) return Failure{FailureKind::kInternal, client_message + " (stored data is corrupt)"};
  return Failure{FailureKind::kUnavailable, client_message + " (" + std::strerror(error.code) + ")"};
}

StorageResult<UniqueFd> OpenFileAt(int dir_fd, const std::string& name, int flags, const std::string& shown_path) {
  int fd;
  do {
    fd = ::openat(dir_fd, name.c_str(), flags | O_CLOEXEC | O_NOFOLLOW, 0600);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return SystemError("open", shown_path);
  return UniqueFd(fd);
}

StorageResult<UniqueFd> OpenDirectory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return SystemError("open directory", path);
  return UniqueFd(fd);
}

StorageResult<bool> MakeDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0) return true;
  if (errno != EEXIST) return SystemError("mkdir", path);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return SystemError("stat", path);
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return SystemError("mkdir", path);
  }
  return false;
}

StorageStatus WriteAllAt(int fd, std::string_view data, off_t offset, const std::string& shown_path) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return SystemError("write", shown_path);
    }
    if (n == 0) {
      errno = EIO;
      return SystemError("write", shown_path);
    }
    data.remove_prefix(static_cast<size_t>(n));
    offset += n;
  }
  return {};
}

StorageResult<std::string> ReadWholeFile(int fd, const std::string& shown_path) {
  std::string out;
  char buffer[65536];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return SystemError("read", shown_path);
    }
    if (n == 0) return out;
    out.append(buffer, static_cast<size_t>(n));
    offset += n;
  }
}

StorageResult<off_t> FileSize(int fd, const std::string& shown_path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return SystemError("stat", shown_path);
  return st.st_size;
}

StorageStatus SyncFile(int fd, const std::string& shown_path) {
  if (::fsync(fd) != 0) return SystemError("fsync", shown_path);
  return {};
}

StorageStatus SyncDirectory(const std::string& path) {
  auto dir = OpenDirectory(path);
  if (!dir) return dir.error();
  return SyncFile(dir->get(), path);
}

StorageStatus SyncFileData(int fd, const std::string& shown_path) {
  if (::fdatasync(fd) != 0) return SystemError("fdatasync", shown_path);
  return {};
}

StorageStatus TruncateFile(int fd, off_t length, const std::string& shown_path) {
  int rc;
  do {
    rc = ::ftruncate(fd, length);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return SystemError("truncate", shown_path);
  return {};
}

StorageStatus RenameAt(int dir_fd, const std::string& from, const std::string& to, const std::string& shown_dir) {
  if (::renameat(dir_fd, from.c_str(), dir_fd, to.c_str()) != 0) return SystemError("rename", Join(shown_dir, from));
  return {};
}

StorageStatus RemoveIfPresent(int dir_fd, const std::string& name, const std::string& shown_dir) {
  if (::unlinkat(dir_fd, name.c_str(), 0) != 0 && errno != ENOENT) return SystemError("unlink", Join(shown_dir, name));
  return {};
}

StorageStatus ReplaceFileAtomically(int dir_fd, const std::string& name, std::string_view contents,
                                    const std::string& shown_dir) {
  const std::string temp = name + ".tmp";
  const std::string shown_temp = Join(shown_dir, temp);
  auto file = OpenFileAt(dir_fd, temp, O_WRONLY | O_CREAT | O_TRUNC, shown_temp);
  if (!file) return file.error();
  StorageStatus status = WriteAllAt(file->get(), contents, 0, shown_temp);
  if (status) status = SyncFile(file->get(), shown_temp);
  if (status) status = RenameAt(dir_fd, temp, name, shown_dir);
  if (!status) {
    (void)RemoveIfPresent(dir_fd, temp, shown_dir);  // best effort; a leftover is removed at the next load
    return status;
  }
  if (::fsync(dir_fd) != 0) return SystemError("fsync directory", shown_dir);
  return {};
}

}  // namespace mcpgw::memory
