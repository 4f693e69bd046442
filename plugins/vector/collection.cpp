#include "collection.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <stdexcept>
#include <utility>

namespace mcpgw::vector {
namespace {

constexpr size_t kInitialCapacity = 64;
constexpr size_t kSelectiveFraction = 20;  // a filter matching <= 1/20 of the documents is ranked exactly
constexpr size_t kWidening = 4;

bool Nearer(const Hit& a, const Hit& b) {
  if (a.distance != b.distance) return a.distance < b.distance;
  return *a.id < *b.id;  // ties in a stable order
}

}  // namespace

bool PrepareVector(Metric metric, Vector& v) {
  double norm = 0;
  for (const float x : v) {
    if (!std::isfinite(x)) return false;
    norm += static_cast<double>(x) * x;
  }
  if (metric == Metric::kL2) return std::isfinite(norm);
  if (norm == 0 || !std::isfinite(norm)) return false;
  const double scale = 1.0 / std::sqrt(norm);
  for (float& x : v) x = static_cast<float>(x * scale);
  return true;
}

Collection::Collection(std::string name, uint64_t uid, CollectionParams params)
    : name_(std::move(name)), uid_(uid), params_(std::move(params)) {
  RebuildIndex();
}

Collection::~Collection() = default;

const Document* Collection::Find(const std::string& id) const {
  const auto it = documents_.find(id);
  return it == documents_.end() ? nullptr : &it->second;
}

IndexShape Collection::shape() const {
  return IndexShape{params_.dimension, params_.metric, params_.m, params_.ef_construction, params_.ef_search};
}

void Collection::Reserve(size_t count) { index_->Reserve(count); }

void Collection::Upsert(const std::string& id, Document document) {
  Remove(id);
  document.label = next_label_++;
  index_->Add(document.vector.data(), document.label);
  const auto [it, inserted] = documents_.emplace(id, std::move(document));
  id_of_label_[it->second.label] = &it->first;
}

bool Collection::Remove(const std::string& id) {
  const auto it = documents_.find(id);
  if (it == documents_.end()) return false;
  index_->MarkDeleted(it->second.label);
  id_of_label_.erase(it->second.label);
  documents_.erase(it);
  return true;
}

void Collection::Restore(const std::string& id, Document document, uint64_t next_label) {
  const auto [it, inserted] = documents_.insert_or_assign(id, std::move(document));
  id_of_label_[it->second.label] = &it->first;
  next_label_ = std::max(next_label_, next_label);
}

std::vector<Hit> Collection::SearchIndex(const Vector& query, size_t fetch) const {
  std::vector<Hit> hits;
  for (const auto& [label, distance] : index_->Search(query.data(), fetch)) {
    const auto it = id_of_label_.find(label);
    if (it == id_of_label_.end()) continue;  // cannot happen: deleted labels are never returned
    hits.push_back(Hit{it->second, &documents_.at(*it->second), distance});
  }
  std::sort(hits.begin(), hits.end(), Nearer);
  return hits;
}

std::vector<Hit> Collection::RankExactly(const Vector& query, const std::vector<Entry>& candidates, size_t k) const {
  std::vector<Hit> hits;
  hits.reserve(candidates.size());
  for (const auto* entry : candidates) hits.push_back(Hit{&entry->first, &entry->second, index_->Distance(query.data(), entry->second.vector.data())});
  const size_t keep = std::min(k, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(), Nearer);
  hits.resize(keep);
  return hits;
}

std::vector<Hit> Collection::Search(const Vector& query, size_t k, const MetadataFilter& filter) const {
  const size_t live = documents_.size();
  k = std::min(k, live);
  if (k == 0) return {};
  std::vector<Entry> matches;
  if (filter.empty()) {
    std::vector<Hit> hits = SearchIndex(query, k);
    if (hits.size() >= k) return hits;
    // hnswlib may come back short on a graph with many deleted nodes.
    for (const auto& entry : documents_) matches.push_back(&entry);
    return RankExactly(query, matches, k);
  }
  for (const auto& entry : documents_) {
    if (filter.Matches(entry.second.metadata)) matches.push_back(&entry);
  }
  if (matches.size() <= std::max(kExactSearchMatches, live / kSelectiveFraction)) {
    return RankExactly(query, matches, k);
  }
  // Over-fetch by the inverse of the selectivity, twice over, then widen.
  size_t fetch = std::min(live, k * 2 * live / matches.size() + 1);
  for (;;) {
    std::vector<Hit> hits = SearchIndex(query, fetch);
    std::erase_if(hits, [&](const Hit& h) { return !filter.Matches(h.document->metadata); });
    if (hits.size() >= k) {
      hits.resize(k);
      return hits;
    }
    if (fetch >= live) break;
    fetch = std::min(live, fetch * kWidening);
  }
  return RankExactly(query, matches, k);
}

void Collection::SaveIndex(const std::string& path) const { index_->Save(path); }

bool Collection::IndexMatchesDocuments() const {
  if (index_->live() != documents_.size()) return false;
  for (const auto& [id, document] : documents_) {
    if (!index_->HoldsLive(document.label)) return false;
  }
  return true;
}

bool Collection::LoadIndexOrRebuild(const std::string& path) {
  std::unique_ptr<HnswIndex> loaded = HnswIndex::Load(shape(), path);
  if (loaded) {
    index_ = std::move(loaded);
    if (IndexMatchesDocuments()) return true;
  }
  RebuildIndex();  // the documents hold every vector
  return false;
}

void Collection::RebuildIndex() {
  const size_t capacity = std::max(kInitialCapacity, documents_.size() + documents_.size() / 4);
  index_ = std::make_unique<HnswIndex>(shape(), capacity);
  for (const auto& [id, document] : documents_) index_->Add(document.vector.data(), document.label);
}

bool Collection::RebuildIfMostlyDeleted() {
  if (index_->deleted() <= documents_.size()) return false;
  RebuildIndex();
  return true;
}

}  // namespace mcpgw::vector
