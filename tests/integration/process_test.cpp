// The gateway as a process: start-up refusals with clear messages, the
// stdio front door, and an orderly exit on SIGTERM.
#include "integration/example_gateway.h"

#include <fstream>
#include <map>
#include <sstream>

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
  // Answers may arrive in any order (JSON-RPC); index them by id.
  std::istringstream lines(r.stdout_text);
  std::map<std::string, json> by_id;
  for (std::string line; std::getline(lines, line);) {
    const json j = json::parse(line);
    by_id[j.contains("id") ? j["id"].dump() : "none"] = j;
  }
  ASSERT_EQ(by_id.size(), 3u) << r.stdout_text;
  EXPECT_EQ(by_id["1"]["result"]["protocolVersion"], "2025-11-25");
  EXPECT_EQ(by_id["2"]["result"]["content"][0]["text"], "over stdio");
  EXPECT_EQ(by_id["none"]["error"]["code"], -32700);
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

}  // namespace
}  // namespace mcpgw::testing
