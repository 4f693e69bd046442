// The confinement battery: every way a repo_path or a git_add path could
// reach outside the configured root is refused with a tool error, and a
// canary repository outside the root is never read into or written.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "git_test_support.h"

namespace mcpgw::git::testing {
namespace {

// A listing of every file under `dir` with its content and mtime: equal
// before and after means nothing there was touched.
std::string Fingerprint(const std::string& dir) {
  std::string out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    struct stat st {};
    ::lstat(entry.path().c_str(), &st);
    out += entry.path().string() + " " + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
    if (entry.is_regular_file()) out += " " + ReadFile(entry.path().string());
    out += "\n";
  }
  return out;
}

class ConfinementTest : public ::testing::Test {
 protected:
  ConfinementTest() : root_(base_.path() + "/root"), canary_(base_.path() + "/canary") {
    std::filesystem::create_directories(root_ + "/repo");
    std::filesystem::create_directories(canary_);
    Git(root_ + "/repo", {"init", "-q", "-b", "main"});
    Git(canary_, {"init", "-q", "-b", "main"});
    WriteFile(canary_ + "/secret.txt", "canary secret\n");
    Git(canary_, {"add", "secret.txt"});
    Git(canary_, {"commit", "-q", "-m", "canary"});
    WriteFile(canary_ + "/staged-later.txt", "x\n");
    GitOptions options;
    options.roots = {root_};
    tools_ = std::make_unique<GitTools>(options);
    canary_before_ = Fingerprint(canary_);
  }
  ~ConfinementTest() override { EXPECT_EQ(Fingerprint(canary_), canary_before_) << "the canary was touched"; }

  std::string Refusal(const std::string& tool, json arguments) const {
    const json result = *tools_->Call(tool, Caller{"mallory", "t"}, arguments);
    const std::string text = result.at("content").at(0).at("text");
    EXPECT_EQ(result.value("isError", false), true) << tool << " was not refused: " << text;
    if (arguments.dump().find(canary_) == std::string::npos) {  // only the client's own paths are echoed
      EXPECT_EQ(text.find(canary_), std::string::npos) << "the refusal names a path outside: " << text;
    }
    return text;
  }

  // Every tool with `repo_path`, each of which must be refused with `expected` in its message.
  void ExpectEveryToolRefused(const std::string& repo_path, const std::string& expected) const {
    const std::vector<std::pair<std::string, json>> calls{
        {"git_status", json::object()},
        {"git_diff_unstaged", json::object()},
        {"git_diff_staged", json::object()},
        {"git_diff", {{"target", "HEAD"}}},
        {"git_commit", {{"message", "pwned"}}},
        {"git_add", {{"files", {"staged-later.txt"}}}},
        {"git_reset", json::object()},
        {"git_log", json::object()},
        {"git_create_branch", {{"branch_name", "pwned"}}},
        {"git_checkout", {{"branch_name", "main"}}},
        {"git_show", {{"revision", "HEAD"}}},
        {"git_branch", {{"branch_type", "all"}}},
    };
    for (const auto& [tool, args] : calls) {
      json with_path = args;
      with_path["repo_path"] = repo_path;
      EXPECT_NE(Refusal(tool, with_path).find(expected), std::string::npos) << tool << " with " << repo_path;
    }
  }

  // Stages a.txt in `repo` and commits it with commit_identity "repository".
  json CommitUnderRepositoryIdentity(const std::string& repo) const {
    GitOptions options;
    options.roots = {root_};
    options.commit_identity = CommitIdentity::kRepository;
    const GitTools by_repository(options);
    WriteFile(repo + "/a.txt", "a\n");
    Git(repo, {"add", "a.txt"});
    return *by_repository.Call("git_commit", Caller{"a", "t"}, {{"repo_path", repo}, {"message", "m"}});
  }

  static constexpr const char* kRecordedSubmoduleCommit = "1111111111111111111111111111111111111111";

  // root/repo with a committed gitlink `sm` (kRecordedSubmoduleCommit)
  // whose `sm/.git` file names the canary's git directory.
  std::string PlantSubmoduleOfTheCanary() const {
    const std::string repo = root_ + "/repo";
    Git(repo, {"update-index", "--add", "--cacheinfo", "160000," + std::string(kRecordedSubmoduleCommit) + ",sm"});
    Git(repo, {"commit", "-q", "-m", "add sm"});
    WriteFile(repo + "/sm/.git", "gitdir: " + canary_ + "/.git\n");
    return repo;
  }

  TempDirectory base_;
  std::string root_, canary_, canary_before_;
  std::unique_ptr<GitTools> tools_;
};

TEST_F(ConfinementTest, DotDotOutOfTheRootIsRefused) {
  ExpectEveryToolRefused(root_ + "/repo/../../canary", "leads outside the allowed root");
  ExpectEveryToolRefused("../canary", "leads outside the allowed root");
  ExpectEveryToolRefused("repo/../../canary", "leads outside the allowed root");
}

TEST_F(ConfinementTest, AbsolutePathsOutsideEveryRootAreRefused) {
  ExpectEveryToolRefused(canary_, "is outside the allowed roots");
  ExpectEveryToolRefused("/", "is outside the allowed roots");
  // A sibling whose name merely starts with the root's name is not beneath it.
  std::filesystem::create_directories(root_ + "-evil");
  Git(root_ + "-evil", {"init", "-q"});
  ExpectEveryToolRefused(root_ + "-evil", "is outside the allowed roots");
}

TEST_F(ConfinementTest, SymbolicLinksLeadingOutAreRefused) {
  std::filesystem::create_directory_symlink(canary_, root_ + "/absolute-link");
  std::filesystem::create_directory_symlink("../canary", root_ + "/relative-link");
  std::filesystem::create_directory_symlink("/proc/self/cwd", root_ + "/magic-link");
  ExpectEveryToolRefused(root_ + "/absolute-link", "leads outside the allowed root");
  ExpectEveryToolRefused("relative-link", "leads outside the allowed root");
  ExpectEveryToolRefused("magic-link", "outside the allowed root");
}

TEST_F(ConfinementTest, ADotGitFilePointingOutsideIsRefused) {
  std::filesystem::create_directories(root_ + "/trick");
  WriteFile(root_ + "/trick/.git", "gitdir: " + canary_ + "/.git\n");
  ExpectEveryToolRefused(root_ + "/trick", "git directory lies outside the allowed root");
}

TEST_F(ConfinementTest, ASymlinkedDotGitPointingOutsideIsRefused) {
  std::filesystem::create_directories(root_ + "/trick");
  std::filesystem::create_directory_symlink(canary_ + "/.git", root_ + "/trick/.git");
  ExpectEveryToolRefused(root_ + "/trick", "lies outside the allowed root");
}

TEST_F(ConfinementTest, CoreWorktreePointingOutsideIsRefused) {
  Git(root_ + "/repo", {"config", "core.worktree", canary_});
  ExpectEveryToolRefused(root_ + "/repo", "working tree lies outside the allowed root");
  ExpectEveryToolRefused(root_ + "/repo/.git", "working tree lies outside the allowed root");
}

TEST_F(ConfinementTest, ALinkedWorktreeWhoseCommonDirIsOutsideIsRefused) {
  std::filesystem::create_directories(root_ + "/wt");
  std::filesystem::create_directories(root_ + "/wt-gitdir");
  WriteFile(root_ + "/wt-gitdir/HEAD", "ref: refs/heads/main\n");
  WriteFile(root_ + "/wt-gitdir/commondir", canary_ + "/.git\n");
  WriteFile(root_ + "/wt-gitdir/gitdir", root_ + "/wt/.git\n");
  WriteFile(root_ + "/wt/.git", "gitdir: " + root_ + "/wt-gitdir\n");
  ExpectEveryToolRefused(root_ + "/wt", "outside the allowed root");
}

TEST_F(ConfinementTest, AlternatesBorrowingObjectsFromOutsideAreRefused) {
  WriteFile(root_ + "/repo/.git/objects/info/alternates", canary_ + "/.git/objects\n");
  ExpectEveryToolRefused(root_ + "/repo", "borrows objects from outside the allowed root");
}

TEST_F(ConfinementTest, AlternatesChainedThroughAnInsideRepositoryAreRefused) {
  std::filesystem::create_directories(root_ + "/middle/objects/info");
  WriteFile(root_ + "/middle/objects/info/alternates", canary_ + "/.git/objects\n");
  WriteFile(root_ + "/repo/.git/objects/info/alternates", "../../../middle/objects\n");
  ExpectEveryToolRefused(root_ + "/repo", "borrows objects from outside the allowed root");
}

TEST_F(ConfinementTest, AnObjectsDirectorySymlinkedOutIsRefused) {
  const std::string git_dir = root_ + "/repo/.git";
  std::filesystem::remove_all(git_dir + "/objects");
  std::filesystem::create_directory_symlink(canary_ + "/.git/objects", git_dir + "/objects");
  WriteFile(git_dir + "/refs/heads/main", Git(canary_, {"rev-parse", "HEAD"}));
  ExpectEveryToolRefused(root_ + "/repo", "'objects' in the repository's git directory is a symbolic link");
  EXPECT_EQ(Refusal("git_show", {{"repo_path", "repo"}, {"revision", "HEAD"}}).find("canary secret"),
            std::string::npos);
}

TEST_F(ConfinementTest, RefsSymlinkedOutAreRefusedAndNothingIsWrittenThere) {
  // A clone holds the canary's objects, so only the refs decide where a branch or a commit lands.
  Git(root_, {"clone", "-q", canary_, "clone"});
  const std::string clone = root_ + "/clone";
  std::filesystem::remove_all(clone + "/.git/refs/heads");
  std::filesystem::create_directory_symlink(canary_ + "/.git/refs/heads", clone + "/.git/refs/heads");
  WriteFile(clone + "/staged.txt", "staged\n");
  Git(clone, {"add", "staged.txt"});
  const std::string expected = "'refs/heads' in the repository's git directory is a symbolic link";
  EXPECT_NE(Refusal("git_create_branch", {{"repo_path", "clone"}, {"branch_name", "pwned"}}).find(expected),
            std::string::npos);
  EXPECT_NE(Refusal("git_commit", {{"repo_path", "clone"}, {"message", "pwned"}}).find(expected), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(canary_ + "/.git/refs/heads/pwned"));
  EXPECT_EQ(GitText(canary_, {"log", "--format=%s"}), "canary");
  ExpectEveryToolRefused(clone, expected);
}

TEST_F(ConfinementTest, APackFileSymlinkedOutIsRefused) {
  Git(canary_, {"repack", "-q", "-a", "-d"});
  canary_before_ = Fingerprint(canary_);
  std::string pack_name;
  for (const auto& entry : std::filesystem::directory_iterator(canary_ + "/.git/objects/pack")) {
    if (entry.path().extension() == ".pack") pack_name = entry.path().stem().string();
  }
  ASSERT_FALSE(pack_name.empty());
  const std::string pack_dir = root_ + "/repo/.git/objects/pack";
  std::filesystem::copy_file(canary_ + "/.git/objects/pack/" + pack_name + ".idx", pack_dir + "/" + pack_name + ".idx");
  std::filesystem::create_symlink(canary_ + "/.git/objects/pack/" + pack_name + ".pack",
                                  pack_dir + "/" + pack_name + ".pack");
  WriteFile(root_ + "/repo/.git/refs/heads/main", Git(canary_, {"rev-parse", "HEAD"}));
  ExpectEveryToolRefused(root_ + "/repo", "'objects/pack/" + pack_name + ".pack' in the repository's git directory "
                                          "is a symbolic link");
}

TEST_F(ConfinementTest, ASymlinkInsideTheGitDirectoryIsAcceptedWhenItStaysInsideTheRoot) {
  // A hook linked from the working tree, and a directory linked elsewhere beneath the root (git-new-workdir).
  Git(root_ + "/repo", {"commit", "-q", "--allow-empty", "-m", "first"});
  WriteFile(root_ + "/repo/tools/pre-commit", "#!/bin/sh\n");
  std::filesystem::create_symlink("../../tools/pre-commit", root_ + "/repo/.git/hooks/pre-commit");
  std::filesystem::create_directories(root_ + "/elsewhere/info");
  std::filesystem::remove_all(root_ + "/repo/.git/info");
  std::filesystem::create_directory_symlink(root_ + "/elsewhere/info", root_ + "/repo/.git/info");
  std::filesystem::remove(root_ + "/repo/.git/description");
  std::filesystem::create_symlink("HEAD", root_ + "/repo/.git/description");  // a relative link to a sibling
  std::filesystem::create_directory_symlink("..", root_ + "/repo/.git/refs/loop");  // walked once, not forever
  for (const char* tool : {"git_status", "git_log", "git_diff_staged"}) {
    const json result = *tools_->Call(tool, Caller{"a", "t"}, {{"repo_path", "repo"}});
    EXPECT_FALSE(result.value("isError", false)) << tool << ": " << result.dump();
  }
}

TEST_F(ConfinementTest, ADanglingSymlinkInsideTheGitDirectoryIsRefused) {
  std::filesystem::create_symlink("../../nowhere/pre-commit", root_ + "/repo/.git/hooks/pre-commit");
  EXPECT_EQ(Refusal("git_status", {{"repo_path", "repo"}}),
            "'hooks/pre-commit' in the repository's git directory is a symbolic link that leads nowhere (dangling); "
            "the repository is refused");
}

TEST_F(ConfinementTest, ALinkOutBehindALinkThatStaysInsideTheRootIsRefused) {
  // .git/objects leads to a directory beneath the root whose `pack` leads to the canary's packs.
  Git(canary_, {"repack", "-q", "-a", "-d"});
  canary_before_ = Fingerprint(canary_);
  const std::string git_dir = root_ + "/repo/.git";
  std::filesystem::rename(git_dir + "/objects", root_ + "/objects");
  std::filesystem::remove_all(root_ + "/objects/pack");
  std::filesystem::create_directory_symlink(canary_ + "/.git/objects/pack", root_ + "/objects/pack");
  std::filesystem::create_directory_symlink("../../objects", git_dir + "/objects");
  WriteFile(git_dir + "/refs/heads/main", Git(canary_, {"rev-parse", "HEAD"}));
  ExpectEveryToolRefused("repo", "'objects/pack' in the repository's git directory is a symbolic link leading "
                                 "outside the allowed root; the repository is refused");
}

TEST_F(ConfinementTest, ASymlinkedBareRepositoryOrCommonDirectoryIsRefused) {
  Git(root_, {"clone", "-q", "--bare", canary_, "bare.git"});
  std::filesystem::remove_all(root_ + "/bare.git/refs/tags");
  std::filesystem::create_directory_symlink(canary_ + "/.git/refs/tags", root_ + "/bare.git/refs/tags");
  EXPECT_NE(Refusal("git_log", {{"repo_path", "bare.git"}}).find("'refs/tags' in the repository's git directory"),
            std::string::npos);
  // A linked worktree: its own git directory is clean, the common one holds the link.
  Git(root_ + "/repo", {"commit", "-q", "--allow-empty", "-m", "first"});
  Git(root_ + "/repo", {"worktree", "add", "-q", root_ + "/linked"});
  std::filesystem::create_directory_symlink(canary_ + "/.git/refs/heads", root_ + "/repo/.git/refs/remotes");
  EXPECT_NE(Refusal("git_status", {{"repo_path", "linked"}})
                .find("'refs/remotes' in the repository's common git directory is a symbolic link"),
            std::string::npos);
}

TEST_F(ConfinementTest, AGitDirectoryNestedTooDeeplyIsRefused) {
  std::string deep = root_ + "/repo/.git/refs/heads";
  for (int i = 0; i < 70; ++i) deep += "/d";
  std::filesystem::create_directories(deep);
  EXPECT_NE(Refusal("git_status", {{"repo_path", "repo"}}).find("nests deeper than 64 levels"), std::string::npos);
}

TEST_F(ConfinementTest, ConfigIncludesAreRefused) {
  const std::string outside = base_.path() + "/outside.cfg";
  WriteFile(outside, "[user]\n\tname = Outside\n\temail = outside@example.com\n");
  const std::string repo = root_ + "/repo";
  const std::string expected = "The repository's config includes a file ('";
  Git(repo, {"config", "include.path", outside});
  // With commit_identity "repository" the outside file would name the author.
  const json commit = CommitUnderRepositoryIdentity(repo);
  EXPECT_TRUE(commit.value("isError", false)) << commit.dump();
  EXPECT_EQ(RunGit(repo, {"log", "-1", "--format=%an"}).out, "");  // nothing committed, by Outside or anyone
  ExpectEveryToolRefused(repo, expected);
  Git(repo, {"config", "--unset", "include.path"});
  Git(repo, {"config", "includeIf.gitdir:/.path", outside});
  ExpectEveryToolRefused(repo, expected);
  // Whatever the condition; relative paths are taken from the config file's directory.
  Git(repo, {"config", "--unset", "includeIf.gitdir:/.path"});
  Git(repo, {"config", "includeIf.onbranch:nowhere.path", "../../../outside.cfg"});
  ExpectEveryToolRefused(repo, expected);
  Git(repo, {"config", "--remove-section", "includeIf.onbranch:nowhere"});
  // Through a link beneath the root that leads out.
  std::filesystem::create_symlink(outside, root_ + "/link.cfg");
  Git(repo, {"config", "include.path", root_ + "/link.cfg"});
  ExpectEveryToolRefused(repo, expected);
  Git(repo, {"config", "--unset", "include.path"});
  // An inside include naming a relative one: libgit2 does not say which file named it.
  WriteFile(root_ + "/nested.cfg", "[include]\n\tpath = inside.cfg\n");
  Git(repo, {"config", "include.path", root_ + "/nested.cfg"});
  ExpectEveryToolRefused(repo, expected);
  Git(repo, {"config", "--unset", "include.path"});
  const json fine = *tools_->Call("git_status", Caller{"a", "t"}, {{"repo_path", repo}});
  EXPECT_FALSE(fine.value("isError", false)) << fine.dump();
}

TEST_F(ConfinementTest, ConfigIncludesBeneathTheRootAreAccepted) {
  const std::string repo = root_ + "/repo";
  WriteFile(root_ + "/shared.cfg", "[user]\n\tname = Shared\n\temail = shared@example.com\n");
  WriteFile(repo + "/.gitconfig", "[core]\n\tautocrlf = false\n");
  Git(repo, {"config", "--add", "include.path", "../.gitconfig"});  // relative to .git/config
  Git(repo, {"config", "--add", "include.path", root_ + "/shared.cfg"});
  Git(repo, {"config", "--add", "include.path", "../not-yet.cfg"});  // missing, but would lie beneath the root
  Git(repo, {"config", "includeIf.onbranch:main.path", "../../shared.cfg"});
  const json commit = CommitUnderRepositoryIdentity(repo);
  EXPECT_FALSE(commit.value("isError", false)) << commit.dump();
  EXPECT_EQ(RunGit(repo, {"log", "-1", "--format=%an"}).out, "Shared\n");
  const json status = *tools_->Call("git_status", Caller{"a", "t"}, {{"repo_path", "repo"}});
  EXPECT_FALSE(status.value("isError", false)) << status.dump();
}

TEST_F(ConfinementTest, ASubmoduleWhoseGitDirIsOutsideIsNeverLookedInto) {
  const std::string repo = PlantSubmoduleOfTheCanary();
  const std::string canary_head = GitText(canary_, {"rev-parse", "HEAD"});
  for (const char* tool : {"git_diff_unstaged", "git_diff_staged", "git_status"}) {
    const json result = *tools_->Call(tool, Caller{"a", "t"}, {{"repo_path", repo}});
    const std::string text = result.at("content").at(0).at("text");
    EXPECT_FALSE(result.value("isError", false)) << tool << ": " << text;
    EXPECT_EQ(text.find(canary_head), std::string::npos) << tool << ": " << text;
    EXPECT_EQ(text.find(canary_head.substr(0, 7)), std::string::npos) << tool << ": " << text;
    EXPECT_EQ(text.find("sm"), std::string::npos) << tool << ": " << text;
  }
  const json diff = *tools_->Call("git_diff", Caller{"a", "t"}, {{"repo_path", repo}, {"target", "HEAD"}});
  EXPECT_EQ(diff.at("content").at(0).at("text").get<std::string>().find(canary_head.substr(0, 7)), std::string::npos)
      << diff.dump();
}

// Submodules are left out of git_status, but not what the index says of
// them: a gitlink removed from or added to the index is listed as staged, as
// git lists it, from the commit ids alone.
TEST_F(ConfinementTest, GitStatusListsStagedGitlinkChangesWithoutLookingIntoTheSubmodule) {
  const std::string repo = PlantSubmoduleOfTheCanary();
  const std::string canary_head = GitText(canary_, {"rev-parse", "HEAD"});
  Git(repo, {"rm", "-q", "--cached", "sm"});
  Git(repo, {"update-index", "--add", "--cacheinfo", "160000," + std::string(kRecordedSubmoduleCommit) + ",sm2"});
  const json result = *tools_->Call("git_status", Caller{"a", "t"}, {{"repo_path", repo}});
  const std::string text = result.at("content").at(0).at("text");
  EXPECT_FALSE(result.value("isError", false)) << text;
  EXPECT_NE(text.find("Changes to be committed:\n  (use \"git restore --staged <file>...\" to unstage)\n"
                      "\tdeleted:    sm\n\tnew file:   sm2\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find(canary_head.substr(0, 7)), std::string::npos) << text;
}

TEST_F(ConfinementTest, GitAddLeavesASubmoduleWhoseGitDirIsOutsideAlone) {
  const std::string repo = PlantSubmoduleOfTheCanary();
  const std::string canary_head = GitText(canary_, {"rev-parse", "HEAD"});
  WriteFile(repo + "/a.txt", "a\n");
  for (const json& files : {json{"sm"}, json{"sm", "a.txt"}, json{"."}}) {
    const json result = *tools_->Call("git_add", Caller{"a", "t"}, {{"repo_path", repo}, {"files", files}});
    EXPECT_FALSE(result.value("isError", false)) << result.dump();
    EXPECT_EQ(Git(repo, {"ls-files", "-s", "sm"}), "160000 " + std::string(kRecordedSubmoduleCommit) + " 0\tsm\n")
        << files.dump();
  }
  EXPECT_EQ(Git(repo, {"ls-files", "a.txt"}), "a.txt\n");  // everything else is still staged
  const json staged = *tools_->Call("git_diff_staged", Caller{"a", "t"}, {{"repo_path", repo}});
  EXPECT_EQ(staged.dump().find(canary_head.substr(0, 7)), std::string::npos) << staged.dump();
  // A submodule gone from the working tree is staged as removed, as git add does.
  std::filesystem::remove_all(repo + "/sm");
  const json removal = *tools_->Call("git_add", Caller{"a", "t"}, {{"repo_path", repo}, {"files", {"."}}});
  EXPECT_FALSE(removal.value("isError", false)) << removal.dump();
  EXPECT_EQ(Git(repo, {"ls-files", "-s", "sm"}), "");
}

TEST_F(ConfinementTest, RepositoriesInsideTheRootStillWorkWhateverTheSpelling) {
  for (const std::string& path : std::vector<std::string>{root_ + "/repo", root_ + "/repo/", "repo", "./repo", root_ + "/repo/../repo"}) {
    const json result = *tools_->Call("git_status", Caller{"a", "t"}, {{"repo_path", path}});
    EXPECT_FALSE(result.value("isError", false)) << path << ": " << result.dump();
  }
  const json missing = *tools_->Call("git_status", Caller{"a", "t"}, {{"repo_path", "nowhere"}});
  EXPECT_EQ(missing.at("content").at(0).at("text"), "repo_path 'nowhere' does not exist");
  std::filesystem::create_directories(root_ + "/plain");
  const json plain = *tools_->Call("git_status", Caller{"a", "t"}, {{"repo_path", "plain"}});
  EXPECT_EQ(plain.at("content").at(0).at("text"), "'plain' is not a git repository");
}

TEST_F(ConfinementTest, GitAddPathsOutsideTheWorkingTreeAreRefused) {
  const std::string repo = root_ + "/repo";
  std::filesystem::create_directory_symlink(canary_, repo + "/link-out");
  WriteFile(root_ + "/beside.txt", "inside the root but outside the repository\n");
  const std::vector<std::string> attacks{"../../canary/secret.txt", "../beside.txt", canary_ + "/secret.txt",
                                         "/etc/passwd", "link-out/secret.txt", "link-out/staged-later.txt",
                                         ".git/config", "sub/../../beside.txt", root_ + "/beside.txt"};
  for (const std::string& path : attacks) {
    const std::string text = Refusal("git_add", {{"repo_path", repo}, {"files", {path}}});
    EXPECT_TRUE(text.find("outside the repository's working tree") != std::string::npos ||
                text.find("inside the .git directory") != std::string::npos)
        << path << ": " << text;
  }
  EXPECT_EQ(Git(repo, {"ls-files", "--stage"}), "");  // nothing was staged
}

}  // namespace
}  // namespace mcpgw::git::testing
