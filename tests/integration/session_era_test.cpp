// Streamable HTTP, session era (2025-03-26 .. 2025-11-25), against the real
// gateway binary: the session lifecycle, error statuses, SSE streams.
#include "integration/example_gateway.h"

#include <regex>

namespace mcpgw::testing {
namespace {

using json = nlohmann::json;

class SessionEra : public ExampleGatewayTest {};

TEST_F(SessionEra, InitializeIssuesAVisibleAsciiSessionIdAndTheAgreedVersion) {
  const HttpResponse r = Post(InitializeBody("2025-06-18"), McpHeaders());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_TRUE(std::regex_match(r.Header("mcp-session-id"), std::regex("^[\\x21-\\x7E]{40,128}$")));
  EXPECT_EQ(r.Json()["result"]["protocolVersion"], "2025-06-18");
  EXPECT_EQ(r.Json()["result"]["serverInfo"]["name"], "mcp-gateway/example");
}

TEST_F(SessionEra, AcceptsTheVersionHeaderOnInitializeItself) {
  const HttpResponse r = Post(InitializeBody("2025-11-25"), McpHeaders("", "2025-11-25"));
  EXPECT_EQ(r.status, 200);
}

TEST_F(SessionEra, AnswersNotificationsWith202AndNoBody) {
  const std::string sid = OpenSession();
  const HttpResponse r = Post(R"({"jsonrpc":"2.0","method":"notifications/roots/list_changed"})", McpHeaders(sid, "2025-11-25"));
  EXPECT_EQ(r.status, 202);
  EXPECT_TRUE(r.body.empty());
}

TEST_F(SessionEra, RequiresASessionIdAfterInitialize) {
  const HttpResponse r = Post(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})", McpHeaders());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"]["code"], -32600);
  EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find("Mcp-Session-Id"), std::string::npos);
}

TEST_F(SessionEra, AnswersAnUnknownOrForgedSessionIdWith404) {
  const std::string sid = OpenSession();
  std::string forged = sid;
  forged[10] = forged[10] == 'A' ? 'B' : 'A';
  for (const std::string& bad : {forged, std::string("nonsense"), std::string(200, 'A')}) {
    const HttpResponse r = Post(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})", McpHeaders(bad, "2025-11-25"));
    EXPECT_EQ(r.status, 404) << bad;
  }
}

TEST_F(SessionEra, EndsASessionOnDeleteAndAnswers404Afterwards) {
  const std::string sid = OpenSession();
  EXPECT_EQ(Request(port(), "DELETE", "/mcp/example", "", McpHeaders(sid, "2025-11-25")).status, 204);
  const HttpResponse after = Post(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})", McpHeaders(sid, "2025-11-25"));
  EXPECT_EQ(after.status, 404);
  EXPECT_EQ(Request(port(), "DELETE", "/mcp/example", "", McpHeaders(sid, "2025-11-25")).status, 404);
}

TEST_F(SessionEra, RefusesAnUnsupportedProtocolVersionHeaderWith400) {
  const std::string sid = OpenSession();
  const HttpResponse r = Post(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})", McpHeaders(sid, "1999-01-01"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find("Unsupported MCP-Protocol-Version"), std::string::npos);
  // A supported version of the stateless era on a session request: say so,
  // not that it is unsupported.
  const HttpResponse stateless =
      Post(R"({"jsonrpc":"2.0","id":3,"method":"tools/list"})", McpHeaders(sid, "2026-07-28"));
  EXPECT_EQ(stateless.status, 400);
  EXPECT_EQ(stateless.Json()["error"]["message"],
            "MCP-Protocol-Version \"2026-07-28\" is a stateless version: its requests carry "
            "params._meta[\"io.modelcontextprotocol/protocolVersion\"] and no Mcp-Session-Id; session requests "
            "use 2025-11-25 or earlier");
}

TEST_F(SessionEra, TreatsAMissingVersionHeaderAsTheOldestSessionVersion) {
  const std::string sid = OpenSession("2025-03-26");
  const HttpResponse r = Post(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})", McpHeaders(sid));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["result"]["tools"].size(), 2u);
}

TEST_F(SessionEra, SwitchesToSseWhenANotificationPrecedesTheResult) {
  const std::string sid = OpenSession();
  const HttpResponse r = Post(
      R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"divide","arguments":{"a":1,"b":2},"_meta":{"progressToken":7}}})",
      McpHeaders(sid, "2025-11-25"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/event-stream");
  EXPECT_EQ(r.Header("x-accel-buffering"), "no");
  // A priming event with an id and a retry hint comes first (2025-11-25).
  EXPECT_EQ(r.body.rfind("id: 1-0\nretry: ", 0), 0u) << r.body;
  const auto events = r.Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["method"], "notifications/progress");
  EXPECT_EQ(events[0]["params"]["progressToken"], 7);
  EXPECT_EQ(events[1]["id"], 3);
  EXPECT_EQ(events[1]["result"]["structuredContent"]["quotient"], 0.5);
}

TEST_F(SessionEra, AnswersWithPlainJsonWhenNothingPrecedesTheResult) {
  const std::string sid = OpenSession();
  const HttpResponse r = Post(R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}})",
                              McpHeaders(sid, "2025-11-25"));
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Json()["result"]["content"][0]["text"], "hi");
}

TEST_F(SessionEra, OpensAStandaloneGetStreamWithAPrimingEvent) {
  const std::string sid = OpenSession();
  Headers h = McpHeaders(sid, "2025-11-25");
  h.emplace_back("Accept", "text/event-stream");
  StreamingResponse get(port(), "GET", "/mcp/example", "", {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", sid},
                                                             {"MCP-Protocol-Version", "2025-11-25"}});
  EXPECT_EQ(get.status(), 200);
  EXPECT_EQ(get.Header("content-type"), "text/event-stream");
  const std::string body = get.ReadUntil([](const std::string& b) { return b.find("retry:") != std::string::npos; },
                                         std::chrono::seconds(5));
  EXPECT_NE(body.find("id: 0-0\nretry: "), std::string::npos) << body;
}

TEST_F(SessionEra, RefusesGetWithoutASessionOrWithoutEventStreamAccept) {
  EXPECT_EQ(Request(port(), "GET", "/mcp/example", "", {{"Accept", "text/event-stream"}}).status, 405);
  const std::string sid = OpenSession();
  EXPECT_EQ(Request(port(), "GET", "/mcp/example", "", {{"Accept", "application/json"}, {"Mcp-Session-Id", sid}}).status,
            406);
}

TEST_F(SessionEra, AcceptsClientResponsesWith202) {
  const std::string sid = OpenSession();
  EXPECT_EQ(Post(R"({"jsonrpc":"2.0","id":"s1","result":{}})", McpHeaders(sid, "2025-11-25")).status, 202);
}

}  // namespace
}  // namespace mcpgw::testing
