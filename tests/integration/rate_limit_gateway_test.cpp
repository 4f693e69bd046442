// Rate limits through the real gateway binary: the HTTP 429 with its exact
// Retry-After and RateLimit headers and JSON-RPC error, nothing reaching the
// plugin for a refused call, X-Forwarded-For believed from a trusted proxy
// only, the same error over stdio, and Redis behind it (429 through the
// shared counters; a fail-closed policy answers 503 while Redis is stopped).
#include "integration/example_gateway.h"
#include "limits/window.h"
#include "support/redis_server.h"

#include <fstream>
#include <map>
#include <sstream>
#include <thread>

namespace mcpgw::testing {
namespace {

using json = nlohmann::json;

std::string LimitedConfig(const std::string& policies, const std::string& server_extra = "",
                          const std::string& top_extra = "") {
  return "server:\n  listen: 127.0.0.1:0\n  data_dir: ${DATA_DIR}\n" + server_extra +
         "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n" + top_extra + "rate_limits:\n  policies:\n" +
         policies +
         "plugins:\n  - name: example\n    file: example.so\n"
         "routes:\n  - name: example\n    path: /mcp/example\n    plugin: example\n";
}

constexpr char kPerSubject[] =
    "    - name: per-subject\n      by: [subject]\n      limit: 2\n      window_s: 3600\n      match: {tool: \"*\"}\n";
constexpr char kPerSource[] = "    - name: per-source\n      by: [source]\n      limit: 1\n      window_s: 3600\n";

HttpResponse Echo(uint16_t port, const Headers& extra = {}) {
  json params{{"name", "echo"}, {"arguments", {{"text", "hi"}}}, {"_meta", ModernMeta()}};
  const json body{{"jsonrpc", "2.0"}, {"id", 9}, {"method", "tools/call"}, {"params", params}};
  Headers headers = ModernHeaders("tools/call", "echo");
  headers.insert(headers.end(), extra.begin(), extra.end());
  return Request(port, "POST", "/mcp/example", body.dump(), headers);
}

// The sum of a counter's samples whose labels contain every one of `labels`.
double Counter(uint16_t metrics_port, const std::string& name, const std::vector<std::string>& labels) {
  const HttpResponse m = Request(metrics_port, "GET", "/metrics", "", {});
  EXPECT_EQ(m.status, 200);
  std::istringstream lines(m.body);
  double sum = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + "{", 0) != 0 && line.rfind(name + " ", 0) != 0) continue;
    bool all = true;
    for (const std::string& l : labels) all = all && line.find(l) != std::string::npos;
    if (all) sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

// The Retry-After the gateway must compute for `count` requests already in
// the current window (none in the previous) at time `at`.
int64_t ExpectedRetryAfter(uint64_t limit, uint32_t window_s, uint64_t count, limits::Clock::time_point at) {
  config::LimitPolicy p;
  p.name = "p";
  p.limit = limit;
  p.window_s = window_s;
  const auto position = limits::PositionOf(at, int64_t{window_s} * 1000);
  return limits::Assess(p, {0, count}, position.elapsed_ms, false).retry_after.count();
}

TEST(RateLimitGateway, AnswersTheCallOverTheLimitWith429AndTheRateLimitHeadersAndNeverCallsThePlugin) {
  GatewayProcess gateway(LimitedConfig(kPerSubject));
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  ASSERT_EQ(Echo(gateway.port()).status, 200);
  ASSERT_EQ(Echo(gateway.port()).status, 200);
  const auto before = limits::Clock::now();
  const HttpResponse refused = Echo(gateway.port());
  const auto after = limits::Clock::now();
  ASSERT_EQ(refused.status, 429) << refused.body;
  const int64_t retry = std::stoll(refused.Header("retry-after"));
  EXPECT_LE(retry, ExpectedRetryAfter(2, 3600, 2, before));
  EXPECT_GE(retry, ExpectedRetryAfter(2, 3600, 2, after));
  EXPECT_EQ(refused.Header("ratelimit-policy"), "\"per-subject\";q=2;w=3600");
  EXPECT_EQ(refused.Header("ratelimit"), "\"per-subject\";r=0;t=" + std::to_string(retry));
  const json body = refused.Json();
  EXPECT_EQ(body["id"], 9);
  EXPECT_EQ(body["error"]["code"], -32029);
  EXPECT_EQ(body["error"]["data"]["retryAfter"], retry);
  EXPECT_EQ(body["error"]["data"]["policy"], "per-subject");
  EXPECT_NE(body["error"]["message"].get<std::string>().find("Rate limit exceeded"), std::string::npos);
  // Two calls reached the plugin, the refused one did not.
  EXPECT_EQ(Counter(gateway.metrics_port(), "mcpgw_plugin_calls_total", {R"(operation="call_tool")"}), 2);
  EXPECT_EQ(Counter(gateway.metrics_port(), "mcpgw_rate_limit_decisions_total",
                    {R"(policy="per-subject")", R"(outcome="denied")"}),
            1);
  EXPECT_EQ(Counter(gateway.metrics_port(), "mcpgw_rate_limit_decisions_total",
                    {R"(policy="per-subject")", R"(outcome="allowed")"}),
            2);
  // A method the policy does not match is not limited.
  json list{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/list"}, {"params", {{"_meta", ModernMeta()}}}};
  EXPECT_EQ(Request(gateway.port(), "POST", "/mcp/example", list.dump(), ModernHeaders("tools/list")).status, 200);
}

TEST(RateLimitGateway, BelievesXForwardedForOnlyFromATrustedProxy) {
  GatewayProcess trusting(LimitedConfig(kPerSource, "  trusted_proxies: [127.0.0.1]\n"));
  ASSERT_TRUE(trusting.Start()) << trusting.Log();
  // Behind the trusted proxy each client address has its own budget...
  EXPECT_EQ(Echo(trusting.port(), {{"X-Forwarded-For", "203.0.113.1"}}).status, 200);
  EXPECT_EQ(Echo(trusting.port(), {{"X-Forwarded-For", "198.51.100.9, 203.0.113.2"}}).status, 200);
  EXPECT_EQ(Echo(trusting.port(), {{"X-Forwarded-For", "203.0.113.1"}}).status, 429);
  // ...and a malformed header counts as the proxy itself.
  EXPECT_EQ(Echo(trusting.port(), {{"X-Forwarded-For", "203.0.113.3, bogus"}}).status, 200);
  EXPECT_EQ(Echo(trusting.port(), {{"X-Forwarded-For", "bogus"}}).status, 429);

  GatewayProcess plain(LimitedConfig(kPerSource));
  ASSERT_TRUE(plain.Start()) << plain.Log();
  // Without trust the header is the client's word: all count as 127.0.0.1.
  EXPECT_EQ(Echo(plain.port(), {{"X-Forwarded-For", "203.0.113.1"}}).status, 200);
  EXPECT_EQ(Echo(plain.port(), {{"X-Forwarded-For", "203.0.113.2"}}).status, 429);
}

TEST(RateLimitGateway, StdioGetsTheSameJsonRpcError) {
  TempDir dir;
  std::string yaml = LimitedConfig(kPerSubject);
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"${DATA_DIR}", dir.path() + "/data"},
                                 {"${PLUGIN_DIR}", PluginDir()}}) {
    for (std::size_t p = 0; (p = yaml.find(from, p)) != std::string::npos;) yaml.replace(p, from.size(), to);
  }
  const std::string config = dir.path() + "/gateway.yaml";
  std::ofstream(config) << yaml;
  std::string input = InitializeBody("2025-11-25", 1) + "\n" + R"({"jsonrpc":"2.0","method":"notifications/initialized"})" + "\n";
  for (int id = 2; id <= 4; ++id) {
    input += R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
             R"(,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}})" + "\n";
  }
  const ProcessResult r = RunGateway({"serve", "--stdio", "-c", config}, input);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  std::istringstream lines(r.stdout_text);
  std::map<std::string, json> by_id;
  for (std::string line; std::getline(lines, line);) {
    const json j = json::parse(line);
    by_id[j["id"].dump()] = j;
  }
  ASSERT_EQ(by_id.size(), 4u) << r.stdout_text;
  EXPECT_EQ(by_id["2"]["result"]["content"][0]["text"], "x");
  EXPECT_EQ(by_id["3"]["result"]["content"][0]["text"], "x");
  EXPECT_EQ(by_id["4"]["error"]["code"], -32029) << by_id["4"];
  EXPECT_EQ(by_id["4"]["error"]["data"]["policy"], "per-subject");
  EXPECT_GT(by_id["4"]["error"]["data"]["retryAfter"].get<int64_t>(), 0);
}

TEST(RateLimitGateway, CountsInRedisAndAFailClosedPolicyAnswers503WhileRedisIsStopped) {
  RedisServer redis;
  ASSERT_TRUE(redis.Start()) << redis.Log();
  const std::string policies = std::string(kPerSubject) + "      on_redis_down: closed\n";
  GatewayProcess gateway(LimitedConfig(policies, "",
                                       "redis:\n  url: " + redis.url() +
                                           "\n  command_timeout_ms: 300\n  reconnect_min_ms: 20\n  reconnect_max_ms: 100\n"));
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  ASSERT_EQ(Echo(gateway.port()).status, 200) << gateway.Log();
  ASSERT_EQ(Echo(gateway.port()).status, 200);
  EXPECT_EQ(Echo(gateway.port()).status, 429);
  EXPECT_NE(redis.Cli("KEYS", "mcpgw:rl:per-subject:local-user:*"), "") << "the counters live in Redis";

  redis.Stop();
  const HttpResponse down = Echo(gateway.port());
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(down.Header("retry-after"), "1");
  EXPECT_EQ(down.Json()["error"]["data"]["policy"], "per-subject");
  EXPECT_EQ(Counter(gateway.metrics_port(), "mcpgw_rate_limit_store_up", {}), 0);

  ASSERT_TRUE(redis.Restart()) << redis.Log();
  // Recovers by itself; the restarted Redis (no persistence) has empty counters.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int status = Echo(gateway.port()).status;
  while (status == 503 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    status = Echo(gateway.port()).status;
  }
  EXPECT_EQ(status, 200);
}

}  // namespace
}  // namespace mcpgw::testing
