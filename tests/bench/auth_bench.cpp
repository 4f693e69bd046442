// Microbenchmarks of bearer-token verification: a verified-token cache hit
// (hash + lookup), one ES256 signature check, and a full verification
// (parse, signature, claims) of a typical access token. auth_bench.sh runs
// them next to `openssl speed ecdsap256` as the baseline.
#include "auth/jwt.h"
#include "auth/signature.h"
#include "auth/token_cache.h"
#include "crypto/base64.h"
#include "unit/auth/test_signer.h"

#include <benchmark/benchmark.h>

namespace mcpgw::auth {
namespace {

using json = nlohmann::json;

const auto kNow = std::chrono::system_clock::now();

const testing::SigningKey& Signer() { return testing::SharedKey(Algorithm::kEs256); }

JwtPolicy Policy() {
  JwtPolicy policy;
  policy.issuer = "https://login.example.com/tenant-1/v2.0";
  return policy;
}

// A token shaped like an identity provider's access token (about 700 bytes).
const std::string& TypicalToken() {
  static const std::string token = [] {
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(kNow.time_since_epoch()).count();
    const json claims = {{"iss", Policy().issuer},
                         {"sub", "9f3c1a52-2b7e-4d1b-8a55-0e6d2c4f7a10"},
                         {"aud", {"https://gateway.example.com/mcp/memory", "https://gateway.example.com/mcp/files"}},
                         {"iat", now - 60},
                         {"nbf", now - 60},
                         {"exp", now + 3600},
                         {"jti", "b1e5d0c2-7f1a-4c3e-9d2b-5a6f8e9c0d1e"},
                         {"client_id", "mcp-desktop-client"},
                         {"scope", "memory.read memory.write files.read openid profile"},
                         {"tid", "tenant-1"},
                         {"name", "Ada Lovelace"},
                         {"email", "ada@example.com"}};
    return testing::Mint(Signer(), claims);
  }();
  return token;
}

const KeySet& Keys() {
  static const KeySet keys({testing::VerificationKey(Signer())});
  return keys;
}

void BM_CacheHit(benchmark::State& state) {
  TokenCache cache;
  auto verified = VerifyJwt(TypicalToken(), Keys(), Policy(), kNow);
  cache.Insert(TokenCache::DigestOf(TypicalToken()), Keys().generation(),
               std::make_shared<const Claims>(std::get<Claims>(std::move(verified))));
  for (auto _ : state) {
    auto hit = cache.Find(TokenCache::DigestOf(TypicalToken()), Keys().generation(), kNow);
    benchmark::DoNotOptimize(hit);
  }
}
BENCHMARK(BM_CacheHit)->Unit(benchmark::kNanosecond);

void BM_Es256Signature(benchmark::State& state) {
  const std::string& token = TypicalToken();
  const std::size_t dot = token.rfind('.');
  const std::string_view signing_input(token.data(), dot);
  const std::string signature = *crypto::Base64UrlDecode(token.substr(dot + 1));
  for (auto _ : state) {
    benchmark::DoNotOptimize(VerifySignature(Keys().keys()[0], signing_input, signature));
  }
}
BENCHMARK(BM_Es256Signature)->Unit(benchmark::kNanosecond);

void BM_FullVerifyEs256(benchmark::State& state) {
  for (auto _ : state) {
    auto claims = VerifyJwt(TypicalToken(), Keys(), Policy(), kNow);
    if (!std::holds_alternative<Claims>(claims)) state.SkipWithError("the typical token did not verify");
    benchmark::DoNotOptimize(claims);
  }
}
BENCHMARK(BM_FullVerifyEs256)->Unit(benchmark::kNanosecond);

}  // namespace
}  // namespace mcpgw::auth

BENCHMARK_MAIN();
