// The authorization parts of the configuration: per-route scopes, API keys
// and the audit log. With authentication on, every route must say what its
// methods and tools need, because what is not mapped is denied.
#include "config/config.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace mcpgw::config {
namespace {

constexpr char kAuth[] = "server:\n  public_url: https://gw.test\n"
                         "auth:\n  issuers:\n    - issuer: https://idp.test\n      jwks_file: jwks.json\n";
constexpr char kPlugins[] = "plugins:\n  - name: memory\n    file: memory.so\n";
constexpr char kRoute[] = "routes:\n  - name: memory\n    path: /mcp/memory\n    plugin: memory\n";
constexpr char kScopes[] =
    "    scopes:\n      list: [mcp:list]\n      call: []\n      tools:\n        read_graph: [memory:read]\n"
    "        \"*\": [memory:write]\n";
constexpr char kKeyHash[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

LoadResult Load(const std::string& yaml) { return Parse(yaml, "/base"); }

std::vector<std::string> Errors(const std::string& yaml) {
  auto result = Load(yaml);
  if (auto* errors = std::get_if<std::vector<std::string>>(&result)) return *errors;
  ADD_FAILURE() << "expected errors";
  return {};
}

bool HasError(const std::vector<std::string>& errors, const std::string& needle) {
  return std::any_of(errors.begin(), errors.end(), [&](const std::string& e) { return e.find(needle) != std::string::npos; });
}

std::string WithApiKey(const std::string& body) {
  return std::string("  api_keys:\n    - name: ci-bot\n") + body;
}

TEST(AuthorizationConfig, ReadsRouteScopesPerClassAndTool) {
  auto result = Load(std::string(kAuth) + kPlugins + kRoute + kScopes);
  ASSERT_TRUE(std::holds_alternative<Config>(result)) << std::get<std::vector<std::string>>(result).front();
  const RouteScopes& s = std::get<Config>(result).routes[0].scopes;
  EXPECT_TRUE(s.configured);
  ASSERT_TRUE(s.list.has_value());
  EXPECT_EQ(*s.list, std::vector<std::string>{"mcp:list"});
  ASSERT_TRUE(s.call.has_value());
  EXPECT_TRUE(s.call->empty());
  EXPECT_FALSE(s.read.has_value()) << "an absent class stays unmapped (denied), not empty (open)";
  ASSERT_EQ(s.tools.size(), 2u);
  EXPECT_EQ(s.tools[1].pattern, "*");
}

TEST(AuthorizationConfig, WithAuthEveryRouteMustMapItsScopes) {
  const auto errors = Errors(std::string(kAuth) + kPlugins + kRoute);
  EXPECT_TRUE(HasError(errors, "routes[0].scopes: required when auth is configured")) << errors.front();
  // Without auth (loopback, local user) a route needs none.
  EXPECT_TRUE(std::holds_alternative<Config>(Load(std::string(kPlugins) + kRoute)));
}

TEST(AuthorizationConfig, RefusesScopesThatWouldBreakAChallengeAndUnknownClasses) {
  const std::string base = std::string(kAuth) + kPlugins + kRoute;
  EXPECT_TRUE(HasError(Errors(base + "    scopes:\n      list: [\"a b\"]\n"), "routes[0].scopes.list: \"a b\" is not a scope"));
  EXPECT_TRUE(HasError(Errors(base + "    scopes:\n      list: ['a\"b']\n"), "is not a scope"));
  EXPECT_TRUE(HasError(Errors(base + "    scopes:\n      write: [x]\n"), "routes[0].scopes.write: unknown key"));
  EXPECT_TRUE(HasError(Errors(base + "    scopes:\n      tools:\n        read_graph: x\n"),
                       "routes[0].scopes.tools.read_graph: must be a list of scopes"));
  EXPECT_TRUE(HasError(Errors(base + "    scopes:\n      tools: [a]\n"), "routes[0].scopes.tools: must map tool names"));
}

TEST(AuthorizationConfig, ReadsApiKeysWithTheirOwnAudiencesAndScopes) {
  auto result = Load(std::string(kAuth) +
                     WithApiKey(std::string("      sha256: ") + kKeyHash +
                            "\n      audiences: [https://gw.test/mcp/memory]\n      scopes: [mcp:list]\n") +
                     kPlugins + kRoute + kScopes);
  ASSERT_TRUE(std::holds_alternative<Config>(result)) << std::get<std::vector<std::string>>(result).front();
  const ApiKey& k = std::get<Config>(result).auth.api_keys.at(0);
  EXPECT_EQ(k.name, "ci-bot");
  EXPECT_EQ(k.tenant, "ci-bot");
  EXPECT_EQ(k.audiences, std::vector<std::string>{"https://gw.test/mcp/memory"});
  EXPECT_EQ(k.scopes, std::vector<std::string>{"mcp:list"});
}

TEST(AuthorizationConfig, RefusesApiKeysThatAreNotHashesOrPointNowhere) {
  const auto with = [](const std::string& body) {
    return Errors(std::string(kAuth) + WithApiKey(body) + kPlugins + kRoute + kScopes);
  };
  EXPECT_TRUE(HasError(with("      sha256: ABC\n      audiences: [https://gw.test/mcp/memory]\n"),
                       "auth.api_keys[0].sha256: required: the key's SHA-256 as 64 lowercase hex digits"));
  EXPECT_TRUE(HasError(with(std::string("      sha256: ") + kKeyHash + "\n"), "auth.api_keys[0].audiences: required"));
  // Exact audiences: a trailing slash is another resource.
  EXPECT_TRUE(HasError(with(std::string("      sha256: ") + kKeyHash + "\n      audiences: [https://gw.test/mcp/memory/]\n"),
                       "auth.api_keys[0].audiences: no route has the resource \"https://gw.test/mcp/memory/\""));
}

TEST(AuthorizationConfig, ReadsTheAuditLogDestination) {
  auto result = Load(std::string(kPlugins) + kRoute + "audit:\n  file: logs/audit.jsonl\n  tool_calls: false\n");
  ASSERT_TRUE(std::holds_alternative<Config>(result));
  EXPECT_EQ(std::get<Config>(result).audit.file, "/base/logs/audit.jsonl");
  EXPECT_FALSE(std::get<Config>(result).audit.tool_calls);
  EXPECT_TRUE(HasError(Errors(std::string(kPlugins) + kRoute + "audit:\n  path: x\n"), "audit.path: unknown key"));
}

}  // namespace
}  // namespace mcpgw::config
