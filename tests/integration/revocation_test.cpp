// The revocation list at the HTTP front door, with the real binary and the
// embedded (file) store: a revocation file written before the start holds a
// jti, a subject and a client entry; each of those tokens gets exactly the
// 401 an invalid token gets, reaches no plugin and is audited as revoked,
// while tokens nobody revoked still work. Tokens are signed by the test's
// own key (tests/unit/auth/test_signer.h) so that iat and client_id can be
// chosen: the subject and client entries refuse tokens issued strictly
// before their time, and the boundary is shown exactly.
#include "unit/auth/test_signer.h"
#include "support/gateway_process.h"
#include "support/http_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace mcpgw::testing {
namespace {

using json = nlohmann::json;

constexpr char kResource[] = "https://gw.test/mcp/example";
constexpr char kIssuer[] = "urn:test:revocation";
constexpr char kExampleChallenge[] =
    R"(Bearer resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/example", )"
    R"(scope="example:use", error="invalid_token")";

std::string Config() {
  return std::string(
             "server:\n  listen: 127.0.0.1:0\n  public_url: https://gw.test\n  data_dir: ${DATA_DIR}\n"
             "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n"
             "auth:\n  issuers:\n    - issuer: ") +
         kIssuer +
         "\n      jwks_file: ${DATA_DIR}/test-jwks.json\n"
         "revocation:\n  file: ${DATA_DIR}/revoked.json\n"
         "plugins:\n  - name: example\n    file: example.so\n"
         "routes:\n  - name: example\n    path: /mcp/example\n    plugin: example\n"
         "    scopes:\n      list: [example:use]\n      read: [example:use]\n      call: [example:use]\n"
         "      admin: [example:use]\n      tools:\n        \"*\": [example:use]\n";
}

long long UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The files are written before the first start, so the data directory is
// made here, private as the gateway makes it.
void PrepareDataDir(const std::string& dir) {
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
}

class RevocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = auth::testing::GenerateKey(auth::Algorithm::kEs256, "revocation-test");
    gateway_ = std::make_unique<GatewayProcess>(Config());
    PrepareDataDir(gateway_->data_dir());
    std::ofstream(gateway_->data_dir() + "/test-jwks.json") << json{{"keys", json::array({auth::testing::PublicJwk(key_)})}}.dump();
    cut_ = UnixNow() - 60;  // subject and client entries refuse tokens issued before this
    const json revoked{{"version", 1},
                       {"entries",
                        {{{"kind", "jti"}, {"value", "leaked-jti"}, {"until", UnixNow() + 3600}, {"reason", "leaked"},
                          {"by", "ops"}, {"created", cut_}},
                         {{"kind", "subject"}, {"value", "mallory"}, {"before", cut_}, {"created", cut_}},
                         {{"kind", "client"}, {"value", "leaky-app"}, {"before", cut_}, {"created", cut_}}}}};
    std::ofstream(gateway_->data_dir() + "/revoked.json") << revoked.dump(2);
    ASSERT_TRUE(gateway_->Start()) << gateway_->Log();
  }

  std::string Token(const std::string& subject, long long iat, const std::string& jti,
                    const std::string& client_id = "") {
    json claims{{"iss", kIssuer}, {"sub", subject}, {"aud", kResource}, {"iat", iat},
                {"exp", UnixNow() + 600}, {"jti", jti}, {"scope", "example:use"}};
    if (!client_id.empty()) claims["client_id"] = client_id;
    return auth::testing::Mint(key_, claims);
  }

  HttpResponse Initialize(const std::string& token) {
    Headers headers = McpHeaders();
    headers.emplace_back("Authorization", "Bearer " + token);
    return Request(gateway_->port(), "POST", "/mcp/example", InitializeBody(), headers);
  }

  // A stateless-era tools/call: it would reach the plugin if admitted.
  HttpResponse CallTool(const std::string& token) {
    Headers headers = ModernHeaders("tools/call", "echo");
    headers.emplace_back("Authorization", "Bearer " + token);
    const json params{{"name", "echo"}, {"arguments", {{"text", "x"}}}, {"_meta", ModernMeta()}};
    return Request(gateway_->port(), "POST", "/mcp/example",
                   json{{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/call"}, {"params", params}}.dump(), headers);
  }

  std::string Metrics() { return Request(gateway_->metrics_port(), "GET", "/metrics", "", {}).body; }

  // The auth_refused audit lines so far, once at least `at_least` are out.
  std::vector<json> Refusals(size_t at_least) {
    std::vector<json> out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    do {
      out.clear();
      for (const auto& line : gateway_->LogEvents()) {
        if (line.value("log", "") == "audit" && line.value("event", "") == "auth_refused") out.push_back(line);
      }
      if (out.size() >= at_least) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (std::chrono::steady_clock::now() < deadline);
    return out;
  }

  void ExpectRefusedAsRevoked(const std::string& token, const std::string& what) {
    const HttpResponse r = Initialize(token);
    EXPECT_EQ(r.status, 401) << what << ": " << r.body;
    EXPECT_EQ(r.Header("www-authenticate"), kExampleChallenge) << what;
    EXPECT_EQ(r.body.find(token), std::string::npos) << what;
    const HttpResponse call = CallTool(token);
    EXPECT_EQ(call.status, 401) << what << ": " << call.body;
    EXPECT_EQ(call.Header("www-authenticate"), kExampleChallenge) << what;
  }

  auth::testing::SigningKey key_;
  std::unique_ptr<GatewayProcess> gateway_;
  long long cut_ = 0;
};

TEST_F(RevocationTest, ARevokedJtiSubjectOrClientGets401InvalidTokenReachesNoPluginAndIsAudited) {
  const std::vector<std::pair<std::string, std::string>> revoked = {
      {"jti", Token("alice", UnixNow(), "leaked-jti")},
      {"subject", Token("mallory", cut_ - 1, "m-1")},
      {"client", Token("bob", cut_ - 30, "b-1", "leaky-app")},
  };
  for (const auto& [what, token] : revoked) ExpectRefusedAsRevoked(token, what);

  const std::string metrics = Metrics();
  EXPECT_EQ(metrics.find(R"(operation="call_tool")"), std::string::npos) << "no plugin saw a revoked token";
  EXPECT_NE(metrics.find(R"(mcpgw_authentications_total{method="bearer",outcome="revoked"} 6)"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find(R"(mcpgw_revocations{kind="jti"} 1)"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find(R"(mcpgw_revocations{kind="subject"} 1)"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find(R"(mcpgw_revocations{kind="client"} 1)"), std::string::npos) << metrics;

  const std::vector<json> refusals = Refusals(6);
  ASSERT_EQ(refusals.size(), 6u) << gateway_->Log();
  for (const json& line : refusals) {
    EXPECT_EQ(line.value("reason", ""), "revoked") << line;
    EXPECT_EQ(line.value("method", ""), "bearer") << line;
    EXPECT_EQ(line.value("credential_id", "").size(), 12u) << line;
  }
  for (const auto& [what, token] : revoked) {
    EXPECT_EQ(gateway_->Log().find(token), std::string::npos) << what << ": the log holds a credential";
  }
}

TEST_F(RevocationTest, TokensNobodyRevokedStillWork) {
  EXPECT_EQ(Initialize(Token("alice", UnixNow(), "fresh-jti")).status, 200) << "another jti of a revoked one's subject";
  EXPECT_EQ(Initialize(Token("carol", cut_ - 30, "c-1", "good-app")).status, 200) << "another subject and client";
  const HttpResponse call = CallTool(Token("carol", cut_ - 30, "c-2", "good-app"));
  EXPECT_EQ(call.status, 200) << call.body;
  EXPECT_NE(Metrics().find(R"(operation="call_tool")"), std::string::npos) << "the plugin saw the admitted call";
}

TEST_F(RevocationTest, SubjectAndClientEntriesRefuseOnlyTokensIssuedStrictlyBeforeTheirTime) {
  ExpectRefusedAsRevoked(Token("mallory", cut_ - 1, "m-2"), "one second before");
  EXPECT_EQ(Initialize(Token("mallory", cut_, "m-3")).status, 200) << "issued at the cut: not before it";
  EXPECT_EQ(Initialize(Token("mallory", UnixNow(), "m-4")).status, 200) << "a token issued after the revocation";
  ExpectRefusedAsRevoked(Token("dave", cut_ - 1, "d-1", "leaky-app"), "client, one second before");
  EXPECT_EQ(Initialize(Token("dave", cut_, "d-2", "leaky-app")).status, 200) << "client, issued at the cut";
}

// The stdio front door reads the same list: a revoked token does not get a
// server at all, another one does.
TEST_F(RevocationTest, TheStdioFrontDoorRefusesARevokedToken) {
  const std::string initialize = InitializeBody() + "\n";
  const std::vector<std::string> args = {"serve", "--stdio", "--route", "example", "-c", gateway_->config_path()};
  ::setenv("MCP_GATEWAY_TOKEN", Token("mallory", cut_ - 1, "m-9").c_str(), 1);
  const ProcessResult refused = RunGateway(args, initialize);
  ::setenv("MCP_GATEWAY_TOKEN", Token("carol", UnixNow(), "c-9").c_str(), 1);
  const ProcessResult served = RunGateway(args, initialize);
  ::unsetenv("MCP_GATEWAY_TOKEN");
  EXPECT_EQ(refused.exit_code, 2) << refused.stderr_text;
  EXPECT_NE(refused.stderr_text.find("not authenticated for route example (revoked)"), std::string::npos)
      << refused.stderr_text;
  EXPECT_EQ(refused.stdout_text, "") << "nothing was served";
  EXPECT_EQ(served.exit_code, 0) << served.stderr_text;
  EXPECT_NE(served.stdout_text.find("\"result\""), std::string::npos) << served.stdout_text;
}

TEST(RevocationStartupTest, ACorruptRevocationFileStopsTheStartNamingTheFile) {
  GatewayProcess gateway(Config());
  PrepareDataDir(gateway.data_dir());
  const auto key = auth::testing::GenerateKey(auth::Algorithm::kEs256, "k");
  std::ofstream(gateway.data_dir() + "/test-jwks.json") << json{{"keys", json::array({auth::testing::PublicJwk(key)})}}.dump();
  std::ofstream(gateway.data_dir() + "/revoked.json") << "{\"version\": 1, \"entries\": [";
  EXPECT_FALSE(gateway.Start(std::chrono::seconds(10)));
  const ProcessResult exited = gateway.Wait(std::chrono::seconds(10));
  EXPECT_NE(exited.exit_code, 0);
  EXPECT_NE(gateway.Log().find(gateway.data_dir() + "/revoked.json"), std::string::npos) << gateway.Log();
  std::ifstream in(gateway.data_dir() + "/revoked.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "{\"version\": 1, \"entries\": [") << "the file is left for the operator to fix";
}

}  // namespace
}  // namespace mcpgw::testing
