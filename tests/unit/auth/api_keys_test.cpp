// API keys: known by their SHA-256 only, each with exact audiences.
#include "auth/api_keys.h"

#include "crypto/base64.h"
#include "crypto/hmac.h"

#include <gtest/gtest.h>

namespace mcpgw::auth {
namespace {

constexpr char kMemory[] = "https://gw.test/mcp/memory";

config::ApiKey Configured(const std::string& key) {
  config::ApiKey k;
  k.name = "ci-bot";
  k.tenant = "ci";
  k.sha256 = crypto::HexEncode(crypto::Sha256(key));
  k.audiences = {kMemory};
  k.scopes = {"mcp:list"};
  return k;
}

FailureReason ReasonOf(const std::variant<const config::ApiKey*, Failure>& r) {
  return std::get<Failure>(r).reason;
}

TEST(ApiKeys, AcceptsTheConfiguredKeyOnItsAudiencesOnly) {
  const NewApiKey fresh = GenerateApiKey();
  const ApiKeys keys({Configured(fresh.key)});
  auto ok = keys.Authenticate(fresh.key, kMemory);
  ASSERT_TRUE(std::holds_alternative<const config::ApiKey*>(ok));
  EXPECT_EQ(std::get<const config::ApiKey*>(ok)->name, "ci-bot");
  for (const char* other : {"https://gw.test/mcp/memory/", "https://gw.test/mcp/memor", "https://GW.test/mcp/memory",
                            "https://gw.test/mcp/notes"}) {
    EXPECT_EQ(ReasonOf(keys.Authenticate(fresh.key, other)), FailureReason::kWrongAudience) << other;
  }
}

TEST(ApiKeys, RefusesAKeyOffByOneCharacterEmptyOrHuge) {
  const NewApiKey fresh = GenerateApiKey();
  const ApiKeys keys({Configured(fresh.key)});
  std::string off = fresh.key;
  off.back() = off.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(ReasonOf(keys.Authenticate(off, kMemory)), FailureReason::kUnknownApiKey);
  EXPECT_EQ(ReasonOf(keys.Authenticate(fresh.key.substr(1), kMemory)), FailureReason::kUnknownApiKey);
  EXPECT_EQ(ReasonOf(keys.Authenticate(fresh.key + "x", kMemory)), FailureReason::kUnknownApiKey);
  EXPECT_EQ(ReasonOf(keys.Authenticate("", kMemory)), FailureReason::kMalformed);
  EXPECT_EQ(ReasonOf(keys.Authenticate(std::string(kMaxApiKeyBytes + 1, 'a'), kMemory)), FailureReason::kMalformed);
}

TEST(ApiKeys, GeneratesDistinctKeysOf256BitsWithTheirHash) {
  const NewApiKey a = GenerateApiKey(), b = GenerateApiKey();
  EXPECT_NE(a.key, b.key);
  EXPECT_EQ(a.key.rfind("mcpgw_", 0), 0u);
  EXPECT_EQ(crypto::Base64UrlDecode(a.key.substr(6))->size(), 32u);
  EXPECT_EQ(a.sha256, crypto::HexEncode(crypto::Sha256(a.key)));
}

}  // namespace
}  // namespace mcpgw::auth
