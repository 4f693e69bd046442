// Configuration: validated whole before start-up; every problem names its
// key; unknown keys are errors.
#include "config/config.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace mcpgw::config {
namespace {

constexpr const char* kMinimal = R"(
plugins:
  - name: memory
    file: memory.so
routes:
  - name: memory
    path: /mcp/memory
    plugin: memory
)";

Config ParseOk(const std::string& yaml) {
  auto result = Parse(yaml, "/base");
  if (auto* errors = std::get_if<std::vector<std::string>>(&result)) {
    ADD_FAILURE() << "unexpected errors: " << (errors->empty() ? "" : errors->front());
    return Config{};
  }
  return std::get<Config>(result);
}

std::vector<std::string> Errors(const std::string& yaml) {
  auto result = Parse(yaml, "/base");
  if (std::holds_alternative<Config>(result)) {
    ADD_FAILURE() << "expected errors";
    return {};
  }
  return std::get<std::vector<std::string>>(result);
}

bool HasError(const std::vector<std::string>& errors, const std::string& needle) {
  return std::any_of(errors.begin(), errors.end(), [&](const std::string& e) { return e.find(needle) != std::string::npos; });
}

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
  ASSERT_EQ(c.routes.size(), 1u);
  EXPECT_EQ(c.routes[0].path, "/mcp/memory");
  EXPECT_TRUE(c.server.listen.IsLoopback());
  // No development bypass: the default authenticates, trusting the local development key.
  ASSERT_TRUE(c.auth.configured);
  ASSERT_EQ(c.auth.issuers.size(), 1u);
  EXPECT_EQ(c.auth.issuers[0].issuer, "urn:mcp-gateway:dev");
  EXPECT_EQ(c.auth.issuers[0].jwks_file, "/base/data/dev-key/jwks.json");
}

TEST(Config, RejectsUnknownKeysAndSuggestsTheNearestKnownOne) {
  const auto errors = Errors(std::string("server:\n  listn: 127.0.0.1:1\n") + kMinimal);
  EXPECT_TRUE(HasError(errors, "server.listn: unknown key (did you mean \"listen\"?)")) << errors.front();
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
                           kMinimal);
  ASSERT_TRUE(c.auth.configured);
  ASSERT_EQ(c.auth.issuers.size(), 2u);
  EXPECT_EQ(c.auth.issuers[0].pem_file, "/base/keys/idp.pem");
  EXPECT_EQ(c.auth.issuers[1].secret_env, "CI_SECRET");
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

TEST(Config, ReportsAFileThatCannotBeRead) {
  auto result = LoadFile("/nonexistent/gateway.yaml");
  ASSERT_TRUE(std::holds_alternative<std::vector<std::string>>(result));
  EXPECT_TRUE(HasError(std::get<std::vector<std::string>>(result), "cannot read the configuration file"));
}

}  // namespace
}  // namespace mcpgw::config
