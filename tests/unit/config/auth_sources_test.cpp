// The parts of `auth:` that say where keys and token answers come from:
// key sources per issuer (the one-source shorthand or a `keys:` list, never
// both), JWKS URLs that must be https (plain http only to loopback), the
// JWKS fetch settings and the introspection endpoint.
#include "config/config.h"

#include "unit/config/parse_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace mcpgw::config {
namespace {

using testing::Errors;
using testing::HasError;
using testing::ParseOk;

constexpr const char* kRoutes = R"(
plugins:
  - name: memory
    file: memory.so
routes:
  - name: memory
    path: /mcp/memory
    plugin: memory
    scopes: {list: [], call: []}
)";

std::string WithAuth(const std::string& auth) { return "auth:\n" + auth + kRoutes; }

std::string Issuer(const std::string& source) { return "  issuers:\n    - issuer: https://idp.example\n" + source; }

TEST(AuthSources, AcceptsAJwksUrlOverHttpsOrOverPlainHttpToALoopbackHost) {
  for (const char* url : {"https://idp.example/.well-known/jwks.json", "http://127.0.0.1:8081/jwks",
                          "http://localhost/jwks", "http://[::1]:9000/jwks", "http://127.1.2.3/jwks"}) {
    const Config c = ParseOk(WithAuth(Issuer(std::string("      jwks_url: ") + url + "\n")));
    ASSERT_EQ(c.auth.issuers.size(), 1u) << url;
    ASSERT_EQ(c.auth.issuers[0].keys.size(), 1u) << url;
    EXPECT_EQ(c.auth.issuers[0].keys[0].jwks_url, url);
  }
}

TEST(AuthSources, RefusesAJwksUrlOverPlainHttpToAnyOtherHost) {
  for (const char* url : {"http://idp.example/jwks", "http://10.0.0.1/jwks", "http://[2001:db8::1]/jwks",
                          "http://localhost.idp.example/jwks"}) {
    EXPECT_TRUE(HasError(Errors(WithAuth(Issuer(std::string("      jwks_url: ") + url + "\n"))),
                         "auth.issuers[0].jwks_url: must be https:// (plain http only to a loopback host)"))
        << url;
  }
  EXPECT_TRUE(HasError(Errors(WithAuth(Issuer("      jwks_url: https://user:pw@idp.example/jwks\n"))),
                       "auth.issuers[0].jwks_url: must not carry user information (user:password@): put "
                       "credentials in their own setting"));
  EXPECT_TRUE(HasError(Errors(WithAuth(Issuer("      jwks_url: idp.example/jwks\n"))),
                       "auth.issuers[0].jwks_url: must be an absolute http:// or https:// URL"));
}

TEST(AuthSources, AJwksUrlTakesAnAlgorithmForKeysWithoutAlgButNeitherAKidNorAnHsAlgorithm) {
  const Config c = ParseOk(WithAuth(Issuer("      jwks_url: https://idp.example/jwks\n      algorithm: RS256\n")));
  EXPECT_EQ(c.auth.issuers[0].keys[0].algorithm, "RS256");
  EXPECT_TRUE(HasError(Errors(WithAuth(Issuer("      jwks_url: https://idp.example/jwks\n      kid: a\n"))),
                       "auth.issuers[0].kid: only for pem_file and secrets: a JWKS names its own keys"));
  EXPECT_TRUE(HasError(
      Errors(WithAuth(Issuer("      jwks_url: https://idp.example/jwks\n      algorithm: HS256\n"))),
      "auth.issuers[0].algorithm: a JWKS URL publishes public keys: HS256, HS384 and HS512 never come from one"));
}

TEST(AuthSources, ReadsSeveralKeySourcesOfOneIssuerUnderKeys) {
  const Config c = ParseOk(WithAuth(Issuer("      keys:\n"
                                           "        - jwks_url: https://idp.example/jwks\n"
                                           "        - pem_file: keys/pinned.pem\n          algorithm: ES256\n"
                                           "          kid: pinned\n"
                                           "        - secret_env: OLD_SECRET\n          algorithm: HS256\n"
                                           "        - secret_file: new.secret\n          algorithm: HS256\n")));
  const auto& keys = c.auth.issuers.at(0).keys;
  ASSERT_EQ(keys.size(), 4u);
  EXPECT_EQ(keys[0].jwks_url, "https://idp.example/jwks");
  EXPECT_EQ(keys[1].pem_file, "/base/keys/pinned.pem");
  EXPECT_EQ(keys[1].kid, "pinned");
  EXPECT_EQ(keys[2].secret_env, "OLD_SECRET");
  EXPECT_EQ(keys[3].secret_file, "/base/new.secret");
}

TEST(AuthSources, RefusesAnIssuerWithBothTheShorthandAndKeys) {
  EXPECT_TRUE(HasError(Errors(WithAuth(Issuer("      jwks_file: a.json\n      keys:\n"
                                              "        - jwks_url: https://idp.example/jwks\n"))),
                       "auth.issuers[0]: has both keys: and jwks_file: give every key source as an element of "
                       "keys:, or only one source without keys:"));
  EXPECT_TRUE(HasError(Errors(WithAuth(Issuer("      algorithm: ES256\n      keys:\n"
                                              "        - jwks_url: https://idp.example/jwks\n"))),
                       "auth.issuers[0]: has both keys: and algorithm: give every key source as an element of "
                       "keys:, or only one source without keys:"));
}

TEST(AuthSources, ChecksEachElementOfKeysWithItsOwnPath) {
  const auto errors = Errors(WithAuth(Issuer("      keys:\n"
                                             "        - jwks_url: http://idp.example/jwks\n"
                                             "        - pem_file: a.pem\n"
                                             "        - secret_file: s\n          jwks_file: j.json\n"
                                             "          algorithm: HS256\n"
                                             "        - secret_env: S\n          algorithm: HS256\n          kiid: x\n"
                                             "        - just-a-string\n")));
  EXPECT_TRUE(HasError(errors, "auth.issuers[0].keys[0].jwks_url: must be https:// (plain http only to a loopback "
                               "host)"));
  EXPECT_TRUE(HasError(errors, "auth.issuers[0].keys[1].algorithm: required with pem_file, secret_file and "
                               "secret_env (the key is pinned to it)"));
  EXPECT_TRUE(HasError(errors, "auth.issuers[0].keys[2]: needs exactly one key source: jwks_file, jwks_url, "
                               "pem_file, secret_file or secret_env"));
  EXPECT_TRUE(std::any_of(errors.begin(), errors.end(), [](const std::string& e) {
    return e.rfind("auth.issuers[0].keys[3]", 0) == 0 && e.find("kiid") != std::string::npos;
  }));
  EXPECT_TRUE(HasError(errors, "auth.issuers[0].keys[4]: must be a mapping with one of jwks_file, jwks_url, "
                               "pem_file, secret_file or secret_env"));
  EXPECT_TRUE(HasError(Errors(WithAuth(Issuer("      keys: []\n"))),
                       "auth.issuers[0].keys: must be a list of key sources, each with one of jwks_file, jwks_url, "
                       "pem_file, secret_file or secret_env"));
}

TEST(AuthSources, KeepsTheOneSourceShorthandAndItsMessages) {
  EXPECT_TRUE(HasError(Errors(WithAuth(Issuer(""))),
                       "auth.issuers[0]: needs exactly one key source: jwks_file, jwks_url, pem_file, secret_file or "
                       "secret_env (or a keys: list of them)"));
  EXPECT_TRUE(HasError(Errors(WithAuth(Issuer("      jwks_file: a.json\n      algorithm: HS256\n"))),
                       "auth.issuers[0].algorithm: HS256, HS384 and HS512 take a secret_file or secret_env"));
  const Config c = ParseOk(WithAuth(Issuer("      jwks_file: a.json\n")));
  EXPECT_EQ(c.auth.issuers[0].keys.at(0).jwks_file, "/base/a.json");
}

TEST(AuthSources, ReadsTheJwksFetchSettingsWithinTheirBounds) {
  const Config defaults = ParseOk(WithAuth(Issuer("      jwks_url: https://idp.example/jwks\n")));
  EXPECT_EQ(defaults.auth.jwks.refresh_s, 300u);
  EXPECT_EQ(defaults.auth.jwks.min_refetch_interval_s, 30u);
  EXPECT_EQ(defaults.auth.jwks.timeout_ms, 5000u);
  EXPECT_EQ(defaults.auth.jwks.max_bytes, 1u << 20);
  const Config c = ParseOk(WithAuth("  jwks: {refresh_s: 600, min_refetch_interval_s: 60, timeout_ms: 1000, "
                                    "max_bytes: 65536, ca_file: certs/ca.pem}\n" +
                                    Issuer("      jwks_url: https://idp.example/jwks\n")));
  EXPECT_EQ(c.auth.jwks.refresh_s, 600u);
  EXPECT_EQ(c.auth.jwks.min_refetch_interval_s, 60u);
  EXPECT_EQ(c.auth.jwks.timeout_ms, 1000u);
  EXPECT_EQ(c.auth.jwks.max_bytes, 65536u);
  EXPECT_EQ(c.auth.jwks.ca_file, "/base/certs/ca.pem");
  const std::string url = Issuer("      jwks_url: https://idp.example/jwks\n");
  EXPECT_FALSE(Errors(WithAuth("  jwks: {refresh_s: 29}\n" + url)).empty());
  EXPECT_TRUE(HasError(Errors(WithAuth("  jwks: {refresh_s: 60, min_refetch_interval_s: 61}\n" + url)),
                       "auth.jwks.min_refetch_interval_s: must not exceed refresh_s (60)"));
  const auto unknown = Errors(WithAuth("  jwks: {refresh: 60}\n" + url));
  EXPECT_TRUE(std::any_of(unknown.begin(), unknown.end(),
                          [](const std::string& e) { return e.rfind("auth.jwks", 0) == 0; }));
}

TEST(AuthSources, ReadsTheIntrospectionEndpointAndItsClientCredentials) {
  const std::string issuers = Issuer("      jwks_url: https://idp.example/jwks\n");
  const Config c = ParseOk(WithAuth("  introspection:\n    endpoint: https://as.example/introspect\n"
                                    "    client_id: gateway\n    client_secret_file: secrets/as\n"
                                    "    issuer: https://as.example\n" +
                                    issuers));
  const Introspection& i = c.auth.introspection;
  EXPECT_TRUE(i.configured);
  EXPECT_EQ(i.endpoint, "https://as.example/introspect");
  EXPECT_EQ(i.client_id, "gateway");
  EXPECT_EQ(i.client_secret_file, "/base/secrets/as");
  EXPECT_EQ(i.issuer, "https://as.example");
  EXPECT_EQ(i.timeout_ms, 2000u);
  EXPECT_EQ(i.cache_entries, 10000u);
  EXPECT_EQ(i.max_cache_s, 300u);
  EXPECT_FALSE(ParseOk(WithAuth(issuers)).auth.introspection.configured);

  const auto plain = Errors(WithAuth("  introspection:\n    endpoint: http://as.example/introspect\n"
                                     "    client_id: gateway\n    client_secret_env: AS_SECRET\n" +
                                     issuers));
  EXPECT_TRUE(HasError(plain, "auth.introspection.endpoint: must be https:// (plain http only to a loopback host)"));
  const auto incomplete = Errors(WithAuth("  introspection:\n    client_secret_env: A\n    client_secret_file: b\n" +
                                          issuers));
  EXPECT_TRUE(HasError(incomplete, "auth.introspection.endpoint: required: the RFC 7662 introspection URL of the "
                                   "authorization server"));
  EXPECT_TRUE(HasError(incomplete, "auth.introspection.client_id: required: the gateway's client id at the "
                                   "authorization server"));
  EXPECT_TRUE(HasError(incomplete, "auth.introspection: needs exactly one of client_secret_file or client_secret_env"));
  const Config loopback = ParseOk(WithAuth("  introspection:\n    endpoint: http://127.0.0.1:9000/introspect\n"
                                           "    client_id: gateway\n    client_secret_env: AS_SECRET\n" +
                                           issuers));
  EXPECT_EQ(loopback.auth.introspection.endpoint, "http://127.0.0.1:9000/introspect");
}

}  // namespace
}  // namespace mcpgw::config
