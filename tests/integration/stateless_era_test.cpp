// Streamable HTTP, stateless era (2026-07-28), against the real gateway:
// per-request metadata, mirrored headers, discovery, GET/DELETE refusal,
// and both eras served on the same endpoint.
#include "integration/example_gateway.h"

namespace mcpgw::testing {
namespace {

using json = nlohmann::json;

class StatelessEra : public ExampleGatewayTest {
 protected:
  HttpResponse Modern(const std::string& method, json params = json::object(), const std::string& name = "",
                      int id = 1) {
    params["_meta"] = ModernMeta();
    const json body{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
    return Post(body.dump(), ModernHeaders(method, name));
  }
};

TEST_F(StatelessEra, DiscoverNeedsNoPriorStateAndCarriesCacheHints) {
  const HttpResponse r = Modern("server/discover");
  ASSERT_EQ(r.status, 200) << r.body;
  const json result = r.Json()["result"];
  EXPECT_EQ(result["resultType"], "complete");
  EXPECT_EQ(result["supportedVersions"][0], "2026-07-28");
  EXPECT_TRUE(result["capabilities"].contains("tools"));
  EXPECT_TRUE(result.contains("ttlMs"));
  EXPECT_EQ(result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"], "mcp-gateway/example");
  EXPECT_TRUE(r.Header("mcp-session-id").empty());
}

TEST_F(StatelessEra, CallsToolsWithoutAnyHandshake) {
  const HttpResponse r = Modern("tools/call", {{"name", "echo"}, {"arguments", {{"text", "stateless"}}}}, "echo");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["result"]["content"][0]["text"], "stateless");
  EXPECT_EQ(r.Json()["result"]["resultType"], "complete");
}

TEST_F(StatelessEra, RefusesAMethodHeaderThatDisagreesWithTheBody) {
  json body{{"jsonrpc", "2.0"}, {"id", 9}, {"method", "tools/list"}, {"params", {{"_meta", ModernMeta()}}}};
  const HttpResponse r = Post(body.dump(), ModernHeaders("prompts/list"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Json()["error"]["code"], -32020);
  EXPECT_EQ(r.Json()["id"], 9);
}

TEST_F(StatelessEra, RefusesAToolNameHeaderThatDisagreesWithTheBody) {
  const HttpResponse r = Modern("tools/call", {{"name", "echo"}, {"arguments", {{"text", "x"}}}}, "divide");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"]["code"], -32020);
}

TEST_F(StatelessEra, RefusesMissingMetaWithInvalidParamsAnd400) {
  const HttpResponse r = Post(R"({"jsonrpc":"2.0","id":4,"method":"tools/list","params":{}})", ModernHeaders("tools/list"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"]["code"], -32602);
  EXPECT_EQ(r.Json()["id"], 4);
}

TEST_F(StatelessEra, ListsSupportedVersionsForAnUnknownOne) {
  json meta = ModernMeta();
  meta["io.modelcontextprotocol/protocolVersion"] = "2099-01-01";
  json body{{"jsonrpc", "2.0"}, {"id", 5}, {"method", "server/discover"}, {"params", {{"_meta", meta}}}};
  Headers h = ModernHeaders("server/discover");
  h[2].second = "2099-01-01";
  const HttpResponse r = Post(body.dump(), h);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"]["code"], -32022);
  EXPECT_EQ(r.Json()["error"]["data"]["requested"], "2099-01-01");
}

TEST_F(StatelessEra, AnswersRemovedMethodsWith404MethodNotFound) {
  for (const char* method : {"initialize", "ping", "logging/setLevel"}) {
    const HttpResponse r = Modern(method);
    EXPECT_EQ(r.status, 404) << method;
    EXPECT_EQ(r.Json()["error"]["code"], -32601) << method;
  }
}

TEST_F(StatelessEra, RefusesGetAndDeleteWith405) {
  const Headers h{{"Accept", "text/event-stream"}, {"MCP-Protocol-Version", "2026-07-28"}};
  const HttpResponse get = Request(port(), "GET", "/mcp/example", "", h);
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.Header("allow"), "POST");
  EXPECT_EQ(Request(port(), "DELETE", "/mcp/example", "", h).status, 405);
}

TEST_F(StatelessEra, IgnoresASessionIdHeaderOnAModernRequest) {
  Headers h = ModernHeaders("tools/list");
  h.emplace_back("Mcp-Session-Id", "bogus");
  json body{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/list"}, {"params", {{"_meta", ModernMeta()}}}};
  const HttpResponse r = Post(body.dump(), h);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.Header("mcp-session-id").empty());
}

TEST_F(StatelessEra, ServesBothErasOnOneEndpointAtOnce) {
  const std::string sid = OpenSession();
  EXPECT_EQ(Post(R"({"jsonrpc":"2.0","id":2,"method":"ping"})", McpHeaders(sid, "2025-11-25")).Json()["result"], json::object());
  EXPECT_EQ(Modern("tools/list").Json()["result"]["tools"].size(), 2u);
}

TEST_F(StatelessEra, OpensASubscriptionStreamWithAnAcknowledgementFirst) {
  json body{{"jsonrpc", "2.0"},
            {"id", 77},
            {"method", "subscriptions/listen"},
            {"params", {{"_meta", ModernMeta()}, {"notifications", {{"toolsListChanged", true}, {"bogus", true}}}}}};
  StreamingResponse s(port(), "POST", "/mcp/example", body.dump(), ModernHeaders("subscriptions/listen"));
  ASSERT_EQ(s.status(), 200);
  EXPECT_EQ(s.Header("content-type"), "text/event-stream");
  const std::string text = s.ReadUntil([](const std::string& b) { return b.find("acknowledged") != std::string::npos; },
                                       std::chrono::seconds(5));
  const auto start = text.find("data: ");
  ASSERT_NE(start, std::string::npos) << text;
  const json ack = json::parse(text.substr(start + 6, text.find('\n', start) - start - 6));
  EXPECT_EQ(ack["method"], "notifications/subscriptions/acknowledged");
  EXPECT_EQ(ack["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], 77);
  EXPECT_EQ(ack["params"]["notifications"], json({{"toolsListChanged", true}}));
  EXPECT_FALSE(s.ended());
}

}  // namespace
}  // namespace mcpgw::testing
