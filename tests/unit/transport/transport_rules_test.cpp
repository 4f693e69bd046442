// Rules the HTTP front door enforces on its own: Origin/Host (DNS
// rebinding), the stateless era's mirrored headers, SSE framing.
#include "mcp/tool_catalog.h"
#include "transport/http/header_validation.h"
#include "transport/http/http_server.h"
#include "transport/http/origin_policy.h"
#include "transport/http/sse.h"

#include <gtest/gtest.h>

namespace mcpgw::http {
namespace {

using json = nlohmann::json;

TEST(OriginPolicy, AcceptsRequestsWithoutOriginAndLoopbackOrigins) {
  const OriginPolicy p({}, "http://127.0.0.1:8080", true);
  EXPECT_FALSE(p.Check("", "127.0.0.1:8080"));
  EXPECT_FALSE(p.Check("http://localhost:3000", "localhost:8080"));
  EXPECT_FALSE(p.Check("http://127.0.0.1:8080", "127.0.0.1:8080"));
  EXPECT_FALSE(p.Check("http://[::1]:9000", "[::1]:8080"));
}

TEST(OriginPolicy, RefusesAForeignOriginAndAForeignHostOnLoopback) {
  const OriginPolicy p({}, "http://127.0.0.1:8080", true);
  EXPECT_TRUE(p.Check("http://evil.example.com", "127.0.0.1:8080"));
  EXPECT_TRUE(p.Check("", "evil.example.com:8080"));
  EXPECT_TRUE(p.Check("http://localhost.evil.com", "localhost:8080"));
  EXPECT_TRUE(p.Check("null", "localhost:8080"));
}

// DNS rebinding with names that look like loopback addresses: each is a name
// an attacker's DNS can point at 127.0.0.1, not an address literal.
TEST(OriginPolicy, RefusesNamesThatOnlyLookLikeLoopbackAddresses) {
  const OriginPolicy p({}, "http://127.0.0.1:8080", true);
  for (const char* host : {"127.evil.example:8080", "127.0.0.1.rebind.evil.example:8080", "127.0.0.1.:8080",
                           "[::1].evil.example:8080", "localhost.:8080", "0x7f.0.0.1:8080"}) {
    EXPECT_TRUE(p.Check("", host)) << host;
    EXPECT_TRUE(p.Check(std::string("http://") + host, "127.0.0.1:8080")) << host;
  }
  for (const char* host : {"127.0.0.1:8080", "127.1.2.3:8080", "[::1]:8080", "[0:0:0:0:0:0:0:1]:8080", "LOCALHOST"}) {
    EXPECT_FALSE(p.Check("", host)) << host;
    EXPECT_FALSE(p.Check(std::string("http://") + host, "127.0.0.1:8080")) << host;
  }
}

TEST(OriginPolicy, AcceptsConfiguredOriginsExactly) {
  const OriginPolicy p({"https://app.example.com"}, "https://mcp.example.com", false);
  EXPECT_FALSE(p.Check("https://app.example.com", "mcp.example.com"));
  EXPECT_FALSE(p.Check("https://mcp.example.com", "mcp.example.com"));
  EXPECT_TRUE(p.Check("https://app.example.com.evil.com", "mcp.example.com"));
  EXPECT_TRUE(p.Check("http://app.example.com", "mcp.example.com"));  // scheme differs
}

// What the server refuses about a request's framing, whatever its parser
// let through (RFC 9112 §3.2, §6.1, §6.3; RFC 9110 §8.4).
TEST(CheckFraming, RefusesWhatCannotBeFramedOrDecoded) {
  const auto check = [](unsigned version, std::vector<std::pair<std::string, std::string>> fields) {
    Request r{bhttp::verb::post, "/mcp", version};
    for (const auto& [k, v] : fields) r.insert(k, v);
    return CheckFraming(r);
  };
  EXPECT_FALSE(check(11, {{"Host", "h"}}));
  EXPECT_FALSE(check(11, {{"Host", "h"}, {"Transfer-Encoding", " Chunked "}}));
  EXPECT_FALSE(check(11, {{"Host", "h"}, {"Content-Encoding", "identity"}}));
  EXPECT_FALSE(check(10, {}));  // HTTP/1.0 may leave Host out
  const struct {
    unsigned version;
    std::vector<std::pair<std::string, std::string>> fields;
    bhttp::status status;
    std::string message;
  } refused[] = {
      {11, {}, bhttp::status::bad_request, "An HTTP/1.1 request carries exactly one Host header; this one has 0"},
      {11, {{"Host", "a"}, {"Host", "b"}}, bhttp::status::bad_request,
       "An HTTP/1.1 request carries exactly one Host header; this one has 2"},
      {10, {{"Host", "a"}, {"Host", "b"}}, bhttp::status::bad_request,
       "A request carries at most one Host header; this one has 2"},
      {10, {{"Transfer-Encoding", "chunked"}}, bhttp::status::bad_request,
       "Transfer-Encoding is not allowed in an HTTP/1.0 request"},
      {11, {{"Host", "h"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "2"}}, bhttp::status::bad_request,
       "A request must not carry both Transfer-Encoding and Content-Length"},
      {11, {{"Host", "h"}, {"Transfer-Encoding", "chunked, identity"}}, bhttp::status::bad_request,
       "Transfer-Encoding must end with chunked; send the body chunked or with Content-Length"},
      {11, {{"Host", "h"}, {"Transfer-Encoding", ""}}, bhttp::status::bad_request,
       "Transfer-Encoding must end with chunked; send the body chunked or with Content-Length"},
      {11, {{"Host", "h"}, {"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked"}},
       bhttp::status::not_implemented,
       "Transfer coding \"gzip\" is not supported; send the body chunked or with Content-Length, uncompressed"},
      {11, {{"Host", "h"}, {"Content-Encoding", "identity, br"}}, bhttp::status::unsupported_media_type,
       "Content-Encoding \"br\" is not supported; send the body uncompressed"},
  };
  for (const auto& c : refused) {
    const auto refusal = check(c.version, c.fields);
    ASSERT_TRUE(refusal) << c.message;
    EXPECT_EQ(refusal->status, c.status) << c.message;
    EXPECT_EQ(refusal->message, c.message);
  }
}

Request Post(std::initializer_list<std::pair<const char*, const char*>> headers) {
  Request r{bhttp::verb::post, "/mcp", 11};
  for (const auto& [k, v] : headers) r.set(k, v);
  return r;
}

jsonrpc::Message Msg(const std::string& method, json params, const char* version = "2026-07-28") {
  jsonrpc::Message m;
  m.id = 1;
  m.method = method;
  m.params = std::move(params);
  m.params["_meta"]["io.modelcontextprotocol/protocolVersion"] = version;
  m.params["_meta"]["io.modelcontextprotocol/clientCapabilities"] = json::object();
  return m;
}

int ErrorCode(const std::optional<StatelessRejection>& r) { return r ? r->error["error"]["code"].get<int>() : 0; }

TEST(StatelessRequest, AcceptsHeadersThatAgreeWithTheBodyAfterTrimmingWhitespace) {
  const auto req = Post({{"MCP-Protocol-Version", "2026-07-28"}, {"mcp-method", "tools/call"}, {"Mcp-Name", "  echo \t"}});
  EXPECT_FALSE(ValidateStatelessRequest(req, Msg("tools/call", {{"name", "echo"}}), nullptr));
}

TEST(StatelessRequest, RefusesMissingOrDisagreeingHeadersWithHeaderMismatch) {
  EXPECT_EQ(ErrorCode(ValidateStatelessRequest(Post({{"MCP-Protocol-Version", "2026-07-28"}}), Msg("tools/list", {}), nullptr)),
            -32020);
  EXPECT_EQ(ErrorCode(ValidateStatelessRequest(Post({{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "TOOLS/LIST"}}),
                                               Msg("tools/list", {}), nullptr)),
            -32020);
  EXPECT_EQ(ErrorCode(ValidateStatelessRequest(
                Post({{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/call"}, {"Mcp-Name", "foo"}}),
                Msg("tools/call", {{"name", "bar"}}), nullptr)),
            -32020);
  EXPECT_EQ(ErrorCode(ValidateStatelessRequest(Post({{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/call"}}),
                                               Msg("tools/call", {{"name", "bar"}}), nullptr)),
            -32020);
}

// Two copies of one MCP header: a proxy routing on one and the gateway
// reading the other would disagree, so neither copy is believed.
TEST(StatelessRequest, RefusesAnMcpHeaderSentTwiceWithHeaderMismatch) {
  const auto request = [] {
    Request r = Post({{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/call"}, {"Mcp-Name", "bar"},
                      {"Mcp-Param-Region", "eu"}});
    return r;
  };
  ASSERT_FALSE(ValidateStatelessRequest(request(), Msg("tools/call", {{"name", "bar"}}), nullptr));
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"mcp-method", "tools/call"}, {"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Name", "other"},
           {"MCP-PARAM-REGION", "us"}}) {
    Request r = request();
    r.insert(name, value);
    const auto rejection = ValidateStatelessRequest(r, Msg("tools/call", {{"name", "bar"}}), nullptr);
    ASSERT_EQ(ErrorCode(rejection), -32020) << name;
    EXPECT_EQ(rejection->error["error"]["message"], "Header mismatch: the " + name + " header appears more than once");
  }
}

TEST(StatelessRequest, ChecksMetaThenHeaderAgainstMetaThenVersionSupport) {
  // No protocolVersion in _meta: -32602 even though the header is present.
  jsonrpc::Message no_version = Msg("server/discover", {});
  no_version.params["_meta"].erase("io.modelcontextprotocol/protocolVersion");
  const auto headers = Post({{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "server/discover"}});
  EXPECT_EQ(ErrorCode(ValidateStatelessRequest(headers, no_version, nullptr)), -32602);
  // Header and _meta disagree: -32020 before any version support check.
  EXPECT_EQ(ErrorCode(ValidateStatelessRequest(headers, Msg("server/discover", {}, "v999.0.0"), nullptr)), -32020);
  // Both name an unsupported version: -32022 listing what is supported.
  const auto unsupported = ValidateStatelessRequest(
      Post({{"MCP-Protocol-Version", "v999.0.0"}, {"Mcp-Method", "server/discover"}}), Msg("server/discover", {}, "v999.0.0"),
      nullptr);
  ASSERT_EQ(ErrorCode(unsupported), -32022);
  EXPECT_EQ(unsupported->error["error"]["data"]["requested"], "v999.0.0");
  EXPECT_EQ(unsupported->error["id"], 1);
}

TEST(StatelessRequest, DecodesTheBase64SentinelStrictlyBeforeComparing) {
  const auto req = Post({{"MCP-Protocol-Version", "2026-07-28"},
                         {"Mcp-Method", "resources/read"},
                         {"Mcp-Name", "=?base64?ZmlsZTovLy/kuJbnlYw=?="}});
  EXPECT_FALSE(ValidateStatelessRequest(req, Msg("resources/read", {{"uri", "file:///世界"}}), nullptr));
  EXPECT_EQ(DecodeHeaderValue("=?base64?SGVsbG8sIOS4lueVjA==?="), "Hello, 世界");
  EXPECT_FALSE(DecodeHeaderValue("=?base64?SGVsbG8?="));       // unpadded
  EXPECT_FALSE(DecodeHeaderValue("=?base64?SGVs!!!bG8=?="));   // outside the alphabet
  EXPECT_EQ(DecodeHeaderValue("=?base64?SGVsbG8="), "=?base64?SGVsbG8=");  // no suffix: literal
  EXPECT_FALSE(DecodeHeaderValue("bad\x01value"));
}

TEST(StatelessRequest, RequiresAndComparesToolParameterHeaders) {
  auto compiled = schema::CompiledSchema::Compile(json{{"type", "object"}});
  const mcp::Tool tool{"sql",
                       {{"name", "sql"},
                        {"inputSchema",
                         {{"type", "object"},
                          {"properties",
                           {{"region", {{"type", "string"}, {"x-mcp-header", "Region"}}},
                            {"limit", {{"type", "integer"}, {"x-mcp-header", "Limit"}}}}}}}},
                       std::get<schema::CompiledSchema>(compiled)};
  const auto msg = Msg("tools/call", {{"name", "sql"}, {"arguments", {{"region", "us-west1"}, {"limit", 42}}}});
  EXPECT_FALSE(ValidateStatelessRequest(Post({{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/call"},
                                              {"Mcp-Name", "sql"}, {"Mcp-Param-Region", "us-west1"},
                                              {"Mcp-Param-Limit", "42.0"}}),
                                        msg, &tool));
  const auto missing = ValidateStatelessRequest(
      Post({{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/call"}, {"Mcp-Name", "sql"},
            {"Mcp-Param-Limit", "42"}}),
      msg, &tool);
  ASSERT_EQ(ErrorCode(missing), -32020);
  EXPECT_NE(missing->error["error"]["message"].get<std::string>().find("Mcp-Param-Region"), std::string::npos);
  EXPECT_EQ(ErrorCode(ValidateStatelessRequest(
                Post({{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/call"}, {"Mcp-Name", "sql"},
                      {"Mcp-Param-Region", "eu-west1"}, {"Mcp-Param-Limit", "42"}}),
                msg, &tool)),
            -32020);
}

TEST(Sse, FramesEventsAndPrimingEvents) {
  EXPECT_EQ(SseEvent("3-1", R"({"a":1})"), "event: message\nid: 3-1\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(SseEvent("", "{}"), "event: message\ndata: {}\n\n");
  EXPECT_EQ(SsePriming("3-0", 500), "id: 3-0\nretry: 500\ndata: \n\n");
}

TEST(Sse, ParsesOnlyEventIdsItIssued) {
  const auto p = ParseEventId("12-34");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->stream, 12u);
  EXPECT_EQ(p->sequence, 34u);
  for (const char* bad : {"", "12", "-3", "3-", "a-b", "1-2-3", "1 -2"}) EXPECT_FALSE(ParseEventId(bad)) << bad;
}

}  // namespace
}  // namespace mcpgw::http
