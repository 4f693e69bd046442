// The metrics registry's labelled series, read back from the exposition
// text a scrape gets: each label set is its own series, counted exactly, and
// a histogram carries the counter's labels but the outcome.
#include "metrics/metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace mcpgw::metrics {
namespace {

// The value of the one exposition line that starts with `series` (name and
// labels exactly as written); fails the test if there is none.
double Value(const std::string& text, const std::string& series) {
  const std::string start = "\n" + series + " ";
  const std::size_t at = text.find(start);
  EXPECT_NE(at, std::string::npos) << "no series " << series << " in:\n" << text;
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + start.size()));
}

TEST(MetricsTest, CountsEachRequestLabelSetApartWithTheHistogramWithoutTheOutcome) {
  Metrics metrics("test");
  for (int i = 0; i < 3; ++i) metrics.RecordRequest("memory", "tools/call", "read_graph", "ok", 0.0002);
  metrics.RecordRequest("memory", "tools/call", "read_graph", "tool_error", 0.003);
  metrics.RecordRequest("git", "tools/list", "", "ok", 0.0002);
  const std::string text = metrics.Serialize();
  EXPECT_EQ(Value(text, R"(mcpgw_requests_total{method="tools/call",outcome="ok",route="memory",tool="read_graph"})"), 3);
  EXPECT_EQ(
      Value(text, R"(mcpgw_requests_total{method="tools/call",outcome="tool_error",route="memory",tool="read_graph"})"),
      1);
  EXPECT_EQ(Value(text, R"(mcpgw_requests_total{method="tools/list",outcome="ok",route="git",tool=""})"), 1);
  EXPECT_EQ(Value(text, R"(mcpgw_request_duration_seconds_count{method="tools/call",route="memory",tool="read_graph"})"), 4);
  EXPECT_EQ(Value(text, R"(mcpgw_request_duration_seconds_bucket{method="tools/call",route="memory",tool="read_graph",le="0.00025"})"), 3);
  EXPECT_EQ(text.find(R"(mcpgw_request_duration_seconds_count{method="tools/call",outcome)"), std::string::npos);
}

TEST(MetricsTest, KeepsPluginGrpcAndRateLimitSeriesApart) {
  Metrics metrics("test");
  metrics.RecordPluginCall("memory", "call_tool", "ok", 0.0001);
  metrics.RecordPluginCall("memory", "call_tool", "internal", 0.0001);
  metrics.RecordGrpcCall("CallTool", "OK", 0.001);
  metrics.RecordGrpcCall("CallTool", "OK", 0.001);
  metrics.RecordRateLimitDecision("per-subject", "allowed");
  metrics.RecordRateLimitDecision("per-subject", "allowed");
  metrics.RecordRateLimitDecision("per-subject", "denied");
  metrics.RecordRateLimitNearLimit("per-subject");
  metrics.RecordAuthentication("api_key", "ok");
  metrics.RecordAuthentication("bearer", "invalid_token");
  metrics.RecordRejected("unknown_session");
  metrics.RecordRejected("unknown_session");
  const std::string text = metrics.Serialize();
  EXPECT_EQ(Value(text, R"(mcpgw_plugin_calls_total{operation="call_tool",outcome="ok",plugin="memory"})"), 1);
  EXPECT_EQ(Value(text, R"(mcpgw_plugin_calls_total{operation="call_tool",outcome="internal",plugin="memory"})"), 1);
  EXPECT_EQ(Value(text, R"(mcpgw_plugin_call_duration_seconds_count{operation="call_tool",plugin="memory"})"), 2);
  EXPECT_EQ(Value(text, R"(mcpgw_grpc_calls_total{code="OK",method="CallTool"})"), 2);
  EXPECT_EQ(Value(text, R"(mcpgw_grpc_call_duration_seconds_count{method="CallTool"})"), 2);
  EXPECT_EQ(Value(text, R"(mcpgw_rate_limit_decisions_total{outcome="allowed",policy="per-subject"})"), 2);
  EXPECT_EQ(Value(text, R"(mcpgw_rate_limit_decisions_total{outcome="denied",policy="per-subject"})"), 1);
  EXPECT_EQ(Value(text, R"(mcpgw_rate_limit_near_limit_total{policy="per-subject"})"), 1);
  EXPECT_EQ(Value(text, R"(mcpgw_authentications_total{method="api_key",outcome="ok"})"), 1);
  EXPECT_EQ(Value(text, R"(mcpgw_authentications_total{method="bearer",outcome="invalid_token"})"), 1);
  EXPECT_EQ(Value(text, R"(mcpgw_rejected_requests_total{reason="unknown_session"})"), 2);
}

// Two I/O threads record the same and different series at once: no count
// is lost (each thread reuses its own key buffer).
TEST(MetricsTest, CountsExactlyUnderConcurrentRecording) {
  Metrics metrics("test");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics, t] {
      const std::string own = "tool" + std::to_string(t);
      for (int i = 0; i < 5000; ++i) {
        metrics.RecordRequest("memory", "tools/call", "shared", "ok", 0.0001);
        metrics.RecordRequest("memory", "tools/call", own, "ok", 0.0001);
      }
    });
  }
  for (auto& t : threads) t.join();
  const std::string text = metrics.Serialize();
  EXPECT_EQ(Value(text, R"(mcpgw_requests_total{method="tools/call",outcome="ok",route="memory",tool="shared"})"), 20000);
  for (int t = 0; t < 4; ++t) {
    EXPECT_EQ(Value(text, R"(mcpgw_requests_total{method="tools/call",outcome="ok",route="memory",tool="tool)" +
                              std::to_string(t) + "\"}"),
              5000);
  }
}

}  // namespace
}  // namespace mcpgw::metrics
