// The append-only write-ahead log of one tenant's graph.
//
// Each record is one line, framed so that a torn or damaged tail is
// recognised rather than misread:
//
//   <length> <crc32> <payload>\n
//
// where <length> is the payload's size in bytes (decimal, no leading zero),
// <crc32> is the CRC-32 of the payload (8 lowercase hex digits), and the
// payload is one line of JSON (see mutation_codec.h). A record is durable
// once Append returns: it was written and fdatasync'ed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "posix_io.h"
#include "storage_error.h"
#include "unique_fd.h"

namespace mcpgw::memory {

// Records larger than this are treated as damage: no tool call comes near it.
inline constexpr uint64_t kMaxWalPayloadBytes = uint64_t{1} << 30;

std::string FrameWalRecord(std::string_view payload);

// One intact record: where it starts and ends in the log, and its payload
// (a view into the scanned bytes).
struct WalRecord {
  uint64_t offset = 0;
  uint64_t end = 0;
  std::string_view payload;
};

// The intact records at the start of a log, in order, up to the first one
// that is torn, fails its checksum or is malformed. `intact_bytes` is where
// that one starts (the whole size when every record is intact).
struct WalScan {
  std::vector<WalRecord> records;
  uint64_t intact_bytes = 0;
};
WalScan ScanWal(std::string_view bytes);

class WriteAheadLog {
 public:
  // Opens the log `name` in the directory `dir_fd`, creating it (0600) if
  // needed, and takes an exclusive lock on it so that a second process (or
  // a second instance) using the same directory fails instead of
  // interleaving writes. `shown_path` names it in errors.
  static StorageResult<WriteAheadLog> Open(int dir_fd, const std::string& name, const std::string& shown_path);

  StorageResult<std::string> ReadAll() const;

  // Appends one record and waits until it is on disk. If that fails, the
  // log is cut back to its previous end, so a partial record never sits in
  // front of later ones; if even that fails, the next Append retries the
  // cut before writing and fails while it cannot.
  StorageStatus Append(std::string_view payload);

  // Cuts the log to `length` bytes and waits until that is on disk.
  StorageStatus TruncateTo(uint64_t length);

  uint64_t size() const { return size_; }

 private:
  WriteAheadLog(UniqueFd fd, std::string shown_path, uint64_t size)
      : fd_(std::move(fd)), shown_path_(std::move(shown_path)), size_(size) {}

  UniqueFd fd_;
  std::string shown_path_;
  uint64_t size_;            // end of the last durable record
  bool tail_dirty_ = false;  // bytes past size_ may exist after a failed append
};

}  // namespace mcpgw::memory
