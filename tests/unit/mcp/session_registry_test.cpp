// SessionRegistry: which presented session ids are usable, including after
// this replica has seen them (the fast path skips the HMAC).
#include "mcp/session_registry.h"

#include <gtest/gtest.h>

namespace mcpgw::mcp {
namespace {

const Principal kAlice = NamedPrincipal("alice", "acme", "cli", {"read"});
const Principal kMallory = NamedPrincipal("mallory", "acme", "cli", {"read"});

class SessionRegistryTest : public ::testing::Test {
 protected:
  std::shared_ptr<const session::SessionIdCodec> codec_ =
      std::make_shared<session::SessionIdCodec>(std::string(32, 'k'), std::chrono::hours(1));
  SessionRegistry registry_{codec_, "memory", nullptr};
};

TEST_F(SessionRegistryTest, RefusesAnotherPrincipalEvenAfterTheOwnerUsedTheSession) {
  const auto s = registry_.Create("2025-11-25", 0, kAlice);
  EXPECT_TRUE(registry_.Find(s->id(), kAlice).session);
  const auto theft = registry_.Find(s->id(), kMallory);
  EXPECT_FALSE(theft.session);
  EXPECT_EQ(theft.check, session::SessionIdCheck::kOtherPrincipal);
}

TEST_F(SessionRegistryTest, AcceptsTheSameOwnerWithOtherScopes) {
  const auto s = registry_.Create("2025-11-25", 0, kAlice);
  Principal more = kAlice;
  more.scopes.push_back("write");
  EXPECT_TRUE(registry_.Find(s->id(), more).session);
}

TEST_F(SessionRegistryTest, NeverServesAnEndedSessionAgain) {
  const auto s = registry_.Create("2025-11-25", 0, kAlice);
  ASSERT_TRUE(registry_.End(s->id(), kAlice));
  const auto after = registry_.Find(s->id(), kAlice);
  EXPECT_FALSE(after.session);
  EXPECT_TRUE(after.ended);
}

TEST_F(SessionRegistryTest, RebuildsASessionAnotherReplicaMinted) {
  SessionRegistry other_replica{codec_, "memory", nullptr};
  const auto s = other_replica.Create("2025-06-18", 0, kAlice);
  const auto here = registry_.Find(s->id(), kAlice);
  ASSERT_TRUE(here.session);
  EXPECT_EQ(here.session->protocol_version(), "2025-06-18");
  EXPECT_FALSE(registry_.Find(s->id(), kMallory).session);
}

}  // namespace
}  // namespace mcpgw::mcp
