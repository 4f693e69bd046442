#include "git_config.h"

#include <gtest/gtest.h>

namespace mcpgw::git {
namespace {

using nlohmann::json;

std::string Problem(const json& config) {
  auto parsed = ParseGitConfig(config);
  return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
}

TEST(GitConfigTest, ReadsEveryKey) {
  auto parsed = ParseGitConfig(json{{"roots", {"/srv/a", "/srv/b"}},
                                    {"max_output_bytes", 4096},
                                    {"max_log_count", 50},
                                    {"commit_identity", "repository"}});
  ASSERT_TRUE(std::holds_alternative<GitOptions>(parsed));
  const GitOptions& o = std::get<GitOptions>(parsed);
  EXPECT_EQ(o.roots, (std::vector<std::string>{"/srv/a", "/srv/b"}));
  EXPECT_EQ(o.max_output_bytes, 4096u);
  EXPECT_EQ(o.max_log_count, 50u);
  EXPECT_EQ(o.commit_identity, CommitIdentity::kRepository);
}

TEST(GitConfigTest, DefaultsToPrincipalIdentityAndAMebibyteOfOutput) {
  auto parsed = ParseGitConfig(json{{"roots", {"/srv"}}});
  ASSERT_TRUE(std::holds_alternative<GitOptions>(parsed));
  EXPECT_EQ(std::get<GitOptions>(parsed).commit_identity, CommitIdentity::kPrincipal);
  EXPECT_EQ(std::get<GitOptions>(parsed).max_output_bytes, 1024u * 1024u);
}

TEST(GitConfigTest, RefusesMissingOrRelativeRootsUnknownKeysAndWrongTypes) {
  EXPECT_NE(Problem(json::object()).find("roots is required"), std::string::npos);
  EXPECT_NE(Problem(json{{"roots", json::array()}}).find("non-empty list"), std::string::npos);
  EXPECT_NE(Problem(json{{"roots", {"relative"}}}).find("absolute path"), std::string::npos);
  EXPECT_NE(Problem(json{{"roots", {"/a"}}, {"max_output", 5}}).find("unknown key \"max_output\""), std::string::npos);
  EXPECT_NE(Problem(json{{"roots", {"/a"}}, {"max_output_bytes", 100}}).find("max_output_bytes must be an integer >= 1024"),
            std::string::npos);
  EXPECT_NE(Problem(json{{"roots", {"/a"}}, {"max_log_count", "10"}}).find("max_log_count"), std::string::npos);
  EXPECT_NE(Problem(json{{"roots", {"/a"}}, {"commit_identity", "root"}}).find("commit_identity"), std::string::npos);
}

}  // namespace
}  // namespace mcpgw::git
