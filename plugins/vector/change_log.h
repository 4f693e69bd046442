// The append-only change log (write-ahead log) of one tenant's collections.
//
// Binary framing, so that a torn or damaged tail is recognised instead of
// misread. Each record is
//
//   u32 payload length (little endian) | u32 CRC-32 of the payload | payload
//
// and the payload is one JSON object (see change.h). A record is durable
// once Append returns: written, then fdatasync'ed. Scanning stops at the
// first record that is incomplete or fails its checksum; nothing after it
// was ever acknowledged, because Append cuts a failed write back off.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "durable_file.h"

namespace mcpgw::vector {

// A record larger than this is damage: no tool call comes near it.
inline constexpr uint32_t kMaxChangeRecordBytes = uint32_t{1} << 30;
inline constexpr size_t kChangeRecordHeaderBytes = 8;

std::string FrameChangeRecord(std::string_view payload);

struct ChangeLogScan {
  std::vector<std::string_view> payloads;  // views into the scanned bytes
  uint64_t intact_bytes = 0;               // where the first bad record starts (or the size)
};
ChangeLogScan ScanChangeLog(std::string_view bytes);

class ChangeLog {
 public:
  // Opens (creating it if needed) the log at `path` and takes an exclusive
  // flock on it, so a second gateway on the same data directory fails
  // instead of interleaving records.
  static IoStatus Open(const std::string& path, ChangeLog& out);

  IoStatus ReadAll(std::string& out) const;
  // Appends one record and waits until it is on disk. On failure the log
  // is cut back to its previous end (retried before the next append).
  IoStatus Append(std::string_view payload);
  // Cuts the log to `length` bytes, durably.
  IoStatus TruncateTo(uint64_t length);
  uint64_t size() const { return size_; }

 private:
  Fd fd_;
  std::string path_;
  uint64_t size_ = 0;
  bool tail_dirty_ = false;
};

}  // namespace mcpgw::vector
