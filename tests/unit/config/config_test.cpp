// Configuration: validated whole before start-up; every problem names its
// key; unknown keys are errors.
#include "config/config.h"

#include "unit/config/parse_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace mcpgw::config {
namespace {

constexpr const char* kMinimal = testing::kMemoryRoute;

using testing::Errors;
using testing::HasError;
using testing::ParseOk;

TEST(Config, FillsDefaultsAndDerivesTheCanonicalResourceUri) {
  const Config c = ParseOk(kMinimal);
  EXPECT_EQ(c.server.listen.ToString(), "127.0.0.1:8080");
  EXPECT_EQ(c.server.public_url, "http://127.0.0.1:8080");
  ASSERT_EQ(c.routes.size(), 1u);
  EXPECT_EQ(c.routes[0].resource, "http://127.0.0.1:8080/mcp/memory");
  EXPECT_EQ(c.server.data_dir, "/base/data");
  EXPECT_EQ(c.plugins[0].workers, 4u);
}

TEST(Config, TheEmbeddedDefaultIsValid) {
  const Config c = ParseOk(EmbeddedDefaultYaml());
  ASSERT_EQ(c.routes.size(), 2u);
  EXPECT_EQ(c.routes[0].path, "/mcp/memory");
  EXPECT_EQ(c.routes[1].path, "/mcp/vector");
  EXPECT_EQ(c.routes[1].plugin, "vector");
  EXPECT_TRUE(c.server.listen.IsLoopback());
  // No development bypass: the default authenticates, trusting the local development key.
  ASSERT_TRUE(c.auth.configured);
  ASSERT_EQ(c.auth.issuers.size(), 1u);
  EXPECT_EQ(c.auth.issuers[0].issuer, "urn:mcp-gateway:dev");
  EXPECT_EQ(c.auth.issuers[0].keys[0].jwks_file, "/base/data/dev-key/jwks.json");
}

TEST(Config, RejectsUnknownKeysAndSuggestsTheNearestKnownOne) {
  const auto errors = Errors(std::string("server:\n  listn: 127.0.0.1:1\n") + kMinimal);
  EXPECT_TRUE(HasError(errors, "server.listn: unknown key (did you mean \"listen\"?)")) << errors.front();
}

// YAML readers disagree on a repeated key (first wins here, last in many
// others): a configuration that says one thing twice is refused.
TEST(Config, RejectsADuplicateKeyAtAnyLevel) {
  const auto top = Errors(std::string("server:\n  listen: 127.0.0.1:1\nserver:\n  listen: 127.0.0.1:2\n") + kMinimal);
  EXPECT_TRUE(HasError(top, "server: duplicate key: only its first value would be read; keep one")) << top.front();
  const auto nested = Errors(std::string("server:\n  listen: 127.0.0.1:1\n  listen: 0.0.0.0:2\n") + kMinimal);
  EXPECT_TRUE(HasError(nested, "server.listen: duplicate key: only its first value would be read; keep one"))
      << nested.front();
}

TEST(Config, NamesTheKeyOfEveryProblemAndReportsThemAllAtOnce) {
  const auto errors = Errors(R"(
server:
  io_threads: many
  limits:
    max_json_depth: 2
plugins:
  - name: "bad name"
    file: x.so
    workers: 0
routes:
  - name: r
    path: mcp
    plugin: missing
)");
  EXPECT_TRUE(HasError(errors, "server.io_threads: must be a whole number"));
  EXPECT_TRUE(HasError(errors, "server.limits.max_json_depth: must be between 4 and 1000"));
  EXPECT_TRUE(HasError(errors, "plugins[0].name: required"));
  EXPECT_TRUE(HasError(errors, "plugins[0].workers: must be between 1 and 256"));
  EXPECT_TRUE(HasError(errors, "routes[0].path: must start with '/'"));
  EXPECT_TRUE(HasError(errors, "routes[0].plugin: no plugin instance named \"missing\""));
}

TEST(Config, RefusesToListenBeyondLoopbackWithoutAuthentication) {
  const auto errors = Errors(std::string("server:\n  listen: 0.0.0.0:8080\n") + kMinimal);
  EXPECT_TRUE(HasError(errors, "server.listen: must be a loopback address"));
}

TEST(Config, ReadsTrustedIssuersAndAllowsOtherHostsOnlyWithThem) {
  const Config c = ParseOk(std::string("server:\n  listen: 0.0.0.0:8080\n"
                                       "auth:\n  clock_skew_s: 30\n  tenant_claim: org\n  issuers:\n"
                                       "    - issuer: https://idp.example\n      pem_file: keys/idp.pem\n"
                                       "      algorithm: RS256\n"
                                       "    - issuer: ci\n      secret_env: CI_SECRET\n      algorithm: HS256\n") +
                           kMinimal + "    scopes: {list: [], call: []}\n");
  ASSERT_TRUE(c.auth.configured);
  ASSERT_EQ(c.auth.issuers.size(), 2u);
  EXPECT_EQ(c.auth.issuers[0].keys[0].pem_file, "/base/keys/idp.pem");
  EXPECT_EQ(c.auth.issuers[1].keys[0].secret_env, "CI_SECRET");
  EXPECT_EQ(c.auth.clock_skew_s, 30u);
  EXPECT_EQ(c.auth.tenant_claim, "org");
  EXPECT_FALSE(ParseOk(kMinimal).auth.configured);
}

TEST(Config, RefusesAnIssuerWithoutExactlyOneKeySourceOrWithAMismatchedAlgorithm) {
  const auto with = [](const std::string& issuer) {
    return Errors("auth:\n  issuers:\n    - " + issuer + std::string(kMinimal));
  };
  EXPECT_TRUE(HasError(with("issuer: a\n"), "auth.issuers[0]: needs exactly one key source"));
  EXPECT_TRUE(HasError(with("issuer: a\n      jwks_file: a.json\n      pem_file: a.pem\n      algorithm: ES256\n"),
                       "needs exactly one key source"));
  EXPECT_TRUE(HasError(with("issuer: a\n      pem_file: a.pem\n"), "auth.issuers[0].algorithm: required with pem_file"));
  EXPECT_TRUE(HasError(with("issuer: a\n      pem_file: a.pem\n      algorithm: HS256\n"),
                       "HS256, HS384 and HS512 take a secret_file or secret_env"));
  EXPECT_TRUE(HasError(with("issuer: a\n      secret_file: s\n      algorithm: ES256\n"),
                       "a secret verifies HS256, HS384 or HS512 only"));
  EXPECT_TRUE(HasError(with("issuer: a\n      jwks_file: a.json\n      algorithm: none\n"),
                       "auth.issuers[0].algorithm: \"none\" is not one of"));
  EXPECT_TRUE(HasError(with("jwks_file: a.json\n"), "auth.issuers[0].issuer: required"));
  EXPECT_TRUE(HasError(Errors("auth:\n  issuers: []\n" + std::string(kMinimal)), "auth.issuers: required"));
}

TEST(Config, RefusesDuplicateRoutePathsAndReservedPaths) {
  auto errors = Errors(std::string(kMinimal) + "  - name: other\n    path: /mcp/memory\n    plugin: memory\n");
  EXPECT_TRUE(HasError(errors, "routes[1].path: \"/mcp/memory\" is used by another route"));
  errors = Errors(std::string(kMinimal) + "  - name: wk\n    path: /.well-known/x\n    plugin: memory\n");
  EXPECT_TRUE(HasError(errors, "is reserved by the gateway"));
}

TEST(Config, RefusesAnOriginWithAPath) {
  const auto errors = Errors(std::string("server:\n  allowed_origins: [\"https://app.example.com/x\"]\n") + kMinimal);
  EXPECT_TRUE(HasError(errors, "server.allowed_origins[0]: must be an origin"));
}

TEST(Config, ReportsYamlSyntaxErrorsWithLineAndColumn) {
  const auto errors = Errors("server: [unclosed\n");
  EXPECT_TRUE(HasError(errors, "YAML syntax error at line"));
}

TEST(Config, PassesThePluginConfigAsTypedJson) {
  const Config c = ParseOk(R"(
plugins:
  - name: memory
    file: memory.so
    config: {limit: 10, ratio: 0.5, on: true, name: "10", empty: null}
routes:
  - {name: memory, path: /mcp/memory, plugin: memory}
)");
  const auto& cfg = c.plugins[0].config;
  EXPECT_EQ(cfg["limit"], 10);
  EXPECT_EQ(cfg["ratio"], 0.5);
  EXPECT_EQ(cfg["on"], true);
  EXPECT_EQ(cfg["name"], "10");  // quoted stays a string
  EXPECT_TRUE(cfg["empty"].is_null());
}

TEST(Config, ReadsTlsAndMakesHttpsTheDefaultPublicUrl) {
  const Config c = ParseOk(std::string("server:\n  tls:\n    cert_file: tls/cert.pem\n    key_file: /etc/gw/key.pem\n"
                                       "    client_ca_file: tls/clients.pem\n    client_certificates: require\n"
                                       "    hsts_max_age_s: 600\n    min_version: 1.3\n") +
                           kMinimal);
  const Tls& tls = c.server.tls;
  ASSERT_TRUE(tls.configured);
  EXPECT_EQ(tls.cert_file, "/base/tls/cert.pem");
  EXPECT_EQ(tls.key_file, "/etc/gw/key.pem");
  EXPECT_EQ(tls.client_ca_file, "/base/tls/clients.pem");
  EXPECT_EQ(tls.client_certificates, ClientCertificates::kRequire);
  EXPECT_EQ(tls.hsts_max_age_s, 600u);
  EXPECT_EQ(tls.min_version, "1.3");
  EXPECT_EQ(c.server.public_url, "https://127.0.0.1:8080");
  EXPECT_EQ(c.routes[0].resource, "https://127.0.0.1:8080/mcp/memory");
}

TEST(Config, TlsDefaultsToVersion12NoClientCertificatesAndAYearOfHsts) {
  const Config c = ParseOk(std::string("server:\n  tls:\n    cert_file: c.pem\n    key_file: k.pem\n") + kMinimal);
  EXPECT_EQ(c.server.tls.client_certificates, ClientCertificates::kNone);
  EXPECT_EQ(c.server.tls.hsts_max_age_s, 31'536'000u);
  EXPECT_EQ(c.server.tls.min_version, "1.2");
  EXPECT_FALSE(ParseOk(kMinimal).server.tls.configured);
}

TEST(Config, RefusesTlsWithoutItsFilesOrWithSettingsItCannotHonour) {
  const auto tls = [](const std::string& keys) { return Errors("server:\n  tls:\n" + keys + kMinimal); };
  const std::string files = "    cert_file: c.pem\n    key_file: k.pem\n";
  auto errors = tls("    hsts_max_age_s: 1\n");
  EXPECT_TRUE(HasError(errors, "server.tls.cert_file: required"));
  EXPECT_TRUE(HasError(errors, "server.tls.key_file: required"));
  EXPECT_TRUE(HasError(tls(files + "    min_version: 1.1\n"), "server.tls.min_version: must be \"1.2\" or \"1.3\""));
  EXPECT_TRUE(HasError(tls(files + "    client_certificates: always\n"),
                       "server.tls.client_certificates: must be none, optional or require"));
  EXPECT_TRUE(HasError(tls(files + "    client_certificates: optional\n"),
                       "server.tls.client_ca_file: required with client_certificates: optional"));
  EXPECT_TRUE(HasError(tls(files + "    client_ca_file: ca.pem\n"),
                       "server.tls.client_certificates: is none, so client_ca_file would be ignored"));
  EXPECT_TRUE(HasError(tls(files + "    ciphers: RC4\n"), "server.tls.ciphers: unknown key"));
}

TEST(Config, ReportsAFileThatCannotBeRead) {
  auto result = LoadFile("/nonexistent/gateway.yaml");
  ASSERT_TRUE(std::holds_alternative<std::vector<std::string>>(result));
  EXPECT_TRUE(HasError(std::get<std::vector<std::string>>(result), "cannot read the configuration file"));
}

}  // namespace
}  // namespace mcpgw::config
