// filesystem.so through the C ABI, the way the gateway loads it, with the
// recording fake host of support/plugin_harness.h.
#include <gtest/gtest.h>

#include <string>

#include "filesystem_test_support.h"
#include "support/plugin_harness.h"

namespace mcpgw::filesystem::testing {
namespace {

using mcpgw::testing::LoadedPlugin;
using Answer = LoadedPlugin::Answer;

class FilesystemPluginTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(plugin_.loaded()); }
  void TearDown() override {
    const std::lock_guard lock(plugin_.host().mutex);
    EXPECT_EQ(plugin_.host().list_changes, 0) << "the filesystem plugin's lists never change";
    EXPECT_TRUE(plugin_.host().updated_uris.empty()) << "the filesystem plugin has no resources";
  }

  std::string Create(const json& config) { return plugin_.Create("files", config.dump(), tree_.base()); }
  json RootConfig(bool read_only = false) const {
    return json{{"roots", {{{"name", "ws"}, {"path", tree_.root()}}}}, {"read_only", read_only}};
  }
  Answer CallTool(const std::string& tool, const json& arguments) { return plugin_.CallTool(tool, arguments, "t"); }
  std::vector<std::string> ToolNames() { return plugin_.ToolNames(); }

  TempTree tree_;
  LoadedPlugin plugin_{FILESYSTEM_PLUGIN_PATH};
  const mcpgw_plugin* plugin() const { return &plugin_.descriptor(); }
};

TEST_F(FilesystemPluginTest, DescriptorDeclaresAbi1ThreadSafeToolsOnly) {
  EXPECT_EQ(plugin()->abi_version, MCPGW_PLUGIN_ABI_VERSION);
  EXPECT_STREQ(plugin()->name, "filesystem");
  EXPECT_EQ(plugin()->flags, MCPGW_PLUGIN_THREAD_SAFE);  // every call does I/O: no no-wait calls
  EXPECT_NE(plugin()->call_tool, nullptr);
  EXPECT_EQ(plugin()->read_resource, nullptr);
  EXPECT_EQ(plugin()->get_prompt, nullptr);
}

TEST_F(FilesystemPluginTest, ExportsOnlyTheEntryPoint) {
  EXPECT_EQ(::dlsym(plugin_.library(), "_ZN5mcpgw10filesystem9GlobMatchESt17basic_string_viewIcSt11char_traitsIcEES4_"), nullptr);
}

TEST_F(FilesystemPluginTest, ListsTheReferenceToolsInOrder) {
  ASSERT_EQ(Create(RootConfig()), "");
  EXPECT_EQ(ToolNames(), (std::vector<std::string>{"read_file", "read_text_file", "read_media_file",
                                                   "read_multiple_files", "write_file", "edit_file",
                                                   "create_directory", "list_directory", "list_directory_with_sizes",
                                                   "directory_tree", "move_file", "search_files", "get_file_info",
                                                   "list_allowed_directories"}));
}

TEST_F(FilesystemPluginTest, ReadOnlyRouteListsNoMutatingToolAndAnswersOneWithAToolError) {
  ASSERT_EQ(Create(RootConfig(true)), "");
  EXPECT_EQ(ToolNames().size(), 10u);
  const Answer answer = CallTool("write_file", {{"path", "x"}, {"content", "y"}});
  EXPECT_EQ(answer.status, MCPGW_OK);
  EXPECT_EQ(answer.result, json({{"content", {{{"type", "text"}, {"text", "write_file is not available: this route is read-only"}}}}, {"isError", true}}));
  EXPECT_FALSE(std::filesystem::exists(tree_.InRoot("x")));
}

TEST_F(FilesystemPluginTest, WritesAndReadsThroughTheAbi) {
  ASSERT_EQ(Create(RootConfig()), "");
  EXPECT_EQ(CallTool("write_file", {{"path", "/ws/a.txt"}, {"content", "hi"}}).result,
            TextAnswer("Successfully wrote to /ws/a.txt"));
  EXPECT_EQ(CallTool("read_text_file", {{"path", "a.txt"}}).result, TextAnswer("hi"));
  const Answer escape = CallTool("read_text_file", {{"path", "../outside/canary.txt"}});
  EXPECT_EQ(escape.status, MCPGW_OK);
  EXPECT_TRUE(escape.result.at("isError").get<bool>());
}

TEST_F(FilesystemPluginTest, CreateFailsOnABadConfigAndAMissingRoot) {
  EXPECT_EQ(Create(json{{"roots", json::array()}}), "filesystem: roots must list at least one {name, path}");
  const std::string error = Create(json{{"roots", {{{"name", "ws"}, {"path", tree_.InRoot("missing")}}}}});
  EXPECT_NE(error.find("root \"ws\" cannot be opened as a directory: ENOENT"), std::string::npos) << error;
}

TEST_F(FilesystemPluginTest, UnknownToolIsNotFoundAndBadArgumentsAreInvalidParams) {
  ASSERT_EQ(Create(RootConfig()), "");
  EXPECT_EQ(CallTool("delete_everything", json::object()).status, MCPGW_NOT_FOUND);
  EXPECT_EQ(CallTool("read_text_file", {{"path", 5}}).status, MCPGW_INVALID_PARAMS);
}

}  // namespace
}  // namespace mcpgw::filesystem::testing
