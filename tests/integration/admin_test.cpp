// The admin API and the operator CLI against the real binary: its own
// listener on a random loopback port, refused (with the exact challenge)
// without the admin audience and scope, every action audited without the
// credential, bad input answered with an exact 4xx and message, and the
// `mcp-gateway admin` commands talking to it.
#include "support/dev_tokens.h"
#include "support/gateway_process.h"
#include "support/http_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace mcpgw::testing {
namespace {

using json = nlohmann::json;

constexpr char kPublicUrl[] = "https://gw.test";
constexpr char kAdminAudience[] = "urn:mcp-gateway:admin";
// A test credential (not a secret anywhere): the config holds its SHA-256.
constexpr char kAdminApiKey[] = "mcpgw_integration-test-key-0123456789abcdefghijklmnop";
constexpr char kAdminApiKeySha256[] = "f399bb5f9dd1f33c1072122fe61a3c8e1b97cff2c4f24edf34adf31c6fdf53b1";
constexpr char kNoCredentialChallenge[] = R"(Bearer scope="mcpgw:admin")";
constexpr char kInvalidTokenChallenge[] = R"(Bearer error="invalid_token", scope="mcpgw:admin")";
constexpr char kInsufficientScopeChallenge[] = R"(Bearer error="insufficient_scope", scope="mcpgw:admin")";

// A token for the CLI to read (it verifies no signature, so none is made).
std::string UnsignedJwt(const json& claims) {
  return crypto::Base64UrlEncode(R"({"alg":"ES256","typ":"JWT"})") + "." + crypto::Base64UrlEncode(claims.dump()) +
         ".c2lnbmF0dXJl";
}

std::string AdminConfig() {
  return std::string("server:\n  listen: 127.0.0.1:0\n  public_url: ") + kPublicUrl +
         "\n  data_dir: ${DATA_DIR}\n"
         "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n"
         "auth:\n  issuers:\n    - issuer: urn:mcp-gateway:dev\n      jwks_file: ${DATA_DIR}/dev-key/jwks.json\n"
         "  api_keys:\n    - name: ops-bot\n      sha256: " + kAdminApiKeySha256 + "\n"
         "      audiences: [" + kAdminAudience + "]\n      scopes: [mcpgw:admin]\n"
         "admin:\n  listen: 127.0.0.1:0\n"
         "rate_limits:\n  policies:\n    - name: per-subject\n      by: [subject]\n      limit: 100\n      window_s: 60\n"
         "plugins:\n  - name: example\n    file: example.so\n"
         "routes:\n  - name: example\n    path: /mcp/example\n    plugin: example\n"
         "    scopes:\n      list: [example:use]\n      read: [example:use]\n      call: [example:use]\n"
         "      admin: [example:use]\n      tools:\n        \"*\": [example:use]\n";
}

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gateway_ = std::make_unique<GatewayProcess>(AdminConfig());
    const ProcessResult init = RunGateway({"dev-key", "init", "-c", gateway_->config_path()});
    ASSERT_EQ(init.exit_code, 0) << init.stderr_text;
    ASSERT_TRUE(gateway_->Start()) << gateway_->Log();
    ASSERT_NE(gateway_->admin_port(), 0) << gateway_->Log();
    admin_token_ = Mint({"--aud", kAdminAudience, "--sub", "ops", "--scope", "mcpgw:admin"});
  }

  std::string Mint(const std::vector<std::string>& args) { return MintToken(gateway_->config_path(), args); }
  std::string RouteToken(const std::string& subject) { return Mint({"--route", "example", "--sub", subject, "--route-scopes"}); }

  HttpResponse Admin(const std::string& method, const std::string& target, const std::string& body = "",
                     Headers headers = {}) {
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return Request(gateway_->admin_port(), method, target, body, headers);
  }
  HttpResponse AsAdmin(const std::string& method, const std::string& target, const std::string& body = "") {
    return Admin(method, target, body, {{"Authorization", "Bearer " + admin_token_}});
  }
  HttpResponse Mcp(const std::string& token) {
    return Request(gateway_->port(), "POST", "/mcp/example", InitializeBody(),
                   [&] {
                     Headers h = McpHeaders();
                     h.emplace_back("Authorization", "Bearer " + token);
                     return h;
                   }());
  }

  // The admin_action audit lines so far, once at least `at_least` are out
  // (the audit sink flushes on its own thread).
  std::vector<json> AdminAudit(std::size_t at_least) {
    std::vector<json> out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    do {
      out.clear();
      for (const auto& line : gateway_->LogEvents()) {
        if (line.value("log", "") == "audit" && line.value("event", "") == "admin_action") out.push_back(line);
      }
      if (out.size() >= at_least) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (std::chrono::steady_clock::now() < deadline);
    EXPECT_GE(out.size(), at_least);
    return out;
  }

  void ExpectNotInLog(const std::string& secret) {
    EXPECT_EQ(gateway_->Log().find(secret), std::string::npos) << "the log holds a credential";
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = gateway_->data_dir() + "/../" + name;
    std::ofstream(path) << text << "\n";
    return path;
  }

  std::vector<std::string> Cli(std::vector<std::string> args) {
    std::vector<std::string> all{"admin"};
    all.insert(all.end(), args.begin(), args.end());
    all.push_back("--url");
    all.push_back("http://127.0.0.1:" + std::to_string(gateway_->admin_port()));
    return all;
  }

  std::unique_ptr<GatewayProcess> gateway_;
  std::string admin_token_;
};

TEST_F(AdminTest, RefusesCallersWithoutTheAdminAudienceAndScopeWithTheExactChallenge) {
  const HttpResponse none = Admin("GET", "/admin/v1/routes");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.Header("www-authenticate"), kNoCredentialChallenge);
  EXPECT_EQ(none.Json()["error"], "unauthenticated");

  const std::string route_token = RouteToken("alice");
  const HttpResponse wrong_audience = Admin("GET", "/admin/v1/routes", "", {{"Authorization", "Bearer " + route_token}});
  EXPECT_EQ(wrong_audience.status, 401);
  EXPECT_EQ(wrong_audience.Header("www-authenticate"), kInvalidTokenChallenge);
  EXPECT_EQ(wrong_audience.Json()["error"], "invalid_token");

  const std::string no_scope = Mint({"--aud", kAdminAudience, "--sub", "mallory", "--scope", "mcpgw:read"});
  const HttpResponse forbidden = Admin("GET", "/admin/v1/routes", "", {{"Authorization", "Bearer " + no_scope}});
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(forbidden.Header("www-authenticate"), kInsufficientScopeChallenge);
  EXPECT_EQ(forbidden.Json()["error"], "insufficient_scope");

  EXPECT_EQ(AsAdmin("GET", "/admin/v1/routes").status, 200);

  const auto audit = AdminAudit(4);
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[0]["outcome"], "unauthenticated");
  EXPECT_EQ(audit[1]["outcome"], "unauthenticated");
  EXPECT_EQ(audit[2]["outcome"], "forbidden");
  EXPECT_EQ(audit[2]["subject"], "mallory");
  EXPECT_EQ(audit[3]["outcome"], "ok");
  EXPECT_EQ(audit[3]["subject"], "ops");
  for (const auto& line : audit) EXPECT_EQ(line["action"], "list_routes");
  ExpectNotInLog(route_token);
  ExpectNotInLog(no_scope);
  ExpectNotInLog(admin_token_);
}

TEST_F(AdminTest, AnAdminApiKeyIsAcceptedAndNeverLogged) {
  const HttpResponse r = Admin("GET", "/admin/v1/plugins", "", {{"X-API-Key", kAdminApiKey}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["plugins"][0]["name"], "example");
  EXPECT_EQ(AdminAudit(1)[0]["subject"], "ops-bot");
  ExpectNotInLog(kAdminApiKey);
}

TEST_F(AdminTest, ARevokedTokenGets401OnTheMcpRoute) {
  const std::string alice = RouteToken("alice");
  ASSERT_EQ(Mcp(alice).status, 200);
  const std::string jti = JwsPayload(alice).value("jti", "");
  ASSERT_FALSE(jti.empty());
  const HttpResponse revoked =
      AsAdmin("POST", "/admin/v1/revocations", json{{"kind", "jti"}, {"value", jti}, {"reason", "test"}}.dump());
  ASSERT_EQ(revoked.status, 201) << revoked.body;
  EXPECT_EQ(revoked.Json()["value"], jti);
  EXPECT_EQ(revoked.Json()["by"], "ops");
  const HttpResponse refused = Mcp(alice);
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.Header("www-authenticate").find(R"(error="invalid_token")"), std::string::npos)
      << refused.Header("www-authenticate");
  EXPECT_EQ(Mcp(RouteToken("bob")).status, 200) << "one jti revoked, not the others";
  ExpectNotInLog(alice);
}

TEST_F(AdminTest, RevocationsRoundTripThroughListAndWithdraw) {
  ASSERT_EQ(AsAdmin("POST", "/admin/v1/revocations", R"({"kind":"subject","value":"bob/x y"})").status, 201);
  const HttpResponse list = AsAdmin("GET", "/admin/v1/revocations");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.Json()["revocations"].size(), 1u) << list.body;
  EXPECT_EQ(list.Json()["revocations"][0]["kind"], "subject");
  EXPECT_EQ(list.Json()["revocations"][0]["value"], "bob/x y");
  EXPECT_EQ(AsAdmin("DELETE", "/admin/v1/revocations/subject/bob%2Fx%20y").status, 204);
  const HttpResponse again = AsAdmin("DELETE", "/admin/v1/revocations/subject/bob%2Fx%20y");
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.Json(), (json{{"error", "not_found"}, {"message", R"(subject "bob/x y" is not revoked)"}}));
  EXPECT_TRUE(AsAdmin("GET", "/admin/v1/revocations").Json()["revocations"].empty());
  std::vector<std::string> actions;
  for (const auto& line : AdminAudit(5)) actions.push_back(line["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"revoke", "list_revocations", "withdraw", "withdraw", "list_revocations"}));
}

TEST_F(AdminTest, PeeksARateLimitKeyWithoutChargingIt) {
  const HttpResponse before = AsAdmin("GET", "/admin/v1/limits/per-subject?subject=alice");
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.Json()["limit"], 100);
  EXPECT_EQ(before.Json()["window_s"], 60);
  EXPECT_EQ(before.Json()["key"], (json{{"subject", "alice"}}));
  const auto used = before.Json()["used"].get<int>();
  EXPECT_EQ(AsAdmin("GET", "/admin/v1/limits/per-subject?subject=alice").Json()["used"], used) << "a peek charges nothing";
  ASSERT_EQ(Mcp(RouteToken("alice")).status, 200);
  EXPECT_GT(AsAdmin("GET", "/admin/v1/limits/per-subject?subject=alice").Json()["used"].get<int>(), used);
  const HttpResponse unknown = AsAdmin("GET", "/admin/v1/limits/nope?subject=alice");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.Json()["message"], R"(no rate-limit policy named "nope" (configured: per-subject))");
}

TEST_F(AdminTest, ListsPluginsAndRoutesAndReloads) {
  const HttpResponse plugins = AsAdmin("GET", "/admin/v1/plugins");
  ASSERT_EQ(plugins.status, 200);
  EXPECT_EQ(plugins.Json()["plugins"][0]["file"], "example.so");
  EXPECT_TRUE(plugins.Json()["plugins"][0]["loaded"].get<bool>());
  EXPECT_TRUE(plugins.Json()["plugins"][0]["version"].is_string());
  const HttpResponse routes = AsAdmin("GET", "/admin/v1/routes");
  ASSERT_EQ(routes.status, 200);
  EXPECT_EQ(routes.Json()["routes"][0]["path"], "/mcp/example");
  EXPECT_EQ(routes.Json()["routes"][0]["resource"], "https://gw.test/mcp/example");
  EXPECT_GT(routes.Json()["routes"][0]["tools"].get<int>(), 0);
  const HttpResponse reload = AsAdmin("POST", "/admin/v1/reload");
  ASSERT_EQ(reload.status, 200) << reload.body;
  // The configuration file is read again; each thing it configures is one step.
  EXPECT_EQ(reload.Json(), (json{{"ok", true},
                                 {"steps",
                                  {{{"what", "config"}, {"ok", true}},
                                   {{"what", "keys"}, {"ok", true}},
                                   {{"what", "api_keys"}, {"ok", true}},
                                   {{"what", "limits"}, {"ok", true}},
                                   {{"what", "routes"}, {"ok", true}}}}}));
  EXPECT_TRUE(gateway_->WaitForLog(R"("event":"reloaded")", std::chrono::seconds(5)));
  EXPECT_EQ(AdminAudit(3)[2]["action"], "reload");
}

TEST_F(AdminTest, AnswersBadRequestsWithAnExactStatusAndMessage) {
  const auto expect = [&](const HttpResponse& r, int status, const std::string& error, const std::string& message) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_EQ(r.Json(), (json{{"error", error}, {"message", message}})) << r.body;
  };
  expect(AsAdmin("POST", "/admin/v1/revocations", R"({"kind":"token","value":"x"})"), 400, "invalid_request",
         R"(unknown revocation kind "token": use "jti", "subject" or "client")");
  expect(AsAdmin("POST", "/admin/v1/revocations", R"({"kind":"jti"})"), 400, "invalid_request",
         R"("value" is required: the jti to revoke)");
  expect(AsAdmin("POST", "/admin/v1/revocations", R"({"kind":"jti","value":)"), 400, "invalid_request",
         "the body is not valid JSON");
  expect(AsAdmin("POST", "/admin/v1/revocations", R"({"kind":"jti","value":"x","ttl":5})"), 400, "invalid_request",
         R"(unknown field "ttl": use kind, value, until, before and reason)");
  const HttpResponse put = AsAdmin("PUT", "/admin/v1/revocations", "{}");
  expect(put, 405, "method_not_allowed", "PUT is not allowed on /admin/v1/revocations: use GET, POST");
  EXPECT_EQ(put.Header("allow"), "GET, POST");
  expect(AsAdmin("POST", "/admin/v1/revocations", R"(["jti"])"), 400,
         "invalid_request", R"(the body must be a JSON object such as {"kind":"jti","value":"..."})");
  expect(Request(gateway_->admin_port(), "POST", "/admin/v1/revocations", R"({"kind":"jti","value":"x"})",
                 {{"Authorization", "Bearer " + admin_token_}, {"Content-Type", "text/plain"}}),
         415, "unsupported_media_type", "send the body as Content-Type: application/json");
  expect(AsAdmin("POST", "/admin/v1/revocations", std::string(70 * 1024, ' ')), 413, "payload_too_large",
         "the body is larger than 65536 bytes");
  const HttpResponse unknown = AsAdmin("GET", "/admin/v1/tokens");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.Json()["error"], "not_found");
  EXPECT_GE(AdminAudit(7).size(), 7u) << "each refused body is audited";
  ExpectNotInLog(admin_token_);
}

TEST_F(AdminTest, ABodyOverTheListenersLimitIsAnsweredInTheApisFormatAndAudited) {
  // Over the listener's 1 MiB the server answers before any handler runs,
  // from the header alone: still the admin API's error, and audited.
  const HttpResponse r = AsAdmin("POST", "/admin/v1/revocations", std::string(2 << 20, ' '));
  EXPECT_EQ(r.status, 413) << r.error;
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Json(), (json{{"error", "payload_too_large"}, {"message", "the body is larger than 65536 bytes"}}))
      << r.body;
  const auto audit = AdminAudit(1);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back()["action"], "revoke");
  EXPECT_EQ(audit.back()["outcome"], "invalid");
  EXPECT_EQ(audit.back()["message"], "the body is larger than 65536 bytes");
  ExpectNotInLog(admin_token_);
  // The metrics listener answers in its own format, plain text.
  const HttpResponse ops = Request(gateway_->metrics_port(), "POST", "/metrics", std::string(8192, 'x'), {});
  EXPECT_EQ(ops.status, 413) << ops.error;
  EXPECT_EQ(ops.Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(ops.body, "Request body exceeds the limit of 4096 bytes\n");
}

TEST_F(AdminTest, ACredentialInTheUrlIsRefusedAndAuditedWithoutIt) {
  const std::string leaked = "leaked-" + admin_token_.substr(0, 16);
  const HttpResponse r = Admin("GET", "/admin/v1/plugins?access_token=" + leaked);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Json()["error"], "invalid_request");
  const auto lines = AdminAudit(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["action"], "list_plugins");
  EXPECT_EQ(lines[0]["outcome"], "invalid");
  ExpectNotInLog(leaked);
  // HEAD on a GET-only resource: 405 without a body, and the connection's
  // framing holds.
  const HttpResponse head = Admin("HEAD", "/admin/v1/routes");
  EXPECT_EQ(head.status, 405);
  EXPECT_EQ(head.body, "");
}

TEST_F(AdminTest, BytesThatAreNotUtf8AreAnsweredAndNeverEndTheProcess) {
  // Before any credential: the 405 quotes the path, which holds a raw 0xFF.
  const HttpResponse put = Admin("PUT", "/admin/v1/revocations/jti/\xff");
  EXPECT_EQ(put.status, 405) << put.body;
  EXPECT_NE(put.Json()["message"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos)
      << "quoted as U+FFFD: " << put.body;
  const HttpResponse withdraw = AsAdmin("DELETE", "/admin/v1/revocations/jti/%FF");
  EXPECT_EQ(withdraw.status, 404) << withdraw.body;
  const HttpResponse peek = AsAdmin("GET", "/admin/v1/limits/per-subject?subject=%FF");
  EXPECT_EQ(peek.status, 200) << peek.body;
  // A number past int64 is out of range, not a time in the past.
  const HttpResponse huge =
      AsAdmin("POST", "/admin/v1/revocations", R"({"kind":"jti","value":"a1","until":18446744073709551615})");
  EXPECT_EQ(huge.status, 400) << huge.body;
  EXPECT_EQ(huge.Json()["message"],
            R"("until" is out of range: give Unix seconds (not milliseconds), at most 253402300799 (the end of 9999))");
  EXPECT_EQ(AsAdmin("GET", "/admin/v1/plugins").status, 200) << "still serving:\n" << gateway_->Log();
  EXPECT_EQ(gateway_->Log().find("handler_exception"), std::string::npos) << "answered, not caught by the net";
}

TEST_F(AdminTest, TheCliRevokesListsAndWithdrawsWithATokenFile) {
  const std::string token_file = WriteFile("admin.token", admin_token_);
  const ProcessResult revoke =
      RunGateway(Cli({"revoke", "--subject", "carol", "--reason", "left", "--token-file", token_file}));
  ASSERT_EQ(revoke.exit_code, 0) << revoke.stderr_text;
  EXPECT_EQ(revoke.stdout_text.rfind("revoked subject carol (tokens issued before ", 0), 0u) << revoke.stdout_text;
  const ProcessResult list = RunGateway(Cli({"revocations", "--token-file", token_file}));
  ASSERT_EQ(list.exit_code, 0) << list.stderr_text;
  EXPECT_EQ(list.stdout_text.rfind("KIND", 0), 0u) << list.stdout_text;
  EXPECT_NE(list.stdout_text.find("subject  carol"), std::string::npos) << list.stdout_text;
  const ProcessResult listed_json = RunGateway(Cli({"revocations", "--json", "--token-file", token_file}));
  ASSERT_EQ(listed_json.exit_code, 0);
  EXPECT_EQ(json::parse(listed_json.stdout_text)["revocations"][0]["reason"], "left");
  const ProcessResult withdraw = RunGateway(Cli({"withdraw", "--subject", "carol", "--token-file", token_file}));
  ASSERT_EQ(withdraw.exit_code, 0) << withdraw.stderr_text;
  EXPECT_EQ(withdraw.stdout_text, "withdrew the revocation of subject carol\n");
  const ProcessResult again = RunGateway(Cli({"withdraw", "--subject", "carol", "--token-file", token_file}));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.stderr_text, "mcp-gateway: withdraw failed (HTTP 404): subject \"carol\" is not revoked\n");
  ExpectNotInLog(admin_token_);
}

TEST_F(AdminTest, TheCliRevokesALeakedTokenByItsJtiUntilItsExp) {
  const std::string token_file = WriteFile("admin.token", admin_token_);
  const std::string alice = RouteToken("alice");
  ASSERT_EQ(Mcp(alice).status, 200);
  const json claims = JwsPayload(alice);
  const std::string leaked_file = WriteFile("leaked.jwt", alice);
  const ProcessResult revoke = RunGateway(
      Cli({"revoke", "--leaked-token-file", leaked_file, "--reason", "leaked", "--json", "--token-file", token_file}));
  ASSERT_EQ(revoke.exit_code, 0) << revoke.stderr_text;
  const json entry = json::parse(revoke.stdout_text);
  EXPECT_EQ(entry["kind"], "jti");
  EXPECT_EQ(entry["value"], claims["jti"]);
  EXPECT_EQ(entry["until"], claims["exp"]) << "kept until the token's exp, not the longest lifetime";
  EXPECT_EQ(entry["reason"], "leaked");
  const HttpResponse refused = Mcp(alice);
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.Header("www-authenticate").find(R"(error="invalid_token")"), std::string::npos);
  EXPECT_EQ(Mcp(RouteToken("bob")).status, 200) << "that token, not its subject";
  const auto audit = AdminAudit(1);
  EXPECT_EQ(audit.back()["target"]["value"], claims["jti"]);
  ExpectNotInLog(alice);
}

// Past its exp a token is still accepted for up to the clock skew, and the
// gateway's clock may be a second ahead of the CLI's: the entry then lasts
// at least the largest skew, never "until is in the past".
TEST_F(AdminTest, TheCliRevokesALeakedTokenThatExpiredWithinTheClockSkew) {
  const std::string token_file = WriteFile("admin.token", admin_token_);
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string leaked = UnsignedJwt({{"jti", "just-expired"}, {"sub", "alice"}, {"exp", now - 100}});
  const ProcessResult revoke = RunGateway(
      Cli({"revoke", "--leaked-token-file", WriteFile("leaked.jwt", leaked), "--json", "--token-file", token_file}));
  ASSERT_EQ(revoke.exit_code, 0) << revoke.stderr_text;
  const json entry = json::parse(revoke.stdout_text);
  EXPECT_EQ(entry["value"], "just-expired");
  EXPECT_GE(entry["until"].get<int64_t>(), now + 600);
}

TEST_F(AdminTest, TheCliNamesTheCredentialTheGatewayRefused) {
  const std::string route_token_file = WriteFile("route.token", RouteToken("alice"));
  const ProcessResult r = RunGateway(Cli({"plugins", "--token-file", route_token_file}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("refused the token in " + route_token_file + ": the credential is not valid for the "
                               "admin API (urn:mcp-gateway:admin)"),
            std::string::npos)
      << r.stderr_text;
  const std::string key_file = WriteFile("admin.key", kAdminApiKey);
  const ProcessResult with_key = RunGateway(Cli({"routes", "--api-key-file", key_file}));
  EXPECT_EQ(with_key.exit_code, 0) << with_key.stderr_text;
  EXPECT_NE(with_key.stdout_text.find("/mcp/example"), std::string::npos);
}

TEST(AdminCliTest, EveryLevelHasHelp) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"admin", "--help"}, {"admin", "revoke", "--help"}, {"admin", "revocations", "--help"},
        {"admin", "withdraw", "--help"}, {"admin", "limits", "--help"}, {"admin", "plugins", "--help"},
        {"admin", "routes", "--help"}, {"admin", "reload", "--help"}, {"api-key", "hash", "--help"}}) {
    const ProcessResult r = RunGateway(args);
    EXPECT_EQ(r.exit_code, 0) << args[1];
    EXPECT_NE(r.stdout_text.find("Usage"), std::string::npos) << r.stdout_text;
  }
}

TEST(AdminCliTest, ARefusedConnectionSaysWhichUrlAndThatTheAdminListenerMustBeOn) {
  TempDir dir;
  const std::string token_file = dir.path() + "/t";
  std::ofstream(token_file) << "a.b.c\n";
  // Port 1 on loopback: nothing listens there.
  const ProcessResult r =
      RunGateway({"admin", "revocations", "--url", "http://127.0.0.1:1", "--token-file", token_file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.stderr_text.rfind("mcp-gateway: cannot reach the admin API at http://127.0.0.1:1 (", 0), 0u)
      << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("is the gateway running with its admin listener on"), std::string::npos);
}

TEST(AdminCliTest, WithoutACredentialItSaysHowToGiveOne) {
  const ProcessResult r = RunGateway({"admin", "plugins", "--url", "http://127.0.0.1:1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "mcp-gateway: no admin credential: pass --token-file FILE, --api-key-file FILE or --dev, or set "
            "MCP_GATEWAY_ADMIN_TOKEN or MCP_GATEWAY_ADMIN_API_KEY\n");
}

TEST(AdminCliTest, RefusesACredentialFileOfMoreThanOneLineBeforeSendingIt) {
  TempDir dir;
  const std::string token_file = dir.path() + "/t";
  std::ofstream(token_file) << "a.b.c\nX-Injected: 1\n";
  const ProcessResult r = RunGateway({"admin", "plugins", "--url", "http://127.0.0.1:1", "--token-file", token_file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text, "mcp-gateway: " + token_file +
                               " must hold the credential alone, on one line (it has spaces or control characters)\n");
}

TEST(AdminCliTest, RefusesARevocationThatIsNotUtf8BeforeSendingIt) {
  TempDir dir;
  const std::string token_file = dir.path() + "/t";
  std::ofstream(token_file) << "a.b.c\n";
  const ProcessResult r =
      RunGateway({"admin", "revoke", "--jti", "a\xff", "--url", "http://127.0.0.1:1", "--token-file", token_file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text, "mcp-gateway: admin revoke: the jti and the reason must be UTF-8 text\n");
}

// Each refusal comes before any request: nothing listens on port 1, so a
// request would fail with "cannot reach the admin API".
TEST(AdminCliTest, ALeakedTokenItCannotRevokeAloneSaysWhatToRevokeInstead) {
  TempDir dir;
  const std::string admin_file = dir.path() + "/admin";
  std::ofstream(admin_file) << "a.b.c\n";
  const auto revoke = [&](const std::string& leaked) {
    const std::string file = dir.path() + "/leaked";
    std::ofstream(file) << leaked << "\n";
    return RunGateway({"admin", "revoke", "--leaked-token-file", file, "--url", "http://127.0.0.1:1", "--token-file",
                       admin_file});
  };
  const std::string file = dir.path() + "/leaked";
  const ProcessResult no_jti = revoke(UnsignedJwt({{"sub", "alice"}, {"client_id", "ci-bot"}, {"exp", 4102444800}}));
  EXPECT_EQ(no_jti.exit_code, 2);
  EXPECT_EQ(no_jti.stderr_text, "mcp-gateway: the token in " + file +
                                    " has no jti, so it cannot be revoked alone; revoke every token of its subject or "
                                    "client instead: --subject 'alice' or --client 'ci-bot'\n");
  const ProcessResult opaque = revoke("mcpgw_opaque-0123456789");
  EXPECT_EQ(opaque.exit_code, 2);
  EXPECT_EQ(opaque.stderr_text, "mcp-gateway: " + file +
                                    " does not hold a JWT (three base64url parts separated by dots), so it has no jti "
                                    "to revoke; revoke every token of its subject or client instead (--subject, "
                                    "--client)\n");
  const ProcessResult encrypted = revoke("a.b.c.d.e");
  EXPECT_EQ(encrypted.exit_code, 2);
  EXPECT_NE(encrypted.stderr_text.find("holds an encrypted token (JWE)"), std::string::npos) << encrypted.stderr_text;
  const ProcessResult garbled = revoke("a.%%%.c");
  EXPECT_EQ(garbled.exit_code, 2);
  EXPECT_EQ(garbled.stderr_text,
            "mcp-gateway: the token in " + file + " has no readable claims (its payload is not base64url JSON)\n");
}

TEST(AdminCliTest, ALeakedTokenLongExpiredIsReportedAndNothingIsSent) {
  TempDir dir;
  const std::string admin_file = dir.path() + "/admin", file = dir.path() + "/leaked";
  std::ofstream(admin_file) << "a.b.c\n";
  std::ofstream(file) << UnsignedJwt({{"jti", "old-1"}, {"sub", "alice"}, {"exp", 1000000000}}) << "\n";
  const ProcessResult r = RunGateway(
      {"admin", "revoke", "--leaked-token-file", file, "--url", "http://127.0.0.1:1", "--token-file", admin_file});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.stdout_text, "the token in " + file +
                               " (jti old-1) expired at 2001-09-09T01:46:40Z, longer ago than any gateway's clock skew "
                               "allows: every gateway refuses it already, so nothing was revoked\n");
  EXPECT_EQ(r.stderr_text, "");
  // For scripts: JSON with --json; and a forged claim cannot write a
  // terminal escape.
  std::ofstream(file) << UnsignedJwt({{"jti", "old-\x1b[2J"}, {"exp", 0}}) << "\n";
  const ProcessResult as_json = RunGateway({"admin", "revoke", "--leaked-token-file", file, "--json", "--url",
                                            "http://127.0.0.1:1", "--token-file", admin_file});
  EXPECT_EQ(as_json.exit_code, 0) << as_json.stderr_text;
  EXPECT_EQ(json::parse(as_json.stdout_text),
            (json{{"revoked", false}, {"jti", "old-\x1b[2J"}, {"exp", 0}, {"why", "expired"}}));
  const ProcessResult escaped = RunGateway(
      {"admin", "revoke", "--leaked-token-file", file, "--url", "http://127.0.0.1:1", "--token-file", admin_file});
  EXPECT_EQ(escaped.stdout_text.find('\x1b'), std::string::npos) << escaped.stdout_text;
  EXPECT_NE(escaped.stdout_text.find("(jti old-?[2J) expired at Unix time 0,"), std::string::npos)
      << escaped.stdout_text;
}

TEST(AdminCliTest, HashesAnApiKeyForTheConfiguration) {
  const ProcessResult r = RunGateway({"api-key", "hash"}, std::string(kAdminApiKey) + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.stdout_text, std::string("sha256: ") + kAdminApiKeySha256 + "\n");
  EXPECT_EQ(RunGateway({"api-key", "hash"}, "").exit_code, 2);
}

}  // namespace
}  // namespace mcpgw::testing
