// Scopes per method class and per tool: exact names before patterns, the
// most specific pattern first, and anything unmapped denied.
#include "auth/scope_policy.h"

#include <gtest/gtest.h>

namespace mcpgw::auth {
namespace {

using Scopes = std::vector<std::string>;

config::RouteScopes Example() {
  config::RouteScopes s;
  s.configured = true;
  s.list = Scopes{"mcp:list"};
  s.call = Scopes{"mcp:call"};
  s.admin = Scopes{};
  s.tools = {{"*", {"memory:write"}},
             {"read_*", {"memory:read"}},
             {"read_graph", {"memory:graph"}},
             {"search_nodes", {}},
             {"*_nodes", {"memory:nodes"}}};
  return s;
}

TEST(ScopePolicy, ClassifiesEveryMethodTheGatewayServes) {
  EXPECT_EQ(ClassOf("tools/list"), MethodClass::kList);
  EXPECT_EQ(ClassOf("resources/templates/list"), MethodClass::kList);
  EXPECT_EQ(ClassOf("prompts/list"), MethodClass::kList);
  EXPECT_EQ(ClassOf("resources/read"), MethodClass::kRead);
  EXPECT_EQ(ClassOf("prompts/get"), MethodClass::kRead);
  EXPECT_EQ(ClassOf("completion/complete"), MethodClass::kRead);
  EXPECT_EQ(ClassOf("subscriptions/listen"), MethodClass::kRead);
  EXPECT_EQ(ClassOf("tools/call"), MethodClass::kCall);
  EXPECT_EQ(ClassOf("logging/setLevel"), MethodClass::kAdmin);
  EXPECT_EQ(ClassOf("initialize"), MethodClass::kNone);
  EXPECT_EQ(ClassOf("ping"), MethodClass::kNone);
}

TEST(ScopePolicy, ACallNeedsItsClassScopesThenItsToolsExactBeforePatterns) {
  const ScopePolicy p(Example());
  EXPECT_EQ(p.Required("tools/call", "read_graph").All(), (Scopes{"mcp:call", "memory:graph"}));
  EXPECT_EQ(p.Required("tools/call", "read_other").All(), (Scopes{"mcp:call", "memory:read"}));
  EXPECT_EQ(p.Required("tools/call", "search_nodes").All(), (Scopes{"mcp:call"}));
  EXPECT_EQ(p.Required("tools/call", "open_nodes").All(), (Scopes{"mcp:call", "memory:nodes"}));
  EXPECT_EQ(p.Required("tools/call", "delete_entities").All(), (Scopes{"mcp:call", "memory:write"}));
  EXPECT_EQ(p.Required("tools/list", "").All(), (Scopes{"mcp:list"}));
  EXPECT_TRUE(p.Required("logging/setLevel", "").mapped);
  EXPECT_TRUE(p.Required("logging/setLevel", "").All().empty());
  EXPECT_TRUE(p.Required("tools/call", "read_graph").SatisfiedBy({"memory:graph", "mcp:call", "x"}));
  EXPECT_FALSE(p.Required("tools/call", "read_graph").SatisfiedBy({"memory:graph"}));
  EXPECT_FALSE(p.Required("tools/call", "read_graph").SatisfiedBy({"mcp:call"}));
}

TEST(ScopePolicy, WhatIsNotMappedIsDenied) {
  config::RouteScopes s = Example();
  const ScopePolicy p(s);
  EXPECT_FALSE(p.Required("resources/read", "").mapped) << "the read class has no entry";
  s.tools.erase(s.tools.begin());  // no catch-all
  const ScopePolicy q(s);
  EXPECT_FALSE(q.Required("tools/call", "delete_entities").mapped);
  EXPECT_TRUE(q.Required("tools/call", "read_graph").mapped);
  EXPECT_FALSE(ScopePolicy(config::RouteScopes{}).Required("tools/list", "").mapped);
  EXPECT_TRUE(ScopePolicy(config::RouteScopes{}).Required("ping", "").mapped) << "plumbing needs no scope";
}

TEST(ScopePolicy, ACallerMayCallAToolWhenACallOfItWouldBeAllowed) {
  const ScopePolicy p(Example());
  EXPECT_TRUE(p.MayCall("read_graph", {"mcp:call", "memory:graph"}));
  EXPECT_FALSE(p.MayCall("read_graph", {"memory:graph"})) << "the call class's scopes are needed too";
  EXPECT_FALSE(p.MayCall("read_graph", {"mcp:call", "memory:read"})) << "the exact entry wins over read_*";
  EXPECT_TRUE(p.MayCall("search_nodes", {"mcp:call"}));
  EXPECT_FALSE(p.MayCall("delete_entities", {"mcp:call", "memory:read"}));
  config::RouteScopes s = Example();
  s.tools.erase(s.tools.begin());  // no catch-all
  EXPECT_FALSE(ScopePolicy(s).MayCall("delete_entities", {"mcp:call", "memory:write"})) << "unmapped";
}

TEST(ScopePolicy, SupportedIsEveryMentionedScopeSortedOnce) {
  EXPECT_EQ(ScopePolicy(Example()).supported(),
            (Scopes{"mcp:call", "mcp:list", "memory:graph", "memory:nodes", "memory:read", "memory:write"}));
}

TEST(ScopePolicy, AllRequiredScopesMustBeGranted) {
  EXPECT_TRUE(HasAllScopes({"a", "b"}, {"b"}));
  EXPECT_TRUE(HasAllScopes({}, {}));
  EXPECT_FALSE(HasAllScopes({"a"}, {"a", "b"}));
  EXPECT_FALSE(HasAllScopes({"A"}, {"a"})) << "scopes are case-sensitive (RFC 6749 3.3)";
}

TEST(GlobMatch, StarMatchesAnyRunOtherCharactersLiterally) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("read_*", "read_graph"));
  EXPECT_TRUE(GlobMatch("*_nodes", "search_nodes"));
  EXPECT_TRUE(GlobMatch("a*b*c", "axxbyyc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "axxbyy"));
  EXPECT_FALSE(GlobMatch("read_*", "READ_graph"));
  EXPECT_FALSE(GlobMatch("read.graph", "read_graph")) << "no regex meaning";
  EXPECT_TRUE(GlobMatch(std::string(40, '*') + "b", std::string(10000, 'a') + "b"));
}

}  // namespace
}  // namespace mcpgw::auth
