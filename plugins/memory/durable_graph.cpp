#include "durable_graph.h"

#include <optional>
#include <utility>

#include "mutation_codec.h"
#include "posix_io.h"
#include "snapshot.h"

namespace mcpgw::memory {
namespace {

constexpr char kSnapshotTempName[] = "snapshot.jsonl.tmp";

}  // namespace

DurableGraph::DurableGraph(std::string dir, UniqueFd dir_fd, WriteAheadLog wal, const StoreOptions& options,
                           LogSink log)
    : dir_(std::move(dir)),
      dir_fd_(std::move(dir_fd)),
      options_(options),
      log_(std::move(log)),
      wal_(std::move(wal)),
      compact_when_wal_exceeds_(options.compact_after_bytes) {}

Result<std::unique_ptr<DurableGraph>> DurableGraph::Open(const std::string& dir, const StoreOptions& options,
                                                         LogSink log) {
  const auto fail = [&](const StorageError& error) {
    log(MCPGW_LOG_ERROR, "memory: cannot load the knowledge graph in " + dir + ": " + error.ToString());
    return ToFailure(error, "Could not load the knowledge graph");
  };
  auto dir_fd = OpenDirectory(dir);
  if (!dir_fd) return fail(dir_fd.error());
  // The WAL lock comes first: it also keeps a second process from
  // compacting while this one reads the snapshot.
  auto wal = WriteAheadLog::Open(dir_fd->get(), kWalFileName, dir + "/" + kWalFileName);
  if (!wal) return fail(wal.error());
  if (StorageStatus synced = SyncFile(dir_fd->get(), dir); !synced) return fail(synced.error());
  // A temporary snapshot is left only by a crash before its rename: the
  // real snapshot and the WAL still hold everything.
  if (StorageStatus removed = RemoveIfPresent(dir_fd->get(), kSnapshotTempName, dir); !removed) {
    return fail(removed.error());
  }
  auto snapshot = ReadSnapshot(dir_fd->get(), dir);
  if (!snapshot) return fail(snapshot.error());
  auto wal_bytes = wal->ReadAll();
  if (!wal_bytes) return fail(wal_bytes.error());

  std::unique_ptr<DurableGraph> graph(new DurableGraph(dir, std::move(*dir_fd), std::move(*wal), options, log));
  graph->graph_ = KnowledgeGraph(std::move(snapshot->entities), std::move(snapshot->relations));
  graph->sequence_ = snapshot->sequence;
  if (Status replayed = graph->Replay(*wal_bytes); !replayed) return replayed.error();
  if (graph->wal_.size() > 0) (void)graph->CompactLocked();  // not needed to serve: logged if it fails
  return graph;
}

Status DurableGraph::Replay(const std::string& wal_bytes) {
  const WalScan scan = ScanWal(wal_bytes);
  uint64_t keep = scan.intact_bytes;
  size_t applied = 0;
  std::optional<uint64_t> previous;
  for (const WalRecord& record : scan.records) {
    const std::optional<SequencedMutation> entry = DecodeMutation(record.payload);
    // Sequence numbers run without gaps; the first record may be one the
    // snapshot already holds (a crash between snapshot rename and WAL
    // truncation leaves those behind).
    const bool in_order = entry && (previous ? entry->sequence == *previous + 1 : entry->sequence <= sequence_ + 1);
    if (!in_order) {
      keep = record.offset;
      break;
    }
    previous = entry->sequence;
    if (entry->sequence <= sequence_) continue;
    graph_.Apply(entry->mutation);
    sequence_ = entry->sequence;
    ++applied;
  }
  if (keep == wal_bytes.size()) return {};
  log_(MCPGW_LOG_WARNING, "memory: " + dir_ + "/" + kWalFileName + ": dropped " +
                              std::to_string(wal_bytes.size() - keep) + " bytes from offset " + std::to_string(keep) +
                              " (a torn or damaged record and everything after it); replayed " +
                              std::to_string(applied) + " records, up to sequence " + std::to_string(sequence_));
  if (StorageStatus cut = wal_.TruncateTo(keep); !cut) {
    // Appending behind the damage would put new records where replay never
    // reaches them, so this tenant stays unavailable until the cut works.
    log_(MCPGW_LOG_ERROR, "memory: cannot cut the damaged write-ahead log: " + cut.error().ToString());
    return ToFailure(cut.error(), "Could not load the knowledge graph");
  }
  return {};
}

Result<Mutation> DurableGraph::Commit(const Planner& plan) {
  std::unique_lock lock(mutex_);
  Result<Mutation> planned = plan(graph_, options_.limits);
  if (!planned || ChangesNothing(*planned)) return planned;
  if (StorageStatus appended = wal_.Append(EncodeMutation(sequence_ + 1, *planned)); !appended) {
    log_(MCPGW_LOG_ERROR, "memory: cannot append to the write-ahead log: " + appended.error().ToString());
    return ToFailure(appended.error(), "Could not save the change to the knowledge graph");
  }
  ++sequence_;
  graph_.Apply(*planned);
  if (wal_.size() > compact_when_wal_exceeds_) (void)CompactLocked();  // the change is durable either way
  return planned;
}

Status DurableGraph::Compact() {
  std::unique_lock lock(mutex_);
  return CompactLocked();
}

Status DurableGraph::CompactLocked() {
  const auto fail = [&](const StorageError& error) {
    log_(MCPGW_LOG_WARNING,
         "memory: compaction of " + dir_ + " failed, the write-ahead log keeps growing: " + error.ToString());
    compact_when_wal_exceeds_ = wal_.size() + options_.compact_after_bytes;
    return ToFailure(error, "Could not compact the knowledge graph");
  };
  if (StorageStatus written = WriteSnapshot(dir_fd_.get(), graph_, sequence_, dir_); !written) {
    return fail(written.error());
  }
  // A crash here leaves WAL records the snapshot already holds; their
  // sequence numbers make the next load skip them.
  if (StorageStatus emptied = wal_.TruncateTo(0); !emptied) return fail(emptied.error());
  compact_when_wal_exceeds_ = options_.compact_after_bytes;
  return {};
}

}  // namespace mcpgw::memory
