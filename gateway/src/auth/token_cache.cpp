#include "auth/token_cache.h"

#include "crypto/hmac.h"

#include <algorithm>
#include <cstring>
#include <list>
#include <mutex>
#include <unordered_map>

namespace mcpgw::auth {
namespace {

constexpr std::size_t kShards = 32;

// The digest is already uniformly random: its first bytes are a fine hash.
struct DigestHash {
  std::size_t operator()(const TokenCache::Digest& digest) const {
    std::size_t hash;
    std::memcpy(&hash, digest.data(), sizeof hash);
    return hash;
  }
};

}  // namespace

// One lock, a recency list (front = most recent) and an index into it:
// a hit moves its node to the front and eviction pops the back, both O(1).
struct TokenCache::Shard {
  struct Entry {
    Digest digest;
    std::uint64_t generation;
    std::shared_ptr<const Claims> claims;
  };
  std::mutex mutex;
  std::size_t capacity;
  std::list<Entry> recency;
  std::unordered_map<Digest, std::list<Entry>::iterator, DigestHash> index;
  std::uint64_t hits = 0, misses = 0;
};

TokenCache::Digest TokenCache::DigestOf(std::string_view token) {
  const std::string hash = crypto::Sha256(token);
  Digest digest;
  std::memcpy(digest.data(), hash.data(), digest.size());
  return digest;
}

TokenCache::TokenCache(std::size_t capacity) {
  capacity = std::max<std::size_t>(capacity, 1);
  // Fewer shards than kShards for a tiny cache, so the bound stays exact.
  const std::size_t count = std::min(kShards, capacity);
  for (std::size_t i = 0; i < count; ++i) {
    auto shard = std::make_unique<Shard>();
    shard->capacity = capacity / count;
    shards_.push_back(std::move(shard));
  }
}

TokenCache::~TokenCache() = default;

TokenCache::Shard& TokenCache::ShardFor(const Digest& digest) const {
  // Byte 8 onwards: independent of the bytes the shard's own index hashes.
  return *shards_[digest[8] % shards_.size()];
}

std::shared_ptr<const Claims> TokenCache::Find(const Digest& digest, std::uint64_t generation,
                                               std::chrono::system_clock::time_point now) {
  Shard& shard = ShardFor(digest);
  const std::lock_guard lock(shard.mutex);
  const auto found = shard.index.find(digest);
  if (found == shard.index.end()) {
    ++shard.misses;
    return nullptr;
  }
  const auto entry = found->second;
  if (entry->generation != generation || now >= entry->claims->expires_at) {
    shard.index.erase(found);
    shard.recency.erase(entry);
    ++shard.misses;
    return nullptr;
  }
  shard.recency.splice(shard.recency.begin(), shard.recency, entry);
  ++shard.hits;
  return entry->claims;
}

void TokenCache::Insert(const Digest& digest, std::uint64_t generation, std::shared_ptr<const Claims> claims) {
  Shard& shard = ShardFor(digest);
  const std::lock_guard lock(shard.mutex);
  if (const auto found = shard.index.find(digest); found != shard.index.end()) {
    found->second->generation = generation;
    found->second->claims = std::move(claims);
    shard.recency.splice(shard.recency.begin(), shard.recency, found->second);
    return;
  }
  if (shard.recency.size() >= shard.capacity) {
    shard.index.erase(shard.recency.back().digest);
    shard.recency.pop_back();
  }
  shard.recency.push_front(Shard::Entry{digest, generation, std::move(claims)});
  shard.index.emplace(digest, shard.recency.begin());
}

TokenCache::Totals TokenCache::totals() const {
  Totals t;
  for (const auto& shard : shards_) {
    const std::lock_guard lock(shard->mutex);
    t.hits += shard->hits;
    t.misses += shard->misses;
  }
  return t;
}

std::size_t TokenCache::size() const {
  std::size_t total = 0;
  for (const auto& shard : shards_) {
    const std::lock_guard lock(shard->mutex);
    total += shard->recency.size();
  }
  return total;
}

}  // namespace mcpgw::auth
