// The tools that change a repository, each checked afterwards with the git
// command line (status --porcelain, log, branch, rev-parse).
#include <gtest/gtest.h>

#include "git_test_support.h"

namespace mcpgw::git::testing {
namespace {

class WriteToolsTest : public ::testing::Test {
 protected:
  std::string Porcelain() const { return Git(f_.repo, {"status", "--porcelain"}); }
  RepoFixture f_;
};

TEST_F(WriteToolsTest, AddStagesNamedFilesDirectoriesAndDeletions) {
  f_.Commit("tracked.txt", "a\n", "first");
  WriteFile(f_.repo + "/one.txt", "1\n");
  WriteFile(f_.repo + "/two.txt", "2\n");
  WriteFile(f_.repo + "/dir/three.txt", "3\n");
  WriteFile(f_.repo + "/glob*.txt", "literal\n");
  std::filesystem::remove(f_.repo + "/tracked.txt");
  EXPECT_EQ(f_.Text("git_add", {{"files", {"one.txt", "./dir", "tracked.txt", "glob*.txt"}}}),
            "Files staged successfully");
  EXPECT_EQ(Porcelain(), "A  dir/three.txt\nA  glob*.txt\nA  one.txt\nD  tracked.txt\n?? two.txt\n");
}

TEST_F(WriteToolsTest, AddAcceptsAbsolutePathsInsideTheWorkingTree) {
  WriteFile(f_.repo + "/a.txt", "a\n");
  EXPECT_EQ(f_.Text("git_add", {{"files", {f_.repo + "/a.txt"}}}), "Files staged successfully");
  EXPECT_EQ(Porcelain(), "A  a.txt\n");
}

TEST_F(WriteToolsTest, AddDotStagesEverythingLikeGitAddDot) {
  f_.Commit("gone.txt", "a\n", "first");
  std::filesystem::remove(f_.repo + "/gone.txt");
  WriteFile(f_.repo + "/new.txt", "n\n");
  WriteFile(f_.repo + "/.gitignore", "ignored.txt\n");
  WriteFile(f_.repo + "/ignored.txt", "i\n");
  EXPECT_EQ(f_.Text("git_add", {{"files", {"."}}}), "Files staged successfully");
  EXPECT_EQ(Porcelain(), "A  .gitignore\nD  gone.txt\nA  new.txt\n");
}

TEST_F(WriteToolsTest, AddOfAPathThatMatchesNothingIsRefused) {
  EXPECT_EQ(f_.Refusal("git_add", {{"files", {"missing.txt"}}}), "pathspec 'missing.txt' did not match any files");
}

TEST_F(WriteToolsTest, CommitRecordsTheIndexWithThePrincipalAsAuthor) {
  WriteFile(f_.repo + "/a.txt", "a\n");
  Git(f_.repo, {"add", "a.txt"});
  const std::string text = f_.Text("git_commit", {{"message", "Add a\n\nWith a body."}});
  const std::string head = GitText(f_.repo, {"rev-parse", "HEAD"});
  EXPECT_EQ(text, "Changes committed successfully with hash " + head);
  EXPECT_EQ(Git(f_.repo, {"log", "-1", "--format=%an <%ae>|%cn <%ce>|%B"}),
            "alice <alice@tenant-a>|alice <alice@tenant-a>|Add a\n\nWith a body.\n");
  EXPECT_EQ(Porcelain(), "");
  EXPECT_EQ(Git(f_.repo, {"show", "HEAD:a.txt"}), "a\n");
  WriteFile(f_.repo + "/b.txt", "b\n");
  Git(f_.repo, {"add", "b.txt"});
  f_.Text("git_commit", {{"message", "second"}});
  EXPECT_EQ(GitText(f_.repo, {"rev-parse", "HEAD~1"}), head);
  EXPECT_EQ(GitText(f_.repo, {"fsck", "--no-progress"}), "");
}

TEST_F(WriteToolsTest, CommitIdentityRepositoryUsesTheRepositoryConfigThenThePrincipal) {
  GitOptions options;
  options.commit_identity = CommitIdentity::kRepository;
  RepoFixture f(options);
  WriteFile(f.repo + "/a.txt", "a\n");
  Git(f.repo, {"add", "a.txt"});
  f.Text("git_commit", {{"message", "no identity configured"}});
  EXPECT_EQ(Git(f.repo, {"log", "-1", "--format=%an <%ae>"}), "alice <alice@tenant-a>\n");
  Git(f.repo, {"config", "user.name", "Repo Owner"});
  Git(f.repo, {"config", "user.email", "owner@example.com"});
  f.Text("git_commit", {{"message", "with identity"}});
  EXPECT_EQ(Git(f.repo, {"log", "-1", "--format=%an <%ae>"}), "Repo Owner <owner@example.com>\n");
}

TEST_F(WriteToolsTest, ResetUnstagesEverythingAndKeepsTheWorkingTree) {
  f_.Commit("a.txt", "a\n", "first");
  WriteFile(f_.repo + "/a.txt", "changed\n");
  WriteFile(f_.repo + "/new.txt", "n\n");
  Git(f_.repo, {"add", "-A"});
  ASSERT_EQ(Porcelain(), "M  a.txt\nA  new.txt\n");
  EXPECT_EQ(f_.Text("git_reset"), "All staged changes reset");
  EXPECT_EQ(Porcelain(), " M a.txt\n?? new.txt\n");
  EXPECT_EQ(ReadFile(f_.repo + "/a.txt"), "changed\n");
}

TEST_F(WriteToolsTest, ResetBeforeTheFirstCommitEmptiesTheIndex) {
  WriteFile(f_.repo + "/a.txt", "a\n");
  Git(f_.repo, {"add", "a.txt"});
  EXPECT_EQ(f_.Text("git_reset"), "All staged changes reset");
  EXPECT_EQ(Porcelain(), "?? a.txt\n");
}

TEST_F(WriteToolsTest, CreateBranchFromTheCurrentOrANamedBase) {
  f_.Commit("a.txt", "a\n", "first");
  Git(f_.repo, {"branch", "old"});
  f_.Commit("a.txt", "b\n", "second");
  Git(f_.repo, {"tag", "v1", "HEAD~1"});
  EXPECT_EQ(f_.Text("git_create_branch", {{"branch_name", "feature"}}), "Created branch 'feature' from 'main'");
  EXPECT_EQ(f_.Text("git_create_branch", {{"branch_name", "from-old"}, {"base_branch", "old"}}),
            "Created branch 'from-old' from 'old'");
  EXPECT_EQ(f_.Text("git_create_branch", {{"branch_name", "from-tag"}, {"base_branch", "v1"}, }),
            "Created branch 'from-tag' from 'v1'");
  EXPECT_EQ(Git(f_.repo, {"branch", "--format=%(refname:short) %(objectname)"}),
            "feature " + GitText(f_.repo, {"rev-parse", "main"}) + "\nfrom-old " +
                GitText(f_.repo, {"rev-parse", "old"}) + "\nfrom-tag " + GitText(f_.repo, {"rev-parse", "v1"}) +
                "\nmain " + GitText(f_.repo, {"rev-parse", "main"}) + "\nold " + GitText(f_.repo, {"rev-parse", "old"}) +
                "\n");
  EXPECT_EQ(f_.Refusal("git_create_branch", {{"branch_name", "feature"}, {"base_branch", "old"}}),
            "A branch named 'feature' already exists");
  EXPECT_EQ(f_.Refusal("git_create_branch", {{"branch_name", "x"}, {"base_branch", "nope"}}),
            "No branch, tag or remote branch named 'nope'");
  EXPECT_EQ(f_.Refusal("git_create_branch", {{"branch_name", "bad..name"}}), "'bad..name' is not a valid branch name");
  EXPECT_EQ(f_.Refusal("git_create_branch", {{"branch_name", "-f"}}),
            "Invalid branch name: '-f' - cannot start with '-'");
}

TEST_F(WriteToolsTest, CheckoutSwitchesBranchesAndTheWorkingTree) {
  f_.Commit("a.txt", "main\n", "first");
  Git(f_.repo, {"checkout", "-q", "-b", "feature"});
  f_.Commit("a.txt", "feature\n", "on feature");
  f_.Commit("only-on-feature.txt", "x\n", "more");
  Git(f_.repo, {"checkout", "-q", "main"});
  EXPECT_EQ(f_.Text("git_checkout", {{"branch_name", "feature"}}), "Switched to branch 'feature'");
  EXPECT_EQ(GitText(f_.repo, {"rev-parse", "--abbrev-ref", "HEAD"}), "feature");
  EXPECT_EQ(ReadFile(f_.repo + "/a.txt"), "feature\n");
  EXPECT_EQ(Porcelain(), "");
  EXPECT_EQ(f_.Text("git_checkout", {{"branch_name", "main"}}), "Switched to branch 'main'");
  EXPECT_FALSE(std::filesystem::exists(f_.repo + "/only-on-feature.txt"));
  EXPECT_EQ(Porcelain(), "");
  EXPECT_EQ(f_.Text("git_checkout", {{"branch_name", "feature~1"}}), "Switched to branch 'feature~1'");
  EXPECT_EQ(GitText(f_.repo, {"rev-parse", "HEAD"}), GitText(f_.repo, {"rev-parse", "feature~1"}));
  EXPECT_EQ(GitText(f_.repo, {"rev-parse", "--abbrev-ref", "HEAD"}), "HEAD");
}

TEST_F(WriteToolsTest, CheckoutNeverOverwritesLocalChanges) {
  f_.Commit("a.txt", "main\n", "first");
  Git(f_.repo, {"checkout", "-q", "-b", "feature"});
  f_.Commit("a.txt", "feature\n", "on feature");
  Git(f_.repo, {"checkout", "-q", "main"});
  WriteFile(f_.repo + "/a.txt", "precious local edit\n");
  const std::string refusal = f_.Refusal("git_checkout", {{"branch_name", "feature"}});
  EXPECT_EQ(refusal,
            "Your local changes to the following files would be overwritten by checkout:\n\ta.txt\n"
            "Please commit your changes or stash them before you switch branches.");
  EXPECT_EQ(ReadFile(f_.repo + "/a.txt"), "precious local edit\n");
  EXPECT_EQ(GitText(f_.repo, {"rev-parse", "--abbrev-ref", "HEAD"}), "main");
  EXPECT_EQ(f_.Refusal("git_checkout", {{"branch_name", "--orphan"}}),
            "Invalid branch name: '--orphan' - cannot start with '-'");
  EXPECT_NE(f_.Refusal("git_checkout", {{"branch_name", "nope"}}).find("Unknown branch name 'nope'"), std::string::npos);
}

TEST_F(WriteToolsTest, HooksNeverRun) {
  const std::string marker = f_.root.path() + "/hook-ran";
  for (const char* hook : {"pre-commit", "commit-msg", "post-commit", "post-checkout", "reference-transaction"}) {
    const std::string path = f_.repo + "/.git/hooks/" + hook;
    WriteFile(path, "#!/bin/sh\ntouch '" + marker + "'\n");
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  }
  WriteFile(f_.repo + "/a.txt", "a\n");
  f_.Text("git_add", {{"files", {"a.txt"}}});
  f_.Text("git_commit", {{"message", "first"}});
  f_.Text("git_create_branch", {{"branch_name", "b"}});
  f_.Text("git_checkout", {{"branch_name", "b"}});
  EXPECT_FALSE(std::filesystem::exists(marker));
}

}  // namespace
}  // namespace mcpgw::git::testing
