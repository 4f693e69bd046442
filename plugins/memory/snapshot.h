// snapshot.jsonl: a tenant's whole graph at one point of its history.
//
// The format is the reference server's memory file (one JSON object per
// line, {"type":"entity",...} or {"type":"relation",...}) preceded by one
// line {"type":"snapshot","seq":N}: the sequence number of the last WAL
// record the snapshot contains. The reference skips lines of other types,
// so it reads our snapshots, and we read its memory files (as sequence 0).
// A snapshot is only ever replaced whole (temp file, fsync, rename, fsync
// of the directory), so it is never seen half-written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph_model.h"
#include "knowledge_graph.h"
#include "storage_error.h"

namespace mcpgw::memory {

inline constexpr char kSnapshotFileName[] = "snapshot.jsonl";

struct Snapshot {
  std::vector<Entity> entities;
  std::vector<Relation> relations;
  uint64_t sequence = 0;
};

std::string FormatSnapshot(const KnowledgeGraph& graph, uint64_t sequence);

// A line that is not JSON, or an entity or relation of the wrong shape, is
// an error (StorageError::corrupt()): guessing would lose data silently.
StorageResult<Snapshot> ParseSnapshot(std::string_view text);

// Reads the snapshot in `dir_fd`; a missing file is an empty graph at
// sequence 0. `shown_dir` names the directory in errors.
StorageResult<Snapshot> ReadSnapshot(int dir_fd, const std::string& shown_dir);

StorageStatus WriteSnapshot(int dir_fd, const KnowledgeGraph& graph, uint64_t sequence, const std::string& shown_dir);

}  // namespace mcpgw::memory
