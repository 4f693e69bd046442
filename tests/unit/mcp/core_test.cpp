// The MCP core, driven directly (no transport) against the real example
// plugin: lifecycle, version rules, error codes per protocol era, tool
// input errors, pagination, progress ordering.
#include "mcp/backend.h"
#include "mcp/core.h"
#include "pipeline/authorize.h"
#include "pipeline/validate_arguments.h"
#include "plugin/plugin_library.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

namespace mcpgw::mcp {
namespace {

using json = nlohmann::json;

// Records what the core sends back for one request (a test double for a
// transport, not a fake of a real component).
class RecordingResponder final : public Responder {
 public:
  void Notify(const json& n) override {
    std::lock_guard lock(mu_);
    messages_.push_back(n);
  }
  void Finish(Reply reply) override {
    std::lock_guard lock(mu_);
    if (reply.has_message()) {
      reply.message = reply.Json();  // the core may answer with serialised text
      messages_.push_back(reply.message);
    }
    reply_ = std::move(reply);
    done_ = true;
    cv_.notify_all();
  }
  Reply Wait() {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [this] { return done_; });
    EXPECT_TRUE(done_) << "no reply within 10 s";
    return reply_;
  }
  std::vector<json> messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }
  bool done() {
    std::lock_guard lock(mu_);
    return done_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  Reply reply_;
  std::vector<json> messages_;
};

class CoreTest : public ::testing::Test {
 protected:
  // The plugin behind the route.
  virtual std::string PluginFile() const { return "example.so"; }

  void SetUp() override {
    auto lib = std::get<std::shared_ptr<plugin::PluginLibrary>>(
        plugin::PluginLibrary::Load(std::string(MCPGW_PLUGIN_DIR) + "/" + PluginFile()));
    plugin::InstanceOptions options{"example", std::filesystem::temp_directory_path().string(), "{}", 2, 4};
    plugin_ = std::move(std::get<std::unique_ptr<plugin::PluginInstance>>(
        plugin::PluginInstance::Create(lib, options, &events_, nullptr)));
    config::Route route{"example", "/mcp/example", "http://127.0.0.1/mcp/example", "example", "", {}};
    auto codec = std::make_shared<session::SessionIdCodec>(std::string(32, 'k'), std::chrono::hours(1));
    backend_ = std::make_shared<Backend>(route, plugin_.get(), codec, nullptr);
    ASSERT_FALSE(backend_->LoadTools());
    events_.Add(backend_);
    MakeCore(CoreOptions{});
  }
  // A core whose pipeline validates arguments, after authorizing them when
  // `options.authorize` (as the gateway installs it with auth:).
  void MakeCore(CoreOptions options) {
    pipeline::Pipeline pipeline;
    if (options.authorize) pipeline.Append(std::make_unique<pipeline::Authorize>());
    pipeline.Append(std::make_unique<pipeline::ValidateArguments>());
    options.page_size = 1;
    core_ = std::make_unique<Core>(std::move(pipeline), options, timeouts_, nullptr);
  }
  void TearDown() override { plugin_->Drain(); }

  // Sends one message and waits for the reply.
  Reply Send(const std::string& method, json params, Era era = Era::kSession,
             std::shared_ptr<Session> session = nullptr, std::shared_ptr<RecordingResponder>* out = nullptr) {
    pipeline::Request r;
    r.backend = backend_;
    r.id = 1;
    r.method = method;
    r.params = std::move(params);
    r.era = era;
    r.session = session;
    r.protocol_version = era == Era::kStateless ? "2026-07-28" : (session ? session->protocol_version() : "2025-11-25");
    r.principal = principal_;
    auto responder = std::make_shared<RecordingResponder>();
    core_->Handle(std::move(r), responder);
    if (out) *out = responder;
    return responder->Wait();
  }

  static json Modern(json params = json::object()) {
    params["_meta"] = {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                       {"io.modelcontextprotocol/clientCapabilities", json::object()}};
    return params;
  }

  std::shared_ptr<Session> NewSession() {
    return Send("initialize", {{"protocolVersion", "2025-11-25"}, {"capabilities", json::object()},
                               {"clientInfo", {{"name", "t"}, {"version", "1"}}}})
        .new_session;
  }

  // The names of every tool, page by page (at most 100 pages).
  std::vector<std::string> ListAllTools(const std::shared_ptr<Session>& session) {
    std::vector<std::string> names;
    json params = json::object();
    for (int page = 0; page < 100; ++page) {
      const json result = Send("tools/list", params, Era::kSession, session).message["result"];
      for (const auto& t : result["tools"]) names.push_back(t["name"]);
      if (!result.contains("nextCursor")) break;
      params["cursor"] = result["nextCursor"];
    }
    return names;
  }

  // Opens a stateless-era subscriptions/listen stream for `notifications`
  // as principal_; its responder records what it hears.
  std::shared_ptr<RecordingResponder> Listen(const json& notifications) {
    pipeline::Request r;
    r.backend = backend_;
    r.id = "listen";
    r.method = "subscriptions/listen";
    r.params = Modern({{"notifications", notifications}});
    r.era = Era::kStateless;
    r.protocol_version = "2026-07-28";
    r.principal = principal_;
    auto responder = std::make_shared<RecordingResponder>();
    core_->Handle(std::move(r), responder);
    return responder;
  }

  Principal principal_ = LocalUserPrincipal();
  timing::TimeoutList timeouts_;
  PluginEventFanout events_;
  std::unique_ptr<plugin::PluginInstance> plugin_;
  std::shared_ptr<Backend> backend_;
  std::unique_ptr<Core> core_;
};

TEST_F(CoreTest, InitializeAgreesToASupportedVersionAndStartsASession) {
  const Reply reply = Send("initialize", {{"protocolVersion", "2025-06-18"}, {"capabilities", json::object()}});
  ASSERT_TRUE(reply.new_session);
  EXPECT_EQ(reply.message["result"]["protocolVersion"], "2025-06-18");
  EXPECT_EQ(reply.new_session->protocol_version(), "2025-06-18");
  EXPECT_TRUE(reply.message["result"]["capabilities"].contains("tools"));
  EXPECT_TRUE(reply.message["result"]["capabilities"].contains("resources"));
}

TEST_F(CoreTest, InitializeOffersItsLatestSessionVersionForAnUnknownOne) {
  const Reply reply = Send("initialize", {{"protocolVersion", "1999-01-01"}});
  EXPECT_EQ(reply.message["result"]["protocolVersion"], "2025-11-25");
}

TEST_F(CoreTest, PingAndSetLevelAnswerExactlyAnEmptyObject) {
  auto session = NewSession();
  EXPECT_EQ(Send("ping", json::object(), Era::kSession, session).message["result"], json::object());
  EXPECT_EQ(Send("logging/setLevel", {{"level", "debug"}}, Era::kSession, session).message["result"], json::object());
  EXPECT_EQ(session->log_level(), MCPGW_LOG_DEBUG);
  EXPECT_EQ(Send("logging/setLevel", {{"level", "loud"}}, Era::kSession, session).message["error"]["code"], -32602);
}

TEST_F(CoreTest, AnswersToolInputErrorsAsToolResultsTheModelCanRead) {
  auto session = NewSession();
  const Reply reply = Send("tools/call", {{"name", "divide"}, {"arguments", {{"a", "x"}, {"b", 1}}}}, Era::kSession, session);
  ASSERT_TRUE(reply.message.contains("result")) << reply.message;
  EXPECT_EQ(reply.message["result"]["isError"], true);
  EXPECT_NE(reply.message["result"]["content"][0]["text"].get<std::string>().find("/a"), std::string::npos);
}

TEST_F(CoreTest, AnswersAnUnknownToolWithInvalidParams) {
  const Reply reply = Send("tools/call", {{"name", "nope"}}, Era::kSession, NewSession());
  EXPECT_EQ(reply.message["error"]["code"], -32602);
  EXPECT_EQ(reply.message["id"], 1);
}

TEST_F(CoreTest, DecoratesStatelessResultsWithResultTypeCacheHintsAndServerInfo) {
  const Reply reply = Send("tools/list", Modern(), Era::kStateless);
  const json& result = reply.message["result"];
  EXPECT_EQ(result["resultType"], "complete");
  EXPECT_TRUE(result["ttlMs"].is_number_integer());
  EXPECT_EQ(result["cacheScope"], "public");
  EXPECT_EQ(result["_meta"]["io.modelcontextprotocol/serverInfo"]["version"], "0.1.0");
  // The session era gets none of these.
  EXPECT_FALSE(Send("tools/list", json::object(), Era::kSession, NewSession()).message["result"].contains("resultType"));
}

TEST_F(CoreTest, RefusesStatelessRequestsWithoutRequiredMetaWithInvalidParams) {
  const Reply reply = Send("tools/list", json::object(), Era::kStateless);
  EXPECT_EQ(reply.http_status, 400);
  EXPECT_EQ(reply.message["error"]["code"], -32602);
  json no_caps = Modern();
  no_caps["_meta"].erase("io.modelcontextprotocol/clientCapabilities");
  EXPECT_EQ(Send("tools/list", no_caps, Era::kStateless).message["error"]["code"], -32602);
}

TEST_F(CoreTest, ListsSupportedVersionsWhenTheRequestedOneIsUnknown) {
  json params = Modern();
  params["_meta"]["io.modelcontextprotocol/protocolVersion"] = "v999";
  const Reply reply = Send("server/discover", params, Era::kStateless);
  EXPECT_EQ(reply.http_status, 400);
  EXPECT_EQ(reply.message["error"]["code"], -32022);
  EXPECT_EQ(reply.message["error"]["data"]["requested"], "v999");
  EXPECT_EQ(reply.message["error"]["data"]["supported"][0], "2026-07-28");
}

TEST_F(CoreTest, AnswersUnknownAndRemovedMethodsPerEra) {
  EXPECT_EQ(Send("nope", json::object(), Era::kSession, NewSession()).http_status, 200);
  for (const char* removed : {"initialize", "ping", "logging/setLevel", "resources/subscribe", "nope"}) {
    const Reply reply = Send(removed, Modern(), Era::kStateless);
    EXPECT_EQ(reply.http_status, 404) << removed;
    EXPECT_EQ(reply.message["error"]["code"], -32601) << removed;
  }
}

TEST_F(CoreTest, ReportsAMissingResourceWithTheCodeOfTheProtocolVersion) {
  const Reply legacy = Send("resources/read", {{"uri", "example://nope"}}, Era::kSession, NewSession());
  EXPECT_EQ(legacy.message["error"]["code"], -32002);
  const Reply modern = Send("resources/read", Modern({{"uri", "example://nope"}}), Era::kStateless);
  EXPECT_EQ(modern.message["error"]["code"], -32602);
  EXPECT_EQ(modern.message["error"]["data"]["uri"], "example://nope");
}

TEST_F(CoreTest, PaginatesEveryToolExactlyOnceAndRefusesForeignCursors) {
  auto session = NewSession();
  EXPECT_EQ(ListAllTools(session), (std::vector<std::string>{"echo", "divide"}));
  EXPECT_EQ(Send("tools/list", {{"cursor", "not-ours"}}, Era::kSession, session).message["error"]["code"], -32602);
}

TEST_F(CoreTest, SendsProgressBeforeTheResultOnlyWhenAskedFor) {
  auto session = NewSession();
  std::shared_ptr<RecordingResponder> rec;
  Send("tools/call", {{"name", "divide"}, {"arguments", {{"a", 1}, {"b", 2}}}, {"_meta", {{"progressToken", "t1"}}}},
       Era::kSession, session, &rec);
  auto messages = rec->messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0]["method"], "notifications/progress");
  EXPECT_EQ(messages[0]["params"]["progressToken"], "t1");
  EXPECT_EQ(messages[1]["result"]["structuredContent"]["quotient"], 0.5);
  Send("tools/call", {{"name", "divide"}, {"arguments", {{"a", 1}, {"b", 2}}}}, Era::kSession, session, &rec);
  EXPECT_EQ(rec->messages().size(), 1u);
}

TEST_F(CoreTest, ReportsAToolFailureAsIsErrorNotAsAProtocolError) {
  const Reply reply = Send("tools/call", {{"name", "divide"}, {"arguments", {{"a", 1}, {"b", 0}}}}, Era::kSession, NewSession());
  EXPECT_EQ(reply.message["result"]["isError"], true);
}

// A reload that retires a route ends that route's listen streams, and no
// other route's.
TEST_F(CoreTest, ClosesTheListenStreamsOfOneBackendOnly) {
  auto other = std::make_shared<Backend>(
      config::Route{"other", "/mcp/other", "http://127.0.0.1/mcp/other", "example", "", {}}, plugin_.get(),
      std::make_shared<session::SessionIdCodec>(std::string(32, 'k'), std::chrono::hours(1)), nullptr);
  auto responder = Listen({{"toolsListChanged", true}});
  ASSERT_EQ(responder->messages().size(), 1u);
  EXPECT_EQ(responder->messages()[0]["method"], "notifications/subscriptions/acknowledged");

  core_->CloseListenStreams(other.get());
  EXPECT_FALSE(responder->done()) << "another route's stream stays open";
  EXPECT_EQ(core_->in_flight(), 1u);

  core_->CloseListenStreams(backend_.get());
  const Reply reply = responder->Wait();
  EXPECT_EQ(reply.message["id"], "listen");
  EXPECT_EQ(reply.message["result"]["resultType"], "complete");
  EXPECT_EQ(core_->in_flight(), 0u);
}

TEST_F(CoreTest, AListenStreamHearsEveryChangeNotOnlyTheFirst) {
  auto responder = Listen({{"promptsListChanged", true}});
  for (int i = 0; i < 3; ++i) backend_->OnListChanged(MCPGW_LIST_PROMPTS);
  std::vector<std::string> methods;
  for (const json& m : responder->messages()) methods.push_back(m.value("method", ""));
  EXPECT_EQ(methods, (std::vector<std::string>{"notifications/subscriptions/acknowledged",
                                               "notifications/prompts/list_changed",
                                               "notifications/prompts/list_changed",
                                               "notifications/prompts/list_changed"}));
  core_->CloseListenStreams(backend_.get());
  responder->Wait();
}

// A plugin that stops because its deadline passed answers MCPGW_CANCELLED,
// possibly before the gateway's timer has fired: the request still ends as
// a timeout (the client is waiting for an answer), not as a cancellation.
Reply StopAfter(pipeline::Clock::duration deadline_in) {
  pipeline::Request r;
  r.id = 7;
  r.method = "tools/call";
  r.deadline = pipeline::Clock::now() + deadline_in;
  r.received = r.deadline - std::chrono::milliseconds(250);
  auto responder = std::make_shared<RecordingResponder>();
  auto exchange = std::make_shared<Exchange>(std::move(r), responder, nullptr);
  EXPECT_TRUE(exchange->Cancelled() == (deadline_in <= pipeline::Clock::duration::zero()));
  exchange->EndStopped();
  Reply reply = responder->Wait();
  EXPECT_TRUE(exchange->finished());
  return reply;
}

TEST(ExchangeTest, APluginStoppedByItsDeadlineEndsTheRequestAsATimeout) {
  const Reply reply = StopAfter(std::chrono::milliseconds(-1));
  EXPECT_EQ(reply.outcome, "timeout");
  EXPECT_EQ(reply.message["id"], 7);
  EXPECT_EQ(reply.message["error"]["code"], -32603);
  EXPECT_EQ(reply.message["error"]["message"], "Request timed out after 250 ms; the backend did not answer in time");
}

TEST(ExchangeTest, APluginStoppedBeforeItsDeadlineEndsTheRequestAsCancelled) {
  const Reply reply = StopAfter(std::chrono::hours(1));
  EXPECT_EQ(reply.outcome, "cancelled");
  EXPECT_FALSE(reply.has_message());
}

// With authentication (ADR 0026): the conformance plugin's many tools, page
// by page, as a caller with some of the route's scopes sees them.
class AuthorizedCoreTest : public CoreTest {
 protected:
  std::string PluginFile() const override { return "conformance.so"; }

  void SetUp() override {
    CoreTest::SetUp();
    CoreOptions options;
    options.authorize = true;
    MakeCore(options);
    backend_->ReplaceScopes(Scopes(), /*authorized=*/true);
  }

  // The route's scopes: test_* needs t:test, test_image_content t:image;
  // nothing else is mapped.
  static config::RouteScopes Scopes() {
    config::RouteScopes scopes;
    scopes.configured = true;
    scopes.list = std::vector<std::string>{"t:list"};
    scopes.read = std::vector<std::string>{"t:read"};
    scopes.call = std::vector<std::string>{"t:call"};
    scopes.tools = {{"test_*", {"t:test"}}, {"test_image_content", {"t:image"}}};
    return scopes;
  }

  std::vector<std::string> ListedTo(std::vector<std::string> granted) {
    principal_ = NamedPrincipal("alice", "default", "", std::move(granted));
    return ListAllTools(NewSession());
  }

  // The catalog's tools whose names `keep` accepts, in catalog order.
  std::vector<std::string> Catalog(const std::function<bool(const std::string&)>& keep) {
    std::vector<std::string> names;
    for (const auto& tool : backend_->tools().Current()->definitions()) {
      if (keep(tool["name"])) names.push_back(tool["name"]);
    }
    return names;
  }
};

TEST_F(AuthorizedCoreTest, ListsExactlyTheToolsACallWouldBeAllowedPageByPage) {
  const auto is_test = [](const std::string& n) { return n.rfind("test_", 0) == 0; };
  const std::vector<std::string> tests_but_image =
      Catalog([&](const std::string& n) { return is_test(n) && n != "test_image_content"; });
  ASSERT_GE(tests_but_image.size(), 3u) << "pages of one over a filtered list of several";
  ASSERT_LT(tests_but_image.size() + 1, Catalog([](const std::string&) { return true; }).size())
      << "some tools are not mapped at all";
  EXPECT_EQ(ListedTo({"t:list", "t:call", "t:test"}), tests_but_image);
  std::vector<std::string> with_image = Catalog(is_test);
  EXPECT_EQ(ListedTo({"t:list", "t:call", "t:test", "t:image"}), with_image);
  EXPECT_EQ(ListedTo({"t:list", "t:call", "t:image"}), (std::vector<std::string>{"test_image_content"}));
  EXPECT_EQ(ListedTo({"t:list", "t:test"}), (std::vector<std::string>{})) << "no tool without the call class";
  EXPECT_EQ(Send("tools/list", Modern(), Era::kStateless).message["result"]["cacheScope"], "private");
}

TEST_F(AuthorizedCoreTest, WhatTheListShowsIsWhatTheAuthorizeStageLetsThrough) {
  const pipeline::Authorize authorize;
  for (const std::vector<std::string>& granted : std::vector<std::vector<std::string>>{
           {"t:list", "t:call", "t:test"}, {"t:list", "t:call", "t:image"}, {"t:list", "t:test", "t:image"}}) {
    const std::vector<std::string> listed = ListedTo(granted);
    for (const auto& tool : backend_->tools().Current()->definitions()) {
      pipeline::Request call;
      call.backend = backend_;
      call.method = "tools/call";
      call.params = {{"name", tool["name"]}};
      call.principal = principal_;
      const bool shown = std::find(listed.begin(), listed.end(), tool["name"]) != listed.end();
      EXPECT_EQ(!authorize.Check(call).has_value(), shown) << tool["name"] << " to " << ::testing::PrintToString(granted);
    }
  }
}

// A record of what a session's transport is sent (a test double).
class RecordingChannel final : public ServerChannel {
 public:
  void Send(const json& message) override {
    std::lock_guard lock(mu_);
    sent_.push_back(message.value("method", ""));
  }
  void Close() override {}
  std::vector<std::string> sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> sent_;
};

TEST_F(AuthorizedCoreTest, AReloadThatChangesWhatCallsNeedTellsSessionsAndListenersTheToolListChanged) {
  principal_ = NamedPrincipal("alice", "default", "", {"t:list", "t:read", "t:call", "t:test"});
  auto session = NewSession();
  auto channel = std::make_shared<RecordingChannel>();
  session->set_channel(channel);
  // A stateless-era listener for tool list changes.
  auto listener = Listen({{"toolsListChanged", true}});
  const auto methods = [&] {
    std::vector<std::string> out;
    for (const json& m : listener->messages()) out.push_back(m.value("method", ""));
    return out;
  };
  ASSERT_EQ(methods(), (std::vector<std::string>{"notifications/subscriptions/acknowledged"}));
  config::RouteScopes scopes = Scopes();
  backend_->ReplaceScopes(scopes, true);  // the same
  scopes.list = std::vector<std::string>{"t:other-list"};
  backend_->ReplaceScopes(scopes, true);  // only the list class: what a call needs is the same
  EXPECT_EQ(channel->sent(), (std::vector<std::string>{}));
  scopes.tools.pop_back();  // test_image_content now needs t:test only
  backend_->ReplaceScopes(scopes, true);
  scopes.call = std::vector<std::string>{};
  backend_->ReplaceScopes(scopes, true);
  EXPECT_EQ(channel->sent(), (std::vector<std::string>{"notifications/tools/list_changed",
                                                       "notifications/tools/list_changed"}));
  EXPECT_EQ(methods(), (std::vector<std::string>{"notifications/subscriptions/acknowledged",
                                                 "notifications/tools/list_changed",
                                                 "notifications/tools/list_changed"}))
      << json(listener->messages()).dump();
  core_->CloseListenStreams(backend_.get());
  listener->Wait();
}

// Without `auth:` nothing is authorized, so tools/list does not depend on the
// route's scopes: a reload that changes them tells nobody anything.
TEST_F(CoreTest, WithoutAuthorizationAScopeReloadDoesNotTellSessionsOrListenersTheToolListChanged) {
  auto session = NewSession();
  auto channel = std::make_shared<RecordingChannel>();
  session->set_channel(channel);
  auto listener = Listen({{"toolsListChanged", true}});
  config::RouteScopes scopes;
  scopes.configured = true;
  scopes.call = std::vector<std::string>{"t:call"};
  backend_->ReplaceScopes(scopes, /*authorized=*/false);
  scopes.tools = {{"echo", {"t:echo"}}};
  backend_->ReplaceScopes(scopes, false);
  EXPECT_EQ(channel->sent(), (std::vector<std::string>{}));
  ASSERT_EQ(listener->messages().size(), 1u) << json(listener->messages()).dump();
  EXPECT_EQ(listener->messages()[0]["method"], "notifications/subscriptions/acknowledged");
  core_->CloseListenStreams(backend_.get());
  listener->Wait();
}

}  // namespace
}  // namespace mcpgw::mcp
