// One collection: documents by id, and an HNSW index (hnswlib) over their
// vectors. Not thread-safe by itself; TenantStore guards it.
//
// Every document gets a fresh hnswlib label when it is stored; replacing or
// deleting it marks the old label deleted (markDelete). Deleted slots are
// reclaimed by rebuilding the index when they outnumber the live ones
// (RebuildIfMostlyDeleted, called at snapshot time).
//
// Filtered search, chosen to always return top_k matches when that many
// exist: the filter is evaluated on every document's metadata first (cheap
// next to distance computations). When it is selective -- at most
// kExactSearchMatches matches, or at most 1/20 of the collection -- the
// matches are ranked exactly (brute force). Otherwise the index is asked for
// top_k / selectivity * 2 neighbours, the matches among them kept, and the
// request widened fourfold until top_k matches are found or the whole
// collection was asked, then brute force over the matches as a last resort.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "embedder.h"
#include "hnsw_index.h"
#include "metadata_filter.h"

namespace mcpgw::vector {

struct CollectionParams {
  size_t dimension = 0;
  Metric metric = Metric::kCosine;
  size_t m = 16;                // hnswlib M: links per node
  size_t ef_construction = 200;
  size_t ef_search = 64;        // hnswlib ef at query time (raised to top_k when smaller)
  std::string embedder;         // model id whose vectors this collection holds; empty: caller vectors only
};

struct Document {
  std::string text;
  nlohmann::json metadata;  // an object (possibly empty)
  Vector vector;            // normalised for the cosine metric
  uint64_t label = 0;       // hnswlib label
};

struct Hit {
  const std::string* id;
  const Document* document;
  float distance;  // the metric's distance: 1 - cosine similarity, or squared Euclidean
};

inline constexpr size_t kExactSearchMatches = 4096;

class Collection {
 public:
  Collection(std::string name, uint64_t uid, CollectionParams params);
  ~Collection();
  Collection(const Collection&) = delete;
  Collection& operator=(const Collection&) = delete;

  const std::string& name() const { return name_; }
  uint64_t uid() const { return uid_; }
  const CollectionParams& params() const { return params_; }
  size_t size() const { return documents_.size(); }
  const std::map<std::string, Document>& documents() const { return documents_; }
  uint64_t next_label() const { return next_label_; }
  const Document* Find(const std::string& id) const;

  // Stores `document` (its vector already checked and normalised) under
  // `id`, replacing any document with that id. Makes room in the index
  // first; throws std::bad_alloc (from hnswlib) only when memory runs out.
  void Upsert(const std::string& id, Document document);
  // Makes room for `count` more index entries (so Upsert does not fail
  // half-way through a batch).
  void Reserve(size_t count);
  bool Remove(const std::string& id);

  // Up to `k` nearest documents to `query` that match `filter`, nearest first.
  std::vector<Hit> Search(const Vector& query, size_t k, const MetadataFilter& filter) const;

  // Persistence. Restore puts back a stored document with its label.
  void Restore(const std::string& id, Document document, uint64_t next_label);
  void SaveIndex(const std::string& path) const;  // hnswlib saveIndex (throws on failure)
  // Loads a saved index; false (and the index is rebuilt from the documents)
  // when it cannot be read or does not hold exactly the documents' labels.
  bool LoadIndexOrRebuild(const std::string& path);
  void RebuildIndex();
  bool RebuildIfMostlyDeleted();

 private:
  std::vector<Hit> SearchIndex(const Vector& query, size_t fetch) const;
  using Entry = const std::pair<const std::string, Document>*;
  std::vector<Hit> RankExactly(const Vector& query, const std::vector<Entry>& candidates, size_t k) const;
  IndexShape shape() const;
  bool IndexMatchesDocuments() const;

  std::string name_;
  uint64_t uid_;
  CollectionParams params_;
  std::unique_ptr<HnswIndex> index_;
  std::map<std::string, Document> documents_;
  std::unordered_map<uint64_t, const std::string*> id_of_label_;  // keys of documents_ (stable in a std::map)
  uint64_t next_label_ = 0;
};

// Normalises `v` to unit length for the cosine metric; false when it is
// zero (or not finite) and has no direction.
bool PrepareVector(Metric metric, Vector& v);

}  // namespace mcpgw::vector
