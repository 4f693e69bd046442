// The file operations the tools are made of, each done through descriptors
// that ConfinedRoot opened beneath a root: reads bounded by a size limit,
// atomic writes, mkdir -p, no-replace renames, directory listings, stat.
// Failures come back as SysError values; nothing here knows about JSON.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "confined_root.h"

namespace mcpgw::filesystem {

// The whole of a regular file, or kReadLimit when it is larger than `limit`.
SysResult<std::string> ReadWholeFile(const ConfinedRoot& root, std::string_view relative, uint64_t limit);

// The file from its start until `newlines` line feeds were read (or its
// end); kReadLimit when that takes more than `limit` bytes.
SysResult<std::string> ReadLeadingLines(const ConfinedRoot& root, std::string_view relative, uint64_t newlines,
                                        uint64_t limit);

// The file's end, read backwards until it holds `newlines` line feeds (or
// the whole file); kReadLimit when that takes more than `limit` bytes.
SysResult<std::string> ReadTrailingLines(const ConfinedRoot& root, std::string_view relative, uint64_t newlines,
                                         uint64_t limit);

// Replaces or creates the file atomically: the content goes to a fresh
// O_EXCL temporary in the same directory, is fsynced, then renamed over the
// target, and the directory is fsynced. An existing file keeps its
// permission bits. A symlink at the target is refused (kIsSymlink) rather
// than replaced or followed.
SysResult<bool> WriteFileAtomically(const ConfinedRoot& root, std::string_view relative, std::string_view content);

// mkdir -p, one component at a time, each beneath the root.
SysResult<bool> MakeDirectories(const ConfinedRoot& root, std::string_view relative);

// Renames an entry without ever replacing an existing destination
// (EEXIST), in one renameat2(RENAME_NOREPLACE): no check-then-act window.
SysResult<bool> MoveEntry(const ParentAndName& from, const ParentAndName& to);

struct DirectoryEntry {
  std::string name;  // raw bytes as the directory holds them
  bool is_directory = false;  // the entry itself (a symlink to a directory is not one)
  bool is_symlink = false;
};

// The entries of a directory except "." and "..", sorted bytewise (the
// order Node's readdir gives); kTooManyEntries, without reading further,
// when it holds more than `max_entries`.
SysResult<std::vector<DirectoryEntry>> ListEntries(const ConfinedRoot& root, std::string_view relative,
                                                   size_t max_entries);

// stat(2) of what `relative` names, following symlinks beneath the root.
SysResult<struct statx> StatBeneath(const ConfinedRoot& root, std::string_view relative);

// `error` with Node's name for the operation when it is an errno failure.
SysError Relabel(SysError error, const char* syscall);

}  // namespace mcpgw::filesystem
