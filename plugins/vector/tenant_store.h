// One tenant's collections: served from memory, made durable on disk.
//
// On disk, in the tenant's directory: changes.log (change_log.h) and the
// snapshot files (snapshot.h). Every committed change is one log record
// with the next sequence number, written and fdatasync'ed before it is
// applied in memory and acknowledged. Loading reads the snapshot, then
// replays the records that follow it, so a crash at any instant loses
// nothing acknowledged and applies nothing twice. Once the log is larger
// than compact_after_bytes a new snapshot is written and the log emptied.
//
// Thread-safe: reads share a lock, commits hold it alone.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>

#include "change.h"
#include "change_log.h"
#include "log_sink.h"
#include "result.h"
#include "snapshot.h"

namespace mcpgw::vector {

inline constexpr char kChangeLogFileName[] = "changes.log";

class TenantStore {
 public:
  // Loads the tenant kept in the existing directory `dir`. A torn or
  // damaged log tail is cut off and logged at WARNING.
  static Result<std::unique_ptr<TenantStore>> Open(const std::string& dir, uint64_t compact_after_bytes, LogSink log);

  // Runs `reader(const Collections&)` under the shared lock.
  template <typename Reader>
  auto Read(Reader&& reader) const {
    std::shared_lock lock(mutex_);
    return reader(static_cast<const Collections&>(collections_));
  }

  // Plans a change under the exclusive lock (`plan` returns the Change, or
  // a Failure to refuse), appends it to the log and waits for the disk, and
  // only then applies it. When Commit fails nothing changed. Returns the
  // change applied and its sequence number.
  using Planner = std::function<Result<Change>(const Collections& collections, uint64_t next_sequence)>;
  Result<SequencedChange> Commit(const Planner& plan);

  // Writes a snapshot and empties the log (Commit does it past the threshold).
  Status Compact();

  uint64_t sequence() const;

 private:
  TenantStore(std::string dir, ChangeLog log, uint64_t compact_after_bytes, LogSink sink);
  Status Replay(const std::string& bytes);
  void Apply(uint64_t sequence, const Change& change);
  Status CompactLocked();

  const std::string dir_;
  const uint64_t compact_after_bytes_;
  const LogSink log_;
  mutable std::shared_mutex mutex_;
  ChangeLog changes_;
  Collections collections_;
  uint64_t sequence_ = 0;
  uint64_t compact_when_log_exceeds_;
};

}  // namespace mcpgw::vector
