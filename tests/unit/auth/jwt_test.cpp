// Claims: required, typed, from the trusted issuer, within their times, and
// the exact audience match each route makes on its own.
#include "auth/jwt.h"

#include "unit/auth/test_signer.h"

#include <gtest/gtest.h>

namespace mcpgw::auth {
namespace {

using testing::ReasonOf;
using testing::SharedKey;
using json = nlohmann::json;
using std::chrono::seconds;

constexpr std::int64_t kNow = 1'800'000'000;
const std::chrono::system_clock::time_point kNowPoint{seconds(kNow)};
constexpr const char* kIssuer = "https://issuer.example";
constexpr const char* kRoute = "https://gw.example/mcp/memory";

json ValidClaims() {
  return json{{"iss", kIssuer},   {"sub", "alice"},        {"aud", kRoute},      {"iat", kNow - 10},
              {"exp", kNow + 3600}, {"scope", "read write"}, {"client_id", "cli"}, {"jti", "token-1"}};
}

JwtPolicy Policy() {
  JwtPolicy policy;
  policy.issuer = kIssuer;
  return policy;
}

const KeySet& Keys() {
  static const KeySet keys({testing::VerificationKey(SharedKey(Algorithm::kEs256))});
  return keys;
}

std::variant<Claims, Failure> Verify(const json& payload, const JwtPolicy& policy = Policy(),
                                     json header = testing::HeaderFor(SharedKey(Algorithm::kEs256))) {
  return VerifyJwt(testing::MintRaw(SharedKey(Algorithm::kEs256), header.dump(), payload.dump()), Keys(), policy,
                   kNowPoint);
}

json With(const char* name, json value) {
  json claims = ValidClaims();
  claims[name] = std::move(value);
  return claims;
}

TEST(Jwt, AcceptsAValidTokenAndExtractsWhoItSpeaksFor) {
  const auto result = Verify(ValidClaims());
  ASSERT_EQ(ReasonOf(result), std::nullopt) << std::get<Failure>(result).message;
  const Claims& claims = std::get<Claims>(result);
  EXPECT_EQ(claims.issuer, kIssuer);
  EXPECT_EQ(claims.subject, "alice");
  EXPECT_EQ(claims.audiences, std::vector<std::string>{kRoute});
  EXPECT_EQ(claims.client_id, "cli");
  EXPECT_EQ(claims.scopes, (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ(claims.tenant, "alice");
  EXPECT_EQ(claims.token_id, "token-1");
  EXPECT_EQ(claims.issued_at.time_since_epoch(), seconds(kNow - 10));
  EXPECT_EQ(claims.expires_at.time_since_epoch(), seconds(kNow + 3600));
}

TEST(Jwt, RefusesAnExpiredTokenBeyondTheClockSkew) {
  EXPECT_EQ(ReasonOf(Verify(With("exp", kNow - 61))), FailureReason::kExpired);
  EXPECT_EQ(ReasonOf(Verify(With("exp", kNow - 60))), FailureReason::kExpired);
  EXPECT_EQ(ReasonOf(Verify(With("exp", kNow - 59))), std::nullopt);
}

TEST(Jwt, RefusesATokenNotValidYetBeyondTheClockSkew) {
  EXPECT_EQ(ReasonOf(Verify(With("nbf", kNow + 61))), FailureReason::kNotYetValid);
  EXPECT_EQ(ReasonOf(Verify(With("nbf", kNow + 60))), std::nullopt);
  EXPECT_EQ(ReasonOf(Verify(With("nbf", "soon"))), FailureReason::kInvalidClaim);
}

TEST(Jwt, RefusesATokenIssuedInTheFutureBeyondTheClockSkewOnly) {
  EXPECT_EQ(ReasonOf(Verify(With("iat", kNow + 61))), FailureReason::kIssuedInFuture);
  EXPECT_EQ(ReasonOf(Verify(With("iat", kNow + 30))), std::nullopt);
}

TEST(Jwt, HonoursAConfiguredClockSkew) {
  JwtPolicy strict = Policy();
  strict.clock_skew = seconds(0);
  EXPECT_EQ(ReasonOf(Verify(With("iat", kNow + 1), strict)), FailureReason::kIssuedInFuture);
  EXPECT_EQ(ReasonOf(Verify(With("exp", kNow), strict)), FailureReason::kExpired);
}

TEST(Jwt, RefusesALifetimeLongerThanTheMaximum) {
  json claims = ValidClaims();
  claims["exp"] = kNow - 10 + 24 * 3600 + 1;
  EXPECT_EQ(ReasonOf(Verify(claims)), FailureReason::kLifetimeTooLong);
  claims["exp"] = kNow - 10 + 24 * 3600;
  EXPECT_EQ(ReasonOf(Verify(claims)), std::nullopt);
}

class RequiredClaim : public ::testing::TestWithParam<const char*> {};

TEST_P(RequiredClaim, IsRefusedWhenMissing) {
  json claims = ValidClaims();
  claims.erase(GetParam());
  const auto result = Verify(claims);
  ASSERT_EQ(ReasonOf(result), FailureReason::kMissingClaim);
  EXPECT_NE(std::get<Failure>(result).message.find(GetParam()), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Jwt, RequiredClaim, ::testing::Values("iss", "sub", "aud", "exp", "iat"));

TEST(Jwt, RefusesClaimsOfTheWrongType) {
  const std::vector<std::pair<const char*, json>> wrong = {
      {"iss", 1},           {"iss", ""},           {"sub", json::array({"alice"})}, {"sub", ""},
      {"aud", 1},           {"aud", json::object()}, {"aud", json::array({1})},      {"aud", json::array()},
      {"aud", {kRoute, 2}}, {"exp", "1900000000"}, {"exp", true},                  {"exp", -1},
      {"exp", 1e300},       {"iat", nullptr},      {"scope", json::array({"read"})}, {"scp", "read write"},
      {"client_id", 7},     {"azp", false},        {"jti", 1},
  };
  for (const auto& [name, value] : wrong) {
    json claims = With(name, value);
    if (std::string(name) == "scp") claims.erase("scope");
    EXPECT_EQ(ReasonOf(Verify(claims)), FailureReason::kInvalidClaim) << name << " = " << value.dump();
  }
}

TEST(Jwt, AcceptsFractionalNumericDates) {
  json claims = ValidClaims();
  claims["iat"] = kNow - 10.5;
  claims["exp"] = kNow + 3600.75;
  const auto result = Verify(claims);
  ASSERT_EQ(ReasonOf(result), std::nullopt);
  EXPECT_EQ(std::get<Claims>(result).expires_at.time_since_epoch(), seconds(kNow + 3600));
}

TEST(Jwt, RefusesAnotherIssuerComparedExactly) {
  for (const char* issuer : {"https://evil.example", "https://issuer.example/", "HTTPS://ISSUER.EXAMPLE",
                             "https://issuer.example.evil", "https://issuer.exampl"}) {
    EXPECT_EQ(ReasonOf(Verify(With("iss", issuer))), FailureReason::kWrongIssuer) << issuer;
  }
}

TEST(Jwt, AcceptsOnlyTheJwtAndAccessTokenTypes) {
  for (const char* type : {"JWT", "jwt", "at+jwt", "AT+JWT", "application/jwt", "Application/At+Jwt"}) {
    json header = testing::HeaderFor(SharedKey(Algorithm::kEs256));
    header["typ"] = type;
    EXPECT_EQ(ReasonOf(Verify(ValidClaims(), Policy(), header)), std::nullopt) << type;
  }
  for (const json& type : {json("JOSE"), json("application/json"), json("jwt "), json("dpop+jwt"), json(1)}) {
    json header = testing::HeaderFor(SharedKey(Algorithm::kEs256));
    header["typ"] = type;
    EXPECT_EQ(ReasonOf(Verify(ValidClaims(), Policy(), header)), FailureReason::kWrongType) << type.dump();
  }
  json header = testing::HeaderFor(SharedKey(Algorithm::kEs256));
  header.erase("typ");
  EXPECT_EQ(ReasonOf(Verify(ValidClaims(), Policy(), header)), std::nullopt);
}

TEST(Jwt, TakesTheClientFromAzpWhenThereIsNoClientId) {
  json claims = ValidClaims();
  claims.erase("client_id");
  claims["azp"] = "browser-app";
  EXPECT_EQ(std::get<Claims>(Verify(claims)).client_id, "browser-app");
  claims.erase("azp");
  EXPECT_EQ(std::get<Claims>(Verify(claims)).client_id, "");
}

TEST(Jwt, ReadsScopesFromScopeOrScp) {
  json claims = ValidClaims();
  claims["scope"] = " read  write admin ";
  EXPECT_EQ(std::get<Claims>(Verify(claims)).scopes, (std::vector<std::string>{"read", "write", "admin"}));
  claims.erase("scope");
  claims["scp"] = {"files.read", "files.write"};
  EXPECT_EQ(std::get<Claims>(Verify(claims)).scopes, (std::vector<std::string>{"files.read", "files.write"}));
  claims.erase("scp");
  EXPECT_TRUE(std::get<Claims>(Verify(claims)).scopes.empty());
}

TEST(Jwt, TakesTheTenantFromTheConfiguredClaim) {
  JwtPolicy policy = Policy();
  policy.tenant_claim = "tid";
  EXPECT_EQ(std::get<Claims>(Verify(With("tid", "acme"), policy)).tenant, "acme");
  EXPECT_EQ(ReasonOf(Verify(ValidClaims(), policy)), FailureReason::kMissingClaim);
  EXPECT_EQ(ReasonOf(Verify(With("tid", ""), policy)), FailureReason::kInvalidClaim);
  EXPECT_EQ(ReasonOf(Verify(With("tid", 42), policy)), FailureReason::kInvalidClaim);
}

TEST(Jwt, KeepsTheWholeAudienceListForPerRouteChecks) {
  const auto result = Verify(With("aud", {"https://other.example", kRoute}));
  ASSERT_EQ(ReasonOf(result), std::nullopt);
  EXPECT_EQ(std::get<Claims>(result).audiences.size(), 2u);
  EXPECT_TRUE(MatchesAudience(std::get<Claims>(result), kRoute));
  EXPECT_TRUE(MatchesAudience(std::get<Claims>(result), "https://other.example"));
}

TEST(Audience, MatchesOnlyTheExactRouteUri) {
  const Claims claims = std::get<Claims>(Verify(ValidClaims()));
  EXPECT_TRUE(MatchesAudience(claims, kRoute));
  for (const char* route : {"https://gw.example/mcp", "https://gw.example/mcp/memory/", "https://gw.example/mcp/memory2",
                            "HTTPS://GW.EXAMPLE/MCP/MEMORY", "https://gw.example/mcp/Memory", "gw.example/mcp/memory",
                            "https://gw.example/mcp/memory/extra", ""}) {
    EXPECT_FALSE(MatchesAudience(claims, route)) << route;
  }
}

TEST(Audience, RefusesAListWithoutTheExactElement) {
  const auto result =
      Verify(With("aud", {"https://gw.example/mcp", "https://gw.example/mcp/memory/", "https://gw.example/"}));
  ASSERT_EQ(ReasonOf(result), std::nullopt);
  EXPECT_FALSE(MatchesAudience(std::get<Claims>(result), kRoute));
}

TEST(Jwt, PassesSignatureFailuresThrough) {
  const std::string token = testing::Mint(testing::GenerateKey(Algorithm::kEs256, "kid-ES256"), ValidClaims());
  EXPECT_EQ(ReasonOf(VerifyJwt(token, Keys(), Policy(), kNowPoint)), FailureReason::kBadSignature);
}

}  // namespace
}  // namespace mcpgw::auth
