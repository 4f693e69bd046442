// The gateway as a process: start-up refusals with clear messages, the
// stdio front door, and an orderly exit on SIGTERM.
#include "integration/example_gateway.h"
#include "support/test_files.h"

#include <atomic>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

namespace mcpgw::testing {
namespace {

using json = nlohmann::json;

std::string WriteConfig(const TempDir& dir, const std::string& yaml) {
  std::string text = yaml;
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"${DATA_DIR}", dir.path() + "/data"},
                                 {"${PLUGIN_DIR}", PluginDir()},
                                 {"${FIXTURE_DIR}", MCPGW_TEST_FIXTURE_DIR}}) {
    for (std::size_t p = 0; (p = text.find(from, p)) != std::string::npos;) text.replace(p, from.size(), to);
  }
  const std::string path = dir.path() + "/gateway.yaml";
  std::ofstream(path) << text;
  return path;
}

std::string PluginConfig(const std::string& file) {
  return "server:\n  listen: 127.0.0.1:0\n  data_dir: ${DATA_DIR}\nmetrics:\n  enabled: false\n"
         "plugins:\n  - name: p\n    file: " + file + "\nroutes:\n  - name: p\n    path: /mcp/p\n    plugin: p\n";
}

TEST(GatewayProcessLifecycle, RefusesToStartWithAPluginOfAnotherAbiNamingFileAndVersions) {
  TempDir dir;
  const std::string so = std::string(MCPGW_TEST_FIXTURE_DIR) + "/wrong_abi.so";
  const ProcessResult r = RunGateway({"serve", "-c", WriteConfig(dir, PluginConfig(so))});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find(so), std::string::npos) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("plugin ABI 99"), std::string::npos);
  EXPECT_NE(r.stderr_text.find("speaks plugin ABI 1"), std::string::npos);
}

TEST(GatewayProcessLifecycle, RefusesToStartWhenAPluginFailsToInitialise) {
  TempDir dir;
  const ProcessResult r =
      RunGateway({"serve", "-c", WriteConfig(dir, PluginConfig(std::string(MCPGW_TEST_FIXTURE_DIR) + "/init_fails.so"))});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("cannot open the database: permission denied"), std::string::npos) << r.stderr_text;
}

TEST(GatewayProcessLifecycle, RefusesAnInvalidConfigListingEveryProblemByKey) {
  TempDir dir;
  const std::string path = WriteConfig(dir, "server:\n  listen: 0.0.0.0:80\n  bogus: 1\nroutes: []\n");
  const ProcessResult r = RunGateway({"serve", "-c", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("server.bogus: unknown key"), std::string::npos) << r.stderr_text;
  const ProcessResult check = RunGateway({"check-config", "-c", path});
  EXPECT_EQ(check.exit_code, 2);
}

TEST(GatewayProcessLifecycle, ChecksAValidConfigWithoutStarting) {
  TempDir dir;
  const ProcessResult r = RunGateway({"check-config", "-c", WriteConfig(dir, ExampleConfig())});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("configuration OK: 1 route(s)"), std::string::npos);
}

TEST(GatewayProcessLifecycle, TheAnnotatedExampleConfigurationIsValid) {
  const ProcessResult r =
      RunGateway({"check-config", "-c", std::string(MCPGW_TEST_SOURCE_DIR) + "/deploy/gateway.example.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
}

// stdio answers, indexed by id ("none" for an error without one): they may
// arrive in any order (JSON-RPC).
std::map<std::string, json> RepliesById(const std::string& stdout_text) {
  std::istringstream lines(stdout_text);
  std::map<std::string, json> by_id;
  for (std::string line; std::getline(lines, line);) {
    const json j = json::parse(line);
    by_id[j.contains("id") ? j["id"].dump() : "none"] = j;
  }
  return by_id;
}

TEST(GatewayProcessLifecycle, ServesOneRouteOverStdioWithNoNetworkListener) {
  TempDir dir;
  const std::string config = WriteConfig(dir, ExampleConfig());
  const std::string input =
      InitializeBody("2025-11-25", 1) + "\n" + R"({"jsonrpc":"2.0","method":"notifications/initialized"})" + "\n" +
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"over stdio"}}})" + "\n" +
      "not json\n";
  const ProcessResult r = RunGateway({"serve", "--stdio", "-c", config}, input);
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.stderr_text.find("\"listening\""), std::string::npos);
  const std::map<std::string, json> by_id = RepliesById(r.stdout_text);
  ASSERT_EQ(by_id.size(), 3u) << r.stdout_text;
  EXPECT_EQ(by_id.at("1")["result"]["protocolVersion"], "2025-11-25");
  EXPECT_EQ(by_id.at("2")["result"]["content"][0]["text"], "over stdio");
  EXPECT_EQ(by_id.at("none")["error"]["code"], -32700);
}

// Like an HTTP body, a stdio message is bounded by max_body_bytes: a longer
// line is discarded (and its memory not kept) with an error, and the lines
// after it are served.
TEST(GatewayProcessLifecycle, RefusesAStdioLineOverTheBodyLimitAndServesTheNext) {
  TempDir dir;
  const std::string config = WriteConfig(dir, ExampleConfig("  limits:\n    max_body_bytes: 2048\n"));
  const std::string call =
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"after"}}})";
  const std::string big = R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"text":")" +
                          std::string(3000, 'a') + R"("}}})";
  const ProcessResult r = RunGateway({"serve", "--stdio", "-c", config},
                                     InitializeBody("2025-11-25", 1) + "\n" + big + "\n" + call + "\r\n");
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::map<std::string, json> by_id = RepliesById(r.stdout_text);
  ASSERT_EQ(by_id.size(), 3u) << r.stdout_text;
  EXPECT_EQ(by_id.at("none"), (json{{"jsonrpc", "2.0"},
                                 {"error",
                                  {{"code", -32600},
                                   {"message", "Message exceeds the limit of 2048 bytes "
                                               "(server.limits.max_body_bytes); it was discarded"}}}}));
  EXPECT_EQ(by_id.at("2")["result"]["content"][0]["text"], "after");
}

// `api-key new` prints a configuration entry: only what the configuration
// accepts, quoted so that no scope or audience can change its YAML.
TEST(GatewayProcessLifecycle, ApiKeyNewRefusesNamesAndScopesTheConfigurationWouldNotTake) {
  TempDir dir;
  const std::string config = WriteConfig(dir, ExampleConfig());
  const ProcessResult good =
      RunGateway({"api-key", "new", "-c", config, "--name", "ci-bot", "--route", "example", "--scope", "ex:read",
                  "--scope", "a,b]"});
  EXPECT_EQ(good.exit_code, 0) << good.stderr_text;
  EXPECT_NE(good.stdout_text.find("    - name: ci-bot\n"), std::string::npos) << good.stdout_text;
  EXPECT_NE(good.stdout_text.find("      scopes: [\"ex:read\", \"a,b]\"]\n"), std::string::npos) << good.stdout_text;
  const std::vector<std::string> bad_names{"", "bad name", "x\n    - name: injected", std::string(65, 'a')};
  for (const std::string& name : bad_names) {
    const ProcessResult r = RunGateway({"api-key", "new", "-c", config, "--name", name, "--route", "example"});
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_EQ(r.stdout_text, "") << name;
    EXPECT_EQ(r.stderr_text,
              "mcp-gateway: --name must be 1-64 letters, digits, '-' or '_' (it becomes the key's subject)\n");
  }
  for (const std::string scope : {"a b", "a\nb", "say\"hi\""}) {
    const ProcessResult r =
        RunGateway({"api-key", "new", "-c", config, "--name", "ok", "--route", "example", "--scope", scope});
    EXPECT_EQ(r.exit_code, 2) << scope;
    EXPECT_NE(r.stderr_text.find("is not a scope (RFC 6749"), std::string::npos) << r.stderr_text;
  }
}

// Over stdio a 2026-07-28 request has no session and no connection of its
// own to close: notifications/cancelled naming its id stops it, and it gets
// no answer; another request runs to the end.
TEST(GatewayProcessLifecycle, CancelsAStatelessRequestOverStdio) {
  TempDir dir;
  const std::string config = WriteConfig(
      dir, "server:\n  listen: 127.0.0.1:0\n  data_dir: ${DATA_DIR}\nplugin_dir: ${PLUGIN_DIR}\n"
           "plugins:\n  - name: conformance\n    file: conformance.so\n    workers: 4\n"
           "routes:\n  - name: conformance\n    path: /mcp/conformance\n    plugin: conformance\n");
  const auto call = [](int id) {
    return json{{"jsonrpc", "2.0"},
                {"id", id},
                {"method", "tools/call"},
                {"params", {{"name", "test_reconnection"}, {"arguments", json::object()}, {"_meta", ModernMeta()}}}}
        .dump();
  };
  const std::string cancel =
      json{{"jsonrpc", "2.0"}, {"method", "notifications/cancelled"}, {"params", {{"requestId", 7}}}}.dump();
  const ProcessResult r =
      RunGateway({"serve", "--stdio", "-c", config}, call(7) + "\n" + call(8) + "\n" + cancel + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::map<std::string, json> by_id = RepliesById(r.stdout_text);
  EXPECT_EQ(by_id.count("7"), 0u) << r.stdout_text;
  ASSERT_EQ(by_id.count("8"), 1u) << r.stdout_text;
  EXPECT_EQ(by_id.at("8")["result"]["resultType"], "complete") << r.stdout_text;
}

TEST(GatewayProcessLifecycle, ServesStatelessRequestsOverStdio) {
  TempDir dir;
  json discover{{"jsonrpc", "2.0"}, {"id", "d"}, {"method", "server/discover"}, {"params", {{"_meta", ModernMeta()}}}};
  const ProcessResult r = RunGateway({"serve", "--stdio", "-c", WriteConfig(dir, ExampleConfig())}, discover.dump() + "\n");
  EXPECT_EQ(r.exit_code, 0);
  const json reply = json::parse(r.stdout_text);
  EXPECT_EQ(reply["id"], "d");
  EXPECT_EQ(reply["result"]["supportedVersions"][0], "2026-07-28");
}

TEST(GatewayProcessLifecycle, ExitsZeroAfterDrainingOnSigterm) {
  GatewayProcess gw(ExampleConfig());
  ASSERT_TRUE(gw.Start()) << gw.Log();
  EXPECT_EQ(Request(gw.port(), "POST", "/mcp/example", InitializeBody(), McpHeaders()).status, 200);
  const ProcessResult r = gw.Stop(SIGTERM);
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("\"draining\""), std::string::npos);
  EXPECT_NE(r.stderr_text.find("\"stopped\""), std::string::npos);
}

// The binary's malloc is mimalloc (ADR 0025) unless it was built without it
// (the sanitizer tree, MCPGW_MIMALLOC=OFF): the gateway asks the allocator
// whether it owns a block, so a link that lost mimalloc's place fails here.
TEST(GatewayProcessLifecycle, NamesTheAllocatorThatAnswersMalloc) {
  TempDir dir;
  const ProcessResult r = RunGateway({"serve", "--stdio", "-c", WriteConfig(dir, ExampleConfig())}, InitializeBody() + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("protocolVersion"), std::string::npos) << r.stdout_text;
  const std::string expected = MCPGW_TEST_MIMALLOC ? R"("malloc":"mimalloc 2.)" : R"("malloc":"system")";
  EXPECT_NE(r.stderr_text.find(expected), std::string::npos) << r.stderr_text;
}

// SIGHUP with a broken file applies nothing and says why; a change only a
// restart can apply is named, and the gateway keeps serving throughout.
TEST(GatewayProcessLifecycle, SighupReportsAnInvalidFileAndChangesThatNeedARestart) {
  GatewayProcess gw(ExampleConfig());
  ASSERT_TRUE(gw.Start()) << gw.Log();
  std::string yaml = ReadTestFile(gw.config_path());
  const auto reload_failure = [&gw](std::size_t nth) -> json {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      std::size_t seen = 0;
      for (const json& e : gw.LogEvents()) {
        if (e.value("event", "") == "reload_failed" && ++seen == nth) return e;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return nullptr;
  };

  std::ofstream(gw.config_path()) << yaml << "bogus_section: 1\n";
  ASSERT_EQ(::kill(gw.pid(), SIGHUP), 0);
  const json invalid = reload_failure(1);
  ASSERT_FALSE(invalid.is_null()) << gw.Log();
  EXPECT_EQ(invalid["what"], "config");
  EXPECT_NE(invalid["reason"].get<std::string>().find("the configuration file is invalid, nothing in it was applied: "),
            std::string::npos)
      << invalid;
  EXPECT_NE(invalid["reason"].get<std::string>().find("bogus_section"), std::string::npos) << invalid;
  EXPECT_EQ(Request(gw.port(), "POST", "/mcp/example", InitializeBody(), McpHeaders()).status, 200);

  std::string changed = yaml;
  const std::string from = "  data_dir: ";
  changed.replace(changed.find(from), from.size(), "  page_size: 7\n  data_dir: ");
  std::ofstream(gw.config_path()) << changed;
  ASSERT_EQ(::kill(gw.pid(), SIGHUP), 0);
  const json restart = reload_failure(2);
  ASSERT_FALSE(restart.is_null()) << gw.Log();
  EXPECT_EQ(restart["what"], "config");
  EXPECT_EQ(restart["reason"], "changed but only applied by a restart: server; everything else was reloaded");
  EXPECT_EQ(Request(gw.port(), "POST", "/mcp/example", InitializeBody(), McpHeaders()).status, 200);
}

// SIGTERM while clients keep calling a tool that takes ~400 ms: every request
// the gateway took (including connections still in its listen backlog) is
// answered in full; after that, new connections are refused. Nothing fails.
TEST(GatewayProcessLifecycle, SigtermUnderLoadAnswersEveryRequestInFlight) {
  GatewayProcess gw(
      "server:\n  listen: 127.0.0.1:0\n  data_dir: ${DATA_DIR}\n  drain_s: 20\n"
      "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n"
      "plugins:\n  - name: conformance\n    file: conformance.so\n    workers: 16\n"
      "routes:\n  - name: conformance\n    path: /mcp/conformance\n    plugin: conformance\n");
  ASSERT_TRUE(gw.Start()) << gw.Log();
  const std::string body =
      json{{"jsonrpc", "2.0"},
           {"id", 1},
           {"method", "tools/call"},
           {"params", {{"name", "test_reconnection"}, {"arguments", json::object()}, {"_meta", ModernMeta()}}}}
          .dump();
  const Headers headers = ModernHeaders("tools/call", "test_reconnection");

  std::atomic<bool> signalled{false};
  std::atomic<int> answered{0}, refused{0}, answered_after_signal{0};
  std::mutex mu;
  std::vector<std::string> failures;
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      // A client keeps calling until the gateway refuses its connections.
      for (int consecutive_refusals = 0; consecutive_refusals < 3;) {
        const bool before = !signalled;
        HttpConnection connection(gw.port(), std::chrono::seconds(20));
        if (!connection.connect_error().empty()) {
          if (before) {
            const std::lock_guard lock(mu);
            failures.push_back("refused before SIGTERM: " + connection.connect_error());
          }
          ++refused;
          ++consecutive_refusals;
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          continue;
        }
        consecutive_refusals = 0;
        const HttpResponse r = connection.Request("POST", "/mcp/conformance", body, headers);
        if (r.status != 200 || !r.error.empty() ||
            r.body.find("Reconnection test completed successfully") == std::string::npos) {
          const std::lock_guard lock(mu);
          failures.push_back(std::to_string(r.status) + " " + r.error + " " + r.body.substr(0, 200));
          return;
        }
        ++answered;
        if (signalled) ++answered_after_signal;
      }
    });
  }
  // Load first: several answers, so calls are in flight at every moment.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (answered < 16 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GE(answered.load(), 16) << gw.Log();
  signalled = true;
  ASSERT_EQ(::kill(gw.pid(), SIGTERM), 0);
  for (auto& c : clients) c.join();
  const ProcessResult r = gw.Wait(std::chrono::seconds(30));

  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();
  EXPECT_GT(answered_after_signal.load(), 0) << "requests in flight at SIGTERM were answered after it";
  EXPECT_GE(refused.load(), 8 * 3);
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  // The gateway saw requests in flight when it began to drain, and finished them.
  bool drained_in_flight = false;
  for (const json& e : gw.LogEvents()) {
    if (e.value("event", "") == "draining") drained_in_flight = e.value("in_flight", 0) > 0;
    EXPECT_NE(e.value("event", ""), "drain_timeout") << e;
  }
  EXPECT_TRUE(drained_in_flight) << r.stderr_text;
}

}  // namespace
}  // namespace mcpgw::testing
