// Self-validating session ids: any replica with the key can verify them;
// nobody without it can forge, alter, reuse on another route or principal.
#include "session/session_id.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sys/stat.h>

namespace mcpgw::session {
namespace {

using namespace std::chrono_literals;

const Principal kAlice = NamedPrincipal("alice", "acme", "cli", {});
const Principal kBob = NamedPrincipal("bob", "acme", "cli", {});

SessionClaims Claims(std::chrono::system_clock::time_point at = std::chrono::system_clock::now()) {
  return SessionClaims{"2025-11-25", kCapabilitySampling, std::chrono::time_point_cast<std::chrono::seconds>(at)};
}

TEST(SessionId, VerifiesOnAnotherReplicaHoldingTheSameKey) {
  const SessionIdCodec minting(std::string(32, 'k'), 24h), other_replica(std::string(32, 'k'), 24h);
  const std::string id = minting.Mint(Claims(), "memory", kAlice);
  SessionClaims claims;
  ASSERT_EQ(other_replica.Verify(id, "memory", kAlice, &claims), SessionIdCheck::kValid);
  EXPECT_EQ(claims.protocol_version, "2025-11-25");
  EXPECT_EQ(claims.client_capabilities, kCapabilitySampling);
}

TEST(SessionId, IsVisibleAsciiAndUniqueEachTime) {
  const SessionIdCodec codec(std::string(32, 'k'), 24h);
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string id = codec.Mint(Claims(), "memory", kAlice);
    EXPECT_TRUE(std::regex_match(id, std::regex("^[\\x21-\\x7E]+$"))) << id;
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(SessionId, RejectsAnIdMintedWithAnotherKey) {
  const SessionIdCodec ours(std::string(32, 'k'), 24h), theirs(std::string(32, 'x'), 24h);
  EXPECT_EQ(ours.Verify(theirs.Mint(Claims(), "memory", kAlice), "memory", kAlice, nullptr), SessionIdCheck::kForged);
}

TEST(SessionId, RejectsAnyAlteredCharacter) {
  const SessionIdCodec codec(std::string(32, 'k'), 24h);
  const std::string id = codec.Mint(Claims(), "memory", kAlice);
  for (std::size_t i = 0; i < id.size(); ++i) {
    std::string altered = id;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    EXPECT_NE(codec.Verify(altered, "memory", kAlice, nullptr), SessionIdCheck::kValid) << "position " << i;
  }
}

TEST(SessionId, RejectsUseByAnotherPrincipalOrOnAnotherRoute) {
  const SessionIdCodec codec(std::string(32, 'k'), 24h);
  const std::string id = codec.Mint(Claims(), "memory", kAlice);
  EXPECT_EQ(codec.Verify(id, "memory", kBob, nullptr), SessionIdCheck::kOtherPrincipal);
  EXPECT_EQ(codec.Verify(id, "git", kAlice, nullptr), SessionIdCheck::kOtherPrincipal);
}

TEST(SessionId, ExpiresAfterItsLifetime) {
  const SessionIdCodec codec(std::string(32, 'k'), 1h);
  const auto minted = std::chrono::system_clock::now();
  const std::string id = codec.Mint(Claims(minted), "memory", kAlice);
  EXPECT_EQ(codec.Verify(id, "memory", kAlice, nullptr, minted + 59min), SessionIdCheck::kValid);
  EXPECT_EQ(codec.Verify(id, "memory", kAlice, nullptr, minted + 61min), SessionIdCheck::kExpired);
}

TEST(SessionId, CallsGarbageMalformed) {
  const SessionIdCodec codec(std::string(32, 'k'), 24h);
  for (const char* junk : {"", "abc", "!!!!", "AQAAAA", "not a session id at all, really"}) {
    EXPECT_EQ(codec.Verify(junk, "memory", kAlice, nullptr), SessionIdCheck::kMalformed) << junk;
  }
  EXPECT_EQ(codec.Verify(std::string(4096, 'A'), "memory", kAlice, nullptr), SessionIdCheck::kMalformed);
}

TEST(SessionKey, IsCreatedOnceWithOwnerOnlyPermissionsAndThenReused) {
  const auto dir = std::filesystem::temp_directory_path() / ("mcpgw-key-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string path = (dir / "session.key").string();
  std::string error;
  const auto first = LoadOrCreateKey(path, &error);
  ASSERT_TRUE(first) << error;
  EXPECT_EQ(first->size(), 32u);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(LoadOrCreateKey(path, &error), first);
  std::filesystem::remove_all(dir);
}

TEST(SessionKey, RefusesAKeyFileThatIsTooShort) {
  const auto path = std::filesystem::temp_directory_path() / ("mcpgw-short-" + std::to_string(::getpid()));
  std::ofstream(path) << "short";
  std::string error;
  EXPECT_FALSE(LoadOrCreateKey(path.string(), &error));
  EXPECT_NE(error.find("at least 32 bytes"), std::string::npos);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace mcpgw::session
