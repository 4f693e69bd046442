// Which keys are trusted and what each is pinned to: JWK, JWK Set, PEM and
// raw HMAC secrets.
#include "auth/jwk.h"

#include "crypto/base64.h"
#include "unit/auth/test_signer.h"

#include <gtest/gtest.h>

namespace mcpgw::auth {
namespace {

using testing::PublicJwk;
using testing::SharedKey;
using json = nlohmann::json;

std::variant<Key, std::string> FromJwk(const json& jwk, JwkOptions options = {}) {
  return KeyFromJwk(jwk.dump(), options);
}

std::string ErrorOf(const std::variant<Key, std::string>& result) {
  const auto* error = std::get_if<std::string>(&result);
  return error ? *error : "";
}

json Jwks(const std::vector<json>& keys) {
  json set{{"keys", json::array()}};
  for (const json& key : keys) set["keys"].push_back(key);
  return set;
}

TEST(Jwk, PinsEachKeyTypeToItsAlg) {
  for (Algorithm algorithm : {Algorithm::kRs256, Algorithm::kPs512, Algorithm::kEs256, Algorithm::kEs384,
                              Algorithm::kEdDsa, Algorithm::kHs384}) {
    const auto key = FromJwk(PublicJwk(SharedKey(algorithm)));
    ASSERT_EQ(ErrorOf(key), "") << AlgorithmName(algorithm);
    EXPECT_EQ(std::get<Key>(key).algorithm, algorithm);
    EXPECT_EQ(std::get<Key>(key).kid, "kid-" + std::string(AlgorithmName(algorithm)));
  }
}

TEST(Jwk, PinsAKeyWithoutAlgToTheConfiguredAlgorithm) {
  json jwk = PublicJwk(SharedKey(Algorithm::kEs256));
  jwk.erase("alg");
  const auto key = FromJwk(jwk, JwkOptions{Algorithm::kEs256});
  ASSERT_EQ(ErrorOf(key), "");
  EXPECT_EQ(std::get<Key>(key).algorithm, Algorithm::kEs256);
}

TEST(Jwk, RefusesAKeyWithoutAnyDeterminableAlgorithm) {
  json jwk = PublicJwk(SharedKey(Algorithm::kRs256));
  jwk.erase("alg");
  EXPECT_NE(ErrorOf(FromJwk(jwk)).find("no \"alg\""), std::string::npos) << ErrorOf(FromJwk(jwk));
}

TEST(Jwk, RefusesAnAlgThatContradictsTheConfiguredOne) {
  EXPECT_NE(ErrorOf(FromJwk(PublicJwk(SharedKey(Algorithm::kRs256)), JwkOptions{Algorithm::kPs256})), "");
}

TEST(Jwk, RefusesAlgNoneAndUnknownAlgs) {
  for (const char* alg : {"none", "RS1", "ES512", "rs256", "HS256 "}) {
    json jwk = PublicJwk(SharedKey(Algorithm::kRs256));
    jwk["alg"] = alg;
    EXPECT_NE(ErrorOf(FromJwk(jwk)), "") << alg;
  }
}

TEST(Jwk, RefusesAnAlgThatDoesNotFitTheKeyType) {
  const std::vector<std::pair<Algorithm, const char*>> misfits = {
      {Algorithm::kRs256, "ES256"}, {Algorithm::kRs256, "HS256"},  {Algorithm::kRs256, "EdDSA"},
      {Algorithm::kEs256, "ES384"}, {Algorithm::kEs384, "ES256"},  {Algorithm::kEs256, "RS256"},
      {Algorithm::kEdDsa, "ES256"}, {Algorithm::kHs256, "RS256"},  {Algorithm::kEs256, "HS256"},
  };
  for (const auto& [algorithm, alg] : misfits) {
    json jwk = PublicJwk(SharedKey(algorithm));
    jwk["alg"] = alg;
    EXPECT_NE(ErrorOf(FromJwk(jwk)), "") << AlgorithmName(algorithm) << " as " << alg;
  }
}

TEST(Jwk, RefusesRsaKeysUnder2048Bits) {
  const auto weak = testing::GenerateKey(Algorithm::kRs256, "weak", 1024);
  EXPECT_NE(ErrorOf(FromJwk(PublicJwk(weak))).find("too weak"), std::string::npos);
  EXPECT_NE(ErrorOf(KeyFromPublicPem(testing::PublicPem(weak), Algorithm::kRs256, "weak")), "");
}

TEST(Jwk, RefusesHmacSecretsShorterThanTheHash) {
  EXPECT_NE(ErrorOf(KeyFromSecret(std::string(31, 's'), Algorithm::kHs256, "")), "");
  EXPECT_EQ(ErrorOf(KeyFromSecret(std::string(32, 's'), Algorithm::kHs256, "")), "");
  EXPECT_NE(ErrorOf(KeyFromSecret(std::string(63, 's'), Algorithm::kHs512, "")), "");
  EXPECT_NE(ErrorOf(KeyFromSecret(std::string(64, 's'), Algorithm::kEs256, "")), "");
  json jwk = PublicJwk(SharedKey(Algorithm::kHs256));
  jwk["k"] = testing::B64(std::string(16, 'k'));
  EXPECT_NE(ErrorOf(FromJwk(jwk)), "");
}

TEST(Jwk, RefusesAPointThatIsNotOnTheCurve) {
  json jwk = PublicJwk(SharedKey(Algorithm::kEs256));
  std::string y = *crypto::Base64UrlDecode(jwk["y"].get<std::string>());
  y.back() = static_cast<char>(y.back() ^ 1);
  jwk["y"] = testing::B64(y);
  EXPECT_NE(ErrorOf(FromJwk(jwk)), "");
}

TEST(Jwk, RefusesASingleKeyNotMeantForSignatures) {
  json jwk = PublicJwk(SharedKey(Algorithm::kEs256));
  jwk["use"] = "enc";
  EXPECT_NE(ErrorOf(FromJwk(jwk)), "");
}

TEST(Jwks, SkipsKeysNotMeantForSignaturesAndUnsupportedOnes) {
  json enc = PublicJwk(testing::GenerateKey(Algorithm::kEs256, "enc"));
  enc["use"] = "enc";
  json p521 = PublicJwk(SharedKey(Algorithm::kEs256));
  p521["kid"] = "p521";
  p521["crv"] = "P-521";
  p521.erase("alg");
  const auto result = KeysFromJwks(Jwks({enc, PublicJwk(SharedKey(Algorithm::kEdDsa)), p521}).dump(), JwkOptions{});
  ASSERT_TRUE(std::holds_alternative<JwksKeys>(result)) << std::get<std::string>(result);
  const JwksKeys& keys = std::get<JwksKeys>(result);
  ASSERT_EQ(keys.keys.size(), 1u);
  EXPECT_EQ(keys.keys[0].kid, "kid-EdDSA");
  EXPECT_EQ(keys.skipped.size(), 2u);
}

TEST(Jwks, RefusesASetWithNoUsableKey) {
  const auto weak = testing::GenerateKey(Algorithm::kRs256, "weak", 1024);
  const auto result = KeysFromJwks(Jwks({PublicJwk(weak)}).dump(), JwkOptions{});
  ASSERT_TRUE(std::holds_alternative<std::string>(result));
  EXPECT_NE(std::get<std::string>(result).find("too weak"), std::string::npos);
  EXPECT_TRUE(std::holds_alternative<std::string>(KeysFromJwks(R"({"keys":[]})", JwkOptions{})));
  EXPECT_TRUE(std::holds_alternative<std::string>(KeysFromJwks(R"({"keys":{}})", JwkOptions{})));
  EXPECT_TRUE(std::holds_alternative<std::string>(KeysFromJwks(R"([])", JwkOptions{})));
}

TEST(Jwks, RefusesTheWholeSetWhenAnyKeyHasPrivateMembers) {
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth"}) {
    json leaked = PublicJwk(SharedKey(Algorithm::kRs256));
    leaked[member] = "AQAB";
    const auto result =
        KeysFromJwks(Jwks({PublicJwk(SharedKey(Algorithm::kEs256)), leaked}).dump(), JwkOptions{});
    ASSERT_TRUE(std::holds_alternative<std::string>(result)) << member;
    EXPECT_NE(std::get<std::string>(result).find(member), std::string::npos);
  }
  json ec_private = PublicJwk(SharedKey(Algorithm::kEs256));
  ec_private["d"] = "AQAB";
  EXPECT_TRUE(std::holds_alternative<std::string>(KeysFromJwks(Jwks({ec_private}).dump(), JwkOptions{})));
  EXPECT_NE(ErrorOf(FromJwk(ec_private)), "");
}

TEST(Jwks, RefusesSymmetricKeysFromAUrlButTakesThemLocally) {
  const std::string set = Jwks({PublicJwk(SharedKey(Algorithm::kHs256)), PublicJwk(SharedKey(Algorithm::kEs256))}).dump();
  EXPECT_TRUE(std::holds_alternative<std::string>(KeysFromJwks(set, JwkOptions{std::nullopt, KeySource::kUrl})));
  const auto local = KeysFromJwks(set, JwkOptions{std::nullopt, KeySource::kLocal});
  ASSERT_TRUE(std::holds_alternative<JwksKeys>(local));
  EXPECT_EQ(std::get<JwksKeys>(local).keys.size(), 2u);
}

TEST(Jwks, RefusesRepeatedMemberNames) {
  const std::string jwk = PublicJwk(SharedKey(Algorithm::kEdDsa)).dump();
  const std::string repeated = jwk.substr(0, jwk.size() - 1) + R"(,"alg":"EdDSA"})";
  EXPECT_NE(ErrorOf(KeyFromJwk(repeated, JwkOptions{})), "");
  EXPECT_TRUE(std::holds_alternative<std::string>(KeysFromJwks(R"({"keys":[)" + repeated + "]}", JwkOptions{})));
}

TEST(Pem, PinsAPublicKeyToTheGivenAlgorithm) {
  for (Algorithm algorithm : {Algorithm::kRs384, Algorithm::kPs256, Algorithm::kEs384, Algorithm::kEdDsa}) {
    const auto key = KeyFromPublicPem(testing::PublicPem(SharedKey(algorithm)), algorithm, "pem");
    ASSERT_EQ(ErrorOf(key), "") << AlgorithmName(algorithm);
    EXPECT_EQ(std::get<Key>(key).algorithm, algorithm);
  }
}

TEST(Pem, RefusesAMisfitAlgorithmAndAnythingButAPublicKey) {
  const std::string pem = testing::PublicPem(SharedKey(Algorithm::kEs256));
  EXPECT_NE(ErrorOf(KeyFromPublicPem(pem, Algorithm::kEs384, "")), "");
  EXPECT_NE(ErrorOf(KeyFromPublicPem(pem, Algorithm::kHs256, "")), "");
  EXPECT_NE(ErrorOf(KeyFromPublicPem("not a pem", Algorithm::kEs256, "")), "");
  EXPECT_NE(ErrorOf(KeyFromPublicPem(pem.substr(0, pem.size() / 2), Algorithm::kEs256, "")), "");
}

TEST(KeySet, GetsANewGenerationEachTime) {
  const KeySet first({}), second({});
  EXPECT_NE(first.generation(), second.generation());
}

}  // namespace
}  // namespace mcpgw::auth
