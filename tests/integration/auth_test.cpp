// Authentication at the HTTP front door, with the real binary: tokens minted
// by `mcp-gateway token mint` with a key made by `mcp-gateway dev-key init`
// (the same pair is checked with npm jose in tests/e2e/dev_token.test.mjs).
// Every refusal is a 401 with the exact challenge, never reaches the plugin,
// and no token ever appears in the log.
#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/test_files.h"
#include "support/origin_server.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <vector>
#include <string>
#include <thread>

namespace mcpgw::testing {
namespace {

constexpr char kPublicUrl[] = "https://gw.test";
constexpr char kExampleChallenge[] =
    R"(Bearer resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/example", )"
    R"(scope="example:admin example:call example:list example:read example:write")";
// A test credential (not a secret anywhere): the config holds its SHA-256.
constexpr char kApiKey[] = "mcpgw_integration-test-key-0123456789abcdefghijklmnop";
constexpr char kApiKeySha256[] = "f399bb5f9dd1f33c1072122fe61a3c8e1b97cff2c4f24edf34adf31c6fdf53b1";

std::string AuthConfig(const std::string& jwks_file) {
  return std::string("server:\n  listen: 127.0.0.1:0\n  public_url: ") + kPublicUrl +
         "\n  data_dir: ${DATA_DIR}\n"
         "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n"
         "auth:\n  issuers:\n    - issuer: urn:mcp-gateway:dev\n      jwks_file: " + jwks_file + "\n"
         "  api_keys:\n    - name: ci-bot\n      sha256: " + kApiKeySha256 + "\n"
         "      audiences: [https://gw.test/mcp/other]\n      scopes: [other:use]\n"
         "plugins:\n  - name: example\n    file: example.so\n  - name: other\n    file: example.so\n"
         "routes:\n  - name: example\n    path: /mcp/example\n    plugin: example\n"
         "    scopes:\n      list: [example:list]\n      read: [example:read]\n      call: [example:call]\n"
         "      admin: [example:admin]\n      tools:\n        echo: [example:read]\n        \"*\": [example:write]\n"
         "  - name: other\n    path: /mcp/other\n    plugin: other\n"
         "    scopes:\n      list: [other:use]\n      call: [other:use]\n      tools:\n        echo: []\n";
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

  // A token for `route` with every scope the route mentions, unless `scopes` are given.
  std::string Mint(const std::string& route, const std::string& subject, const std::vector<std::string>& scopes = {}) {
    std::string args = "token mint -c " + gateway_->config_path() + " --route " + route + " --sub " + subject + " --ttl 5m";
    if (scopes.empty()) args += " --route-scopes";
    for (const std::string& scope : scopes) args += " --scope " + scope;
    const std::string token = RunBinary(args);
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

  // A stateless-era (2026-07-28) request with one credential header; `tool`
  // is the tool of a tools/call or the URI of a resources/read.
  HttpResponse Modern(const std::string& path, const std::string& method, const std::string& tool,
                      const std::pair<std::string, std::string>& credential) {
    nlohmann::json params = method == "resources/read" ? nlohmann::json{{"uri", tool}}
                            : tool.empty()               ? nlohmann::json::object()
                                                         : nlohmann::json{{"name", tool}, {"arguments", ToolArguments(tool)}};
    params["_meta"] = ModernMeta();
    Headers headers = ModernHeaders(method, tool);
    headers.push_back(credential);
    return Post(path, nlohmann::json{{"jsonrpc", "2.0"}, {"id", 7}, {"method", method}, {"params", params}}.dump(),
                headers);
  }
  static nlohmann::json ToolArguments(const std::string& tool) {
    return tool == "divide" ? nlohmann::json{{"a", 1}, {"b", 2}} : nlohmann::json{{"text", "x"}};
  }
  static std::pair<std::string, std::string> Bearer(const std::string& token) { return {"Authorization", "Bearer " + token}; }

  // The audit lines of `event` so far (the audit log shares stderr here).
  // The audit sink flushes on its own thread, so wait until at least
  // `at_least` lines of the event are out before reading them.
  std::vector<nlohmann::json> AuditEvents(const std::string& event, size_t at_least = 1) {
    std::vector<nlohmann::json> out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    do {
      out.clear();
      for (const auto& line : gateway_->LogEvents()) {
        if (line.value("log", "") == "audit" && line.value("event", "") == event) out.push_back(line);
      }
      if (out.size() >= at_least) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (std::chrono::steady_clock::now() < deadline);
    EXPECT_GE(out.size(), at_least) << event;
    return out;
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

TEST_F(AuthTest, AMissingScopeGets403WithTheScopesTheRequestNeedsAndReachesNoPlugin) {
  const std::string reader = Mint("example", "alice", {"example:call", "example:read"});
  const HttpResponse divide = Modern("/mcp/example", "tools/call", "divide", Bearer(reader));
  EXPECT_EQ(divide.status, 403) << divide.body;
  EXPECT_EQ(divide.Header("www-authenticate"),
            R"(Bearer error="insufficient_scope", scope="example:call example:write", )"
            R"(resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/example")");
  const HttpResponse list = Modern("/mcp/example", "tools/list", "", Bearer(reader));
  EXPECT_EQ(list.status, 403) << list.body;
  EXPECT_EQ(list.Header("www-authenticate"),
            R"(Bearer error="insufficient_scope", scope="example:list", )"
            R"(resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/example")");
  ExpectNoPluginCalls();
  // The scopes it holds are enough for echo.
  const HttpResponse echo = Modern("/mcp/example", "tools/call", "echo", Bearer(reader));
  EXPECT_EQ(echo.status, 200) << echo.body;
  const auto denied = AuditEvents("authz_denied", 2);
  ASSERT_EQ(denied.size(), 2u);
  EXPECT_EQ(denied[0]["tool"], "divide");
  EXPECT_EQ(denied[0]["subject"], "alice");
  EXPECT_EQ(denied[0]["required"], nlohmann::json::array({"example:call", "example:write"}));
  const auto calls = AuditEvents("tool_call", 2);  // divide (forbidden), echo
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back()["tool"], "echo");
  EXPECT_EQ(calls.back()["outcome"], "ok");
  ExpectNotInLog(reader);
}

// tools/list shows a caller the tools it may call: a client does not learn of
// a tool from the list only to be refused when it calls it.
TEST_F(AuthTest, ToolsListShowsOnlyTheToolsTheCallersScopesLetItCall) {
  const auto names = [](const HttpResponse& r) {
    std::vector<std::string> out;
    EXPECT_EQ(r.status, 200) << r.body;
    const auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.contains("result")) return out;
    EXPECT_EQ(body["result"]["cacheScope"], "private") << "what one caller sees is not for another's cache";
    for (const auto& tool : body["result"]["tools"]) out.push_back(tool["name"]);
    return out;
  };
  const std::string reader = Mint("example", "alice", {"example:list", "example:call", "example:read"});
  EXPECT_EQ(names(Modern("/mcp/example", "tools/list", "", Bearer(reader))), (std::vector<std::string>{"echo"}));
  EXPECT_EQ(names(Modern("/mcp/example", "tools/list", "", Bearer(alice_))), (std::vector<std::string>{"echo", "divide"}));
  const std::string lister = Mint("example", "alice", {"example:list"});
  EXPECT_EQ(names(Modern("/mcp/example", "tools/list", "", Bearer(lister))), (std::vector<std::string>{}))
      << "without the call class's scope no tool can be called";
  // The other route maps echo only: divide, which nobody may call there, is not listed.
  EXPECT_EQ(names(Modern("/mcp/other", "tools/list", "", {"X-API-Key", kApiKey})), (std::vector<std::string>{"echo"}));
  EXPECT_EQ(Modern("/mcp/example", "tools/call", "divide", Bearer(reader)).status, 403) << "the call is still refused";
  ExpectNoPluginCalls();
}

TEST_F(AuthTest, AnUnmappedMethodClassIsDenied) {
  const HttpResponse r = Modern("/mcp/other", "resources/read", "example://greeting", Bearer(Mint("other", "alice")));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.Header("www-authenticate"),
            R"(Bearer error="insufficient_scope", resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/other")");
  ExpectNoPluginCalls();
}

TEST_F(AuthTest, AnApiKeyWorksOnItsOwnAudienceOnly) {
  const std::pair<std::string, std::string> key{"X-API-Key", kApiKey};
  const HttpResponse ok = Modern("/mcp/other", "tools/call", "echo", key);
  EXPECT_EQ(ok.status, 200) << ok.body;
  const HttpResponse elsewhere = Modern("/mcp/example", "tools/call", "echo", key);
  EXPECT_EQ(elsewhere.status, 401);
  EXPECT_EQ(elsewhere.Header("www-authenticate"), std::string(kExampleChallenge) + R"(, error="invalid_token")");
  std::string off = kApiKey;
  off.back() = 'q';
  EXPECT_EQ(Modern("/mcp/other", "tools/call", "echo", {"X-API-Key", off}).status, 401);
  // One credential only.
  Headers both = ModernHeaders("tools/list");
  both.emplace_back("X-API-Key", kApiKey);
  both.emplace_back("Authorization", "Bearer " + alice_);
  EXPECT_EQ(Post("/mcp/other", "{}", both).status, 400);
  const auto refused = AuditEvents("auth_refused", 2);
  ASSERT_GE(refused.size(), 2u);
  EXPECT_EQ(refused[0]["reason"], "wrong_audience");
  EXPECT_EQ(refused[0]["method"], "api_key");
  EXPECT_EQ(refused[1]["reason"], "unknown_api_key");
  EXPECT_EQ(refused[1]["credential_id"].get<std::string>().size(), 12u);
  ExpectNotInLog(kApiKey);
  ExpectNotInLog(off);
  const HttpResponse m = Request(gateway_->metrics_port(), "GET", "/metrics", "", {});
  EXPECT_NE(m.body.find(R"(mcpgw_authentications_total{method="api_key",outcome="unknown_api_key"} 1)"),
            std::string::npos)
      << m.body;
}

TEST_F(AuthTest, ASessionIdUsedWithAnotherSubjectIsAudited) {
  const HttpResponse init = Post("/mcp/example", InitializeBody(), With(alice_));
  ASSERT_EQ(init.status, 200);
  const std::string bob = Mint("example", "bob");
  EXPECT_EQ(Post("/mcp/example", R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})",
                 With(bob, McpHeaders(init.Header("mcp-session-id"), "2025-11-25")))
                .status,
            404);
  const auto mismatches = AuditEvents("session_mismatch");
  ASSERT_EQ(mismatches.size(), 1u);
  EXPECT_EQ(mismatches[0]["subject"], "bob");
}

TEST_F(AuthTest, AnAdminActionNeedsTheAdminScopeAndIsAudited) {
  const HttpResponse init = Post("/mcp/example", InitializeBody(), With(alice_));
  ASSERT_EQ(init.status, 200);
  const std::string sid = init.Header("mcp-session-id");
  const std::string set_level = R"({"jsonrpc":"2.0","id":9,"method":"logging/setLevel","params":{"level":"debug"}})";
  const std::string reader = Mint("example", "alice", {"example:read"});
  EXPECT_EQ(Post("/mcp/example", set_level, With(reader, McpHeaders(sid, "2025-11-25"))).status, 403);
  const HttpResponse ok = Post("/mcp/example", set_level, With(alice_, McpHeaders(sid, "2025-11-25")));
  EXPECT_EQ(ok.status, 200) << ok.body;
  const auto actions = AuditEvents("admin_action");
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0]["action"], "logging/setLevel");
  EXPECT_EQ(actions[0]["level"], "debug");
  EXPECT_EQ(actions[0]["subject"], "alice");
  EXPECT_EQ(actions[0]["credential_id"].get<std::string>().size(), 12u);
}

TEST_F(AuthTest, RepeatedTokensAreServedFromTheVerifiedTokenCache) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Post("/mcp/example", InitializeBody(), With(alice_)).status, 200);
  const HttpResponse m = Request(gateway_->metrics_port(), "GET", "/metrics", "", {});
  EXPECT_NE(m.body.find(R"(mcpgw_token_cache_lookups_total{result="hit"} 2)"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find(R"(mcpgw_authentications_total{method="bearer",outcome="ok"} 3)"), std::string::npos);
}

TEST_F(AuthTest, SighupReloadsTheVerificationKeysWithoutDroppingAConnection) {
  ASSERT_EQ(Post("/mcp/example", InitializeBody(), With(alice_)).status, 200);
  // A keep-alive client that stays connected across the reload.
  HttpConnection kept(gateway_->port());
  ASSERT_EQ(kept.Request("POST", "/mcp/example", InitializeBody(), With(alice_)).status, 200);
  // Rotate the development key on disk: tokens of the old key must stop working.
  std::filesystem::remove_all(gateway_->data_dir() + "/dev-key");
  ASSERT_NE(RunBinary("dev-key init -c " + gateway_->config_path()), "");
  const std::string fresh = Mint("example", "alice");
  EXPECT_EQ(Post("/mcp/example", InitializeBody(), With(fresh)).status, 401) << "not before the reload";
  ASSERT_EQ(::kill(gateway_->pid(), SIGHUP), 0);
  ASSERT_TRUE(gateway_->WaitForLog(R"("what":"keys")", std::chrono::seconds(10))) << gateway_->Log();
  const auto events = gateway_->LogEvents();
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const nlohmann::json& e) {
    return e.value("event", "") == "reloaded" && e.value("what", "") == "keys";
  })) << gateway_->Log();
  EXPECT_EQ(Post("/mcp/example", InitializeBody(), With(fresh)).status, 200);
  EXPECT_EQ(Post("/mcp/example", InitializeBody(), With(alice_)).status, 401) << "the cached old token is verified again";
  // The same connection, still open: the old token refused, the new one served.
  const HttpResponse old_on_kept = kept.Request("POST", "/mcp/example", InitializeBody(), With(alice_));
  EXPECT_EQ(old_on_kept.status, 401) << old_on_kept.error;
  const HttpResponse fresh_on_kept = kept.Request("POST", "/mcp/example", InitializeBody(), With(fresh));
  EXPECT_EQ(fresh_on_kept.status, 200) << fresh_on_kept.error;
}

// SIGHUP re-reads the configuration file: an API key's audiences and a
// tool's scopes change from the next request; nothing else restarts.
TEST_F(AuthTest, SighupReloadsApiKeysAndRouteScopesFromTheConfigurationFile) {
  const std::pair<std::string, std::string> key{"X-API-Key", kApiKey};
  ASSERT_EQ(Modern("/mcp/other", "tools/call", "echo", key).status, 200);
  ASSERT_EQ(Modern("/mcp/example", "tools/call", "echo", key).status, 401);
  ASSERT_EQ(Modern("/mcp/example", "tools/call", "echo", Bearer(alice_)).status, 200);

  std::string yaml = ReadTestFile(gateway_->config_path());
  const auto replace = [&yaml](const std::string& from, const std::string& to) {
    const auto at = yaml.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    yaml.replace(at, from.size(), to);
  };
  replace("      audiences: [https://gw.test/mcp/other]\n      scopes: [other:use]\n",
          "      audiences: [https://gw.test/mcp/example]\n      scopes: [example:read]\n");
  replace("        echo: [example:read]\n", "        echo: [example:special]\n");
  std::ofstream(gateway_->config_path()) << yaml;
  ASSERT_EQ(::kill(gateway_->pid(), SIGHUP), 0);
  ASSERT_TRUE(gateway_->WaitForLog(R"("what":"routes")", std::chrono::seconds(10))) << gateway_->Log();

  EXPECT_EQ(Modern("/mcp/other", "tools/call", "echo", key).status, 401) << "the key's old audience is gone";
  EXPECT_EQ(Modern("/mcp/example", "tools/call", "divide", key).status, 403) << "divide needs example:write";
  const HttpResponse denied = Modern("/mcp/example", "tools/call", "echo", Bearer(alice_));
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(denied.Header("www-authenticate"),
            R"(Bearer error="insufficient_scope", scope="example:call example:special", )"
            R"(resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/example")");
  for (const nlohmann::json& e : gateway_->LogEvents()) EXPECT_NE(e.value("event", ""), "reload_failed") << e;
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

// The binary refuses to start, naming the key, rather than serve with less
// protection than configured.
TEST(AuthStartup, RefusesAnotherHostWithoutAuthentication) {
  GatewayProcess gateway(
      "server:\n  listen: 0.0.0.0:0\n  data_dir: ${DATA_DIR}\nmetrics:\n  listen: 127.0.0.1:0\n"
      "plugin_dir: ${PLUGIN_DIR}\nplugins:\n  - name: example\n    file: example.so\n"
      "routes:\n  - name: example\n    path: /mcp/example\n    plugin: example\n");
  EXPECT_FALSE(gateway.Start());
  EXPECT_NE(gateway.Wait(std::chrono::seconds(10)).exit_code, 0);
  EXPECT_NE(gateway.Log().find("server.listen: must be a loopback address"), std::string::npos) << gateway.Log();
}

TEST(AuthStartup, RefusesAJwksUrlOverPlainHttpToAnotherHost) {
  std::string config = AuthConfig("${DATA_DIR}/dev-key/jwks.json");
  const std::string local = "      jwks_file: ${DATA_DIR}/dev-key/jwks.json\n";
  config.replace(config.find(local), local.size(), "      jwks_url: http://idp.example.com/jwks.json\n");
  GatewayProcess gateway(config);
  EXPECT_FALSE(gateway.Start());
  EXPECT_NE(gateway.Wait(std::chrono::seconds(10)).exit_code, 0);
  EXPECT_NE(gateway.Log().find("auth.issuers[0].jwks_url: must be https:// (plain http only to a loopback host)"),
            std::string::npos)
      << gateway.Log();
}

// /readyz stays false while an issuer's JWKS URL has not answered once (no
// token of it could verify), and turns true once its keys are in.
TEST(AuthStartup, IsNotReadyUntilTheIssuersKeysAreLoaded) {
  std::string config = AuthConfig("${DATA_DIR}/dev-key/jwks.json");
  std::mutex mu;
  std::string jwks;  // empty: the identity provider answers 503
  OriginServer idp([&](const OriginRequest&) {
    const std::lock_guard lock(mu);
    return jwks.empty() ? OriginReply{503, "down", "", "", std::chrono::milliseconds(0)}
                        : OriginReply{200, jwks, "max-age=300", "", std::chrono::milliseconds(0)};
  });
  const std::string local = "      jwks_file: ${DATA_DIR}/dev-key/jwks.json\n";
  config.replace(config.find(local), local.size(), "      jwks_url: " + idp.Url("/jwks.json") + "\n");
  GatewayProcess gateway(config);
  ASSERT_NE(RunBinary("dev-key init -c " + gateway.config_path()), "");
  ASSERT_TRUE(gateway.Start(std::chrono::seconds(20), GatewayProcess::WaitFor::kListening)) << gateway.Log();
  ASSERT_TRUE(idp.WaitForRequests(1, std::chrono::seconds(10)));

  const HttpResponse not_ready = Request(gateway.metrics_port(), "GET", "/readyz", "", {});
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(not_ready.body, "not ready:\n- no verification keys loaded yet for issuer urn:mcp-gateway:dev\n");
  {
    const std::lock_guard lock(mu);
    jwks = ReadTestFile(gateway.data_dir() + "/dev-key/jwks.json");
  }
  ASSERT_FALSE(jwks.empty());
  EXPECT_TRUE(gateway.WaitUntilReady(std::chrono::seconds(15))) << gateway.Log();
}

}  // namespace
}  // namespace mcpgw::testing
