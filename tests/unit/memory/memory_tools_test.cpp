// The tools from JSON arguments to MCP results: the same results, byte for
// byte in the text content, as the reference server gives for the same calls.
#include "memory_tools.h"

#include <gtest/gtest.h>

#include <fstream>

#include "storage_test_support.h"
#include "tool_definitions.h"

namespace mcpgw::memory {
namespace {

using namespace testing;  // NOLINT: test helpers
using nlohmann::json;

json ReadJsonFile(const std::string& name) {
  std::ifstream in(std::string(MEMORY_TESTDATA_DIR) + "/" + name);
  return json::parse(in);
}

std::vector<json> ReadJsonLines(const std::string& name) {
  std::ifstream in(std::string(MEMORY_TESTDATA_DIR) + "/" + name);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(json::parse(line));
  }
  return lines;
}

class MemoryToolsTest : public ::testing::Test {
 protected:
  json Call(const std::string& tool, const json& arguments, const std::string& tenant = "tenant") {
    auto answer = tools_.Call(tool, tenant, arguments);
    EXPECT_TRUE(answer.ok()) << answer.error().message;
    if (!answer) return json();
    return answer->serialized ? json::parse(*answer->serialized) : answer->result;
  }

  TempDirectory dir_;
  LogRecorder log_;
  GraphStore store_{dir_.path(), StoreOptions{}, log_.Sink()};
  MemoryTools tools_{store_};
};

TEST_F(MemoryToolsTest, ResultsMatchTheReferenceServerTranscript) {
  // Recorded from @modelcontextprotocol/server-memory by
  // testdata/make_reference_data.py, one call at a time.
  const std::vector<json> transcript = ReadJsonLines("reference_transcript.jsonl");
  ASSERT_GE(transcript.size(), 20u);
  for (size_t i = 0; i < transcript.size(); ++i) {
    const std::string call = transcript[i].at("call");
    json actual;
    if (call == "resources/read") {
      auto contents = tools_.ReadGraphResource("tenant");
      ASSERT_TRUE(contents.ok());
      actual = *contents;
    } else {
      actual = Call(call, transcript[i].at("arguments"));
    }
    const json& expected = transcript[i].at("result");
    EXPECT_EQ(actual, expected) << "call " << i << " (" << call << ")\nexpected: " << expected.dump(2)
                                << "\nactual: " << actual.dump(2);
  }
}

TEST_F(MemoryToolsTest, ToolDefinitionsMatchTheReferenceToolsList) {
  json reference = ReadJsonFile("reference_tools.json");
  for (json& tool : reference.at("tools")) {
    // Added by the reference's SDK, not by the server: the JSON Schema
    // dialect marker and task support (this gateway has no tasks).
    tool.erase("execution");
    tool.at("inputSchema").erase("$schema");
    tool.at("outputSchema").erase("$schema");
  }
  EXPECT_EQ(MemoryToolDefinitions(), reference.at("tools")) << MemoryToolDefinitions().dump(1);
  EXPECT_EQ(json::array({GraphResourceDefinition()}), reference.at("resources"));
}

TEST_F(MemoryToolsTest, OnlySuccessfulMutatingToolsReportAChangedGraph) {
  const json entity = {{"name", "A"}, {"entityType", "t"}, {"observations", json::array()}};
  const auto changed = [&](const std::string& tool, const json& arguments) {
    auto answer = tools_.Call(tool, "tenant", arguments);
    EXPECT_TRUE(answer.ok());
    return answer && answer->changed_graph;
  };
  EXPECT_TRUE(changed("create_entities", {{"entities", {entity}}}));
  EXPECT_TRUE(changed("create_entities", {{"entities", {entity}}}));  // nothing new, still a write call (reference)
  EXPECT_TRUE(changed("delete_entities", {{"entityNames", {"nobody"}}}));
  EXPECT_FALSE(changed("read_graph", json::object()));
  EXPECT_FALSE(changed("search_nodes", {{"query", "A"}}));
  EXPECT_FALSE(changed("open_nodes", {{"names", {"A"}}}));
  EXPECT_FALSE(changed("add_observations", {{"observations", {{{"entityName", "nobody"}, {"contents", {"x"}}}}}}));
}

// read_graph's answer is kept ready between changes: every change, and
// only a change, must show in the next read, on the waiting path and the
// no-wait path alike.
TEST_F(MemoryToolsTest, ReadGraphShowsEveryChangeAtOnceThoughItsAnswerIsKeptReady) {
  const auto names = [&](const json& result) {
    std::vector<std::string> out;
    for (const json& e : result.at("structuredContent").at("entities")) out.push_back(e.at("name"));
    return out;
  };
  const auto fast = [&] {
    auto answer = tools_.TryCallWithoutWaiting("read_graph", "tenant", json::object());
    EXPECT_TRUE(answer && *answer && (*answer)->serialized);
    return answer && *answer && (*answer)->serialized ? json::parse(*(*answer)->serialized) : json();
  };
  EXPECT_EQ(names(Call("read_graph", json::object())), std::vector<std::string>{});
  Call("create_entities", {{"entities", {{{"name", "A"}, {"entityType", "t"}, {"observations", json::array()}}}}});
  EXPECT_EQ(names(Call("read_graph", json::object())), std::vector<std::string>{"A"});
  EXPECT_EQ(names(fast()), std::vector<std::string>{"A"});
  Call("create_entities", {{"entities", {{{"name", "B"}, {"entityType", "t"}, {"observations", json::array()}}}}});
  EXPECT_EQ(names(fast()), (std::vector<std::string>{"A", "B"}));
  Call("add_observations", {{"observations", {{{"entityName", "B"}, {"contents", {"x"}}}}}});
  EXPECT_EQ(fast().at("structuredContent").at("entities")[1].at("observations"), json::array({"x"}));
  Call("delete_entities", {{"entityNames", {"A"}}});
  EXPECT_EQ(names(Call("read_graph", json::object())), std::vector<std::string>{"B"});
  EXPECT_EQ(fast(), Call("read_graph", json::object()));
}

TEST_F(MemoryToolsTest, AddObservationsToUnknownEntityIsAToolErrorThatChangesNothing) {
  Call("create_entities", {{"entities", {{{"name", "A"}, {"entityType", "t"}, {"observations", json::array()}}}}});
  const json before = Call("read_graph", json::object());
  const json result = Call(
      "add_observations",
      {{"observations", {{{"entityName", "A"}, {"contents", {"x"}}}, {{"entityName", "B"}, {"contents", {"y"}}}}}});
  EXPECT_EQ(result,
            (json{{"content", {{{"type", "text"}, {"text", "Entity with name B not found"}}}}, {"isError", true}}));
  EXPECT_EQ(Call("read_graph", json::object()), before);
}

TEST_F(MemoryToolsTest, LimitsAreToolErrors) {
  StoreOptions options;
  options.limits.max_entities = 1;
  options.limits.max_observation_bytes = 3;
  TempDirectory other_dir;
  GraphStore store(other_dir.path(), options, log_.Sink());
  MemoryTools tools(store);
  auto too_long = tools.Call("create_entities", "t",
                             {{"entities", {{{"name", "A"}, {"entityType", "t"}, {"observations", {"abcd"}}}}}});
  ASSERT_TRUE(too_long.ok());
  EXPECT_EQ(too_long->result.at("isError"), true);
  auto too_many = tools.Call("create_entities", "t",
                             {{"entities",
                               {{{"name", "A"}, {"entityType", "t"}, {"observations", json::array()}},
                                {{"name", "B"}, {"entityType", "t"}, {"observations", json::array()}}}}});
  ASSERT_TRUE(too_many.ok());
  EXPECT_EQ(too_many->result.at("isError"), true);
  EXPECT_NE(too_many->result.dump().find("at most 1 entities"), std::string::npos);
}

TEST_F(MemoryToolsTest, StorageFailureIsReturnedForAProtocolErrorNotAToolResult) {
  Call("read_graph", json::object());  // loads the tenant before the limit applies
  FileSizeLimit limit(0);
  auto failed = tools_.Call("create_entities", "tenant",
                            {{"entities", {{{"name", "A"}, {"entityType", "t"}, {"observations", json::array()}}}}});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, FailureKind::kUnavailable);
}

TEST_F(MemoryToolsTest, ArgumentsOfTheWrongShapeThrowForInvalidParams) {
  EXPECT_THROW((void)tools_.Call("create_entities", "tenant", {{"entities", "not an array"}}), json::exception);
  EXPECT_THROW((void)tools_.Call("open_nodes", "tenant", json::object()), json::exception);
}

}  // namespace
}  // namespace mcpgw::memory
