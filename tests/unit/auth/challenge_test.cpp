// The exact Bearer challenges every front door sends.
#include "auth/challenge.h"

#include <gtest/gtest.h>

namespace mcpgw::auth {
namespace {

TEST(Challenge, MetadataUrlPutsTheWellKnownPathBeforeTheResourcePath) {
  EXPECT_EQ(ResourceMetadataUrl("https://gw.test/mcp/memory"),
            "https://gw.test/.well-known/oauth-protected-resource/mcp/memory");
  EXPECT_EQ(ResourceMetadataUrl("https://gw.test"), "https://gw.test/.well-known/oauth-protected-resource");
  EXPECT_EQ(PathOfUri("http://127.0.0.1:8080/mcp/a"), "/mcp/a");
}

TEST(Challenge, UnauthorizedNamesTheMetadataTheScopesAndAnInvalidToken) {
  EXPECT_EQ(UnauthorizedChallenge("https://gw.test/mcp/m", {}, false),
            R"(Bearer resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/m")");
  EXPECT_EQ(UnauthorizedChallenge("https://gw.test/mcp/m", {"a:read", "b"}, true),
            R"(Bearer resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/m", )"
            R"(scope="a:read b", error="invalid_token")");
}

TEST(Challenge, InsufficientScopeNamesWhatTheRequestNeeds) {
  EXPECT_EQ(InsufficientScopeChallenge("https://gw.test/mcp/m", {"mcp:call", "memory:write"}),
            R"(Bearer error="insufficient_scope", scope="mcp:call memory:write", )"
            R"(resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/m")");
  EXPECT_EQ(InsufficientScopeChallenge("https://gw.test/mcp/m", {}),
            R"(Bearer error="insufficient_scope", )"
            R"(resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/m")");
}

}  // namespace
}  // namespace mcpgw::auth
