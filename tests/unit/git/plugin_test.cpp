// git.so through the C ABI, the way the gateway loads it, with the
// recording fake host of support/plugin_harness.h.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "git_test_support.h"
#include "support/plugin_harness.h"

namespace mcpgw::git::testing {
namespace {

using mcpgw::testing::LoadedPlugin;
using Answer = LoadedPlugin::Answer;

class PluginTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(plugin_.loaded()); }
  void TearDown() override {
    const std::lock_guard lock(plugin_.host().mutex);
    EXPECT_EQ(plugin_.host().list_changes, 0) << "the git plugin's lists never change";
    EXPECT_TRUE(plugin_.host().updated_uris.empty()) << "the git plugin has no resources";
  }

  std::string Create(const json& config) { return plugin_.Create("git", config.dump(), dir_.path()); }
  Answer CallTool(const std::string& tool, const json& arguments, const std::string& tenant = "tenant-a",
                  bool cancelled = false) {
    return plugin_.CallTool(tool, arguments, LoadedPlugin::CallAs{tenant, "bob", false, cancelled});
  }

  TempDirectory dir_;
  LoadedPlugin plugin_{GIT_PLUGIN_PATH};
  const mcpgw_plugin* plugin() const { return &plugin_.descriptor(); }
};

TEST_F(PluginTest, DescriptorDeclaresAbi1ThreadSafetyAndToolsOnly) {
  EXPECT_EQ(plugin()->abi_version, MCPGW_PLUGIN_ABI_VERSION);
  EXPECT_STREQ(plugin()->name, "git");
  EXPECT_EQ(plugin()->flags, MCPGW_PLUGIN_THREAD_SAFE);  // every tool touches the disk: no no-wait path
  EXPECT_NE(plugin()->call_tool, nullptr);
  EXPECT_EQ(plugin()->list_resources, nullptr);
  EXPECT_EQ(plugin()->list_prompts, nullptr);
  EXPECT_EQ(plugin()->complete, nullptr);
}

TEST_F(PluginTest, OnlyTheEntryPointIsExported) {
  // dlsym also searches git.so's dependencies (libgit2.so): what matters is
  // that no symbol resolves to code inside git.so itself.
  const auto defined_in_plugin = [&](const char* symbol) {
    void* address = ::dlsym(plugin_.library(), symbol);
    Dl_info info{};
    return address != nullptr && ::dladdr(address, &info) != 0 && std::string(info.dli_fname) == GIT_PLUGIN_PATH;
  };
  EXPECT_TRUE(defined_in_plugin(MCPGW_PLUGIN_ENTRY_SYMBOL));
  EXPECT_FALSE(defined_in_plugin("_ZN5mcpgw3git8GitToolsC1ENS0_10GitOptionsE"));
  EXPECT_FALSE(defined_in_plugin("_ZN5mcpgw3git10BoundedText6AppendESt17basic_string_viewIcSt11char_traitsIcEE"));
}

TEST_F(PluginTest, ListsTheTwelveReferenceToolsWithTruthfulAnnotations) {
  ASSERT_EQ(Create({{"roots", {dir_.path()}}}), "");
  const json tools = plugin_.List(&mcpgw_plugin::list_tools).at("tools");
  std::vector<std::string> names;
  const std::set<std::string> read_only{"git_status", "git_diff_unstaged", "git_diff_staged", "git_diff",
                                        "git_log",    "git_show",          "git_branch"};
  for (const json& tool : tools) {
    const std::string name = tool.at("name");
    names.push_back(name);
    EXPECT_FALSE(tool.at("title").get<std::string>().empty());
    EXPECT_EQ(tool.at("inputSchema").at("required").at(0), "repo_path") << name;
    EXPECT_EQ(tool.at("annotations").at("readOnlyHint"), read_only.count(name) == 1) << name;
    EXPECT_EQ(tool.at("annotations").at("destructiveHint"), name == "git_reset") << name;
    EXPECT_EQ(tool.at("annotations").at("openWorldHint"), false) << name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"git_status", "git_diff_unstaged", "git_diff_staged", "git_diff",
                                             "git_commit", "git_add", "git_reset", "git_log", "git_create_branch",
                                             "git_checkout", "git_show", "git_branch"}));
}

TEST_F(PluginTest, CreateFailsOnABadConfigOrAMissingRoot) {
  EXPECT_NE(Create(json::object()).find("roots is required"), std::string::npos);
  EXPECT_NE(Create({{"roots", {dir_.path() + "/missing"}}}).find("is not an existing directory"), std::string::npos);
  EXPECT_NE(Create({{"roots", {dir_.path()}}, {"hooks", true}}).find("unknown key \"hooks\""), std::string::npos);
}

TEST_F(PluginTest, ToolsRunThroughTheAbiAndRefusalsAreToolErrors) {
  const std::string repo = dir_.path() + "/repo";
  std::filesystem::create_directories(repo);
  Git(repo, {"init", "-q", "-b", "main"});
  ASSERT_EQ(Create({{"roots", {dir_.path()}}}), "");
  WriteFile(repo + "/a.txt", "a\n");
  EXPECT_EQ(CallTool("git_add", {{"repo_path", repo}, {"files", {"a.txt"}}}).result.at("content").at(0).at("text"),
            "Files staged successfully");
  const Answer committed = CallTool("git_commit", {{"repo_path", repo}, {"message", "via the ABI"}});
  ASSERT_EQ(committed.status, MCPGW_OK);
  EXPECT_EQ(committed.result.at("content").at(0).at("text"),
            "Changes committed successfully with hash " + GitText(repo, {"rev-parse", "HEAD"}));
  EXPECT_EQ(Git(repo, {"log", "-1", "--format=%an <%ae>"}), "bob <bob@tenant-a>\n");

  const Answer outside = CallTool("git_status", {{"repo_path", "/etc"}});
  EXPECT_EQ(outside.status, MCPGW_OK);
  EXPECT_EQ(outside.result.at("isError"), true);
  EXPECT_EQ(outside.result.at("content").at(0).at("text"), "repo_path '/etc' is outside the allowed roots");
  EXPECT_EQ(CallTool("git_push", {{"repo_path", repo}}).status, MCPGW_NOT_FOUND);
  EXPECT_EQ(CallTool("git_status", {{"repo_path", 5}}).status, MCPGW_INVALID_PARAMS);
}

TEST_F(PluginTest, TenantsShareTheRepositoriesBecauseThePluginKeepsNoState) {
  // The plugin stores nothing per tenant (or at all): the repositories under
  // the route's roots are the state, and the route decides who reaches them.
  const std::string repo = dir_.path() + "/repo";
  std::filesystem::create_directories(repo);
  Git(repo, {"init", "-q", "-b", "main"});
  ASSERT_EQ(Create({{"roots", {dir_.path()}}}), "");
  WriteFile(repo + "/a.txt", "a\n");
  ASSERT_EQ(CallTool("git_add", {{"repo_path", repo}, {"files", {"a.txt"}}}, "tenant-a").status, MCPGW_OK);
  const Answer seen = CallTool("git_diff_staged", {{"repo_path", repo}}, "tenant-b");
  EXPECT_NE(seen.result.at("content").at(0).at("text").get<std::string>().find("+a"), std::string::npos);
  EXPECT_EQ(std::filesystem::directory_iterator(dir_.path())->path().filename(), "repo");  // nothing else written
}

}  // namespace
}  // namespace mcpgw::git::testing

namespace mcpgw::git::testing {
namespace {

TEST_F(PluginTest, ALogWalkStopsWhenTheClientCancels) {
  const std::string repo = dir_.path() + "/repo";
  std::filesystem::create_directories(repo);
  Git(repo, {"init", "-q", "-b", "main"});
  Git(repo, {"commit", "-q", "--allow-empty", "-m", "one"});
  ASSERT_EQ(Create({{"roots", {dir_.path()}}}), "");
  EXPECT_EQ(CallTool("git_log", {{"repo_path", repo}}, "t", true).status, MCPGW_CANCELLED);
  EXPECT_EQ(CallTool("git_log", {{"repo_path", repo}}, "t", false).status, MCPGW_OK);
}

TEST_F(PluginTest, OverlappingCallsOnOneRepositoryAllAnswer) {
  // The descriptor says THREAD_SAFE: each call opens its own repository handle.
  const std::string repo = dir_.path() + "/repo";
  std::filesystem::create_directories(repo);
  Git(repo, {"init", "-q", "-b", "main"});
  WriteFile(repo + "/a.txt", "a\n");
  Git(repo, {"add", "a.txt"});
  Git(repo, {"commit", "-q", "-m", "one"});
  WriteFile(repo + "/a.txt", "b\n");
  ASSERT_EQ(Create({{"roots", {dir_.path()}}}), "");
  const std::string expected = CallTool("git_diff_unstaged", {{"repo_path", repo}}).result.dump();
  std::vector<std::thread> threads;
  std::vector<std::string> answers(8);
  for (size_t i = 0; i < answers.size(); ++i) {
    threads.emplace_back([&, i] { answers[i] = CallTool("git_diff_unstaged", {{"repo_path", repo}}).result.dump(); });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& answer : answers) EXPECT_EQ(answer, expected);
}

}  // namespace
}  // namespace mcpgw::git::testing
