// Opaque bearer tokens through RFC 7662 introspection, with the real binary
// and a real introspection endpoint on a random loopback port: an active
// answer for the route's exact audience admits (and is cached), anything
// else is a 401 with the route's challenge, an unreachable endpoint a 503, and
// the token never reaches the gateway's log.
#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/introspection_fixture.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace mcpgw::testing {
namespace {

constexpr char kChallenge[] =
    R"(Bearer resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/example", )"
    R"(scope="example:call", error="invalid_token")";

class GatewayIntrospectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    origin_ = std::make_unique<OriginServer>(IntrospectionAnswer);
    gateway_ = std::make_unique<GatewayProcess>(IntrospectionConfig(origin_->Url("/introspect")));
    WriteIntrospectionFiles(gateway_->data_dir());
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
