// A bounded cache of verified tokens, so a client presenting the same token
// again costs a hash and a lookup instead of a signature verification.
//
// Keyed by the SHA-256 of the token: the token itself is never stored. What
// it holds is the outcome of VerifyJwt (signature, issuer, times), never of
// the audience check, which each route still makes (MatchesAudience). An
// entry is not returned once its `exp` has passed (no clock skew added), nor
// after the key set changed: each entry remembers the KeySet generation it
// was verified with. The flow for a caller:
//
//   digest = TokenCache::DigestOf(token)
//   claims = cache.Find(digest, keys->generation())
//   if (!claims) { VerifyJwt(token, *keys, ...); cache.Insert(digest, keys->generation(), claims) }
//
// Least recently used entries are evicted first, in O(1). Thread-safe; the
// entries are spread over independently locked shards so that threads
// rarely wait for each other.
#pragma once

#include "auth/jwt.h"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace mcpgw::auth {

class TokenCache {
 public:
  using Digest = std::array<unsigned char, 32>;
  static Digest DigestOf(std::string_view token);

  // Holds at most `capacity` (at least 1) entries.
  explicit TokenCache(std::size_t capacity = 100000);
  ~TokenCache();
  TokenCache(const TokenCache&) = delete;
  TokenCache& operator=(const TokenCache&) = delete;

  // The claims cached for this digest when they were verified with key set
  // `generation` and `now` is before their expiry; else null (and a stale
  // entry is dropped).
  std::shared_ptr<const Claims> Find(const Digest& digest, std::uint64_t generation,
                                     std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

  // Remembers claims verified with key set `generation`, replacing any entry
  // for the same digest and evicting the least recently used when full.
  void Insert(const Digest& digest, std::uint64_t generation, std::shared_ptr<const Claims> claims);

  std::size_t size() const;

  // Lookups since construction; a stale entry counts as a miss.
  struct Totals {
    std::uint64_t hits = 0, misses = 0;
  };
  Totals totals() const;

 private:
  struct Shard;
  Shard& ShardFor(const Digest& digest) const;

  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace mcpgw::auth
