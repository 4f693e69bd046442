// LoadTrustedIssuers: every key source of an issuer merged into its key set
// (two HS secrets active at once for a rotation, with or without kids), a
// JWKS URL left to the fetcher with the local keys kept, and errors that
// name the issuer and the file.
#include "auth/trust_loader.h"

#include "support/test_files.h"
#include "unit/auth/test_signer.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace mcpgw::auth {
namespace {

using testing::GenerateKey;
using testing::Mint;
using testing::MintRaw;
using testing::ReasonOf;
using testing::SigningKey;

constexpr char kAudience[] = "http://127.0.0.1:8080/mcp/memory";

std::string Write(const std::string& name, const std::string& bytes) {
  return mcpgw::testing::WriteTestFile("trust", name, bytes);
}

config::Auth AuthOf(const std::string& issuers_yaml) {
  const std::string yaml = "auth:\n  issuers:\n" + issuers_yaml +
                           "plugins:\n  - name: memory\n    file: memory.so\n"
                           "routes:\n  - name: memory\n    path: /mcp/memory\n    plugin: memory\n"
                           "    scopes: {list: [], call: []}\n";
  auto parsed = config::Parse(yaml, "/");
  if (auto* errors = std::get_if<std::vector<std::string>>(&parsed)) {
    ADD_FAILURE() << errors->front();
    return {};
  }
  return std::get<config::Config>(parsed).auth;
}

LoadedTrust Load(const config::Auth& auth) {
  auto loaded = LoadTrustedIssuers(auth);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    ADD_FAILURE() << *error;
    return {};
  }
  return std::get<LoadedTrust>(std::move(loaded));
}

nlohmann::json Payload() {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return {{"iss", "ci"}, {"sub", "build"}, {"aud", kAudience}, {"iat", now - 10}, {"exp", now + 600}};
}

std::string WithoutKid(const SigningKey& key) {
  return MintRaw(key, R"({"alg":"HS256","typ":"JWT"})", Payload().dump());
}

TEST(TrustLoader, TwoHsSecretsWithKidsAreActiveAtOnceAndAThirdIsNot) {
  const SigningKey old_key = GenerateKey(Algorithm::kHs256, "old");
  const SigningKey new_key = GenerateKey(Algorithm::kHs256, "new");
  const std::string old_file = Write("old-kid", old_key.secret);
  const std::string new_file = Write("new-kid", new_key.secret);
  BearerAuthenticator auth(Load(AuthOf("    - issuer: ci\n      keys:\n"
                                       "        - {secret_file: " + old_file + ", algorithm: HS256, kid: old}\n"
                                       "        - {secret_file: " + new_file + ", algorithm: HS256, kid: new}\n"))
                               .issuers,
                           16);
  EXPECT_EQ(ReasonOf(auth.Authenticate(Mint(old_key, Payload()), kAudience)), std::nullopt);
  EXPECT_EQ(ReasonOf(auth.Authenticate(Mint(new_key, Payload()), kAudience)), std::nullopt);
  const SigningKey third = GenerateKey(Algorithm::kHs256, "old");
  EXPECT_EQ(ReasonOf(auth.Authenticate(Mint(third, Payload()), kAudience)), FailureReason::kBadSignature);
  const SigningKey unnamed = GenerateKey(Algorithm::kHs256, "other");
  EXPECT_EQ(ReasonOf(auth.Authenticate(Mint(unnamed, Payload()), kAudience)), FailureReason::kUnknownKid);
}

TEST(TrustLoader, TwoHsSecretsWithoutKidsAreActiveAtOnceAndAThirdIsNot) {
  const SigningKey from_file = GenerateKey(Algorithm::kHs256, "");
  // An environment variable holds text: a printable secret of the hash's size.
  const SigningKey from_env{Algorithm::kHs256, "", nullptr, "an-hs256-secret-of-32-bytes-len!", -1, ""};
  ::setenv("MCPGW_TEST_ROTATED_SECRET", from_env.secret.c_str(), 1);
  const std::string file = Write("no-kid", from_file.secret);
  BearerAuthenticator auth(Load(AuthOf("    - issuer: ci\n      keys:\n"
                                       "        - {secret_file: " + file + ", algorithm: HS256}\n"
                                       "        - {secret_env: MCPGW_TEST_ROTATED_SECRET, algorithm: HS256}\n"))
                               .issuers,
                           16);
  EXPECT_EQ(ReasonOf(auth.Authenticate(WithoutKid(from_file), kAudience)), std::nullopt);
  EXPECT_EQ(ReasonOf(auth.Authenticate(WithoutKid(from_env), kAudience)), std::nullopt);
  const SigningKey third = GenerateKey(Algorithm::kHs256, "");
  EXPECT_EQ(ReasonOf(auth.Authenticate(WithoutKid(third), kAudience)), FailureReason::kBadSignature);
}

TEST(TrustLoader, AJwksUrlIsLeftToTheFetcherAndTheLocalKeysAreLoaded) {
  const SigningKey pinned = GenerateKey(Algorithm::kEs256, "pinned");
  const std::string pem = Write("pinned.pem", testing::PublicPem(pinned));
  const LoadedTrust trust = Load(AuthOf("    - issuer: ci\n      keys:\n"
                                        "        - {jwks_url: https://idp.example/jwks, algorithm: ES256}\n"
                                        "        - {pem_file: " + pem + ", algorithm: ES256, kid: pinned}\n"
                                        "    - issuer: remote-only\n      jwks_url: http://127.0.0.1:9/jwks\n"));
  ASSERT_EQ(trust.issuers.size(), 2u);
  EXPECT_TRUE(trust.issuers[0].keys_from_url);
  ASSERT_EQ(trust.issuers[0].keys->keys().size(), 1u);
  EXPECT_EQ(trust.issuers[0].keys->keys()[0].kid, "pinned");
  EXPECT_TRUE(trust.issuers[1].keys_from_url);
  EXPECT_TRUE(trust.issuers[1].keys->keys().empty());
  ASSERT_EQ(trust.remote.size(), 2u);
  EXPECT_EQ(trust.remote[0].issuer, "ci");
  EXPECT_EQ(trust.remote[0].url, "https://idp.example/jwks");
  EXPECT_EQ(trust.remote[0].algorithm, Algorithm::kEs256);
  EXPECT_EQ(trust.remote[1].issuer, "remote-only");
  EXPECT_EQ(trust.remote[1].algorithm, std::nullopt);
  BearerAuthenticator auth(trust.issuers, 16);
  EXPECT_EQ(ReasonOf(auth.Authenticate(Mint(pinned, Payload()), kAudience)), std::nullopt);
}

TEST(TrustLoader, AnUnreadableSourceStopsStartUpNamingTheIssuerAndTheFile) {
  auto loaded = LoadTrustedIssuers(AuthOf("    - issuer: ci\n      keys:\n"
                                          "        - {jwks_url: https://idp.example/jwks}\n"
                                          "        - {secret_file: /nonexistent/secret, algorithm: HS256}\n"));
  ASSERT_TRUE(std::holds_alternative<std::string>(loaded));
  const std::string& error = std::get<std::string>(loaded);
  EXPECT_NE(error.find("auth issuer \"ci\""), std::string::npos) << error;
  EXPECT_NE(error.find("/nonexistent/secret"), std::string::npos) << error;
}

}  // namespace
}  // namespace mcpgw::auth
