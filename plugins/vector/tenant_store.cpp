#include "tenant_store.h"

#include <mutex>
#include <optional>
#include <utility>

namespace mcpgw::vector {
namespace {

constexpr char kLoadFailed[] = "Could not load the tenant's collections";

Failure ToFailure(const IoError& error, const std::string& message) {
  if (error.code == 0) return Failure{FailureKind::kInternal, message + " (stored data is corrupt)"};
  return Failure{FailureKind::kUnavailable, message + " (storage error)"};
}

}  // namespace

TenantStore::TenantStore(std::string dir, ChangeLog log, uint64_t compact_after_bytes, LogSink sink)
    : dir_(std::move(dir)),
      compact_after_bytes_(compact_after_bytes),
      log_(std::move(sink)),
      changes_(std::move(log)),
      compact_when_log_exceeds_(compact_after_bytes) {}

Result<std::unique_ptr<TenantStore>> TenantStore::Open(const std::string& dir, uint64_t compact_after_bytes,
                                                       LogSink log) {
  const auto fail = [&](const IoError& error) {
    log(MCPGW_LOG_ERROR, "vector: cannot load " + dir + ": " + error.ToString());
    return ToFailure(error, kLoadFailed);
  };
  // The log's lock comes first: it also keeps a second gateway from
  // writing a snapshot while this one reads it.
  ChangeLog changes;
  if (IoStatus opened = ChangeLog::Open(dir + "/" + kChangeLogFileName, changes)) return fail(*opened);
  // The log may have just been created: its directory entry must be durable
  // before the first record acknowledged in it.
  if (IoStatus synced = SyncDirectory(dir)) return fail(*synced);
  LoadedSnapshot snapshot;
  if (IoStatus read = ReadSnapshot(dir, snapshot)) return fail(*read);
  if (snapshot.rebuilt_indexes > 0) {
    log(MCPGW_LOG_WARNING, "vector: " + dir + ": rebuilt " + std::to_string(snapshot.rebuilt_indexes) +
                               " index(es) from the stored documents (missing or damaged index file)");
  }
  std::string bytes;
  if (IoStatus read = changes.ReadAll(bytes)) return fail(*read);
  std::unique_ptr<TenantStore> store(new TenantStore(dir, std::move(changes), compact_after_bytes, log));
  store->collections_ = std::move(snapshot.collections);
  store->sequence_ = snapshot.sequence;
  if (Status replayed = store->Replay(bytes); !replayed) return replayed.error();
  if (store->changes_.size() > 0) (void)store->CompactLocked();  // not needed to serve: logged if it fails
  return store;
}

Status TenantStore::Replay(const std::string& bytes) {
  const ChangeLogScan scan = ScanChangeLog(bytes);
  uint64_t keep = scan.intact_bytes, offset = 0;
  std::optional<uint64_t> previous;
  size_t applied = 0;
  for (const std::string_view payload : scan.payloads) {
    std::optional<SequencedChange> entry = DecodeChange(payload);
    // Sequence numbers run without gaps; the first records may be ones the
    // snapshot already holds (a crash between its rename and the log's truncation).
    const bool in_order = entry && (previous ? entry->sequence == *previous + 1 : entry->sequence <= sequence_ + 1);
    if (!in_order) {
      keep = offset;
      break;
    }
    offset += kChangeRecordHeaderBytes + payload.size();
    previous = entry->sequence;
    if (entry->sequence <= sequence_) continue;
    Apply(entry->sequence, entry->change);
    sequence_ = entry->sequence;
    ++applied;
  }
  if (keep == bytes.size()) return {};
  log_(MCPGW_LOG_WARNING, "vector: " + dir_ + "/" + kChangeLogFileName + ": dropped " +
                              std::to_string(bytes.size() - keep) + " bytes from offset " + std::to_string(keep) +
                              " (a torn or damaged record and all after it); replayed " + std::to_string(applied) +
                              " records, up to sequence " + std::to_string(sequence_));
  if (IoStatus cut = changes_.TruncateTo(keep)) {
    // Appending behind the damage would hide new records from replay.
    log_(MCPGW_LOG_ERROR, "vector: cannot cut the damaged change log: " + cut->ToString());
    return ToFailure(*cut, kLoadFailed);
  }
  return {};
}

void TenantStore::Apply(uint64_t sequence, const Change& change) {
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, CreateCollection>) {
          collections_[c.name] = std::make_unique<Collection>(c.name, sequence, c.params);
        } else if constexpr (std::is_same_v<T, DropCollection>) {
          collections_.erase(c.name);
        } else {
          const auto it = collections_.find(c.collection);
          if (it == collections_.end()) return;  // planned against an existing collection: only damage gets here
          Collection& collection = *it->second;
          if constexpr (std::is_same_v<T, UpsertDocuments>) {
            collection.Reserve(c.documents.size());
            for (const auto& [id, document] : c.documents) collection.Upsert(id, document);
          } else {
            for (const std::string& id : c.ids) collection.Remove(id);
          }
        }
      },
      change);
}

Result<SequencedChange> TenantStore::Commit(const Planner& plan) {
  std::unique_lock lock(mutex_);
  Result<Change> planned = plan(collections_, sequence_ + 1);
  if (!planned) return planned.error();
  if (const auto* upsert = std::get_if<UpsertDocuments>(&*planned)) {
    // Make room first, so applying after the log write cannot fail half-way.
    collections_.at(upsert->collection)->Reserve(upsert->documents.size());
  }
  if (IoStatus appended = changes_.Append(EncodeChange(sequence_ + 1, *planned))) {
    log_(MCPGW_LOG_ERROR, "vector: cannot append to the change log: " + appended->ToString());
    return ToFailure(*appended, "Could not save the change");
  }
  ++sequence_;
  Apply(sequence_, *planned);
  if (changes_.size() > compact_when_log_exceeds_) (void)CompactLocked();  // durable either way
  return SequencedChange{sequence_, std::move(*planned)};
}

Status TenantStore::Compact() {
  std::unique_lock lock(mutex_);
  return CompactLocked();
}

uint64_t TenantStore::sequence() const {
  std::shared_lock lock(mutex_);
  return sequence_;
}

Status TenantStore::CompactLocked() {
  const auto fail = [&](const IoError& error) {
    log_(MCPGW_LOG_WARNING, "vector: snapshot of " + dir_ + " failed, the change log keeps growing: " +
                                error.ToString());
    compact_when_log_exceeds_ = changes_.size() + compact_after_bytes_;
    return ToFailure(error, "Could not compact the collections");
  };
  if (IoStatus written = WriteSnapshot(dir_, sequence_, collections_)) return fail(*written);
  // A crash here leaves records the snapshot holds; their sequence numbers make replay skip them.
  if (IoStatus emptied = changes_.TruncateTo(0)) return fail(*emptied);
  compact_when_log_exceeds_ = compact_after_bytes_;
  return {};
}

}  // namespace mcpgw::vector
