// The file operations the vector store's durability rests on.
//
// Every function reports a failed system call as an IoError (the errno and
// the path, for the operator's log); nothing here throws. Files are created
// 0600 and directories 0700, private to the gateway's user.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mcpgw::vector {

struct IoError {
  std::string what;  // the operation and the path: for the operator's log only
  int code = 0;      // errno; 0 when the bytes read were wrong rather than the call
  std::string ToString() const;
};

// An owned file descriptor, closed once.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_ = -1;
};

// Where an operation on the file system stopped, if it did.
using IoStatus = std::optional<IoError>;

// Opens `path` (O_CLOEXEC | O_NOFOLLOW added; created 0600 with O_CREAT).
IoStatus OpenFile(const std::string& path, int flags, Fd& out);

// Creates the directory `path` (0700) unless it exists, and fsyncs its
// parent `parent` when it was created, so the new entry is durable.
IoStatus EnsureDirectory(const std::string& path, const std::string& parent);

IoStatus SyncDirectory(const std::string& path);

// Reads the whole file; `missing` is set (and nothing fails) when it does not exist.
IoStatus ReadFile(const std::string& path, std::string& out, bool* missing = nullptr);

IoStatus WriteAll(int fd, std::string_view data, off_t offset, const std::string& path);

// fsyncs the file at `path` (written by someone else, e.g. hnswlib's saveIndex).
IoStatus SyncFileAt(const std::string& path);

// Makes `temp` (already complete and fsynced) the file `path`: rename, then
// fsync of the directory `dir`. A crash leaves the old file or the new one.
IoStatus CommitRename(const std::string& temp, const std::string& path, const std::string& dir);

// Writes `contents` to `path` atomically (temp file, fsync, rename, fsync dir).
IoStatus WriteFileAtomically(const std::string& dir, const std::string& path, std::string_view contents);

IoStatus RemoveFile(const std::string& path);  // absent is fine

}  // namespace mcpgw::vector
