// Authentication at the HTTP front door, with the real binary: tokens minted
// by `mcp-gateway token mint` with a key made by `mcp-gateway dev-key init`
// (the same pair is checked with npm jose in tests/e2e/dev_token.test.mjs).
// Every refusal is a 401 with the exact challenge, never reaches the plugin,
// and no token ever appears in the log.
#include "support/gateway_process.h"
#include "support/http_client.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

namespace mcpgw::testing {
namespace {

constexpr char kPublicUrl[] = "https://gw.test";
constexpr char kExampleChallenge[] =
    R"(Bearer resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/example")";

std::string AuthConfig(const std::string& jwks_file) {
  return std::string("server:\n  listen: 127.0.0.1:0\n  public_url: ") + kPublicUrl +
         "\n  data_dir: ${DATA_DIR}\n"
         "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n"
         "auth:\n  issuers:\n    - issuer: urn:mcp-gateway:dev\n      jwks_file: " + jwks_file + "\n"
         "plugins:\n  - name: example\n    file: example.so\n  - name: other\n    file: example.so\n"
         "routes:\n  - name: example\n    path: /mcp/example\n    plugin: example\n"
         "  - name: other\n    path: /mcp/other\n    plugin: other\n";
}

// Runs the gateway binary with `args`; returns its stdout, or "" on failure.
std::string RunBinary(const std::string& args) {
  std::string out;
  FILE* p = ::popen((std::string(MCPGW_TEST_BINARY) + " " + args + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  const int status = ::pclose(p);
  if (status != 0) return "";
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gateway_ = std::make_unique<GatewayProcess>(AuthConfig("${DATA_DIR}/dev-key/jwks.json"));
    ASSERT_NE(RunBinary("dev-key init -c " + gateway_->config_path()), "");
    ASSERT_TRUE(gateway_->Start()) << gateway_->Log();
    alice_ = Mint("example", "alice");
  }

  std::string Mint(const std::string& route, const std::string& subject) {
    const std::string token = RunBinary("token mint -c " + gateway_->config_path() + " --route " + route +
                                        " --sub " + subject + " --ttl 5m");
    EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2) << token;
    return token;
  }

  static Headers With(const std::string& token, Headers headers = McpHeaders()) {
    headers.emplace_back("Authorization", "Bearer " + token);
    return headers;
  }

  HttpResponse Post(const std::string& path, const std::string& body, const Headers& headers) {
    return Request(gateway_->port(), "POST", path, body, headers);
  }

  // Nothing of a refused request may reach a plugin: no call is counted.
  void ExpectNoPluginCalls() {
    const HttpResponse m = Request(gateway_->metrics_port(), "GET", "/metrics", "", {});
    ASSERT_EQ(m.status, 200);
    EXPECT_EQ(m.body.find(R"(operation="call_tool")"), std::string::npos) << m.body;
    EXPECT_EQ(m.body.find(R"(operation="list_resources")"), std::string::npos) << m.body;
  }

  void ExpectNotInLog(const std::string& secret) {
    EXPECT_EQ(gateway_->Log().find(secret), std::string::npos) << "the log holds a credential";
  }

  std::unique_ptr<GatewayProcess> gateway_;
  std::string alice_;
};

TEST_F(AuthTest, NoCredentialGets401WithTheResourceMetadataChallengeAndReachesNoPlugin) {
  const HttpResponse r = Post("/mcp/example", InitializeBody(), McpHeaders());
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("www-authenticate"), kExampleChallenge);
  const HttpResponse call = Post("/mcp/example", R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}})", McpHeaders());
  EXPECT_EQ(call.status, 401);
  ExpectNoPluginCalls();
}

TEST_F(AuthTest, ABadTokenGets401InvalidTokenAndNeverReachesTheLog) {
  const std::string tampered = alice_.substr(0, alice_.size() - 4) + (alice_.substr(alice_.size() - 4) == "AAAA" ? "BBBB" : "AAAA");
  for (const std::string& bad : {std::string("not-a-jwt"), tampered, std::string("a.b.c")}) {
    const HttpResponse r = Post("/mcp/example", InitializeBody(), With(bad));
    EXPECT_EQ(r.status, 401) << bad;
    EXPECT_EQ(r.Header("www-authenticate"), std::string(kExampleChallenge) + R"(, error="invalid_token")");
    EXPECT_EQ(r.body.find(bad), std::string::npos);
    ExpectNotInLog(bad);
  }
  const HttpResponse basic = Post("/mcp/example", InitializeBody(), [&] {
    Headers h = McpHeaders();
    h.emplace_back("Authorization", "Basic YWxpY2U6cGFzcw==");
    return h;
  }());
  EXPECT_EQ(basic.status, 401);
  ExpectNoPluginCalls();
  ExpectNotInLog(alice_);
}

TEST_F(AuthTest, AValidTokenOpensASessionAndCallsTools) {
  const HttpResponse init = Post("/mcp/example", InitializeBody(), With(alice_));
  ASSERT_EQ(init.status, 200) << init.body;
  const std::string sid = init.Header("mcp-session-id");
  ASSERT_FALSE(sid.empty());
  EXPECT_EQ(Post("/mcp/example", R"({"jsonrpc":"2.0","method":"notifications/initialized"})", With(alice_, McpHeaders(sid, "2025-11-25"))).status, 202);
  const HttpResponse list = Post("/mcp/example", R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})", With(alice_, McpHeaders(sid, "2025-11-25")));
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(list.Json()["result"]["tools"].is_array()) << list.body;
  ExpectNotInLog(alice_);
}

TEST_F(AuthTest, ATokenForOneRouteIsRefusedByTheOther) {
  const std::string other = Mint("other", "alice");
  EXPECT_EQ(Post("/mcp/other", InitializeBody(), With(alice_)).status, 401);
  EXPECT_EQ(Post("/mcp/example", InitializeBody(), With(other)).status, 401);
  EXPECT_EQ(Post("/mcp/other", InitializeBody(), With(other)).status, 200);
}

TEST_F(AuthTest, ASessionAnswersOnlyTheSubjectThatOpenedIt) {
  const HttpResponse init = Post("/mcp/example", InitializeBody(), With(alice_));
  ASSERT_EQ(init.status, 200);
  const std::string sid = init.Header("mcp-session-id");
  const std::string bob = Mint("example", "bob");
  const HttpResponse r = Post("/mcp/example", R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})", With(bob, McpHeaders(sid, "2025-11-25")));
  EXPECT_EQ(r.status, 404) << r.body;
}

TEST_F(AuthTest, ATokenInTheUrlOrTwoAuthorizationHeadersAreRefused) {
  EXPECT_EQ(Post("/mcp/example?access_token=" + alice_, InitializeBody(), McpHeaders()).status, 400);
  const std::string body = InitializeBody();
  const std::string twice = RawExchange(
      gateway_->port(), "POST /mcp/example HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Accept: application/json, text/event-stream\r\nAuthorization: Bearer " + alice_ +
                        "\r\nAuthorization: Bearer " + alice_ + "\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  EXPECT_EQ(twice.rfind("HTTP/1.1 400", 0), 0u) << twice;
  ExpectNotInLog(alice_);
}

TEST_F(AuthTest, ServesProtectedResourceMetadataPerRoute) {
  const HttpResponse r = Request(gateway_->port(), "GET", "/.well-known/oauth-protected-resource/mcp/other", "", {});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto doc = r.Json();
  EXPECT_EQ(doc["resource"], "https://gw.test/mcp/other");
  EXPECT_EQ(doc["bearer_methods_supported"], nlohmann::json::array({"header"}));
  EXPECT_TRUE(doc["authorization_servers"].is_array());
  EXPECT_EQ(Request(gateway_->port(), "GET", "/.well-known/oauth-protected-resource/mcp/nope", "", {}).status, 404);
}

TEST(AuthStartup, RefusesToStartWhenAKeyFileCannotBeRead) {
  GatewayProcess gateway(AuthConfig("/nonexistent/jwks.json"));
  EXPECT_FALSE(gateway.Start());
  const ProcessResult result = gateway.Wait(std::chrono::seconds(10));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(gateway.Log().find("auth issuer \"urn:mcp-gateway:dev\": cannot read /nonexistent/jwks.json"),
            std::string::npos)
      << gateway.Log();
}

}  // namespace
}  // namespace mcpgw::testing
