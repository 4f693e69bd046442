// Opaque bearer tokens through RFC 7662 introspection, with the real binary
// and a real introspection endpoint on a random loopback port: an active
// answer for the route's exact audience admits (and is cached), anything
// else is a 401 with the route's challenge, an unreachable endpoint a 503, and
// the token never reaches the gateway's log.
#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/origin_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace mcpgw::testing {
namespace {

constexpr char kAudience[] = "https://gw.test/mcp/example";
constexpr char kChallenge[] =
    R"(Bearer resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/example", )"
    R"(scope="example:call", error="invalid_token")";

std::string Config(const std::string& endpoint) {
  return "server:\n  listen: 127.0.0.1:0\n  public_url: https://gw.test\n  data_dir: ${DATA_DIR}\n"
         "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n"
         "auth:\n  issuers:\n    - issuer: https://idp.test\n      jwks_file: ${DATA_DIR}/jwks.json\n"
         "  introspection:\n    endpoint: " + endpoint + "\n    client_id: gateway\n"
         "    client_secret_file: ${DATA_DIR}/introspection.secret\n    timeout_ms: 2000\n"
         "plugins:\n  - name: example\n    file: example.so\n"
         "routes:\n  - name: example\n    path: /mcp/example\n    plugin: example\n"
         "    scopes:\n      call: [example:call]\n      tools:\n        \"*\": []\n";
}

// The authorization server's view of each opaque token.
OriginReply Answer(const OriginRequest& request) {
  const long now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string times = ",\"iat\":" + std::to_string(now) + ",\"exp\":" + std::to_string(now + 300);
  if (request.body.find("token=opaque-good&") == 0) {
    return {200, std::string(R"({"active":true,"sub":"carol","client_id":"app","scope":"example:call","aud":")") +
                     kAudience + "\"" + times + "}", "", "", {}};
  }
  if (request.body.find("token=opaque-elsewhere&") == 0) {
    return {200, R"({"active":true,"sub":"carol","scope":"example:call","aud":"https://gw.test/mcp/other")" + times + "}",
            "", "", {}};
  }
  return {200, R"({"active":false})", "", "", {}};
}

class GatewayIntrospectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    origin_ = std::make_unique<OriginServer>(Answer);
    gateway_ = std::make_unique<GatewayProcess>(Config(origin_->Url("/introspect")));
    std::filesystem::create_directories(gateway_->data_dir());
    std::ofstream(gateway_->data_dir() + "/introspection.secret") << "s3cret-of-the-gateway";
    // The issuer's local keys are not used here, but the file must be valid.
    std::ofstream(gateway_->data_dir() + "/jwks.json")
        << R"({"keys":[{"kty":"EC","crv":"P-256","alg":"ES256","kid":"k",)"
           R"("x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]})";
    ASSERT_TRUE(gateway_->Start()) << gateway_->Log();
  }

  HttpResponse Call(const std::string& token) {
    nlohmann::json params{{"name", "echo"}, {"arguments", {{"text", "x"}}}, {"_meta", ModernMeta()}};
    Headers headers = ModernHeaders("tools/call", "echo");
    headers.emplace_back("Authorization", "Bearer " + token);
    return Request(gateway_->port(), "POST", "/mcp/example",
                   nlohmann::json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/call"}, {"params", params}}.dump(),
                   headers);
  }

  std::unique_ptr<OriginServer> origin_;
  std::unique_ptr<GatewayProcess> gateway_;
};

TEST_F(GatewayIntrospectionTest, AnActiveTokenForThisRouteIsAdmittedAndItsAnswerCached) {
  const HttpResponse first = Call("opaque-good");
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Call("opaque-good").status, 200);
  EXPECT_EQ(origin_->request_count(), 1u) << "the second request is answered from the cache";
  const OriginRequest asked = origin_->requests().at(0);
  EXPECT_EQ(asked.method, "POST");
  EXPECT_EQ(asked.body, "token=opaque-good&token_type_hint=access_token");
  EXPECT_EQ(asked.authorization.rfind("Basic ", 0), 0u);
  EXPECT_EQ(gateway_->Log().find("opaque-good"), std::string::npos);
  EXPECT_EQ(gateway_->Log().find("s3cret"), std::string::npos);
}

TEST_F(GatewayIntrospectionTest, AnInactiveTokenOrOneForAnotherAudienceGets401) {
  for (const char* token : {"opaque-inactive", "opaque-elsewhere"}) {
    const HttpResponse r = Call(token);
    EXPECT_EQ(r.status, 401) << token;
    EXPECT_EQ(r.Header("www-authenticate"), kChallenge) << token;
    EXPECT_EQ(r.body.find(token), std::string::npos);
  }
  const HttpResponse m = Request(gateway_->metrics_port(), "GET", "/metrics", "", {});
  EXPECT_EQ(m.body.find(R"(operation="call_tool")"), std::string::npos) << "nothing reached the plugin";
}

// Unreachable: the token is neither admitted nor called invalid (a client
// told invalid_token would throw away a token that may be good) — 503 with
// Retry-After, nothing reaches the plugin, and the token is not logged.
TEST_F(GatewayIntrospectionTest, AnUnreachableEndpointRefusesWithARetryable503NotA401) {
  origin_->Close();
  const HttpResponse r = Call("opaque-good");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.Header("retry-after"), "5");
  EXPECT_EQ(r.Header("www-authenticate"), "");
  const nlohmann::json body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"]["code"], -32603);
  EXPECT_EQ(body["error"]["message"],
            "Service unavailable: the authorization server cannot check this token right now; retry shortly");
  const HttpResponse m = Request(gateway_->metrics_port(), "GET", "/metrics", "", {});
  EXPECT_EQ(m.body.find(R"(operation="call_tool")"), std::string::npos) << "nothing reached the plugin";
  EXPECT_EQ(gateway_->Log().find("opaque-good"), std::string::npos);
}

}  // namespace
}  // namespace mcpgw::testing
