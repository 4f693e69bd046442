// filesystem.so through the C ABI, the way the gateway loads it. The host
// here is a recording fake, because the gateway's own plugin host is not
// part of this test binary; it implements the whole mcpgw_host_api table.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <mcpgw/plugin.h>

#include <string>

#include "filesystem_test_support.h"

struct mcpgw_call {
  std::string result;
  std::string error;
};

struct mcpgw_host {};

namespace mcpgw::filesystem::testing {
namespace {

void SetResult(mcpgw_call* call, const char* text, size_t len) { call->result.assign(text, len); }
void SetError(mcpgw_call* call, const char* text, size_t len) { call->error.assign(text, len); }
int Cancelled(const mcpgw_call*) { return 0; }
int NoWait(const mcpgw_call*) { return 0; }
void Progress(mcpgw_call*, double, double, const char*, size_t) {}
void Log(mcpgw_call*, mcpgw_log_level, const char*, const char*, size_t) {}
void HostLog(mcpgw_host*, mcpgw_log_level, const char*, size_t) {}
void ListChanged(mcpgw_host*, mcpgw_list_kind) { ADD_FAILURE() << "the filesystem plugin's lists never change"; }
void ResourceUpdated(mcpgw_host*, const char*, size_t) { ADD_FAILURE() << "the filesystem plugin has no resources"; }

constexpr mcpgw_host_api kHostApi = {
    sizeof(mcpgw_host_api), MCPGW_PLUGIN_ABI_VERSION, &SetResult, &SetError, &Cancelled, &Progress, &Log, &HostLog,
    &ListChanged,           &ResourceUpdated,          &NoWait};

mcpgw_str Str(const std::string& s) { return mcpgw_str{s.data(), s.size()}; }

class FilesystemPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    library_ = ::dlopen(FILESYSTEM_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(library_, nullptr) << ::dlerror();
    auto entry = reinterpret_cast<mcpgw_plugin_entry_fn>(::dlsym(library_, MCPGW_PLUGIN_ENTRY_SYMBOL));
    ASSERT_NE(entry, nullptr);
    plugin_ = entry();
  }
  void TearDown() override {
    if (instance_ != nullptr) plugin_->destroy(instance_);
    if (library_ != nullptr) ::dlclose(library_);
  }

  std::string Create(const json& config) {
    const std::string name = "files", data_dir = tree_.base(), text = config.dump();
    const mcpgw_plugin_init init{sizeof(mcpgw_plugin_init), &kHostApi, &host_, Str(name), Str(text), Str(data_dir)};
    char error[512] = "";
    const mcpgw_status status = plugin_->create(&init, &instance_, error, sizeof error);
    if (status != MCPGW_OK) instance_ = nullptr;
    return status == MCPGW_OK ? std::string() : std::string(error);
  }
  json RootConfig(bool read_only = false) const {
    return json{{"roots", {{{"name", "ws"}, {"path", tree_.root()}}}}, {"read_only", read_only}};
  }

  struct Answer {
    mcpgw_status status;
    json result;
    std::string error;
  };
  Answer CallTool(const std::string& tool, const json& arguments) {
    const std::string subject = "user", tenant = "t", args = arguments.dump();
    mcpgw_principal principal{};
    principal.struct_size = sizeof principal;
    principal.subject = Str(subject);
    principal.tenant = Str(tenant);
    mcpgw_call call;
    const mcpgw_status status = plugin_->call_tool(instance_, &call, &principal, Str(tool), Str(args));
    return Answer{status, call.result.empty() ? json() : json::parse(call.result), call.error};
  }
  std::vector<std::string> ToolNames() {
    const std::string subject = "u", tenant = "t";
    mcpgw_principal principal{};
    principal.struct_size = sizeof principal;
    mcpgw_call call;
    EXPECT_EQ(plugin_->list_tools(instance_, &call, &principal), MCPGW_OK);
    std::vector<std::string> names;
    const json listed = json::parse(call.result);
  for (const json& tool : listed.at("tools")) names.push_back(tool.at("name"));
    return names;
  }

  TempTree tree_;
  mcpgw_host host_;
  void* library_ = nullptr;
  const mcpgw_plugin* plugin_ = nullptr;
  void* instance_ = nullptr;
};

TEST_F(FilesystemPluginTest, DescriptorDeclaresAbi1ThreadSafeToolsOnly) {
  EXPECT_EQ(plugin_->abi_version, MCPGW_PLUGIN_ABI_VERSION);
  EXPECT_STREQ(plugin_->name, "filesystem");
  EXPECT_EQ(plugin_->flags, MCPGW_PLUGIN_THREAD_SAFE);  // every call does I/O: no no-wait calls
  EXPECT_NE(plugin_->call_tool, nullptr);
  EXPECT_EQ(plugin_->read_resource, nullptr);
  EXPECT_EQ(plugin_->get_prompt, nullptr);
}

TEST_F(FilesystemPluginTest, ExportsOnlyTheEntryPoint) {
  EXPECT_EQ(::dlsym(library_, "_ZN5mcpgw10filesystem9GlobMatchESt17basic_string_viewIcSt11char_traitsIcEES4_"), nullptr);
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
