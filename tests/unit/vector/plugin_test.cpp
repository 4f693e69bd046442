// vector.so through the C ABI, the way the gateway loads it, with the
// recording fake host of support/plugin_harness.h.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>

#include "support/plugin_harness.h"
#include "vector_test_support.h"

namespace mcpgw::vector {
namespace {

using namespace testing;  // NOLINT: test helpers
using mcpgw::testing::LoadedPlugin;
using nlohmann::json;
using Answer = LoadedPlugin::Answer;

class VectorPluginTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(plugin_.loaded()); }
  void TearDown() override {
    const std::lock_guard lock(plugin_.host().mutex);
    EXPECT_EQ(plugin_.host().list_changes, 0) << "the vector plugin's lists never change";
    EXPECT_TRUE(plugin_.host().updated_uris.empty()) << "the vector plugin has no resources";
  }

  std::string Create(const std::string& config = "{}") { return plugin_.Create("vector", config, dir_.path()); }
  Answer CallTool(const std::string& tool, const json& arguments, const std::string& tenant = "tenant-a") {
    return plugin_.CallTool(tool, arguments, tenant);
  }
  json ListTools() { return plugin_.List(&mcpgw_plugin::list_tools).at("tools"); }
  const mcpgw_plugin* plugin() { return &plugin_.descriptor(); }

  TempDirectory dir_;
  LoadedPlugin plugin_{VECTOR_PLUGIN_PATH};
};

TEST_F(VectorPluginTest, DescriptorDeclaresAbi1AndThreadSafetyAndOnlyTools) {
  EXPECT_EQ(plugin()->abi_version, MCPGW_PLUGIN_ABI_VERSION);
  EXPECT_EQ(plugin()->struct_size, sizeof(mcpgw_plugin));
  EXPECT_STREQ(plugin()->name, "vector");
  EXPECT_EQ(plugin()->flags & MCPGW_PLUGIN_THREAD_SAFE, MCPGW_PLUGIN_THREAD_SAFE);
  EXPECT_NE(plugin()->call_tool, nullptr);
  EXPECT_EQ(plugin()->read_resource, nullptr);
  EXPECT_EQ(plugin()->get_prompt, nullptr);
  EXPECT_EQ(plugin()->complete, nullptr);
}

TEST_F(VectorPluginTest, EveryToolHasATitleSchemasAndTruthfulAnnotations) {
  ASSERT_EQ(Create(R"({"limits": {"max_top_k": 7}})"), "");
  const json tools = ListTools();
  std::map<std::string, json> by_name;
  for (const json& tool : tools) by_name[tool.at("name")] = tool;
  ASSERT_EQ(by_name.size(), 7u);
  const std::map<std::string, std::tuple<bool, bool, bool>> expected{
      // read-only, destructive, idempotent
      {"create_collection", {false, false, false}}, {"list_collections", {true, false, true}},
      {"delete_collection", {false, true, true}},   {"upsert_documents", {false, true, true}},
      {"delete_documents", {false, true, true}},    {"query", {true, false, true}},
      {"get_documents", {true, false, true}}};
  for (const auto& [name, hints] : expected) {
    ASSERT_EQ(by_name.count(name), 1u) << name;
    const json& tool = by_name[name];
    EXPECT_FALSE(tool.at("title").get<std::string>().empty()) << name;
    EXPECT_FALSE(tool.at("description").get<std::string>().empty()) << name;
    EXPECT_EQ(tool.at("inputSchema").at("type"), "object") << name;
    EXPECT_EQ(tool.at("outputSchema").at("type"), "object") << name;
    const json& a = tool.at("annotations");
    EXPECT_EQ(a.at("readOnlyHint"), std::get<0>(hints)) << name;
    EXPECT_EQ(a.at("destructiveHint"), std::get<1>(hints)) << name;
    EXPECT_EQ(a.at("idempotentHint"), std::get<2>(hints)) << name;
  }
  EXPECT_EQ(by_name["query"]["inputSchema"]["properties"]["top_k"]["maximum"], 7);
}

TEST_F(VectorPluginTest, CreateUpsertQueryAndRestartThroughTheAbi) {
  ASSERT_EQ(Create(), "");
  ASSERT_EQ(CallTool("create_collection", {{"name", "kb"}}).status, MCPGW_OK);
  const Answer upserted = CallTool(
      "upsert_documents", {{"collection", "kb"},
                           {"documents", {Doc("a", "rust borrow checker", {{"lang", "rust"}}),
                                          Doc("b", "python garbage collector", {{"lang", "python"}})}}});
  ASSERT_EQ(upserted.status, MCPGW_OK) << upserted.error;
  EXPECT_EQ(upserted.result["structuredContent"]["created"], 2);
  ASSERT_EQ(Create(), "");  // a new instance on the same data: a restart of the gateway
  const Answer found = CallTool("query", {{"collection", "kb"}, {"text", "borrow checker"}, {"top_k", 1}});
  ASSERT_EQ(found.status, MCPGW_OK) << found.error;
  EXPECT_EQ(found.result["structuredContent"]["results"][0]["id"], "a");
  EXPECT_EQ(found.result["content"][0]["type"], "text");
  EXPECT_EQ(json::parse(found.result["content"][0]["text"].get<std::string>()), found.result["structuredContent"]);
}

TEST_F(VectorPluginTest, ARefusalIsAToolErrorResultNotAProtocolError) {
  ASSERT_EQ(Create(), "");
  const Answer answer = CallTool("query", {{"collection", "missing"}, {"text", "x1"}});
  EXPECT_EQ(answer.status, MCPGW_OK);
  EXPECT_EQ(answer.result["isError"], true);
  EXPECT_NE(answer.result["content"][0]["text"].get<std::string>().find("no collection named \"missing\""),
            std::string::npos);
}

TEST_F(VectorPluginTest, TenantsAreIsolatedThroughTheAbi) {
  ASSERT_EQ(Create(), "");
  ASSERT_EQ(CallTool("create_collection", {{"name", "same"}}, "a").status, MCPGW_OK);
  ASSERT_EQ(CallTool("upsert_documents", {{"collection", "same"}, {"documents", {Doc("1", "tenant a text")}}}, "a").status,
            MCPGW_OK);
  EXPECT_EQ(CallTool("list_collections", json::object(), "b").result["structuredContent"]["collections"], json::array());
  EXPECT_EQ(CallTool("query", {{"collection", "same"}, {"text", "tenant a text"}}, "b").result["isError"], true);
}

TEST_F(VectorPluginTest, UnknownToolIsNotFoundAndWrongArgumentShapesAreInvalidParams) {
  ASSERT_EQ(Create(), "");
  EXPECT_EQ(CallTool("no_such_tool", json::object()).status, MCPGW_NOT_FOUND);
  EXPECT_EQ(CallTool("create_collection", {{"name", 5}}).status, MCPGW_INVALID_PARAMS);
}

TEST_F(VectorPluginTest, EmptyTenantIsAnInternalError) {
  ASSERT_EQ(Create(), "");
  EXPECT_EQ(CallTool("list_collections", json::object(), "").status, MCPGW_INTERNAL);
}

TEST_F(VectorPluginTest, CreateFailsNamingAnUnknownOrInvalidConfigKey) {
  std::string error = Create(R"({"limits": {"max_topk": 5}})");
  EXPECT_NE(error.find("unknown key \"limits.max_topk\""), std::string::npos) << error;
  error = Create(R"({"hnsw": {"M": 1}})");
  EXPECT_NE(error.find("hnsw.M must be an integer from 2 to 100"), std::string::npos) << error;
  error = Create(R"({"embedder": {"type": "openai", "dimension": 8, "model": "m", "url": "ftp://x"}})");
  EXPECT_NE(error.find("embedder.url"), std::string::npos) << error;
}

}  // namespace
}  // namespace mcpgw::vector
