// A tenant's collections at one point of its change log, on disk:
//
//   documents.snapshot   JSON lines: {"format":"mcpgw-vector/1","seq":N},
//                        then per collection one line with its name, uid,
//                        parameters, next label and the name and CRC-32 of
//                        its index file, followed by one line per document
//                        (id, label, text, metadata, base64 vector)
//   index-<uid>-<seq>.hnsw   hnswlib's saveIndex of that collection
//
// Writing: every index file is saved to a temporary name, fsynced and
// renamed, the directory fsynced, and only then documents.snapshot replaced
// atomically (temp, fsync, rename, fsync dir). The snapshot names the index
// files it belongs with, so a crash at any point leaves the previous
// snapshot with its own index files; files nobody names are removed later.
// Reading: an index file that is missing or fails its CRC or its layout
// check is rebuilt from the documents, which hold every vector.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "collection.h"
#include "durable_file.h"

namespace mcpgw::vector {

inline constexpr char kSnapshotFileName[] = "documents.snapshot";

using Collections = std::map<std::string, std::unique_ptr<Collection>>;

struct LoadedSnapshot {
  uint64_t sequence = 0;
  Collections collections;
  size_t rebuilt_indexes = 0;  // indexes that had to be rebuilt from the documents
};

// A missing snapshot is an empty tenant at sequence 0. Unparsable contents
// are an IoError with code 0 (corrupt).
IoStatus ReadSnapshot(const std::string& dir, LoadedSnapshot& out);

// Writes the snapshot of `collections` at `sequence` (rebuilding indexes
// that are mostly deleted entries first) and removes files no longer named.
IoStatus WriteSnapshot(const std::string& dir, uint64_t sequence, Collections& collections);

}  // namespace mcpgw::vector
