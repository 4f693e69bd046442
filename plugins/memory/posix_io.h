// The few file system operations the store needs, as values instead of errno.
//
// Every descriptor is owned by a UniqueFd, every call retries EINTR, and
// files and directories are created private to the gateway's user (0600 and
// 0700). Paths are never followed through a symbolic link at the last step.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "storage_error.h"
#include "unique_fd.h"

namespace mcpgw::memory {

// Opens `name` inside the directory `dir_fd` (O_CLOEXEC | O_NOFOLLOW added).
StorageResult<UniqueFd> OpenFileAt(int dir_fd, const std::string& name, int flags, const std::string& shown_path);

// Opens a directory for fsync and for *at() calls.
StorageResult<UniqueFd> OpenDirectory(const std::string& path);

// Creates `path` with mode 0700 unless it is already a directory. Returns
// whether it was created, so the caller can fsync the parent.
StorageResult<bool> MakeDirectory(const std::string& path);

// Writes all of `data` at `offset` (pwrite loop).
StorageStatus WriteAllAt(int fd, std::string_view data, off_t offset, const std::string& shown_path);

// Reads the whole file from offset 0.
StorageResult<std::string> ReadWholeFile(int fd, const std::string& shown_path);

StorageResult<off_t> FileSize(int fd, const std::string& shown_path);
// fsyncs the directory `path`, making entries created in it durable.
StorageStatus SyncDirectory(const std::string& path);
StorageStatus SyncFile(int fd, const std::string& shown_path);      // fsync
StorageStatus SyncFileData(int fd, const std::string& shown_path);  // fdatasync
StorageStatus TruncateFile(int fd, off_t length, const std::string& shown_path);
StorageStatus RenameAt(int dir_fd, const std::string& from, const std::string& to, const std::string& shown_dir);
StorageStatus RemoveIfPresent(int dir_fd, const std::string& name, const std::string& shown_dir);

// Writes `contents` to `name` in `dir_fd` atomically: a temporary file that
// is fsynced, renamed over `name`, and the directory fsynced. A crash leaves
// either the old file or the new one, never a mixture.
StorageStatus ReplaceFileAtomically(int dir_fd, const std::string& name, std::string_view contents,
                                    const std::string& shown_dir);

}  // namespace mcpgw::memory
