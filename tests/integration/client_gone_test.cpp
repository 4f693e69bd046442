// A client that closes its connection while its answer is pending, against
// the real gateway and the conformance plugin's test_reconnection (a tool
// that runs ~400 ms and stops when cancelled). What the gateway does depends
// on the era (ADR 0022): closing the response stream cancels a 2026-07-28
// request; a session-era request is not cancelled by a disconnect (MCP
// 2025-11-25); an open SSE stream is noticed and closed.
#include "support/dev_tokens.h"
#include "support/eventually.h"
#include "support/gateway_process.h"
#include "support/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>

namespace mcpgw::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

const std::string kCalls = "mcpgw_requests_total";

class ClientGone : public ::testing::Test {
 protected:
  void SetUp() override {
    gateway_ = std::make_unique<GatewayProcess>(
        "server:\n  listen: 127.0.0.1:0\n  data_dir: ${DATA_DIR}\nmetrics:\n  listen: 127.0.0.1:0\n"
        "plugin_dir: ${PLUGIN_DIR}\nplugins:\n  - name: conformance\n    file: conformance.so\n"
        "routes:\n  - name: conformance\n    path: /mcp/conformance\n    plugin: conformance\n");
    ASSERT_TRUE(gateway_->Start()) << gateway_->Log();
  }

  // Writes one POST on a new connection and closes it without reading.
  void PostAndHangUp(const std::string& body, const Headers& headers) {
    std::string bytes = "POST /mcp/conformance HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(gateway_->port()) + "\r\n";
    for (const auto& [name, value] : headers) bytes += name + ": " + value + "\r\n";
    bytes += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), gateway_->port()});
    boost::asio::write(socket, boost::asio::buffer(bytes));
    socket.close();
  }

  double Calls(const std::string& outcome) {
    return MetricSum(gateway_->metrics_port(), kCalls,
                     {R"(method="tools/call")", "outcome=\"" + outcome + "\"", R"(tool="test_reconnection")"});
  }

  std::unique_ptr<GatewayProcess> gateway_;
};

TEST_F(ClientGone, ClosingTheResponseStreamCancelsAStatelessEraCall) {
  json params{{"name", "test_reconnection"}, {"arguments", json::object()}, {"_meta", ModernMeta()}};
  const json body{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/call"}, {"params", params}};
  const auto start = std::chrono::steady_clock::now();
  PostAndHangUp(body.dump(), ModernHeaders("tools/call", "test_reconnection"));

  ASSERT_TRUE(Eventually([&] { return Calls("cancelled") == 1; })) << gateway_->Log();
  // Cancelled, not finished: the tool alone would run ~400 ms and end "ok".
  EXPECT_LT(std::chrono::steady_clock::now() - start, 350ms);
  EXPECT_EQ(Calls("ok"), 0);
}

TEST_F(ClientGone, ASessionEraCallRunsToItsEndWhenItsClientLeaves) {
  const HttpResponse init = Request(gateway_->port(), "POST", "/mcp/conformance", InitializeBody(), McpHeaders());
  ASSERT_EQ(init.status, 200) << init.body;
  const std::string sid = init.Header("mcp-session-id");
  PostAndHangUp(R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"test_reconnection","arguments":{}}})",
                McpHeaders(sid, "2025-11-25"));

  // MCP 2025-11-25: a disconnect is not a cancellation.
  ASSERT_TRUE(Eventually([&] { return Calls("ok") == 1; })) << gateway_->Log();
  EXPECT_EQ(Calls("cancelled"), 0);
}

TEST_F(ClientGone, AnOpenStreamIsClosedWhenItsClientLeaves) {
  const HttpResponse init = Request(gateway_->port(), "POST", "/mcp/conformance", InitializeBody(), McpHeaders());
  ASSERT_EQ(init.status, 200) << init.body;
  const std::string sid = init.Header("mcp-session-id");
  const auto open_streams = [&] { return MetricSum(gateway_->metrics_port(), "mcpgw_sse_streams_open", {}); };

  StreamingResponse get(gateway_->port(), "GET", "/mcp/conformance", "",
                        {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", sid}, {"MCP-Protocol-Version", "2025-11-25"}});
  ASSERT_EQ(get.status(), 200);
  get.ReadUntil([](const std::string& b) { return b.find("retry:") != std::string::npos; }, 5s);
  EXPECT_EQ(open_streams(), 1);

  get.Close();
  // Nothing is written to an idle stream: only the watch can notice.
  EXPECT_TRUE(Eventually([&] { return open_streams() == 0; })) << "the stream stayed open after its client left";
}

}  // namespace
}  // namespace mcpgw::testing
