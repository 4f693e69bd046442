// Reloading the set of routes (ADR 0019) with the real binary: SIGHUP or
// `POST /admin/v1/reload` after the configuration file added, removed or
// re-pointed routes. A new route serves at once (HTTP and gRPC); a removed
// one answers the exact 404 of an unknown path and its streams end; a
// re-pointed one answers on its new path only, with its new audience; the
// connections, sessions and routes that stay keep working; a route naming a
// plugin that is not running changes nothing.
#include "support/dev_tokens.h"
#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/test_files.h"

#include "mcpgw/mcp/v1/mcp.grpc.pb.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace mcpgw::testing {
namespace {

using json = nlohmann::json;
namespace v1 = ::mcpgw::mcp::v1;

constexpr char kPublicUrl[] = "https://gw.test";

std::string RouteYaml(const std::string& name, const std::string& path, const std::string& plugin,
                      const std::string& extra = "") {
  return "  - name: " + name + "\n    path: " + path + "\n    plugin: " + plugin + "\n" + extra;
}

// No auth: section (loopback only). Both plugins run from the start; the
// routes come last, so a test rewrites them by replacing everything after
// "routes:\n".
std::string ConfigWithoutAuth(const std::string& routes, const std::string& server_extra = "") {
  return std::string("server:\n  listen: 127.0.0.1:0\n  public_url: ") + kPublicUrl +
         "\n  data_dir: ${DATA_DIR}\n" + server_extra +
         "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n"
         "plugins:\n  - name: example\n    file: example.so\n  - name: memory\n    file: memory.so\n"
         "routes:\n" + routes;
}

// Replaces the routes of the file the gateway reads (and, with `plugins`,
// its plugins section too).
void RewriteRoutes(const GatewayProcess& gateway, const std::string& routes, const std::string& plugins = "") {
  std::string yaml = ReadTestFile(gateway.config_path());
  const auto at = yaml.find("routes:\n");
  ASSERT_NE(at, std::string::npos) << yaml;
  yaml = yaml.substr(0, at + 8) + routes;
  if (!plugins.empty()) {
    const auto from = yaml.find("plugins:\n");
    ASSERT_NE(from, std::string::npos) << yaml;
    yaml = yaml.substr(0, from) + plugins + yaml.substr(yaml.find("routes:\n"));
  }
  std::ofstream(gateway.config_path(), std::ios::trunc) << yaml;
}

// The log line of the first routes step (reloaded or reload_failed), once
// it is out; null after 10 s.
json RoutesStep(const GatewayProcess& gateway) {
  if (!gateway.WaitForLog(R"("what":"routes")", std::chrono::seconds(10))) return nullptr;
  for (const json& e : gateway.LogEvents()) {
    if (e.value("what", "") == "routes") return e;
  }
  return nullptr;
}

// Sends SIGHUP and returns the log line of the routes step it ran.
json ReloadBySighup(const GatewayProcess& gateway) {
  EXPECT_EQ(::kill(gateway.pid(), SIGHUP), 0);
  return RoutesStep(gateway);
}

std::string ToolCallBody(const std::string& tool, const json& arguments, const json& id = 1) {
  return json{{"jsonrpc", "2.0"},
              {"id", id},
              {"method", "tools/call"},
              {"params", {{"name", tool}, {"arguments", arguments}, {"_meta", ModernMeta()}}}}
      .dump();
}

// A stateless-era tools/call on a new connection; `headers` default to
// ModernHeaders for the tool.
HttpResponse CallTool(uint16_t port, const std::string& path, const std::string& tool, const json& arguments,
                      const Headers& headers = {}) {
  return Request(port, "POST", path, ToolCallBody(tool, arguments),
                 headers.empty() ? ModernHeaders("tools/call", tool) : headers);
}

HttpResponse Echo(uint16_t port, const std::string& path, const std::string& text) {
  return CallTool(port, path, "echo", {{"text", text}});
}

// The JSON of each `data:` line of an SSE body.
std::vector<json> SseEvents(const std::string& body) {
  std::vector<json> out;
  for (std::size_t at = body.find("data: "); at != std::string::npos; at = body.find("data: ", at + 1)) {
    const json event = json::parse(body.substr(at + 6, body.find('\n', at) - at - 6), nullptr, false);
    if (!event.is_discarded()) out.push_back(event);
  }
  return out;
}

// The exact answer the gateway gives for a path no route serves (the
// request is not read, so the error has no id).
void ExpectUnknownPath(const HttpResponse& r, const std::string& path) {
  EXPECT_EQ(r.status, 404) << path << ": " << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Json(), (json{{"jsonrpc", "2.0"},
                            {"error",
                             {{"code", -32600},
                              {"message", "No MCP route at " + path + "; see the gateway's configured routes"}}}}))
      << r.body;
}

// Opens a session-era session on `connection` and returns its id.
std::string OpenSession(HttpConnection& connection, const std::string& path) {
  const HttpResponse init = connection.Request("POST", path, InitializeBody(), McpHeaders());
  EXPECT_EQ(init.status, 200) << init.error << init.body;
  const std::string sid = init.Header("mcp-session-id");
  EXPECT_FALSE(sid.empty());
  EXPECT_EQ(connection
                .Request("POST", path, R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
                         McpHeaders(sid, "2025-11-25"))
                .status,
            202);
  return sid;
}

std::string SessionToolCall(const std::string& text, int id) {
  return json{{"jsonrpc", "2.0"},
              {"id", id},
              {"method", "tools/call"},
              {"params", {{"name", "echo"}, {"arguments", {{"text", text}}}}}}
      .dump();
}

const std::string kRoutesAtStart = RouteYaml("a", "/mcp/a", "example") + RouteYaml("c", "/mcp/c", "example") +
                                   RouteYaml("d", "/mcp/d", "example");

// The test the task names: add b (on a plugin no route used), remove c,
// re-point d, over one SIGHUP, with a keep-alive connection and a session
// on a opened before it.
TEST(RouteReload, SighupAddsRemovesAndRepointsRoutesWithoutDroppingAConnection) {
  GatewayProcess gateway(ConfigWithoutAuth(kRoutesAtStart));
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  const uint16_t port = gateway.port();
  ExpectUnknownPath(Echo(port, "/mcp/b", "not yet"), "/mcp/b");

  HttpConnection kept(port);
  ASSERT_EQ(kept.connect_error(), "");
  const std::string a_session = OpenSession(kept, "/mcp/a");
  ASSERT_EQ(kept.Request("POST", "/mcp/a", SessionToolCall("before", 2), McpHeaders(a_session, "2025-11-25")).status, 200);
  HttpConnection other(port);
  const std::string d_session = OpenSession(other, "/mcp/d");
  const std::string c_session = OpenSession(other, "/mcp/c");
  // Streams of the route that goes: a session's GET stream, a listen stream.
  StreamingResponse c_get(port, "GET", "/mcp/c", "",
                          {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", c_session}, {"MCP-Protocol-Version", "2025-11-25"}});
  ASSERT_EQ(c_get.status(), 200);
  c_get.ReadUntil([](const std::string& b) { return b.find("retry:") != std::string::npos; }, std::chrono::seconds(5));
  const json listen{{"jsonrpc", "2.0"},
                    {"id", "c-listen"},
                    {"method", "subscriptions/listen"},
                    {"params", {{"_meta", ModernMeta()}, {"notifications", {{"toolsListChanged", true}}}}}};
  StreamingResponse c_listen(port, "POST", "/mcp/c", listen.dump(), ModernHeaders("subscriptions/listen"));
  ASSERT_EQ(c_listen.status(), 200);
  c_listen.ReadUntil([](const std::string& b) { return b.find("acknowledged") != std::string::npos; },
                     std::chrono::seconds(5));
  ASSERT_FALSE(c_get.ended());
  ASSERT_FALSE(c_listen.ended());

  RewriteRoutes(gateway, RouteYaml("a", "/mcp/a", "example") + RouteYaml("b", "/mcp/b", "memory") +
                             RouteYaml("d", "/mcp/d2", "example"));
  const json step = ReloadBySighup(gateway);
  ASSERT_FALSE(step.is_null()) << gateway.Log();
  EXPECT_EQ(step.value("event", ""), "reloaded") << step;
  EXPECT_EQ(step.value("changed", ""),
            "added b (/mcp/b, plugin memory); removed c; re-pointed d (path /mcp/d -> /mcp/d2, resource "
            "https://gw.test/mcp/d -> https://gw.test/mcp/d2)");
  for (const json& e : gateway.LogEvents()) EXPECT_NE(e.value("event", ""), "reload_failed") << e;

  // b serves its plugin's tools.
  const HttpResponse created =
      CallTool(port, "/mcp/b", "create_entities",
               {{"entities", {{{"name", "reload"}, {"entityType", "event"}, {"observations", {"live"}}}}}});
  EXPECT_EQ(created.status, 200) << created.body;
  const HttpResponse graph = CallTool(port, "/mcp/b", "read_graph", json::object());
  ASSERT_EQ(graph.status, 200) << graph.body;
  EXPECT_EQ(graph.Json()["id"], 1);
  EXPECT_EQ(graph.Json()["result"]["resultType"], "complete");
  EXPECT_EQ(json::parse(graph.Json()["result"]["content"][0]["text"].get<std::string>()),
            (json{{"entities", {{{"name", "reload"}, {"entityType", "event"}, {"observations", {"live"}}}}},
                  {"relations", json::array()}}))
      << graph.body;

  // c is gone: the answer of any unknown path; its streams ended.
  ExpectUnknownPath(Echo(port, "/mcp/c", "gone"), "/mcp/c");
  ExpectUnknownPath(other.Request("POST", "/mcp/c", SessionToolCall("gone", 3), McpHeaders(c_session, "2025-11-25")),
                    "/mcp/c");
  c_get.ReadUntil([](const std::string&) { return false; }, std::chrono::seconds(10));
  EXPECT_TRUE(c_get.ended()) << "the removed route's GET stream ends";
  const std::string listened = c_listen.ReadUntil([](const std::string&) { return false; }, std::chrono::seconds(10));
  EXPECT_TRUE(c_listen.ended()) << "the removed route's listen stream ends";
  const std::vector<json> events = SseEvents(listened);
  ASSERT_FALSE(events.empty()) << listened;
  EXPECT_EQ(events.back()["id"], "c-listen") << listened;
  EXPECT_EQ(events.back()["result"]["resultType"], "complete") << listened;

  // d answers on its new path only; its old sessions are unknown there.
  const HttpResponse echoed = Echo(port, "/mcp/d2", "moved");
  ASSERT_EQ(echoed.status, 200) << echoed.body;
  EXPECT_EQ(echoed.Json()["result"]["content"][0]["text"], "moved");
  ExpectUnknownPath(Echo(port, "/mcp/d", "old"), "/mcp/d");
  const HttpResponse old_session =
      other.Request("POST", "/mcp/d2", SessionToolCall("old session", 4), McpHeaders(d_session, "2025-11-25"));
  EXPECT_EQ(old_session.status, 404) << old_session.body;
  EXPECT_EQ(old_session.Json()["error"]["message"], "Session not found: it ended or expired; send initialize again");

  // The connection and the session opened before the reload still work.
  const HttpResponse after =
      kept.Request("POST", "/mcp/a", SessionToolCall("after", 5), McpHeaders(a_session, "2025-11-25"));
  ASSERT_EQ(after.status, 200) << after.error << after.body;
  EXPECT_EQ(after.Json()["result"]["content"][0]["text"], "after");
}

// All or nothing: a route naming a plugin that is not running (plugins are
// loaded at start) fails the routes step, and no route changes, not even
// the removal asked for in the same file.
TEST(RouteReload, ARouteOnAPluginThatIsNotRunningChangesNoRoute) {
  GatewayProcess gateway(
      "server:\n  listen: 127.0.0.1:0\n  data_dir: ${DATA_DIR}\nmetrics:\n  listen: 127.0.0.1:0\n"
      "plugin_dir: ${PLUGIN_DIR}\nplugins:\n  - name: example\n    file: example.so\nroutes:\n" +
      kRoutesAtStart);
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  const uint16_t port = gateway.port();
  HttpConnection kept(port);
  const std::string a_session = OpenSession(kept, "/mcp/a");

  RewriteRoutes(gateway,
                RouteYaml("a", "/mcp/a", "example") + RouteYaml("d", "/mcp/d2", "example") +
                    RouteYaml("m", "/mcp/m", "memory"),
                "plugins:\n  - name: example\n    file: example.so\n  - name: memory\n    file: memory.so\n");
  const json step = ReloadBySighup(gateway);
  ASSERT_FALSE(step.is_null()) << gateway.Log();
  EXPECT_EQ(step.value("event", ""), "reload_failed") << step;
  EXPECT_EQ(step.value("reason", ""),
            "route m names plugin \"memory\", which is not running (plugins are loaded at start: restart to add "
            "one); no route was changed");
  bool named_restart = false;
  for (const json& e : gateway.LogEvents()) {
    named_restart = named_restart || (e.value("what", "") == "config" &&
                                      e.value("reason", "") ==
                                          "changed but only applied by a restart: plugins; everything else was reloaded");
  }
  EXPECT_TRUE(named_restart) << gateway.Log();

  ExpectUnknownPath(Echo(port, "/mcp/m", "new"), "/mcp/m");
  ExpectUnknownPath(Echo(port, "/mcp/d2", "moved"), "/mcp/d2");
  for (const std::string path : {"/mcp/a", "/mcp/c", "/mcp/d"}) {
    const HttpResponse r = Echo(port, path, "still here");
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_EQ(r.Json()["result"]["content"][0]["text"], "still here") << path;
  }
  EXPECT_EQ(kept.Request("POST", "/mcp/a", SessionToolCall("kept", 2), McpHeaders(a_session, "2025-11-25")).status, 200);
}

// A route added by a reload is callable through the gRPC door at once.
TEST(RouteReload, ARouteAddedBySighupIsCallableOverGrpc) {
  GatewayProcess gateway(ConfigWithoutAuth(RouteYaml("a", "/mcp/a", "example"), "  grpc:\n    listen: 127.0.0.1:0\n"));
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  uint16_t grpc_port = 0;
  for (const json& e : gateway.LogEvents()) {
    const std::string address = e.value("grpc", "");
    if (e.value("event", "") == "listening") grpc_port = static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
  }
  ASSERT_NE(grpc_port, 0) << gateway.Log();
  auto stub = v1::Mcp::NewStub(
      ::grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port), ::grpc::InsecureChannelCredentials()));
  const auto call = [&stub](const std::string& route, v1::CallToolResponse* response) {
    v1::CallToolRequest request;
    request.set_route(route);
    request.set_name("echo");
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(R"({"text":"over gRPC"})", request.mutable_arguments()).ok());
    ::grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub->CallTool(&context, request, response);
  };
  v1::CallToolResponse response;
  const ::grpc::Status before = call("b", &response);
  EXPECT_EQ(before.error_code(), ::grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(before.error_message(), "No MCP route named \"b\"; see the gateway's configured routes");

  RewriteRoutes(gateway, RouteYaml("a", "/mcp/a", "example") + RouteYaml("b", "/mcp/b", "example"));
  const json step = ReloadBySighup(gateway);
  ASSERT_FALSE(step.is_null()) << gateway.Log();
  EXPECT_EQ(step.value("changed", ""), "added b (/mcp/b, plugin example)") << step;

  const ::grpc::Status after = call("b", &response);
  ASSERT_TRUE(after.ok()) << after.error_message();
  ASSERT_EQ(response.content_size(), 1);
  EXPECT_EQ(response.content(0).text(), "over gRPC");
  EXPECT_FALSE(response.is_error());
}

// With authentication: a re-pointed resource is the route's audience from
// the next request on. Reloaded through the admin API, whose report names
// the change.
// Every scope class open to any token.
std::string OpenScopes() {
  return "    scopes:\n      list: []\n      read: []\n      call: []\n      admin: []\n"
         "      tools:\n        \"*\": []\n";
}

// With auth: (the development key) and the admin API; route a on example.
std::string ConfigWithAuthAndAdmin() {
  return std::string("server:\n  listen: 127.0.0.1:0\n  public_url: ") + kPublicUrl +
         "\n  data_dir: ${DATA_DIR}\nmetrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n"
         "auth:\n  issuers:\n    - issuer: urn:mcp-gateway:dev\n"
         "      jwks_file: ${DATA_DIR}/dev-key/jwks.json\n"
         "admin:\n  listen: 127.0.0.1:0\n"
         "plugins:\n  - name: example\n    file: example.so\nroutes:\n" +
         RouteYaml("a", "/mcp/a", "example", OpenScopes());
}

// A public_url changed in the file waits for a restart (the reload says so),
// and so do the resources that follow it: before, the routes step re-pointed
// every such route to the new URL, and every token minted for the served
// one was refused until the restart.
TEST(RouteReload, AChangedPublicUrlWaitsForTheRestartAndSoDoTheResourcesThatFollowIt) {
  GatewayProcess gateway(ConfigWithAuthAndAdmin());
  const ProcessResult init = RunGateway({"dev-key", "init", "-c", gateway.config_path()});
  ASSERT_EQ(init.exit_code, 0) << init.stderr_text;
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  const std::string token = MintToken(gateway.config_path(), {"--aud", "https://gw.test/mcp/a", "--sub", "alice"});
  const std::string admin =
      MintToken(gateway.config_path(), {"--aud", "urn:mcp-gateway:admin", "--sub", "ops", "--scope", "mcpgw:admin"});
  Headers call = ModernHeaders("tools/call", "echo");
  call.emplace_back("Authorization", "Bearer " + token);
  ASSERT_EQ(CallTool(gateway.port(), "/mcp/a", "echo", {{"text", "x"}}, call).status, 200);

  std::string yaml = ReadTestFile(gateway.config_path());
  yaml.replace(yaml.find(kPublicUrl), std::string(kPublicUrl).size(), "https://elsewhere.test");
  std::ofstream(gateway.config_path(), std::ios::trunc) << yaml;
  const HttpResponse reload = Request(gateway.admin_port(), "POST", "/admin/v1/reload", "",
                                      {{"Authorization", "Bearer " + admin}});
  EXPECT_EQ(reload.status, 500) << reload.body;
  EXPECT_EQ(reload.Json()["steps"][0],
            (json{{"what", "config"},
                  {"ok", false},
                  {"error", "changed but only applied by a restart: server; everything else was reloaded"}}))
      << reload.body;
  EXPECT_EQ(reload.Json()["steps"].back(), (json{{"what", "routes"}, {"ok", true}})) << reload.body;

  const HttpResponse after = CallTool(gateway.port(), "/mcp/a", "echo", {{"text", "still served"}}, call);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.Json()["result"]["content"][0]["text"], "still served");
  const HttpResponse metadata = Request(gateway.port(), "GET", "/.well-known/oauth-protected-resource/mcp/a", "", {});
  ASSERT_EQ(metadata.status, 200) << metadata.body;
  EXPECT_EQ(metadata.Json()["resource"], "https://gw.test/mcp/a");
}

TEST(RouteReload, ARepointedResourceIsTheAudienceFromTheNextRequestOnAfterAnAdminReload) {
  const std::string scopes = OpenScopes();
  GatewayProcess gateway(ConfigWithAuthAndAdmin());
  const ProcessResult init = RunGateway({"dev-key", "init", "-c", gateway.config_path()});
  ASSERT_EQ(init.exit_code, 0) << init.stderr_text;
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  const uint16_t port = gateway.port();
  const std::string old_token = MintToken(gateway.config_path(), {"--aud", "https://gw.test/mcp/a", "--sub", "alice"});
  const std::string new_token = MintToken(gateway.config_path(), {"--aud", "https://gw.test/mcp/a/v2", "--sub", "alice"});
  const std::string admin =
      MintToken(gateway.config_path(), {"--aud", "urn:mcp-gateway:admin", "--sub", "ops", "--scope", "mcpgw:admin"});
  const auto with = [](const std::string& token) {
    Headers h = ModernHeaders("tools/call", "echo");
    h.emplace_back("Authorization", "Bearer " + token);
    return h;
  };
  HttpConnection kept(port);
  ASSERT_EQ(kept.Request("POST", "/mcp/a", ToolCallBody("echo", {{"text", "x"}}), with(old_token)).status, 200);
  EXPECT_EQ(CallTool(port, "/mcp/a", "echo", {{"text", "x"}}, with(new_token)).status, 401) << "not before the reload";

  RewriteRoutes(gateway,
                RouteYaml("a", "/mcp/a", "example", "    resource: https://gw.test/mcp/a/v2\n" + scopes));
  const HttpResponse reload = Request(gateway.admin_port(), "POST", "/admin/v1/reload", "",
                                      {{"Authorization", "Bearer " + admin}});
  ASSERT_EQ(reload.status, 200) << reload.body;
  EXPECT_EQ(reload.Json(),
            (json{{"ok", true},
                  {"steps",
                   {{{"what", "config"}, {"ok", true}},
                    {{"what", "keys"}, {"ok", true}},
                    {{"what", "api_keys"}, {"ok", true}},
                    {{"what", "limits"}, {"ok", true}},
                    {{"what", "routes"},
                     {"ok", true},
                     {"changed", "re-pointed a (resource https://gw.test/mcp/a -> https://gw.test/mcp/a/v2)"}}}}}))
      << reload.body;

  // The token for the old audience is refused on the connection opened before.
  const HttpResponse refused = kept.Request("POST", "/mcp/a", ToolCallBody("echo", {{"text", "x"}}), with(old_token));
  EXPECT_EQ(refused.status, 401) << refused.error << refused.body;
  EXPECT_EQ(refused.Header("www-authenticate"),
            R"(Bearer resource_metadata="https://gw.test/.well-known/oauth-protected-resource/mcp/a/v2", error="invalid_token")");
  const HttpResponse accepted = CallTool(port, "/mcp/a", "echo", {{"text", "new audience"}}, with(new_token));
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.Json()["result"]["content"][0]["text"], "new audience");
  // The admin API lists the route as it is served now.
  const HttpResponse routes = Request(gateway.admin_port(), "GET", "/admin/v1/routes", "",
                                      {{"Authorization", "Bearer " + admin}});
  ASSERT_EQ(routes.status, 200) << routes.body;
  EXPECT_EQ(routes.Json()["routes"][0]["resource"], "https://gw.test/mcp/a/v2") << routes.body;
  EXPECT_EQ(routes.Json()["routes"][0]["tools"], 2) << routes.body;
  // The protected-resource metadata names the new resource.
  const HttpResponse metadata = Request(port, "GET", "/.well-known/oauth-protected-resource/mcp/a/v2", "", {});
  ASSERT_EQ(metadata.status, 200) << metadata.body;
  EXPECT_EQ(metadata.Json()["resource"], "https://gw.test/mcp/a/v2");
}

}  // namespace
}  // namespace mcpgw::testing
