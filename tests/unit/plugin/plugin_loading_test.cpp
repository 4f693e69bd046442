// Plugin ABI loading: the gateway refuses anything but a complete plugin of
// its own ABI version, says why naming the file and both versions, and
// serialises calls to a plugin that does not declare thread safety.
#include "plugin/plugin_instance.h"
#include "plugin/plugin_library.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>

namespace mcpgw::plugin {
namespace {

std::string Fixture(const std::string& name) { return std::string(MCPGW_FIXTURE_DIR) + "/" + name + ".so"; }

std::string LoadError(const std::string& path) {
  auto loaded = PluginLibrary::Load(path);
  return std::holds_alternative<std::string>(loaded) ? std::get<std::string>(loaded) : "";
}

std::shared_ptr<PluginLibrary> LoadOk(const std::string& name) {
  auto loaded = PluginLibrary::Load(Fixture(name));
  EXPECT_TRUE(std::holds_alternative<std::shared_ptr<PluginLibrary>>(loaded)) << LoadError(Fixture(name));
  return std::get<std::shared_ptr<PluginLibrary>>(loaded);
}

std::unique_ptr<PluginInstance> CreateOk(const std::string& name, unsigned workers = 4, std::size_t queue = 64) {
  InstanceOptions options{name, std::filesystem::temp_directory_path().string(), "{}", workers, queue};
  auto created = PluginInstance::Create(LoadOk(name), options, nullptr, nullptr);
  EXPECT_TRUE(std::holds_alternative<std::unique_ptr<PluginInstance>>(created));
  return std::move(std::get<std::unique_ptr<PluginInstance>>(created));
}

TEST(PluginLibrary, RefusesAPluginBuiltForAnotherAbiVersionNamingBothVersions) {
  const std::string error = LoadError(Fixture("wrong_abi"));
  EXPECT_NE(error.find(Fixture("wrong_abi")), std::string::npos) << error;
  EXPECT_NE(error.find("plugin ABI 99"), std::string::npos) << error;
  EXPECT_NE(error.find("speaks plugin ABI " + std::to_string(MCPGW_PLUGIN_ABI_VERSION)), std::string::npos) << error;
}

TEST(PluginLibrary, RefusesASharedObjectWithoutTheEntrySymbol) {
  const std::string error = LoadError(Fixture("no_entry"));
  EXPECT_NE(error.find(Fixture("no_entry")), std::string::npos) << error;
  EXPECT_NE(error.find("does not export mcpgw_plugin_entry"), std::string::npos) << error;
}

TEST(PluginLibrary, RefusesADescriptorShorterThanTheAbiRequires) {
  const std::string error = LoadError(Fixture("truncated"));
  EXPECT_NE(error.find("smaller than"), std::string::npos) << error;
}

TEST(PluginLibrary, RefusesAFileThatDoesNotExist) {
  const std::string error = LoadError("/nonexistent/plugin.so");
  EXPECT_NE(error.find("cannot load plugin /nonexistent/plugin.so"), std::string::npos) << error;
}

TEST(PluginInstance, ReportsThePluginsOwnReasonWhenCreateFails) {
  InstanceOptions options{"db", "/tmp", "{}", 1, 1};
  auto created = PluginInstance::Create(LoadOk("init_fails"), options, nullptr, nullptr);
  ASSERT_TRUE(std::holds_alternative<std::string>(created));
  const std::string error = std::get<std::string>(created);
  EXPECT_NE(error.find("plugin \"db\""), std::string::npos) << error;
  EXPECT_NE(error.find("cannot open the database: permission denied"), std::string::npos) << error;
}

TEST(PluginInstance, PassesThePrincipalButNoCredentialToAPluginWrittenInC) {
  auto instance = CreateOk("good");
  PluginRequest request;
  request.op = Operation::kCallTool;
  request.name = "whoami";
  request.arguments = "{}";
  request.principal.subject = "alice";
  request.principal.tenant = "acme";
  request.principal.scopes = {"read"};
  PluginReply reply = instance->Invoke(request);
  EXPECT_EQ(reply.status, MCPGW_OK);
  EXPECT_EQ(reply.body, R"({"content":[{"type":"text","text":"acme/alice"}]})");
  // The credential's audience and expiry reach the plugin too (never the credential).
  request.principal.audience = "https://gw.test/mcp/x";
  request.principal.expires_at = std::chrono::sys_seconds(std::chrono::seconds(1'900'000'000));
  reply = instance->Invoke(request);
  EXPECT_EQ(reply.body, R"({"content":[{"type":"text","text":"acme/alice @https://gw.test/mcp/x until 1900000000"}]})");
}

TEST(PluginInstance, OffersOnlyWhatTheDescriptorImplements) {
  auto instance = CreateOk("good");
  EXPECT_TRUE(instance->Offers(Operation::kListTools));
  EXPECT_FALSE(instance->Offers(Operation::kListResources));
  EXPECT_FALSE(instance->Offers(Operation::kComplete));
  PluginRequest request;
  request.op = Operation::kReadResource;
  EXPECT_EQ(instance->Invoke(request).status, MCPGW_NOT_FOUND);
}

// Submits `n` calls at once and waits for all replies.
std::vector<PluginReply> RunConcurrently(PluginInstance& instance, int n, int* refused) {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<PluginReply> replies;
  int expected = 0;
  *refused = 0;
  for (int i = 0; i < n; ++i) {
    PluginRequest request;
    request.op = Operation::kCallTool;
    request.name = "whoami";
    const bool queued = instance.TrySubmit(request, [&](PluginReply reply) {
      std::lock_guard lock(mu);
      replies.push_back(std::move(reply));
      cv.notify_all();
    });
    if (queued) {
      ++expected;
    } else {
      ++*refused;
    }
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return static_cast<int>(replies.size()) == expected; });
  return replies;
}

TEST(PluginInstance, SerialisesCallsToAPluginThatIsNotThreadSafe) {
  auto instance = CreateOk("serial", /*workers=*/8, /*queue=*/64);
  EXPECT_FALSE(instance->thread_safe());
  int refused = 0;
  const auto replies = RunConcurrently(*instance, 8, &refused);
  ASSERT_EQ(replies.size(), 8u);
  EXPECT_EQ(refused, 0);
  // Each reply reports the largest overlap seen so far; it must stay 1.
  for (const auto& r : replies) EXPECT_EQ(r.body, R"({"content":[{"type":"text","text":"1"}]})");
}

PluginRequest Call(const std::string& tool) {
  PluginRequest request;
  request.op = Operation::kCallTool;
  request.name = tool;
  request.arguments = "{}";
  request.principal.subject = "alice";
  request.principal.tenant = "acme";
  return request;
}

TEST(PluginInstance, TriesNoWaitCallsOnTheCallersThreadAndLeavesTheRestToWorkers) {
  auto instance = CreateOk("nowait");
  ASSERT_TRUE(instance->takes_nowait_calls());
  const auto fast = instance->TryInvokeNoWait(Call("whoami"));
  ASSERT_TRUE(fast.has_value());
  EXPECT_EQ(fast->body, R"({"content":[{"type":"text","text":"io"}]})");
  EXPECT_FALSE(instance->TryInvokeNoWait(Call("slow")).has_value());
  EXPECT_EQ(instance->Invoke(Call("slow")).body, R"({"content":[{"type":"text","text":"worker"}]})");
}

TEST(PluginInstance, TreatsWouldBlockOutsideANoWaitCallAsABackendBug) {
  auto instance = CreateOk("nowait");
  const PluginReply reply = instance->Invoke(Call("liar"));
  EXPECT_EQ(reply.status, MCPGW_INTERNAL);
  EXPECT_EQ(reply.body, "the backend returned an unknown status");
}

TEST(PluginInstance, NeverMakesANoWaitCallToAPluginThatDidNotAskForThem) {
  auto instance = CreateOk("good");
  EXPECT_FALSE(instance->takes_nowait_calls());
  EXPECT_FALSE(instance->TryInvokeNoWait(Call("whoami")).has_value());
}

TEST(PluginInstance, RefusesWorkAtOnceWhenTheQueueIsFull) {
  auto instance = CreateOk("serial", /*workers=*/1, /*queue=*/2);
  int refused = 0;
  const auto replies = RunConcurrently(*instance, 10, &refused);
  EXPECT_GT(refused, 0);
  EXPECT_EQ(static_cast<int>(replies.size()) + refused, 10);
}

}  // namespace
}  // namespace mcpgw::plugin
