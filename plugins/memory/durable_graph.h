// One tenant's knowledge graph: served from memory, made durable on disk.
//
// On disk, in the tenant's directory: snapshot.jsonl (see snapshot.h) and
// wal.log (see wal.h). Every committed change is one WAL record carrying the
// next sequence number; a snapshot carries the sequence number of the last
// record it contains. Loading applies the snapshot, then the WAL records
// that follow it, so a crash at any instant -- mid-append, mid-compaction,
// between the snapshot rename and the WAL truncation -- loads every change
// that was acknowledged and nothing twice.
//
// Thread-safe: reads share a lock, commits hold it alone.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>

#include "knowledge_graph.h"
#include "log_sink.h"
#include "mutation.h"
#include "result.h"
#include "unique_fd.h"
#include "wal.h"

namespace mcpgw::memory {

struct StoreOptions {
  uint64_t compact_after_bytes = uint64_t{1} << 20;  // rewrite the snapshot once the WAL is larger
  GraphLimits limits;
};

inline constexpr char kWalFileName[] = "wal.log";

class DurableGraph {
 public:
  // Loads the graph kept in the existing directory `dir`. A torn or damaged
  // WAL tail is cut off (and logged at WARNING); a non-empty WAL is then
  // compacted into a fresh snapshot.
  static Result<std::unique_ptr<DurableGraph>> Open(const std::string& dir, const StoreOptions& options, LogSink log);

  using Planner = std::function<Result<Mutation>(const KnowledgeGraph& graph, const GraphLimits& limits)>;

  // Plans a change under the write lock, appends it to the WAL and fsyncs,
  // and only then applies it in memory: when Commit fails (a refused plan,
  // ENOSPC, EIO) the graph is exactly as before. Returns what was applied.
  Result<Mutation> Commit(const Planner& plan);

  // Runs `reader(const KnowledgeGraph&)` under the shared lock.
  template <typename Reader>
  auto Read(Reader&& reader) const {
    std::shared_lock lock(mutex_);
    return reader(graph_);
  }

  // Read, if the shared lock can be had at once; nullopt otherwise.
  template <typename Reader>
  auto TryRead(Reader&& reader) const -> std::optional<decltype(reader(std::declval<const KnowledgeGraph&>()))> {
    std::shared_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return std::nullopt;
    return reader(graph_);
  }

  // The graph's one cached view: a text `build(const KnowledgeGraph&)`
  // makes, built once per committed change and shared by every reader until
  // the next (every caller must pass the same `build`). With `wait` false,
  // null when the shared lock cannot be had at once.
  template <typename Build>
  std::shared_ptr<const std::string> CachedView(Build&& build, bool wait) const {
    std::shared_lock lock(mutex_, std::defer_lock);
    if (wait) {
      lock.lock();
    } else if (!lock.try_lock()) {
      return nullptr;
    }
    {
      std::lock_guard view_lock(view_mutex_);  // a leaf lock, held for a pointer copy
      if (view_ && view_sequence_ == sequence_) return view_;
    }
    auto view = std::make_shared<const std::string>(build(graph_));
    std::lock_guard view_lock(view_mutex_);
    view_ = view;
    view_sequence_ = sequence_;
    return view;
  }

  // Writes a snapshot of the current graph and empties the WAL. Commit does
  // this by itself past compact_after_bytes.
  Status Compact();

 private:
  DurableGraph(std::string dir, UniqueFd dir_fd, WriteAheadLog wal, const StoreOptions& options, LogSink log);
  Status Replay(const std::string& wal_bytes);
  Status CompactLocked();

  const std::string dir_;
  const UniqueFd dir_fd_;
  const StoreOptions options_;
  const LogSink log_;
  mutable std::shared_mutex mutex_;
  WriteAheadLog wal_;
  KnowledgeGraph graph_;
  uint64_t sequence_ = 0;                  // of the last change applied
  mutable std::mutex view_mutex_;          // guards the two below
  mutable std::shared_ptr<const std::string> view_;
  mutable uint64_t view_sequence_ = 0;     // the sequence view_ was built at
  uint64_t compact_when_wal_exceeds_ = 0;  // moves up after a failed compaction, so it is not retried on every write
};

}  // namespace mcpgw::memory
