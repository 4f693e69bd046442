// memory.so through the C ABI, the way the gateway loads it. The host here
// is a recording fake, because the gateway's own plugin host is not part of
// this test binary; it implements the whole mcpgw_host_api table.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <mcpgw/plugin.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "storage_test_support.h"

struct mcpgw_call {
  std::string result;
  std::string error;
  bool nowait = false;
};

struct mcpgw_host {
  std::mutex mutex;
  std::vector<std::string> updated_uris;
  std::vector<std::string> log_lines;
};

namespace mcpgw::memory {
namespace {

using namespace testing;  // NOLINT: test helpers
using nlohmann::json;

void SetResult(mcpgw_call* call, const char* text, size_t len) { call->result.assign(text, len); }
void SetError(mcpgw_call* call, const char* text, size_t len) { call->error.assign(text, len); }
int Cancelled(const mcpgw_call*) { return 0; }
int NoWait(const mcpgw_call* call) { return call->nowait ? 1 : 0; }
void Progress(mcpgw_call*, double, double, const char*, size_t) {}
void Log(mcpgw_call*, mcpgw_log_level, const char*, const char*, size_t) {}
void HostLog(mcpgw_host* host, mcpgw_log_level, const char* text, size_t len) {
  std::lock_guard lock(host->mutex);
  host->log_lines.emplace_back(text, len);
}
void ListChanged(mcpgw_host*, mcpgw_list_kind) { ADD_FAILURE() << "the memory plugin's lists never change"; }
void ResourceUpdated(mcpgw_host* host, const char* uri, size_t len) {
  std::lock_guard lock(host->mutex);
  host->updated_uris.emplace_back(uri, len);
}

constexpr mcpgw_host_api kHostApi = {
    sizeof(mcpgw_host_api), MCPGW_PLUGIN_ABI_VERSION, &SetResult, &SetError, &Cancelled, &Progress, &Log, &HostLog,
    &ListChanged,           &ResourceUpdated,          &NoWait};

// A view of `s`, which must outlive the view.
mcpgw_str Str(const std::string& s) { return mcpgw_str{s.data(), s.size()}; }

// What the host passes for a caller: who, and whose data; nothing else set.
mcpgw_principal PrincipalOf(const std::string& subject, const std::string& tenant) {
  mcpgw_principal p{};
  p.struct_size = sizeof(mcpgw_principal);
  p.subject = Str(subject);
  p.tenant = Str(tenant);
  return p;
}

class PluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    library_ = ::dlopen(MEMORY_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(library_, nullptr) << ::dlerror();
    auto entry = reinterpret_cast<mcpgw_plugin_entry_fn>(::dlsym(library_, MCPGW_PLUGIN_ENTRY_SYMBOL));
    ASSERT_NE(entry, nullptr);
    plugin_ = entry();
  }
  void TearDown() override {
    if (instance_ != nullptr) plugin_->destroy(instance_);
    if (library_ != nullptr) ::dlclose(library_);
  }

  // Creates the instance; returns the error text when create fails.
  std::string Create(const std::string& config = "{}") {
    const std::string name = "memory", data_dir = dir_.path();
    const mcpgw_plugin_init init{sizeof(mcpgw_plugin_init), &kHostApi, &host_, Str(name), Str(config), Str(data_dir)};
    char error[512] = "";
    const mcpgw_status status = plugin_->create(&init, &instance_, error, sizeof error);
    if (status != MCPGW_OK) instance_ = nullptr;
    return status == MCPGW_OK ? std::string() : std::string(error);
  }

  struct Answer {
    mcpgw_status status;
    json result;
    std::string error;
  };

  Answer CallTool(const std::string& tool, const json& arguments, const std::string& tenant = "tenant-a",
                  bool nowait = false) {
    const std::string subject = "user", args = arguments.dump();
    const mcpgw_principal principal = PrincipalOf(subject, tenant);
    mcpgw_call call;
    call.nowait = nowait;
    const mcpgw_status status = plugin_->call_tool(instance_, &call, &principal, Str(tool), Str(args));
    return Answer{status, call.result.empty() ? json() : json::parse(call.result), call.error};
  }

  Answer ReadResource(const std::string& uri, const std::string& tenant) {
    const std::string subject = "user";
    const mcpgw_principal principal = PrincipalOf(subject, tenant);
    mcpgw_call call;
    const mcpgw_status status = plugin_->read_resource(instance_, &call, &principal, Str(uri));
    return Answer{status, call.result.empty() ? json() : json::parse(call.result), call.error};
  }

  size_t UpdatesSent() {
    std::lock_guard lock(host_.mutex);
    for (const std::string& uri : host_.updated_uris) EXPECT_EQ(uri, "memory://knowledge-graph");
    return host_.updated_uris.size();
  }

  TempDirectory dir_;
  mcpgw_host host_;
  void* library_ = nullptr;
  const mcpgw_plugin* plugin_ = nullptr;
  void* instance_ = nullptr;
};

const json kAlice = {{"name", "Alice"}, {"entityType", "person"}, {"observations", json::array()}};

TEST_F(PluginTest, DescriptorDeclaresAbi1ThreadSafetyToolsAndResourcesOnly) {
  EXPECT_EQ(plugin_->abi_version, MCPGW_PLUGIN_ABI_VERSION);
  EXPECT_EQ(plugin_->struct_size, sizeof(mcpgw_plugin));
  EXPECT_STREQ(plugin_->name, "memory");
  EXPECT_EQ(plugin_->flags & MCPGW_PLUGIN_THREAD_SAFE, MCPGW_PLUGIN_THREAD_SAFE);
  EXPECT_EQ(plugin_->flags & MCPGW_PLUGIN_NOWAIT, MCPGW_PLUGIN_NOWAIT);
  EXPECT_NE(plugin_->call_tool, nullptr);
  EXPECT_NE(plugin_->read_resource, nullptr);
  EXPECT_EQ(plugin_->list_prompts, nullptr);
  EXPECT_EQ(plugin_->get_prompt, nullptr);
  EXPECT_EQ(plugin_->complete, nullptr);
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
  const std::string subject = "u", tenant = "t";
  const mcpgw_principal principal = PrincipalOf(subject, tenant);
  mcpgw_call call;
  ASSERT_EQ(plugin_->list_tools(instance_, &call, &principal), MCPGW_OK);
  const json listed = json::parse(call.result);
  std::vector<std::string> names;
  for (const json& tool : listed.at("tools")) names.push_back(tool.at("name"));
  EXPECT_EQ(names, (std::vector<std::string>{"create_entities", "create_relations", "add_observations",
                                             "delete_entities", "delete_observations", "delete_relations", "read_graph",
                                             "search_nodes", "open_nodes"}));
  mcpgw_call resources;
  ASSERT_EQ(plugin_->list_resources(instance_, &resources, &principal), MCPGW_OK);
  EXPECT_EQ(json::parse(resources.result).at("resources").at(0).at("uri"), "memory://knowledge-graph");
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
  std::lock_guard lock(host_.mutex);
  ASSERT_FALSE(host_.log_lines.empty());  // the operator gets the path and errno
  EXPECT_NE(host_.log_lines.back().find(dir_.path()), std::string::npos);
}

}  // namespace
}  // namespace mcpgw::memory
