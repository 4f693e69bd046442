// What the HTTP front door refuses before the core: foreign origins and
// hosts, wrong media types, oversize or malformed input. Each gets the
// right status and a JSON-RPC error a person can act on, and is counted.
#include "integration/example_gateway.h"

namespace mcpgw::testing {
namespace {

using json = nlohmann::json;

class FrontDoor : public ExampleGatewayTest {
 protected:
  std::string ServerExtra() const override {
    return "  limits:\n    max_body_bytes: 2048\n    max_header_bytes: 2048\n    max_json_depth: 8\n";
  }
  std::string Metrics() { return Request(gateway_->metrics_port(), "GET", "/metrics", "", {}).body; }
};

TEST_F(FrontDoor, RefusesAForeignOriginWith403) {
  Headers h = McpHeaders();
  h.emplace_back("Origin", "http://evil.example.com");
  const HttpResponse r = Post(InitializeBody(), h);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find("Origin"), std::string::npos);
  EXPECT_NE(Metrics().find("mcpgw_rejected_requests_total{reason=\"origin\"} 1"), std::string::npos);
}

TEST_F(FrontDoor, QuotesAnOriginThatIsNotUtf8AndServesOn) {
  // Before authentication: the 403's message quotes the header, bytes and all.
  Headers h = McpHeaders();
  h.emplace_back("Origin", "http://\xff.example");
  const HttpResponse r = Post(InitializeBody(), h);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find("http://\xEF\xBF\xBD.example"), std::string::npos)
      << r.body;
  EXPECT_EQ(Post(InitializeBody(), McpHeaders()).status, 200) << "the process serves on";
}

TEST_F(FrontDoor, RefusesAForeignHostOnTheLoopbackListener) {
  Headers h = McpHeaders();
  h.emplace_back("Host", "evil.example.com");
  EXPECT_EQ(Post(InitializeBody(), h).status, 403);
}

TEST_F(FrontDoor, AcceptsALoopbackOrigin) {
  Headers h = McpHeaders();
  h.emplace_back("Origin", "http://localhost:5173");
  EXPECT_EQ(Post(InitializeBody(), h).status, 200);
}

TEST_F(FrontDoor, RefusesABodyOverTheLimitWith413) {
  const std::string big = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":")" + std::string(4096, 'x') + "\"}}";
  const HttpResponse r = Post(big, McpHeaders());
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(Metrics().find("reason=\"body_too_large\""), std::string::npos);
}

TEST_F(FrontDoor, ABodyFarOverTheLimitGetsIts413NotAConnectionReset) {
  // The server answers from the header while the client is still sending;
  // closing on unread bytes would reset the connection under the answer.
  const std::string big = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":")" + std::string(4 << 20, 'x') + "\"}}";
  for (int i = 0; i < 5; ++i) {
    const HttpResponse r = Post(big, McpHeaders());
    ASSERT_EQ(r.status, 413) << "attempt " << i << ": " << r.error;
    EXPECT_EQ(r.Json()["error"]["code"], -32600) << r.body;
  }
}

TEST_F(FrontDoor, RefusesHeadersOverTheLimitWith431) {
  Headers h = McpHeaders();
  h.emplace_back("X-Padding", std::string(4096, 'x'));
  EXPECT_EQ(Post(InitializeBody(), h).status, 431);
}

TEST_F(FrontDoor, RefusesJsonNestedDeeperThanTheLimit) {
  const HttpResponse r = Post(R"({"jsonrpc":"2.0","id":1,"method":"x","params":{"a":[[[[[[[[[[1]]]]]]]]]]}})", McpHeaders());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"]["code"], -32600);
  EXPECT_NE(Metrics().find("reason=\"json_too_deep\""), std::string::npos);
}

TEST_F(FrontDoor, AnswersMalformedJsonWithParseError) {
  const HttpResponse r = Post("{not json", McpHeaders());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"]["code"], -32700);
  EXPECT_FALSE(r.Json().contains("id"));
}

TEST_F(FrontDoor, RefusesBatches) {
  const HttpResponse r = Post(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", McpHeaders());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"]["code"], -32600);
}

TEST_F(FrontDoor, RefusesAWrongContentTypeWith415AndNoAcceptableTypeWith406) {
  EXPECT_EQ(Post(InitializeBody(), {{"Content-Type", "text/plain"}, {"Accept", "application/json"}}).status, 415);
  EXPECT_EQ(Post(InitializeBody(), {{"Content-Type", "application/json"}, {"Accept", "text/html"}}).status, 406);
}

TEST_F(FrontDoor, AnswersAnUnknownPathWith404AndAnUnsupportedMethodWith405) {
  EXPECT_EQ(Post(InitializeBody(), McpHeaders(), "/mcp/nope").status, 404);
  const HttpResponse r = Request(port(), "PUT", "/mcp/example", "{}", McpHeaders());
  EXPECT_EQ(r.status, 405);
  EXPECT_FALSE(r.Header("allow").empty());
}

TEST_F(FrontDoor, AnswersGarbageThatIsNotHttpWith400AndStaysUp) {
  const std::string reply = RawExchange(port(), "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  EXPECT_EQ(Post(InitializeBody(), McpHeaders()).status, 200);
}

// How many responses a transcript holds.
int Responses(const std::string& transcript) {
  int n = 0;
  for (size_t at = transcript.find("HTTP/1.1 "); at != std::string::npos; at = transcript.find("HTTP/1.1 ", at + 1)) ++n;
  return n;
}

// A request whose body the server cannot frame is answered once and its
// connection closed: what follows it must never be read as a request of its
// own (request smuggling, RFC 9112 §6.1 and §6.3).
TEST_F(FrontDoor, RefusesTransferEncodingsItCannotFrameAndReadsNothingAfterThem) {
  const std::string smuggled = "POST /mcp/nope HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
  const struct {
    const char* headers;
    const char* status;
    const char* message;
  } cases[] = {
      {"Transfer-Encoding: xchunked\r\n", "400", "Transfer-Encoding must end with chunked"},
      {"Transfer-Encoding: chunked, identity\r\n", "400", "Transfer-Encoding must end with chunked"},
      {"Transfer-Encoding: gzip\r\n", "400", "Transfer-Encoding must end with chunked"},
      // Framed chunked (a body of "{}"), so only the header is wrong.
      {"Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n", "501",
       "Transfer coding \\\"gzip\\\" is not supported"},
      // Beast's parser refuses this one itself (CheckFraming would too).
      {"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n2\r\n{}\r\n0\r\n", "400",
       "Malformed HTTP request: bad Content-Length"},
  };
  for (const auto& c : cases) {
    const RawTranscript t = RawExchangeUntilClosed(
        port(), std::string("POST /mcp/example HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n") +
                    c.headers + "\r\n" + smuggled);
    EXPECT_TRUE(t.closed) << c.headers;
    EXPECT_EQ(t.bytes.rfind(std::string("HTTP/1.1 ") + c.status, 0), 0u) << c.headers << t.bytes;
    EXPECT_EQ(Responses(t.bytes), 1) << c.headers << t.bytes;
    EXPECT_NE(t.bytes.find(c.message), std::string::npos) << c.headers << t.bytes;
  }
  EXPECT_NE(Metrics().find(R"(mcpgw_rejected_requests_total{reason="unsupported_coding"} 1)"), std::string::npos)
      << Metrics();
}

TEST_F(FrontDoor, RefusesACompressedBodyWith415AndSaysWhatItAccepts) {
  const std::string body = InitializeBody();
  const RawTranscript t = RawExchangeUntilClosed(
      port(), "POST /mcp/example HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              "Accept: application/json, text/event-stream\r\nContent-Encoding: gzip\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(t.bytes.rfind("HTTP/1.1 415", 0), 0u) << t.bytes;
  EXPECT_NE(t.bytes.find("Accept-Encoding: identity\r\n"), std::string::npos) << t.bytes;
  EXPECT_NE(t.bytes.find(R"(Content-Encoding \"gzip\" is not supported; send the body uncompressed)"),
            std::string::npos)
      << t.bytes;
}

TEST_F(FrontDoor, RefusesAnHttp11RequestWithoutExactlyOneHost) {
  const std::string rest = "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
  for (const std::string& hosts : {std::string(""), std::string("Host: 127.0.0.1\r\nHost: evil.example\r\n")}) {
    const RawTranscript t = RawExchangeUntilClosed(port(), "POST /mcp/example HTTP/1.1\r\n" + hosts + rest);
    EXPECT_EQ(t.bytes.rfind("HTTP/1.1 400", 0), 0u) << hosts << t.bytes;
    EXPECT_NE(t.bytes.find("exactly one Host header"), std::string::npos) << t.bytes;
    EXPECT_TRUE(t.closed);
  }
}

// A name an attacker's DNS points at 127.0.0.1 is not a loopback host.
TEST_F(FrontDoor, RefusesAHostThatOnlyLooksLikeALoopbackAddress) {
  for (const char* host : {"127.evil.example", "127.0.0.1.rebind.example"}) {
    Headers h = McpHeaders();
    h.emplace_back("Host", std::string(host) + ":" + std::to_string(port()));
    const HttpResponse r = Post(InitializeBody(), h);
    EXPECT_EQ(r.status, 403) << host;
    EXPECT_NE(r.body.find("is not allowed on this loopback listener"), std::string::npos) << r.body;
  }
}

// HEAD says what GET would send without sending it: on a kept-alive
// connection a body would be read as the start of the next response.
TEST_F(FrontDoor, AnswersHeadOnTheOperationsListenerWithoutABody) {
  const RawTranscript t = RawExchangeUntilClosed(
      gateway_->metrics_port(),
      "HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(Responses(t.bytes), 2) << t.bytes;
  const size_t second = t.bytes.find("HTTP/1.1 ", 1);
  const std::string head = t.bytes.substr(0, second);
  EXPECT_NE(head.find("Content-Length: 3\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n") << head;  // nothing after the header
  EXPECT_EQ(t.bytes.substr(t.bytes.size() - 6), "ready\n") << t.bytes;
}

TEST_F(FrontDoor, CountsRequestsByRouteMethodToolAndOutcome) {
  const std::string sid = OpenSession();
  Post(R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}})",
       McpHeaders(sid, "2025-11-25"));
  const std::string m = Metrics();
  EXPECT_NE(m.find(R"(mcpgw_requests_total{method="tools/call",outcome="ok",route="example",tool="echo"} 1)"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find(R"(mcpgw_plugin_calls_total{operation="call_tool",outcome="ok",plugin="example"} 1)"), std::string::npos);
  EXPECT_NE(m.find("mcpgw_request_duration_seconds_bucket"), std::string::npos);
}

TEST_F(FrontDoor, LeavesNoTimerArmedOnceFastCallsAreAnswered) {
  // Regression: a polling timer armed after a fast answer was never
  // cancelled, and the pile of stale timers slowed every later request.
  const std::string sid = OpenSession();
  for (int i = 0; i < 20; ++i) {
    Post(R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}})",
         McpHeaders(sid, "2025-11-25"));
  }
  EXPECT_NE(Metrics().find("mcpgw_pending_timeouts 0\n"), std::string::npos) << Metrics();
}

TEST_F(FrontDoor, ServesHealthAndReadiness) {
  EXPECT_EQ(Request(gateway_->metrics_port(), "GET", "/healthz", "", {}).status, 200);
  const HttpResponse ready = Request(gateway_->metrics_port(), "GET", "/readyz", "", {});
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "ready\n");
}

}  // namespace
}  // namespace mcpgw::testing
