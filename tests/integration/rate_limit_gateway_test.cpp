// Rate limits through the real gateway binary: the HTTP 429 with its exact
// Retry-After and RateLimit headers and JSON-RPC error, nothing reaching the
// plugin for a refused call, X-Forwarded-For believed from a trusted proxy
// only, the same error over stdio, and Redis behind it (429 through the
// shared counters; a fail-closed policy answers 503 while Redis is stopped;
// under load, Redis killed, frozen and its scripts flushed: the fail mode
// holds, nothing waits past the command timeout, and it all recovers).
#include "integration/example_gateway.h"
#include "support/test_files.h"
#include "limits/redis_limiter.h"
#include "limits/window.h"
#include "support/dev_tokens.h"
#include "support/eventually.h"
#include "support/redis_server.h"

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
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
  const HttpResponse first = Echo(gateway.port());
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.Header("ratelimit"), "") << "on 429 only by default (rate_limits.headers)";
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
  EXPECT_EQ(MetricSum(gateway.metrics_port(), "mcpgw_plugin_calls_total", {R"(operation="call_tool")"}), 2);
  EXPECT_EQ(MetricSum(gateway.metrics_port(), "mcpgw_rate_limit_decisions_total",
                    {R"(policy="per-subject")", R"(outcome="denied")"}),
            1);
  EXPECT_EQ(MetricSum(gateway.metrics_port(), "mcpgw_rate_limit_decisions_total",
                    {R"(policy="per-subject")", R"(outcome="allowed")"}),
            2);
  // A method the policy does not match is not limited.
  json list{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/list"}, {"params", {{"_meta", ModernMeta()}}}};
  EXPECT_EQ(Request(gateway.port(), "POST", "/mcp/example", list.dump(), ModernHeaders("tools/list")).status, 200);
}

// rate_limits.headers: always: every answer of a limited request says what
// is left, counted after this request; the 429 keeps its own.
TEST(RateLimitGateway, WithHeadersAlwaysEveryAnswerCarriesTheQuotaLeft) {
  std::string config = LimitedConfig(kPerSubject);
  config.replace(config.find("rate_limits:\n"), 13, "rate_limits:\n  headers: always\n");
  GatewayProcess gateway(config);
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  const HttpResponse first = Echo(gateway.port());
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Header("ratelimit-policy"), "\"per-subject\";q=2;w=3600");
  // One of two used: one left; quota back once the estimate has decayed.
  const std::string state = first.Header("ratelimit");
  EXPECT_EQ(state.rfind("\"per-subject\";r=1;t=", 0), 0u) << state;
  const int64_t t = std::stoll(state.substr(state.find(";t=") + 3));
  EXPECT_GE(t, 1);
  EXPECT_LE(t, 3600);
  // The second answer becomes a stream (a progress notification before the
  // result): the stream's head carries the state.
  json params{{"name", "divide"}, {"arguments", {{"a", 1}, {"b", 2}}}, {"_meta", ModernMeta()}};
  params["_meta"]["progressToken"] = 7;
  const json divide{{"jsonrpc", "2.0"}, {"id", 4}, {"method", "tools/call"}, {"params", params}};
  const HttpResponse second =
      Request(gateway.port(), "POST", "/mcp/example", divide.dump(), ModernHeaders("tools/call", "divide"));
  ASSERT_EQ(second.status, 200) << second.body;
  ASSERT_EQ(second.Header("content-type"), "text/event-stream") << second.body;
  EXPECT_EQ(second.Header("ratelimit-policy"), "\"per-subject\";q=2;w=3600");
  EXPECT_EQ(second.Header("ratelimit").rfind("\"per-subject\";r=0;t=", 0), 0u) << second.Header("ratelimit");
  const HttpResponse refused = Echo(gateway.port());
  ASSERT_EQ(refused.status, 429);
  EXPECT_EQ(refused.Header("ratelimit"), "\"per-subject\";r=0;t=" + refused.Header("retry-after"))
      << "the refusal's own state, once";
  // A request no policy applies to carries none.
  json list{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/list"}, {"params", {{"_meta", ModernMeta()}}}};
  const HttpResponse unlimited =
      Request(gateway.port(), "POST", "/mcp/example", list.dump(), ModernHeaders("tools/list"));
  EXPECT_EQ(unlimited.status, 200);
  EXPECT_EQ(unlimited.Header("ratelimit"), "");
}

// A session-era call that runs past server.sessions.poll_after_ms gets its
// stream closed for polling (SEP-1699) before any notification: that
// stream's head carries the state too.
TEST(RateLimitGateway, WithHeadersAlwaysAStreamClosedForPollingCarriesTheQuotaLeft) {
  GatewayProcess gateway(
      "server:\n  listen: 127.0.0.1:0\n  data_dir: ${DATA_DIR}\n  sessions:\n    poll_after_ms: 100\n"
      "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n"
      "rate_limits:\n  headers: always\n  policies:\n" + std::string(kPerSubject) +
      "plugins:\n  - name: conformance\n    file: conformance.so\n"
      "routes:\n  - name: conformance\n    path: /mcp/conformance\n    plugin: conformance\n");
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  const HttpResponse init = Request(gateway.port(), "POST", "/mcp/conformance", InitializeBody(), McpHeaders());
  ASSERT_EQ(init.status, 200) << init.body;
  const std::string sid = init.Header("mcp-session-id");
  const json call{{"jsonrpc", "2.0"}, {"id", 5}, {"method", "tools/call"},
                  {"params", {{"name", "test_reconnection"}, {"arguments", json::object()}}}};
  const HttpResponse polled =
      Request(gateway.port(), "POST", "/mcp/conformance", call.dump(), McpHeaders(sid, "2025-11-25"));
  ASSERT_EQ(polled.status, 200) << polled.body;
  ASSERT_EQ(polled.Header("content-type"), "text/event-stream");
  EXPECT_TRUE(polled.Events().empty()) << "closed for polling before the result: " << polled.body;
  EXPECT_EQ(polled.Header("ratelimit-policy"), "\"per-subject\";q=2;w=3600");
  EXPECT_EQ(polled.Header("ratelimit").rfind("\"per-subject\";r=1;t=", 0), 0u) << polled.Header("ratelimit");
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
  // Junk the client put before the proxy's entry buys it no new budget.
  EXPECT_EQ(Echo(trusting.port(), {{"X-Forwarded-For", "bogus, 203.0.113.4"}}).status, 200);
  EXPECT_EQ(Echo(trusting.port(), {{"X-Forwarded-For", "203.0.113.4"}}).status, 429);

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

// /readyz says what keeps the gateway from serving: with a fail-closed
// policy it is not ready until Redis answers; a fail-open one serves from the
// local limiter, so Redis being down does not make it unready.
TEST(RateLimitGateway, IsNotReadyWhileRedisIsDownOnlyWhenAPolicyFailsClosed) {
  RedisServer redis;
  ASSERT_TRUE(redis.Start()) << redis.Log();
  redis.Stop();
  const std::string redis_section =
      "redis:\n  url: " + redis.url() + "\n  command_timeout_ms: 300\n  reconnect_min_ms: 20\n  reconnect_max_ms: 100\n";
  GatewayProcess closed(LimitedConfig(std::string(kPerSubject) + "      on_redis_down: closed\n", "", redis_section));
  GatewayProcess open(LimitedConfig(std::string(kPerSubject) + "      on_redis_down: open\n", "", redis_section));
  ASSERT_TRUE(closed.Start(std::chrono::seconds(20), GatewayProcess::WaitFor::kListening)) << closed.Log();
  ASSERT_TRUE(open.Start(std::chrono::seconds(20), GatewayProcess::WaitFor::kListening)) << open.Log();

  // Why Redis is not connected, in the client's words, once its first
  // attempt has failed.
  const std::string expected =
      "not ready:\n- Redis is not connected (cannot connect: Connection refused) and a rate-limit policy fails "
      "closed without it\n";
  HttpResponse not_ready;
  Eventually([&] { return (not_ready = Request(closed.metrics_port(), "GET", "/readyz", "", {})).body == expected; });
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(not_ready.body, expected);
  EXPECT_EQ(Echo(closed.port()).status, 503) << "it refuses what it cannot count";
  EXPECT_TRUE(open.WaitUntilReady(std::chrono::seconds(10))) << Request(open.metrics_port(), "GET", "/readyz", "", {}).body;
  EXPECT_EQ(Echo(open.port()).status, 200);

  ASSERT_TRUE(redis.Restart()) << redis.Log();
  EXPECT_TRUE(closed.WaitUntilReady(std::chrono::seconds(10))) << closed.Log();
  EXPECT_EQ(Request(closed.metrics_port(), "GET", "/readyz", "", {}).body, "ready\n");
  EXPECT_EQ(Echo(closed.port()).status, 200);
}

// SIGHUP re-reads the configuration file: a changed limit counts from the
// next request, on the same keep-alive connection, with the counts so far.
TEST(RateLimitGateway, SighupAppliesChangedPoliciesWithoutDroppingAConnection) {
  GatewayProcess gateway(LimitedConfig(kPerSubject));
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  json params{{"name", "echo"}, {"arguments", {{"text", "hi"}}}, {"_meta", ModernMeta()}};
  const std::string body = json{{"jsonrpc", "2.0"}, {"id", 9}, {"method", "tools/call"}, {"params", params}}.dump();
  HttpConnection connection(gateway.port());
  ASSERT_EQ(connection.Request("POST", "/mcp/example", body, ModernHeaders("tools/call", "echo")).status, 200);

  std::string yaml = ReadTestFile(gateway.config_path());
  const std::string from = "limit: 2\n", to = "limit: 5\n";
  ASSERT_NE(yaml.find(from), std::string::npos);
  yaml.replace(yaml.find(from), from.size(), to);
  std::ofstream(gateway.config_path()) << yaml;
  ASSERT_EQ(::kill(gateway.pid(), SIGHUP), 0);
  ASSERT_TRUE(gateway.WaitForLog(R"("what":"limits")", std::chrono::seconds(10))) << gateway.Log();

  for (int i = 2; i <= 5; ++i) {
    const HttpResponse r = connection.Request("POST", "/mcp/example", body, ModernHeaders("tools/call", "echo"));
    ASSERT_EQ(r.status, 200) << "call " << i << ": " << r.error << r.body;
  }
  const HttpResponse refused = connection.Request("POST", "/mcp/example", body, ModernHeaders("tools/call", "echo"));
  EXPECT_EQ(refused.status, 429) << refused.error << refused.body;
  EXPECT_EQ(refused.Header("ratelimit-policy"), "\"per-subject\";q=5;w=3600");
  bool all_reloaded = false;
  for (const json& e : gateway.LogEvents()) {
    EXPECT_NE(e.value("event", ""), "reload_failed") << e;
    if (e.value("event", "") == "reloaded" && e.value("what", "") == "routes") all_reloaded = true;
  }
  EXPECT_TRUE(all_reloaded) << gateway.Log();
}

TEST(RateLimitGateway, CountsInRedisAndAFailClosedPolicyAnswers503WhileRedisIsStopped) {
  RedisServer redis;
  ASSERT_TRUE(redis.Start()) << redis.Log();
  const std::string policies = std::string(kPerSubject) + "      on_redis_down: closed\n";
  std::string config = LimitedConfig(policies, "",
                                     "redis:\n  url: " + redis.url() +
                                         "\n  command_timeout_ms: 300\n  reconnect_min_ms: 20\n  reconnect_max_ms: 100\n");
  config.replace(config.find("rate_limits:\n"), 13, "rate_limits:\n  headers: always\n");
  GatewayProcess gateway(config);
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  const HttpResponse first = Echo(gateway.port());
  ASSERT_EQ(first.status, 200) << gateway.Log();
  // The state Redis answered, on the answer (rate_limits.headers: always).
  EXPECT_EQ(first.Header("ratelimit").rfind("\"per-subject\";r=1;t=", 0), 0u) << first.Header("ratelimit");
  ASSERT_EQ(Echo(gateway.port()).status, 200);
  EXPECT_EQ(Echo(gateway.port()).status, 429);
  EXPECT_NE(redis.Cli("KEYS", "mcpgw:rl:per-subject:local-user:*"), "") << "the counters live in Redis";

  redis.Stop();
  const HttpResponse down = Echo(gateway.port());
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(down.Header("retry-after"), "1");
  EXPECT_EQ(down.Json()["error"]["data"]["policy"], "per-subject");
  EXPECT_EQ(MetricSum(gateway.metrics_port(), "mcpgw_rate_limit_store_up", {}), 0);

  ASSERT_TRUE(redis.Restart()) << redis.Log();
  // Recovers by itself; the restarted Redis (no persistence) has empty counters.
  int status = 0;
  EXPECT_TRUE(Eventually([&] { return (status = Echo(gateway.port()).status) != 503; }, std::chrono::seconds(10)));
  EXPECT_EQ(status, 200);
}

// Requests from several threads, without pause, each answer recorded with
// the phase it started in and how long it took.
class Load {
 public:
  struct Answer {
    int phase;
    int status;
    std::chrono::milliseconds took;
  };

  Load(uint16_t port, int threads) {
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this, port] {
        while (!stop_) {
          const int phase = phase_;
          const auto start = std::chrono::steady_clock::now();
          const int status = Echo(port).status;
          const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
          const std::lock_guard lock(mu_);
          answers_.push_back({phase, status, took});
        }
      });
    }
  }
  ~Load() { Stop(); }

  // Starts phase `phase` and returns once `count` answers of requests that
  // started in it have arrived (false after 20 s without them).
  bool Run(int phase, std::size_t count) {
    phase_ = phase;
    return Eventually([&] { return Of(phase).size() >= count; }, std::chrono::seconds(20));
  }
  std::vector<Answer> Of(int phase) const {
    const std::lock_guard lock(mu_);
    std::vector<Answer> out;
    for (const Answer& a : answers_) {
      if (a.phase == phase) out.push_back(a);
    }
    return out;
  }
  void Stop() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> phase_{0};
  mutable std::mutex mu_;
  std::vector<Answer> answers_;
  std::vector<std::thread> threads_;
};

std::map<int, int> StatusCounts(const std::vector<Load::Answer>& answers) {
  std::map<int, int> counts;
  for (const auto& a : answers) ++counts[a.status];
  return counts;
}

std::chrono::milliseconds Slowest(const std::vector<Load::Answer>& answers) {
  std::chrono::milliseconds most{0};
  for (const auto& a : answers) most = std::max(most, a.took);
  return most;
}

class RedisFaultsUnderLoad : public ::testing::TestWithParam<std::string> {};

// The limit is never reached: every refusal seen here is the fail mode's.
TEST_P(RedisFaultsUnderLoad, TheFailModeHoldsNothingHangsPastTheTimeoutAndEverythingRecovers) {
  const bool closed = GetParam() == "closed";
  RedisServer redis;
  ASSERT_TRUE(redis.Start()) << redis.Log();
  const std::string policies = "    - name: per-subject\n      by: [subject]\n      limit: 100000000\n      window_s: 86400\n"
                               "      on_redis_down: " + GetParam() + "\n";
  constexpr int kTimeoutMs = 300;
  GatewayProcess gateway(LimitedConfig(policies, "",
                                       "redis:\n  url: " + redis.url() + "\n  command_timeout_ms: " +
                                           std::to_string(kTimeoutMs) +
                                           "\n  reconnect_min_ms: 20\n  reconnect_max_ms: 100\n"));
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  // Nothing waits longer than the command timeout for Redis; the rest is
  // the request itself on a loaded (and maybe sanitized) machine.
  const auto bound = std::chrono::milliseconds(kTimeoutMs + 2000);
  const std::string sha = limits::DecisionScript().sha1();
  const auto counted = [&] {
    const std::string keys = redis.Cli({"KEYS", "mcpgw:rl:per-subject:*"});
    if (keys.empty()) return 0LL;
    const std::string value = redis.Cli({"GET", keys.substr(0, keys.find('\n'))});
    return value.empty() ? 0LL : std::stoll(value);
  };

  enum Phase { kUp = 1, kKilled, kRestarted, kFrozen, kThawed, kFlushed };
  Load load(gateway.port(), 4);
  ASSERT_TRUE(load.Run(kUp, 40));
  // One snapshot: requests that started in a phase may still be answering.
  const auto up = load.Of(kUp);
  EXPECT_EQ(StatusCounts(up), (std::map<int, int>{{200, static_cast<int>(up.size())}}));

  redis.Kill();
  ASSERT_TRUE(load.Run(kKilled, 40));
  const auto killed = load.Of(kKilled);
  EXPECT_EQ(StatusCounts(killed), (std::map<int, int>{{closed ? 503 : 200, static_cast<int>(killed.size())}}))
      << "started after Redis died: every answer is the fail mode's";
  EXPECT_LT(Slowest(killed), bound);
  EXPECT_EQ(MetricSum(gateway.metrics_port(), "mcpgw_rate_limit_store_up", {}), 0);

  ASSERT_TRUE(redis.Restart()) << redis.Log();
  ASSERT_TRUE(load.Run(kRestarted, 1));
  EXPECT_TRUE(Eventually([&] { return counted() > 0; }, std::chrono::seconds(15)))
      << "the gateway counts in the restarted Redis again, without a restart of its own";

  redis.Pause();  // sockets open, no answers: only the command timeout ends the wait
  ASSERT_TRUE(load.Run(kFrozen, 20));
  redis.Resume();
  const auto frozen = load.Of(kFrozen);
  EXPECT_EQ(StatusCounts(frozen), (std::map<int, int>{{closed ? 503 : 200, static_cast<int>(frozen.size())}}))
      << "started while Redis was frozen: every answer is the fail mode's";
  EXPECT_LT(Slowest(frozen), bound);

  ASSERT_TRUE(load.Run(kThawed, 1));
  const long long after_thaw = counted();
  EXPECT_TRUE(Eventually([&] { return counted() > after_thaw + 20; }, std::chrono::seconds(15)))
      << "counting in Redis resumed after the freeze";

  // Under load the script comes back at once: what shows the flush was met
  // is Redis's count of NOSCRIPT errors.
  const auto noscripts = [&] {
    const std::string stats = redis.Cli({"INFO", "errorstats"});
    const std::size_t at = stats.find("errorstat_NOSCRIPT:count=");
    return at == std::string::npos ? 0LL : std::stoll(stats.substr(at + 25));
  };
  const long long noscripts_before = noscripts();
  EXPECT_EQ(redis.Cli({"SCRIPT", "FLUSH"}), "OK");
  const long long at_flush = counted();
  ASSERT_TRUE(load.Run(kFlushed, 40));
  load.Stop();
  const auto flushed = load.Of(kFlushed);
  EXPECT_EQ(StatusCounts(flushed), (std::map<int, int>{{200, static_cast<int>(flushed.size())}}))
      << "NOSCRIPT is answered by loading the script again, invisibly to callers";
  EXPECT_GT(noscripts(), noscripts_before) << "the gateway met the flushed script";
  EXPECT_EQ(redis.Cli({"SCRIPT", "EXISTS", sha}), "1");
  EXPECT_GE(counted(), at_flush + static_cast<long long>(flushed.size()));
  EXPECT_EQ(MetricSum(gateway.metrics_port(), "mcpgw_rate_limit_store_up", {}), 1);
  EXPECT_EQ(Echo(gateway.port()).status, 200) << "the gateway is alive and serving:\n" << gateway.Log();
}

INSTANTIATE_TEST_SUITE_P(FailMode, RedisFaultsUnderLoad, ::testing::Values("open", "closed"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param == "open" ? "FailOpen" : "FailClosed"; });

}  // namespace
}  // namespace mcpgw::testing
