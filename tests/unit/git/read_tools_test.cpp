// The read-only tools against the git command line's view of the same
// repository: the texts must be what the reference server (GitPython over
// the git CLI) would return.
#include <gtest/gtest.h>

#include "bounded_text.h"
#include "git_test_support.h"

namespace mcpgw::git::testing {
namespace {

class ReadToolsTest : public ::testing::Test {
 protected:
  std::string CliStatus() const { return "Repository status:\n" + GitText(f_.repo, {"status"}); }
  RepoFixture f_;
};

TEST_F(ReadToolsTest, StatusOfAnEmptyRepositoryMatchesGit) { EXPECT_EQ(f_.Text("git_status"), CliStatus()); }

TEST_F(ReadToolsTest, StatusBeforeTheFirstCommitMatchesGit) {
  WriteFile(f_.repo + "/staged.txt", "a\n");
  WriteFile(f_.repo + "/untracked.txt", "b\n");
  Git(f_.repo, {"add", "staged.txt"});
  EXPECT_EQ(f_.Text("git_status"), CliStatus());
}

TEST_F(ReadToolsTest, StatusWithEveryKindOfChangeMatchesGit) {
  f_.Commit("modified.txt", "one\n", "first");
  f_.Commit("deleted.txt", "gone\n", "second");
  f_.Commit("renamed.txt", "a fairly long line so that rename detection has content to compare\n", "third");
  WriteFile(f_.repo + "/modified.txt", "two\n");
  std::filesystem::remove(f_.repo + "/deleted.txt");
  Git(f_.repo, {"mv", "renamed.txt", "moved.txt"});
  WriteFile(f_.repo + "/new.txt", "new\n");
  Git(f_.repo, {"add", "new.txt"});
  WriteFile(f_.repo + "/new.txt", "new, then changed\n");
  WriteFile(f_.repo + "/untracked dir/inner.txt", "x\n");
  WriteFile(f_.repo + "/caf\xc3\xa9.txt", "quoted path\n");
  EXPECT_EQ(f_.Text("git_status"), CliStatus());
}

TEST_F(ReadToolsTest, StatusOfCleanAndUntrackedOnlyTreesMatchesGit) {
  f_.Commit("a.txt", "a\n", "first");
  EXPECT_EQ(f_.Text("git_status"), CliStatus());
  WriteFile(f_.repo + "/b.txt", "b\n");
  EXPECT_EQ(f_.Text("git_status"), CliStatus());
}

TEST_F(ReadToolsTest, StatusOnADetachedHeadMatchesGit) {
  f_.Commit("a.txt", "a\n", "first");
  f_.Commit("a.txt", "b\n", "second");
  Git(f_.repo, {"checkout", "-q", "HEAD~1"});
  EXPECT_EQ(f_.Text("git_status"), CliStatus());
}

TEST_F(ReadToolsTest, StatusOfABranchAheadOfItsUpstreamMatchesGit) {
  f_.Commit("a.txt", "a\n", "first");
  Git(f_.root.path(), {"clone", "-q", f_.repo, "clone"});
  const std::string clone = f_.root.path() + "/clone";
  EXPECT_EQ(f_.Text("git_status", {{"repo_path", clone}}), "Repository status:\n" + GitText(clone, {"status"}));
  WriteFile(clone + "/b.txt", "b\n");
  Git(clone, {"add", "b.txt"});
  Git(clone, {"commit", "-q", "-m", "ahead"});
  EXPECT_EQ(f_.Text("git_status", {{"repo_path", clone}}), "Repository status:\n" + GitText(clone, {"status"}));
  f_.Commit("c.txt", "c\n", "upstream moves on");
  Git(clone, {"fetch", "-q"});
  EXPECT_EQ(f_.Text("git_status", {{"repo_path", clone}}), "Repository status:\n" + GitText(clone, {"status"}));
  Git(clone, {"reset", "-q", "--hard", "HEAD~1"});
  EXPECT_EQ(f_.Text("git_status", {{"repo_path", clone}}), "Repository status:\n" + GitText(clone, {"status"}));
  Git(clone, {"update-ref", "-d", "refs/remotes/origin/main"});
  EXPECT_EQ(f_.Text("git_status", {{"repo_path", clone}}), "Repository status:\n" + GitText(clone, {"status"}));
}

TEST_F(ReadToolsTest, DiffsMatchGitForEveryContextWidth) {
  std::string lines;
  for (int i = 1; i <= 20; ++i) lines += "line " + std::to_string(i) + "\n";
  f_.Commit("text.txt", lines, "first");
  f_.Commit("gone.txt", "bye\n", "second");
  std::string changed = lines;
  changed.replace(changed.find("line 10"), 7, "LINE 10");
  WriteFile(f_.repo + "/text.txt", changed + "no newline at the end");
  std::filesystem::remove(f_.repo + "/gone.txt");
  for (int context : {0, 1, 3, 5}) {
    EXPECT_EQ(f_.Text("git_diff_unstaged", {{"context_lines", context}}),
              "Unstaged changes:\n" + GitText(f_.repo, {"diff", "--unified=" + std::to_string(context)}));
  }
  EXPECT_EQ(f_.Text("git_diff_unstaged"), "Unstaged changes:\n" + GitText(f_.repo, {"diff", "--unified=3"}));
  Git(f_.repo, {"add", "-A"});
  WriteFile(f_.repo + "/binary.bin", std::string("\0\1\2\3", 4));
  Git(f_.repo, {"add", "binary.bin"});
  EXPECT_EQ(f_.Text("git_diff_staged"), "Staged changes:\n" + GitText(f_.repo, {"diff", "--unified=3", "--cached"}));
  EXPECT_EQ(f_.Text("git_diff_unstaged"), "Unstaged changes:\n");
}

TEST_F(ReadToolsTest, DiffAgainstATargetMatchesGit) {
  f_.Commit("a.txt", "one\ntwo\n", "first");
  f_.Commit("a.txt", "one\nthree\n", "second");
  WriteFile(f_.repo + "/a.txt", "one\nfour\n");
  Git(f_.repo, {"branch", "old", "HEAD~1"});
  for (const std::string target : {"HEAD~1", "old", "main"}) {
    EXPECT_EQ(f_.Text("git_diff", {{"target", target}}),
              "Diff with " + target + ":\n" + GitText(f_.repo, {"diff", "--unified=3", target}));
  }
}

TEST_F(ReadToolsTest, DiffRefusesUnknownTargetsAndOptionLookalikes) {
  f_.Commit("a.txt", "a\n", "first");
  EXPECT_NE(f_.Refusal("git_diff", {{"target", "no-such-branch"}}).find("Unknown target 'no-such-branch'"),
            std::string::npos);
  EXPECT_NE(f_.Refusal("git_diff", {{"target", "--output=/tmp/x"}}).find("cannot be empty or start with '-'"),
            std::string::npos);
}

TEST_F(ReadToolsTest, StagedDiffOfAnUnbornBranchShowsNewFiles) {
  WriteFile(f_.repo + "/a.txt", "a\n");
  Git(f_.repo, {"add", "a.txt"});
  EXPECT_EQ(f_.Text("git_diff_staged"), "Staged changes:\n" + GitText(f_.repo, {"diff", "--unified=3", "--cached"}));
}

TEST_F(ReadToolsTest, LogListsCommitsAsTheReferenceFormatsGitPythonObjects) {
  f_.Commit("a.txt", "a\n", "first", "2024-01-15T14:30:25+02:00");
  f_.Commit("a.txt", "b\n", "it's \"quoted\"", "2024-02-01T08:00:00-05:30");
  const std::string first = GitText(f_.repo, {"rev-parse", "HEAD~1"});
  const std::string second = GitText(f_.repo, {"rev-parse", "HEAD"});
  EXPECT_EQ(f_.Text("git_log"),
            "Commit history:\n"
            "Commit: '" + second + "'\nAuthor: <git.Actor \"Fixture <fixture@example.com>\">\n"
            "Date: 2024-02-01 08:00:00-05:30\nMessage: 'it\\'s \"quoted\"\\n'\n\n"
            "Commit: '" + first + "'\nAuthor: <git.Actor \"Fixture <fixture@example.com>\">\n"
            "Date: 2024-01-15 14:30:25+02:00\nMessage: 'first\\n'\n");
  EXPECT_EQ(f_.Text("git_log", {{"max_count", 1}}).find(first), std::string::npos);
}

TEST_F(ReadToolsTest, IntegerArgumentsMustBeIntegersInRange) {
  f_.Commit("a.txt", "a\n", "first");
  WriteFile(f_.repo + "/a.txt", "b\n");
  const std::string max_count = "max_count must be an integer between 0 and 9223372036854775807";
  for (const json& bad : {json(1e30), json(2.5), json(-1.0), json(9223372036854775808.0), json(-1), json(UINT64_MAX),
                          json("10")}) {
    EXPECT_EQ(f_.Refusal("git_log", {{"max_count", bad}}), max_count) << bad.dump();
  }
  // A whole-number float is an integer to JSON Schema (and Python clients send one).
  EXPECT_EQ(f_.Text("git_log", {{"max_count", 10.0}}), f_.Text("git_log", {{"max_count", 10}}));
  EXPECT_EQ(f_.Text("git_log", {{"max_count", 0.0}}), "Commit history:\n");
  EXPECT_NE(f_.Text("git_log", {{"max_count", 9223372036854774784.0}}).find("first"), std::string::npos);
  EXPECT_NE(f_.Text("git_log", {{"max_count", INT64_MAX}}).find("first"), std::string::npos);
  EXPECT_EQ(f_.Text("git_log", {{"max_count", 0}}), "Commit history:\n");
  const std::string context = "context_lines must be an integer between 0 and 100000";
  for (const char* tool : {"git_diff_unstaged", "git_diff_staged"}) {
    for (const json& bad : {json(1e30), json(0.5), json(-1), json(100001), json(UINT64_MAX)}) {
      EXPECT_EQ(f_.Refusal(tool, {{"context_lines", bad}}), context) << tool << " " << bad.dump();
    }
  }
  EXPECT_EQ(f_.Refusal("git_diff", {{"target", "HEAD"}, {"context_lines", 1e30}}), context);
  EXPECT_EQ(f_.Refusal("git_diff", {{"target", "HEAD"}, {"context_lines", 100001.0}}), context);
  EXPECT_EQ(f_.Text("git_diff_unstaged", {{"context_lines", 0.0}}), f_.Text("git_diff_unstaged", {{"context_lines", 0}}));
  EXPECT_EQ(f_.Text("git_diff", {{"target", "HEAD"}, {"context_lines", 5.0}}),
            f_.Text("git_diff", {{"target", "HEAD"}, {"context_lines", 5}}));
  EXPECT_EQ(f_.Text("git_diff_unstaged", {{"context_lines", 100000}}).rfind("Unstaged changes:\n", 0), 0u);
}

TEST_F(ReadToolsTest, LogTimeFiltersSelectWhatGitLogSinceAndUntilSelect) {
  ::setenv("TZ", "UTC", 1);  // dates without an offset are local time, as in git (which runs with TZ=UTC here)
  ::tzset();
  f_.Commit("a.txt", "1\n", "january", "2024-01-10T12:00:00+00:00");
  f_.Commit("a.txt", "2\n", "february", "2024-02-10T12:00:00+00:00");
  f_.Commit("a.txt", "3\n", "march", "2024-03-10T12:00:00+00:00");
  const auto expected = [&](const std::vector<std::string>& filters) {
    std::vector<std::string> args{"log", "--format=%H%n%an%n%ad%n%s"};
    args.insert(args.end(), filters.begin(), filters.end());
    std::istringstream lines(Git(f_.repo, args));
    std::string out = "Commit history:\n", hash, author, date, subject;
    for (int n = 0; std::getline(lines, hash) && std::getline(lines, author) && std::getline(lines, date) &&
                    std::getline(lines, subject);
         ++n) {
      out += std::string(n ? "\n" : "") + "Commit: " + hash + "\nAuthor: " + author + "\nDate: " + date +
             "\nMessage: " + subject + "\n";
    }
    return out;
  };
  EXPECT_EQ(f_.Text("git_log", {{"start_timestamp", "2024-02-01"}}), expected({"--since=2024-02-01T00:00:00Z"}));
  EXPECT_EQ(f_.Text("git_log", {{"end_timestamp", "2024-02-15T00:00:00Z"}}), expected({"--until=2024-02-15T00:00:00Z"}));
  EXPECT_EQ(f_.Text("git_log", {{"start_timestamp", "Feb 1 2024 00:00 +0000"}, {"end_timestamp", "2024-02-28T00:00:00Z"}}),
            expected({"--since=2024-02-01T00:00:00Z", "--until=2024-02-28T00:00:00Z"}));
  EXPECT_EQ(f_.Text("git_log", {{"start_timestamp", "2 weeks ago"}}), "Commit history:\n");
  EXPECT_NE(f_.Refusal("git_log", {{"start_timestamp", "the day after tomorrow-ish"}}).find("Cannot understand"),
            std::string::npos);
  EXPECT_NE(f_.Refusal("git_log", {{"end_timestamp", "--all"}}).find("cannot start with '-'"), std::string::npos);
}

TEST_F(ReadToolsTest, LogOfAnUnbornBranchIsRefused) {
  EXPECT_EQ(f_.Refusal("git_log", json::object()), "The current branch has no commits yet");
}

TEST_F(ReadToolsTest, ShowPrintsTheHeaderAndPerFileHunksAsTheReference) {
  f_.Commit("a.txt", "one\n", "first", "2024-01-15T14:30:25+00:00");
  WriteFile(f_.repo + "/a.txt", "two\n");
  WriteFile(f_.repo + "/b.txt", "new\n");
  Git(f_.repo, {"add", "-A"});
  Git(f_.repo, {"commit", "-q", "-m", "second"},
      {"GIT_AUTHOR_DATE=2024-01-16T10:00:00+01:00", "GIT_COMMITTER_DATE=2024-01-16T10:00:00+01:00"});
  const std::string sha = GitText(f_.repo, {"rev-parse", "HEAD"});
  EXPECT_EQ(f_.Text("git_show", {{"revision", "HEAD"}}),
            "Commit: '" + sha + "'\nAuthor: <git.Actor \"Fixture <fixture@example.com>\">\n"
            "Date: 2024-01-16 10:00:00+01:00\nMessage: 'second\\n'\n"
            "\n--- a.txt\n+++ a.txt\n@@ -1 +1 @@\n-one\n+two\n"
            "\n--- None\n+++ b.txt\n@@ -0,0 +1 @@\n+new\n");
  const std::string root = f_.Text("git_show", {{"revision", "HEAD~1"}});
  EXPECT_NE(root.find("\n--- None\n+++ a.txt\n@@ -0,0 +1 @@\n+one\n"), std::string::npos) << root;
  EXPECT_NE(f_.Refusal("git_show", {{"revision", "nope"}}).find("Unknown revision 'nope'"), std::string::npos);
}

TEST_F(ReadToolsTest, BranchListingsMatchGit) {
  f_.Commit("a.txt", "a\n", "first");
  Git(f_.repo, {"branch", "feature"});
  f_.Commit("a.txt", "b\n", "second");
  Git(f_.root.path(), {"clone", "-q", f_.repo, "clone"});
  const std::string clone = f_.root.path() + "/clone";
  Git(clone, {"branch", "local-only", "HEAD~1"});
  for (const auto& [type, flag] : std::vector<std::pair<std::string, std::string>>{
           {"local", ""}, {"remote", "-r"}, {"all", "-a"}}) {
    std::vector<std::string> args{"branch"};
    if (!flag.empty()) args.push_back(flag);
    EXPECT_EQ(f_.Text("git_branch", {{"repo_path", clone}, {"branch_type", type}}), GitText(clone, args)) << type;
  }
  const std::string first = GitText(clone, {"rev-parse", "HEAD~1"});
  const std::string second = GitText(clone, {"rev-parse", "HEAD"});
  EXPECT_EQ(f_.Text("git_branch", {{"repo_path", clone}, {"branch_type", "all"}, {"contains", second}}),
            GitText(clone, {"branch", "-a", "--contains", second}));
  EXPECT_EQ(f_.Text("git_branch", {{"repo_path", clone}, {"branch_type", "local"}, {"not_contains", second}}),
            GitText(clone, {"branch", "--no-contains", second}));
  EXPECT_EQ(f_.Text("git_branch", {{"repo_path", clone}, {"branch_type", "local"}, {"contains", first},
                                   {"not_contains", nullptr}}),
            GitText(clone, {"branch", "--contains", first}));
  Git(clone, {"checkout", "-q", "--detach", "HEAD"});
  EXPECT_EQ(f_.Text("git_branch", {{"repo_path", clone}, {"branch_type", "local"}}), GitText(clone, {"branch"}));
  EXPECT_EQ(f_.Refusal("git_branch", {{"repo_path", clone}, {"branch_type", "mine"}}), "Invalid branch type: mine");
}

TEST_F(ReadToolsTest, LongOutputIsCutAtTheBudgetWithAMarker) {
  GitOptions options;
  options.max_output_bytes = 1024;
  RepoFixture small(options);
  std::string big;
  for (int i = 0; i < 500; ++i) big += "line " + std::to_string(i) + "\n";
  small.Commit("big.txt", big, "big");
  const std::string text = small.Text("git_show", {{"revision", "HEAD"}});
  const size_t marker = text.find(kTruncationMarker);
  ASSERT_NE(marker, std::string::npos);
  EXPECT_LE(marker, 1024u);
  EXPECT_NE(text.find("max_output_bytes=1024"), std::string::npos);
  for (int i = 0; i < 40; ++i) small.Commit("n.txt", std::to_string(i), "commit number " + std::to_string(i));
  const std::string log = small.Text("git_log", {{"max_count", 1000}});
  EXPECT_NE(log.find(kTruncationMarker), std::string::npos);
  EXPECT_LE(log.find(kTruncationMarker), 1024u);
}

TEST_F(ReadToolsTest, MaxCountIsClampedToTheConfiguredBound) {
  GitOptions options;
  options.max_log_count = 2;
  RepoFixture bounded(options);
  for (int i = 0; i < 4; ++i) bounded.Commit("n.txt", std::to_string(i), "c" + std::to_string(i));
  const std::string log = bounded.Text("git_log", {{"max_count", 100}});
  size_t entries = 0;
  for (size_t at = log.find("Commit: '"); at != std::string::npos; at = log.find("Commit: '", at + 1)) ++entries;
  EXPECT_EQ(entries, 2u);
}

TEST_F(ReadToolsTest, ReadToolsChangeNothingInTheRepository) {
  f_.Commit("a.txt", "a\n", "first");
  WriteFile(f_.repo + "/a.txt", "changed\n");
  const std::string index_before = ReadFile(f_.repo + "/.git/index");
  const std::string refs_before = Git(f_.repo, {"for-each-ref"});
  for (const char* tool : {"git_status", "git_diff_unstaged", "git_diff_staged"}) f_.Text(tool);
  f_.Text("git_log");
  f_.Text("git_show", {{"revision", "HEAD"}});
  f_.Text("git_branch", {{"branch_type", "all"}});
  f_.Text("git_diff", {{"target", "HEAD"}});
  EXPECT_EQ(ReadFile(f_.repo + "/.git/index"), index_before);
  EXPECT_EQ(Git(f_.repo, {"for-each-ref"}), refs_before);
  EXPECT_EQ(ReadFile(f_.repo + "/a.txt"), "changed\n");
}

}  // namespace
}  // namespace mcpgw::git::testing
