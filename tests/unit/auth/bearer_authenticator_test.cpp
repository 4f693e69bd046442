// BearerAuthenticator: the header's token, the issuer chosen by exact `iss`,
// that issuer's keys only, the route's exact audience on every request
// (cached or not), and cached tokens dropped when keys change.
#include "auth/bearer_authenticator.h"

#include "unit/auth/test_signer.h"

#include <gtest/gtest.h>

namespace mcpgw::auth {
namespace {

using testing::GenerateKey;
using testing::Mint;
using testing::ReasonOf;
using testing::VerificationKey;
using json = nlohmann::json;

constexpr std::int64_t kNow = 1'800'000'000;
const std::chrono::system_clock::time_point kNowPoint{std::chrono::seconds(kNow)};
constexpr char kIdpA[] = "https://idp-a.example";
constexpr char kIdpB[] = "https://idp-b.example";
constexpr char kMemory[] = "https://gw.example/mcp/memory";
constexpr char kGit[] = "https://gw.example/mcp/git";

json Claims(const std::string& iss, const std::string& aud, std::int64_t exp = kNow + 600) {
  return {{"iss", iss}, {"sub", "alice"}, {"aud", aud}, {"iat", kNow - 10}, {"exp", exp}, {"scope", "read"}};
}

TrustedIssuer Trust(const std::string& issuer, const testing::SigningKey& key) {
  JwtPolicy policy;
  policy.issuer = issuer;
  return TrustedIssuer{policy, std::make_shared<const KeySet>(std::vector<Key>{VerificationKey(key)})};
}

class BearerAuthenticatorTest : public ::testing::Test {
 protected:
  testing::SigningKey key_a_ = GenerateKey(Algorithm::kEs256, "a1");
  testing::SigningKey key_b_ = GenerateKey(Algorithm::kEs256, "b1");
  BearerAuthenticator auth_{{Trust(kIdpA, key_a_), Trust(kIdpB, key_b_)}, 64};
};

TEST_F(BearerAuthenticatorTest, AcceptsAValidTokenOfEachTrustedIssuerForItsAudience) {
  const auto a = auth_.Authenticate(Mint(key_a_, Claims(kIdpA, kMemory)), kMemory, kNowPoint);
  ASSERT_EQ(ReasonOf(a), std::nullopt);
  EXPECT_EQ(std::get<0>(a)->issuer, kIdpA);
  EXPECT_EQ(std::get<0>(a)->scopes, std::vector<std::string>{"read"});
  EXPECT_EQ(ReasonOf(auth_.Authenticate(Mint(key_b_, Claims(kIdpB, kMemory)), kMemory, kNowPoint)), std::nullopt);
}

TEST_F(BearerAuthenticatorTest, ChecksTheAudienceOnEveryRequestEvenWhenTheTokenIsCached) {
  const std::string token = Mint(key_a_, Claims(kIdpA, kMemory));
  ASSERT_EQ(ReasonOf(auth_.Authenticate(token, kMemory, kNowPoint)), std::nullopt);  // now cached
  EXPECT_EQ(ReasonOf(auth_.Authenticate(token, kGit, kNowPoint)), FailureReason::kWrongAudience);
  EXPECT_EQ(ReasonOf(auth_.Authenticate(token, "https://gw.example/mcp/memory/", kNowPoint)),
            FailureReason::kWrongAudience);
  EXPECT_EQ(ReasonOf(auth_.Authenticate(token, kMemory, kNowPoint)), std::nullopt);
}

TEST_F(BearerAuthenticatorTest, VerifiesWithTheKeysOfTheNamedIssuerOnly) {
  // Issuer A's name, issuer B's (trusted) key: B's key must not vouch for A.
  EXPECT_EQ(ReasonOf(auth_.Authenticate(Mint(key_b_, Claims(kIdpA, kMemory)), kMemory, kNowPoint)),
            FailureReason::kUnknownKid);
  const auto same_kid = GenerateKey(Algorithm::kEs256, "a1");
  EXPECT_EQ(ReasonOf(auth_.Authenticate(Mint(same_kid, Claims(kIdpA, kMemory)), kMemory, kNowPoint)),
            FailureReason::kBadSignature);
  EXPECT_EQ(ReasonOf(auth_.Authenticate(Mint(key_a_, Claims("https://idp-a.example/", kMemory)), kMemory, kNowPoint)),
            FailureReason::kWrongIssuer);
}

TEST_F(BearerAuthenticatorTest, RefusesWhatIsNotAJwtAndWhatIsTooLargeBeforeHashingIt) {
  EXPECT_EQ(ReasonOf(auth_.Authenticate("abc", kMemory, kNowPoint)), FailureReason::kMalformed);
  EXPECT_EQ(ReasonOf(auth_.Authenticate("a.b.c", kMemory, kNowPoint)), FailureReason::kMalformed);
  EXPECT_EQ(ReasonOf(auth_.Authenticate(std::string(8193, 'a'), kMemory, kNowPoint)), FailureReason::kTooLarge);
}

TEST_F(BearerAuthenticatorTest, ACachedTokenIsVerifiedAgainOnceItsIssuersKeysAreReplaced) {
  const std::string token = Mint(key_a_, Claims(kIdpA, kMemory));
  ASSERT_EQ(ReasonOf(auth_.Authenticate(token, kMemory, kNowPoint)), std::nullopt);
  const auto rotated = GenerateKey(Algorithm::kEs256, "a2");
  ASSERT_TRUE(auth_.ReplaceKeys(kIdpA, std::make_shared<const KeySet>(std::vector<Key>{VerificationKey(rotated)})));
  EXPECT_EQ(ReasonOf(auth_.Authenticate(token, kMemory, kNowPoint)), FailureReason::kUnknownKid);
  EXPECT_EQ(ReasonOf(auth_.Authenticate(Mint(rotated, Claims(kIdpA, kMemory)), kMemory, kNowPoint)), std::nullopt);
  EXPECT_FALSE(auth_.ReplaceKeys("https://nobody.example", nullptr));
}

TEST_F(BearerAuthenticatorTest, ACachedTokenStopsWorkingAtItsExpiry) {
  const std::string token = Mint(key_a_, Claims(kIdpA, kMemory, kNow + 5));
  ASSERT_EQ(ReasonOf(auth_.Authenticate(token, kMemory, kNowPoint)), std::nullopt);
  EXPECT_NE(ReasonOf(auth_.Authenticate(token, kMemory, kNowPoint + std::chrono::seconds(5 + 61))), std::nullopt);
}

// A connection's last verified token: the same token again skips the shared
// cache (no lookup counted), but never the audience, the key epoch or the
// expiry; a different token replaces it.
TEST_F(BearerAuthenticatorTest, AConnectionRepeatingItsTokenSkipsTheCacheButNotTheChecks) {
  const std::string token = Mint(key_a_, Claims(kIdpA, kMemory, kNow + 600));
  LastVerifiedToken last;
  TokenCache::Digest digest{}, again{};
  ASSERT_EQ(ReasonOf(auth_.Authenticate(token, kMemory, &digest, &last, kNowPoint)), std::nullopt);
  EXPECT_EQ(last.token, token);
  const auto lookups = [&] { return auth_.cache_totals().hits + auth_.cache_totals().misses; };
  const auto before = lookups();
  ASSERT_EQ(ReasonOf(auth_.Authenticate(token, kMemory, &again, &last, kNowPoint)), std::nullopt);
  EXPECT_EQ(lookups(), before) << "answered by the connection's memo, not the cache";
  EXPECT_EQ(again, digest) << "the credential id stays the token's digest";

  EXPECT_EQ(ReasonOf(auth_.Authenticate(token, kGit, &again, &last, kNowPoint)), FailureReason::kWrongAudience);
  EXPECT_NE(ReasonOf(auth_.Authenticate(token, kMemory, &again, &last, kNowPoint + std::chrono::seconds(600 + 61))),
            std::nullopt)
      << "expired (beyond the clock skew): the memo does not outlive the token";

  const std::string other = Mint(key_a_, Claims(kIdpA, kGit));
  ASSERT_EQ(ReasonOf(auth_.Authenticate(other, kGit, &again, &last, kNowPoint)), std::nullopt);
  EXPECT_EQ(last.token, other);

  const auto rotated = GenerateKey(Algorithm::kEs256, "a2");
  ASSERT_TRUE(auth_.ReplaceKeys(kIdpA, std::make_shared<const KeySet>(std::vector<Key>{VerificationKey(rotated)})));
  EXPECT_EQ(ReasonOf(auth_.Authenticate(other, kGit, &again, &last, kNowPoint)), FailureReason::kUnknownKid)
      << "new keys: verified again, and its key is gone";
}

TEST(BearerToken, TakesTheTokenOfTheBearerSchemeOnly) {
  EXPECT_EQ(BearerToken("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(BearerToken("bearer abc"), "abc");
  EXPECT_EQ(BearerToken("BEARER  abc=="), "abc==");
  for (const char* bad : {"", "Bearer", "Bearer ", "Bearerabc", "Basic abc", "Bearer abc def", "Bearer abc ",
                          "Bearer a=b", "Bearer \"abc\"", "Bearer abc,def", "Bearer\tabc", "Token abc"}) {
    EXPECT_EQ(BearerToken(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace mcpgw::auth
