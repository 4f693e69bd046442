// The verified-token cache: hits, expiry without skew, the capacity bound,
// least-recently-used eviction and invalidation by a key rotation.
#include "auth/token_cache.h"

#include "crypto/base64.h"
#include "unit/auth/test_signer.h"

#include <gtest/gtest.h>

#include <thread>

namespace mcpgw::auth {
namespace {

using std::chrono::seconds;

constexpr std::int64_t kNow = 1'800'000'000;
const std::chrono::system_clock::time_point kNowPoint{seconds(kNow)};

std::shared_ptr<const Claims> ClaimsFor(std::string subject, std::int64_t exp = kNow + 3600) {
  auto claims = std::make_shared<Claims>();
  claims->subject = std::move(subject);
  claims->expires_at = std::chrono::sys_seconds(seconds(exp));
  return claims;
}

// A digest in shard `shard` (byte 8 chooses it) distinguished by `n`.
TokenCache::Digest DigestIn(unsigned char shard, unsigned char n) {
  TokenCache::Digest digest{};
  digest[0] = n;
  digest[8] = shard;
  return digest;
}

TEST(TokenCache, KeysBySha256OfTheToken) {
  const TokenCache::Digest digest = TokenCache::DigestOf("abc");
  EXPECT_EQ(crypto::HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokenCache, ReturnsTheClaimsOfAnEarlierVerification) {
  TokenCache cache;
  const auto digest = TokenCache::DigestOf("token-a");
  EXPECT_EQ(cache.Find(digest, 1, kNowPoint), nullptr);
  cache.Insert(digest, 1, ClaimsFor("alice"));
  const auto hit = cache.Find(digest, 1, kNowPoint);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->subject, "alice");
  EXPECT_EQ(cache.Find(TokenCache::DigestOf("token-b"), 1, kNowPoint), nullptr);
}

TEST(TokenCache, NeverReturnsAnEntryFromItsExpiryOn) {
  TokenCache cache;
  const auto digest = TokenCache::DigestOf("token");
  cache.Insert(digest, 1, ClaimsFor("alice", kNow + 10));
  EXPECT_NE(cache.Find(digest, 1, kNowPoint + seconds(9)), nullptr);
  EXPECT_EQ(cache.Find(digest, 1, kNowPoint + seconds(10)), nullptr);
  EXPECT_EQ(cache.size(), 0u);  // dropped, not kept for a later look
}

TEST(TokenCache, ForgetsEntriesVerifiedWithAnotherKeySet) {
  TokenCache cache;
  const auto digest = TokenCache::DigestOf("token");
  const KeySet before({}), after({});
  cache.Insert(digest, before.generation(), ClaimsFor("alice"));
  EXPECT_EQ(cache.Find(digest, after.generation(), kNowPoint), nullptr);
  EXPECT_EQ(cache.Find(digest, before.generation(), kNowPoint), nullptr);
}

TEST(TokenCache, HoldsNoMoreThanItsCapacity) {
  TokenCache cache(100);
  for (int i = 0; i < 5000; ++i) cache.Insert(TokenCache::DigestOf(std::to_string(i)), 1, ClaimsFor("s"));
  EXPECT_LE(cache.size(), 100u);
  EXPECT_GE(cache.size(), 90u);
  TokenCache tiny(1);
  tiny.Insert(TokenCache::DigestOf("a"), 1, ClaimsFor("a"));
  tiny.Insert(TokenCache::DigestOf("b"), 1, ClaimsFor("b"));
  EXPECT_EQ(tiny.size(), 1u);
  EXPECT_NE(tiny.Find(TokenCache::DigestOf("b"), 1, kNowPoint), nullptr);
}

TEST(TokenCache, EvictsTheLeastRecentlyUsedEntry) {
  TokenCache cache(64);  // 32 shards of 2
  cache.Insert(DigestIn(5, 1), 1, ClaimsFor("first"));
  cache.Insert(DigestIn(5, 2), 1, ClaimsFor("second"));
  ASSERT_NE(cache.Find(DigestIn(5, 1), 1, kNowPoint), nullptr);  // first is now the most recent
  cache.Insert(DigestIn(5, 3), 1, ClaimsFor("third"));
  EXPECT_NE(cache.Find(DigestIn(5, 1), 1, kNowPoint), nullptr);
  EXPECT_EQ(cache.Find(DigestIn(5, 2), 1, kNowPoint), nullptr);
  EXPECT_NE(cache.Find(DigestIn(5, 3), 1, kNowPoint), nullptr);
}

TEST(TokenCache, ReplacesTheEntryForTheSameDigest) {
  TokenCache cache;
  cache.Insert(DigestIn(0, 1), 1, ClaimsFor("old"));
  cache.Insert(DigestIn(0, 1), 2, ClaimsFor("new"));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Find(DigestIn(0, 1), 2, kNowPoint)->subject, "new");
}

TEST(TokenCache, CachesAVerificationUntilTheKeysRotate) {
  const testing::SigningKey& signer = testing::SharedKey(Algorithm::kEs256);
  auto keys = std::make_shared<KeySet>(std::vector<Key>{testing::VerificationKey(signer)});
  JwtPolicy policy;
  policy.issuer = "https://issuer.example";
  const std::string token = testing::Mint(
      signer, {{"iss", policy.issuer}, {"sub", "alice"}, {"aud", "r"}, {"iat", kNow}, {"exp", kNow + 60}});
  auto verified = VerifyJwt(token, *keys, policy, kNowPoint);
  ASSERT_TRUE(std::holds_alternative<Claims>(verified));
  TokenCache cache;
  const auto digest = TokenCache::DigestOf(token);
  cache.Insert(digest, keys->generation(), std::make_shared<const Claims>(std::get<Claims>(std::move(verified))));
  EXPECT_EQ(cache.Find(digest, keys->generation(), kNowPoint)->subject, "alice");
  keys = std::make_shared<KeySet>(std::vector<Key>{testing::VerificationKey(signer)});  // reloaded
  EXPECT_EQ(cache.Find(digest, keys->generation(), kNowPoint), nullptr);
}

TEST(TokenCache, StaysConsistentUnderConcurrentUse) {
  TokenCache cache(256);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        const auto digest = TokenCache::DigestOf(std::to_string((i * 7 + t) % 500));
        if (const auto hit = cache.Find(digest, 1, kNowPoint)) {
          EXPECT_EQ(hit->subject, std::to_string((i * 7 + t) % 500));
        } else {
          cache.Insert(digest, 1, ClaimsFor(std::to_string((i * 7 + t) % 500)));
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(cache.size(), 256u);
}

}  // namespace
}  // namespace mcpgw::auth
