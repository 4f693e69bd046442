// memory.so through the C ABI, the way the gateway loads it, with the
// recording fake host of support/plugin_harness.h.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage_test_support.h"
#include "support/plugin_harness.h"

namespace mcpgw::memory {
namespace {

using namespace testing;  // NOLINT: test helpers
using nlohmann::json;
using mcpgw::testing::LoadedPlugin;
using Answer = LoadedPlugin::Answer;

class PluginTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(plugin_.loaded()); }

  // Creates the instance; returns the error text when create fails.
  std::string Create(const std::string& config = "{}") { return plugin_.Create("memory", config, dir_.path()); }

  Answer CallTool(const std::string& tool, const json& arguments, const std::string& tenant = "tenant-a",
                  bool nowait = false) {
    return plugin_.CallTool(tool, arguments, tenant, nowait);
  }
  Answer ReadResource(const std::string& uri, const std::string& tenant) { return plugin_.ReadResource(uri, tenant); }

  size_t UpdatesSent() {
    mcpgw_host& host = plugin_.host();
    std::lock_guard lock(host.mutex);
    for (const std::string& uri : host.updated_uris) EXPECT_EQ(uri, "memory://knowledge-graph");
    EXPECT_EQ(host.list_changes, 0) << "the memory plugin's lists never change";
    return host.updated_uris.size();
  }

  TempDirectory dir_;
  LoadedPlugin plugin_{MEMORY_PLUGIN_PATH};
  const mcpgw_plugin* plugin() const { return &plugin_.descriptor(); }
};

const json kAlice = {{"name", "Alice"}, {"entityType", "person"}, {"observations", json::array()}};

TEST_F(PluginTest, DescriptorDeclaresAbi1ThreadSafetyToolsAndResourcesOnly) {
  EXPECT_EQ(plugin()->abi_version, MCPGW_PLUGIN_ABI_VERSION);
  EXPECT_EQ(plugin()->struct_size, sizeof(mcpgw_plugin));
  EXPECT_STREQ(plugin()->name, "memory");
  EXPECT_EQ(plugin()->flags & MCPGW_PLUGIN_THREAD_SAFE, MCPGW_PLUGIN_THREAD_SAFE);
  EXPECT_EQ(plugin()->flags & MCPGW_PLUGIN_NOWAIT, MCPGW_PLUGIN_NOWAIT);
  EXPECT_NE(plugin()->call_tool, nullptr);
  EXPECT_NE(plugin()->read_resource, nullptr);
  EXPECT_EQ(plugin()->list_prompts, nullptr);
  EXPECT_EQ(plugin()->get_prompt, nullptr);
  EXPECT_EQ(plugin()->complete, nullptr);
}

TEST_F(PluginTest, NoWaitCallsAnswerReadsOfALoadedTenantAndDeferEverythingElse) {
  ASSERT_EQ(Create(), "");
  // Not loaded yet: loading reads the disk, so the call must go to a worker.
  EXPECT_EQ(CallTool("read_graph", json::object(), "tenant-a", true).status, MCPGW_WOULD_BLOCK);
  // A write fsyncs: deferred, and it changed nothing and announced nothing.
  EXPECT_EQ(CallTool("create_entities", {{"entities", {kAlice}}}, "tenant-a", true).status, MCPGW_WOULD_BLOCK);
  EXPECT_EQ(UpdatesSent(), 0u);
  ASSERT_EQ(CallTool("create_entities", {{"entities", {kAlice}}}).status, MCPGW_OK);
  ASSERT_EQ(UpdatesSent(), 1u);

  const Answer waited = CallTool("read_graph", json::object());
  const Answer fast = CallTool("read_graph", json::object(), "tenant-a", true);
  ASSERT_EQ(fast.status, MCPGW_OK) << fast.error;
  EXPECT_EQ(fast.result, waited.result);
  EXPECT_EQ(fast.result["structuredContent"]["entities"][0]["name"], "Alice");
  const Answer found = CallTool("search_nodes", {{"query", "Ali"}}, "tenant-a", true);
  ASSERT_EQ(found.status, MCPGW_OK);
  EXPECT_EQ(found.result["structuredContent"]["entities"].size(), 1u);
  // Another tenant is still not loaded, and never sees tenant-a's graph.
  EXPECT_EQ(CallTool("open_nodes", {{"names", {"Alice"}}}, "tenant-b", true).status, MCPGW_WOULD_BLOCK);
  EXPECT_EQ(UpdatesSent(), 1u);
}

TEST_F(PluginTest, CreateFailsNamingAnUnknownConfigKey) {
  const std::string error = Create(R"({"max_entities": 5})");
  EXPECT_NE(error.find("unknown key \"max_entities\""), std::string::npos) << error;
}

TEST_F(PluginTest, CreateFailsOnAValueOfTheWrongType) {
  const std::string error = Create(R"({"compact_after_bytes": "1MiB"})");
  EXPECT_NE(error.find("compact_after_bytes must be an integer >= 4096"), std::string::npos) << error;
}

TEST_F(PluginTest, ListsTheNineToolsInTheReferenceOrder) {
  ASSERT_EQ(Create(), "");
  EXPECT_EQ(plugin_.ToolNames(), (std::vector<std::string>{"create_entities", "create_relations", "add_observations",
                                                           "delete_entities", "delete_observations", "delete_relations",
                                                           "read_graph", "search_nodes", "open_nodes"}));
  EXPECT_EQ(plugin_.List(&mcpgw_plugin::list_resources).at("resources").at(0).at("uri"), "memory://knowledge-graph");
}

TEST_F(PluginTest, EveryMutatingToolNotifiesTheGraphResourceAndReadsDoNot) {
  ASSERT_EQ(Create(), "");
  EXPECT_EQ(CallTool("read_graph", json::object()).status, MCPGW_OK);
  EXPECT_EQ(CallTool("search_nodes", {{"query", "x"}}).status, MCPGW_OK);
  EXPECT_EQ(UpdatesSent(), 0u);
  EXPECT_EQ(CallTool("create_entities", {{"entities", {kAlice}}}).status, MCPGW_OK);
  EXPECT_EQ(CallTool("create_relations", {{"relations", json::array()}}).status, MCPGW_OK);
  EXPECT_EQ(CallTool("delete_entities", {{"entityNames", {"Alice"}}}).status, MCPGW_OK);
  EXPECT_EQ(UpdatesSent(), 3u);
}

TEST_F(PluginTest, AddObservationsToUnknownEntityIsAToolErrorResult) {
  ASSERT_EQ(Create(), "");
  const Answer answer = CallTool("add_observations", {{"observations", {{{"entityName", "X"}, {"contents", {"y"}}}}}});
  EXPECT_EQ(answer.status, MCPGW_OK);
  EXPECT_EQ(answer.result,
            (json{{"content", {{{"type", "text"}, {"text", "Entity with name X not found"}}}}, {"isError", true}}));
  EXPECT_EQ(UpdatesSent(), 0u);
}

TEST_F(PluginTest, EmptyTenantIsAnInternalError) {
  ASSERT_EQ(Create(), "");
  const Answer answer = CallTool("read_graph", json::object(), "");
  EXPECT_EQ(answer.status, MCPGW_INTERNAL);
  EXPECT_FALSE(answer.error.empty());
}

TEST_F(PluginTest, ResourceServesTheCallersTenantOnly) {
  ASSERT_EQ(Create(), "");
  ASSERT_EQ(CallTool("create_entities", {{"entities", {kAlice}}}, "tenant-a").status, MCPGW_OK);
  const Answer a = ReadResource("memory://knowledge-graph", "tenant-a");
  const Answer b = ReadResource("memory://knowledge-graph", "tenant-b");
  ASSERT_EQ(a.status, MCPGW_OK);
  ASSERT_EQ(b.status, MCPGW_OK);
  EXPECT_EQ(json::parse(a.result.at("contents").at(0).at("text").get<std::string>()).at("entities").size(), 1u);
  EXPECT_EQ(b.result.at("contents").at(0).at("text"), "{\n  \"entities\": [],\n  \"relations\": []\n}");
  EXPECT_EQ(b.result.at("contents").at(0).at("mimeType"), "application/json");
  EXPECT_EQ(CallTool("read_graph", json::object(), "tenant-b").result.at("structuredContent").at("entities"),
            json::array());
}

TEST_F(PluginTest, UnknownToolOrResourceIsNotFound) {
  ASSERT_EQ(Create(), "");
  EXPECT_EQ(CallTool("no_such_tool", json::object()).status, MCPGW_NOT_FOUND);
  EXPECT_EQ(ReadResource("memory://other", "tenant-a").status, MCPGW_NOT_FOUND);
}

TEST_F(PluginTest, ArgumentsOfTheWrongShapeAreInvalidParams) {
  ASSERT_EQ(Create(), "");
  EXPECT_EQ(CallTool("create_entities", {{"entities", {{{"name", 5}}}}}).status, MCPGW_INVALID_PARAMS);
}

TEST_F(PluginTest, StorageWriteFailureIsUnavailableWithoutAHostPath) {
  ASSERT_EQ(Create(), "");
  ASSERT_EQ(CallTool("read_graph", json::object()).status, MCPGW_OK);
  Answer answer;
  {
    FileSizeLimit limit(0);
    answer = CallTool("create_entities", {{"entities", {kAlice}}});
  }
  EXPECT_EQ(answer.status, MCPGW_UNAVAILABLE);
  EXPECT_EQ(answer.error.find(dir_.path()), std::string::npos) << answer.error;
  EXPECT_EQ(UpdatesSent(), 0u);
  EXPECT_EQ(CallTool("read_graph", json::object()).result.at("structuredContent").at("entities"), json::array());
  std::lock_guard lock(plugin_.host().mutex);
  ASSERT_FALSE(plugin_.host().log_lines.empty());  // the operator gets the path and errno
  EXPECT_NE(plugin_.host().log_lines.back().find(dir_.path()), std::string::npos);
}

}  // namespace
}  // namespace mcpgw::memory
