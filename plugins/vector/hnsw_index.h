// An HNSW index over float vectors, keyed by 64-bit labels: a thin owner of
// hnswlib::HierarchicalNSW. hnswlib 0.6.2 defines non-inline functions in
// its headers, so exactly one translation unit (hnsw_index.cpp) may include
// them; everything else goes through this class.
//
// Cosine similarity is the inner product of L2-normalised vectors
// (InnerProductSpace, distance 1 - cos); l2 is hnswlib's squared Euclidean
// distance. Not thread-safe for writes; Search and Distance may run
// concurrently with each other.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mcpgw::vector {

enum class Metric { kCosine, kL2 };

const char* MetricName(Metric metric);
std::optional<Metric> MetricFromName(const std::string& name);

struct IndexShape {
  size_t dimension;
  Metric metric;
  size_t m;
  size_t ef_construction;
  size_t ef_search;
};

class HnswIndex {
 public:
  // An empty index with room for `capacity` entries.
  HnswIndex(const IndexShape& shape, size_t capacity);
  ~HnswIndex();
  HnswIndex(const HnswIndex&) = delete;
  HnswIndex& operator=(const HnswIndex&) = delete;

  // Loads an index written by Save; nothing when the file cannot be read or
  // its layout is not `shape`'s.
  static std::unique_ptr<HnswIndex> Load(const IndexShape& shape, const std::string& path);
  void Save(const std::string& path) const;  // throws std::runtime_error

  // Makes room for `count` more entries (deleted ones keep their slots).
  void Reserve(size_t count);
  void Add(const float* vector, uint64_t label);
  void MarkDeleted(uint64_t label);

  // Up to `k` (label, distance) pairs, nearest first.
  std::vector<std::pair<uint64_t, float>> Search(const float* query, size_t k) const;
  float Distance(const float* a, const float* b) const;

  size_t deleted() const;
  size_t live() const;
  bool HoldsLive(uint64_t label) const;

 private:
  struct Impl;
  explicit HnswIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcpgw::vector
