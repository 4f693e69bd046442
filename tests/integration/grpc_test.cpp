// The gRPC front door (ADR 0018) against the real binary with the real C++
// gRPC client: every RPC of mcpgw.mcp.v1.Mcp on real plugins, every refusal
// as its exact status code and message (with google.rpc.RetryInfo and
// retry-after for the retryable ones), streaming progress and log messages
// before the result, route-bound tokens, revocation through the admin API,
// opaque tokens through introspection, reflection and the standard health
// service. A refusal reaches no plugin and puts no credential in the log.
#include "support/dev_tokens.h"
#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/introspection_fixture.h"
#include "support/origin_server.h"
#include "support/redis_server.h"
#include "support/test_ca.h"
#include "support/test_files.h"

#include "support/grpc_status_details.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "mcpgw/admin/v1/admin.grpc.pb.h"
#include "mcpgw/mcp/v1/mcp.grpc.pb.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <gtest/gtest.h>

#include <signal.h>

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
namespace v1 = ::mcpgw::mcp::v1;
namespace admin_v1 = ::mcpgw::admin::v1;

constexpr char kPublicUrl[] = "https://gw.test";
constexpr char kAdminAudience[] = "urn:mcp-gateway:admin";

// The route section of one route whose every method and tool needs `scope`.
std::string Route(const std::string& name, const std::string& plugin, const std::string& scope) {
  return "  - name: " + name + "\n    path: /mcp/" + name + "\n    plugin: " + plugin +
         "\n    scopes:\n      list: [" + scope + "]\n      read: [" + scope + "]\n      call: []\n      admin: [" +
         scope + "]\n      tools:\n        \"*\": [" + scope + "]\n";
}

// Every plugin this build has, each on its own route; the example plugin
// twice, the second route with a limit of one call per subject.
std::string AuthConfig() {
  std::string plugins = "plugins:\n  - name: example\n    file: example.so\n  - name: memory\n    file: memory.so\n"
                        "  - name: conformance\n    file: conformance.so\n";
  std::string routes = "routes:\n" + Route("example", "example", "example:use") + Route("limited", "example", "example:use") +
                       Route("memory", "memory", "memory:use") + Route("conformance", "conformance", "conf:use");
#ifdef MCPGW_TEST_HAS_FILESYSTEM
  plugins += "  - name: filesystem\n    file: filesystem.so\n    config:\n      roots:\n"
             "        - {name: work, path: ${DATA_DIR}/../fsroot}\n";
  routes += Route("filesystem", "filesystem", "fs:use");
#endif
#ifdef MCPGW_TEST_HAS_GIT
  plugins += "  - name: git\n    file: git.so\n    config:\n      roots: [${DATA_DIR}/../repos]\n";
  routes += Route("git", "git", "git:use");
#endif
#ifdef MCPGW_TEST_HAS_VECTOR
  plugins += "  - name: vector\n    file: vector.so\n";
  routes += Route("vector", "vector", "vector:use");
#endif
  return std::string("server:\n  listen: 127.0.0.1:0\n  public_url: ") + kPublicUrl +
         "\n  data_dir: ${DATA_DIR}\n  grpc:\n    listen: 127.0.0.1:0\n"
         "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n"
         "auth:\n  issuers:\n    - issuer: urn:mcp-gateway:dev\n      jwks_file: ${DATA_DIR}/dev-key/jwks.json\n"
         "admin:\n  listen: 127.0.0.1:0\n"
         "rate_limits:\n  headers: always\n  policies:\n    - name: one-call\n      by: [subject]\n      limit: 1\n      window_s: 3600\n"
         "      match: {route: limited, method: tools/call}\n" +
         plugins + routes;
}

// The port of the "grpc" entry of the gateway's listening line.
uint16_t GrpcPort(const GatewayProcess& gateway) {
  for (const json& e : gateway.LogEvents()) {
    if (e.value("event", "") != "listening") continue;
    const std::string address = e.value("grpc", "");
    const auto colon = address.rfind(':');
    if (colon != std::string::npos) return static_cast<uint16_t>(std::stoi(address.substr(colon + 1)));
  }
  return 0;
}

std::unique_ptr<v1::Mcp::Stub> McpStub(uint16_t port) {
  return v1::Mcp::NewStub(
      ::grpc::CreateChannel("127.0.0.1:" + std::to_string(port), ::grpc::InsecureChannelCredentials()));
}

std::string Text(const v1::CallToolResponse& response) {
  return response.content_size() > 0 ? response.content(0).text() : "";
}

google::protobuf::Struct StructOf(const json& value) {
  google::protobuf::Struct out;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(value.dump(), &out).ok());
  return out;
}

v1::CallToolRequest ToolCall(const std::string& route, const std::string& name, const json& arguments = json::object()) {
  v1::CallToolRequest request;
  request.set_route(route);
  request.set_name(name);
  *request.mutable_arguments() = StructOf(arguments);
  return request;
}

std::string TrailingMetadata(const ::grpc::ClientContext& context, const std::string& key) {
  const auto& md = context.GetServerTrailingMetadata();
  const auto it = md.find(key);
  return it == md.end() ? "" : std::string(it->second.data(), it->second.size());
}

class GrpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gateway_ = std::make_unique<GatewayProcess>(AuthConfig());
    std::filesystem::create_directories(gateway_->data_dir() + "/../fsroot");
    std::filesystem::create_directories(gateway_->data_dir() + "/../repos/project");
#ifdef MCPGW_TEST_HAS_GIT
    ASSERT_EQ(std::system(("git init -q " + gateway_->data_dir() + "/../repos/project").c_str()), 0);
#endif
    const ProcessResult init = RunGateway({"dev-key", "init", "-c", gateway_->config_path()});
    ASSERT_EQ(init.exit_code, 0) << init.stderr_text;
    ASSERT_TRUE(gateway_->Start()) << gateway_->Log();
    port_ = GrpcPort(*gateway_);
    ASSERT_NE(port_, 0) << gateway_->Log();
    stub_ = McpStub(port_);
  }

  std::string Mint(const std::vector<std::string>& args) { return MintToken(gateway_->config_path(), args); }
  std::string TokenFor(const std::string& route, const std::string& subject = "alice") {
    return Mint({"--route", route, "--sub", subject, "--route-scopes"});
  }

  // A context carrying `token` as a bearer credential, with a deadline.
  static std::unique_ptr<::grpc::ClientContext> As(const std::string& token) {
    auto context = std::make_unique<::grpc::ClientContext>();
    if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return context;
  }

  ::grpc::Status Call(const std::string& token, const v1::CallToolRequest& request, v1::CallToolResponse* response) {
    return stub_->CallTool(As(token).get(), request, response);
  }

  // The status of a tools/list on `route` with `context`.
  ::grpc::Status List(::grpc::ClientContext* context, const std::string& route) {
    v1::ListToolsRequest request;
    request.set_route(route);
    v1::ListToolsResponse response;
    return stub_->ListTools(context, request, &response);
  }

  void ExpectNoPluginCallAndNoSecretInLog(const std::string& secret) {
    EXPECT_EQ(MetricSum(gateway_->metrics_port(), "mcpgw_plugin_calls_total", {"operation=\"call_tool\""}), 0)
        << "a refused call reached a plugin";
    if (!secret.empty()) {
      EXPECT_EQ(gateway_->Log().find(secret), std::string::npos) << "the log holds a credential";
    }
  }

  std::unique_ptr<GatewayProcess> gateway_;
  uint16_t port_ = 0;
  std::unique_ptr<v1::Mcp::Stub> stub_;
};

TEST_F(GrpcTest, ServesEveryMcpRpcOnTheExampleAndConformancePlugins) {
  const std::string example = TokenFor("example");
  const std::string conformance = TokenFor("conformance");

  v1::ListToolsRequest list;
  list.set_route("example");
  v1::ListToolsResponse tools;
  ASSERT_TRUE(stub_->ListTools(As(example).get(), list, &tools).ok());
  ASSERT_EQ(tools.tools_size(), 2);
  EXPECT_EQ(tools.tools(0).name(), "echo");
  EXPECT_TRUE(tools.tools(0).annotations().read_only_hint());
  EXPECT_EQ(tools.tools(0).input_schema().fields().at("type").string_value(), "object");

  v1::CallToolResponse echoed;
  ASSERT_TRUE(Call(example, ToolCall("example", "echo", {{"text", "över gRPC"}}), &echoed).ok());
  EXPECT_EQ(Text(echoed), "över gRPC");
  EXPECT_FALSE(echoed.is_error());

  v1::CallToolResponse divided;
  ASSERT_TRUE(Call(example, ToolCall("example", "divide", {{"a", 7}, {"b", 2}}), &divided).ok());
  EXPECT_EQ(divided.structured_content().fields().at("quotient").number_value(), 3.5);

  v1::ListResourcesRequest resources_request;
  resources_request.set_route("example");
  v1::ListResourcesResponse resources;
  ASSERT_TRUE(stub_->ListResources(As(example).get(), resources_request, &resources).ok());
  ASSERT_EQ(resources.resources_size(), 1);
  EXPECT_EQ(resources.resources(0).uri(), "example://greeting");
  EXPECT_EQ(resources.resources(0).mime_type(), "text/plain");

  v1::ReadResourceRequest read;
  read.set_route("example");
  read.set_uri("example://greeting");
  v1::ReadResourceResponse contents;
  ASSERT_TRUE(stub_->ReadResource(As(example).get(), read, &contents).ok());
  ASSERT_EQ(contents.contents_size(), 1);
  EXPECT_EQ(contents.contents(0).text(), "Hello, alice!");

  v1::ListPromptsRequest prompts_request;
  prompts_request.set_route("example");
  v1::ListPromptsResponse prompts;
  ASSERT_TRUE(stub_->ListPrompts(As(example).get(), prompts_request, &prompts).ok());
  ASSERT_EQ(prompts.prompts_size(), 1);
  EXPECT_EQ(prompts.prompts(0).name(), "greet");
  EXPECT_TRUE(prompts.prompts(0).arguments(0).required());

  v1::GetPromptRequest get;
  get.set_route("example");
  get.set_name("greet");
  (*get.mutable_arguments())["who"] = "Bob";
  v1::GetPromptResponse prompt;
  ASSERT_TRUE(stub_->GetPrompt(As(example).get(), get, &prompt).ok());
  ASSERT_EQ(prompt.messages_size(), 1);
  EXPECT_EQ(prompt.messages(0).role(), "user");
  EXPECT_EQ(prompt.messages(0).content().text(), "Hello, Bob!");

  // Templates and completions: the conformance plugin has them.
  v1::ListResourceTemplatesRequest templates_request;
  templates_request.set_route("conformance");
  v1::ListResourceTemplatesResponse templates;
  ASSERT_TRUE(stub_->ListResourceTemplates(As(conformance).get(), templates_request, &templates).ok());
  ASSERT_GE(templates.resource_templates_size(), 1);
  EXPECT_EQ(templates.resource_templates(0).uri_template(), "test://template/{id}/data");

  v1::CompleteRequest complete;
  complete.set_route("conformance");
  complete.mutable_ref()->set_type("ref/prompt");
  complete.mutable_ref()->set_name("test_prompt_with_arguments");
  complete.mutable_argument()->set_name("arg1");
  complete.mutable_argument()->set_value("te");
  v1::CompleteResponse completion;
  const ::grpc::Status completed = stub_->Complete(As(conformance).get(), complete, &completion);
  ASSERT_TRUE(completed.ok()) << completed.error_message();
  ASSERT_EQ(completion.completion().values_size(), 3);
  EXPECT_EQ(completion.completion().values(0), "test1");
  EXPECT_EQ(completion.completion().total(), 3);

  // Binary resource contents arrive as bytes, not base64 text.
  v1::ReadResourceRequest binary;
  binary.set_route("conformance");
  binary.set_uri("test://static-binary");
  v1::ReadResourceResponse blob;
  ASSERT_TRUE(stub_->ReadResource(As(conformance).get(), binary, &blob).ok());
  ASSERT_EQ(blob.contents_size(), 1);
  EXPECT_FALSE(blob.contents(0).blob().empty());
}

TEST_F(GrpcTest, ServesTheMemoryPluginAndEveryOtherBuiltPlugin) {
  const std::string memory = TokenFor("memory");
  v1::ListToolsRequest list;
  list.set_route("memory");
  v1::ListToolsResponse tools;
  ASSERT_TRUE(stub_->ListTools(As(memory).get(), list, &tools).ok());
  EXPECT_GE(tools.tools_size(), 9);
  v1::CallToolResponse created;
  ASSERT_TRUE(Call(memory,
                   ToolCall("memory", "create_entities",
                            {{"entities", {{{"name", "gRPC"}, {"entityType", "protocol"}, {"observations", {"fast"}}}}}}),
                   &created)
                  .ok());
  v1::CallToolResponse graph;
  ASSERT_TRUE(Call(memory, ToolCall("memory", "read_graph"), &graph).ok());
  EXPECT_NE(Text(graph).find("gRPC"), std::string::npos) << Text(graph);
  // The memory plugin offers no prompts: UNIMPLEMENTED, the route itself exists.
  v1::ListPromptsRequest prompts_request;
  prompts_request.set_route("memory");
  v1::ListPromptsResponse prompts;
  const ::grpc::Status no_prompts = stub_->ListPrompts(As(memory).get(), prompts_request, &prompts);
  EXPECT_EQ(no_prompts.error_code(), ::grpc::StatusCode::UNIMPLEMENTED) << no_prompts.error_message();
  EXPECT_EQ(no_prompts.error_message(), "Method not found: prompts/list");
  v1::ReadResourceRequest read;
  read.set_route("memory");
  read.set_uri("memory://knowledge-graph");
  v1::ReadResourceResponse contents;
  ASSERT_TRUE(stub_->ReadResource(As(memory).get(), read, &contents).ok());
  EXPECT_NE(contents.contents(0).text().find("gRPC"), std::string::npos);

  struct Case {
    std::string route, tool;
    json arguments;
    std::string expected;
  };
  std::vector<Case> cases;
#ifdef MCPGW_TEST_HAS_FILESYSTEM
  cases.push_back({"filesystem", "list_allowed_directories", json::object(), "/work"});
#endif
#ifdef MCPGW_TEST_HAS_GIT
  cases.push_back({"git", "git_status", {{"repo_path", "project"}}, ""});
#endif
#ifdef MCPGW_TEST_HAS_VECTOR
  cases.push_back({"vector", "list_collections", json::object(), ""});
#endif
  for (const Case& c : cases) {
    SCOPED_TRACE(c.route);
    const std::string token = TokenFor(c.route);
    v1::ListToolsRequest route_list;
    route_list.set_route(c.route);
    v1::ListToolsResponse route_tools;
    ASSERT_TRUE(stub_->ListTools(As(token).get(), route_list, &route_tools).ok());
    EXPECT_GE(route_tools.tools_size(), 1);
    v1::CallToolResponse result;
    const ::grpc::Status status = Call(token, ToolCall(c.route, c.tool, c.arguments), &result);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_FALSE(result.is_error()) << Text(result);
    EXPECT_NE(Text(result).find(c.expected), std::string::npos) << Text(result);
  }
}

TEST_F(GrpcTest, StreamsProgressAndLogMessagesBeforeTheResult) {
  const std::string token = TokenFor("conformance");
  auto context = As(token);
  auto reader = stub_->CallToolStream(context.get(), ToolCall("conformance", "test_tool_with_progress"));
  std::vector<v1::CallToolStreamResponse> messages;
  for (v1::CallToolStreamResponse m; reader->Read(&m);) messages.push_back(m);
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_GE(messages.size(), 3u);
  EXPECT_TRUE(messages.back().has_result());
  EXPECT_EQ(Text(messages.back().result()), "Progress test completed");
  std::vector<double> progress;
  for (std::size_t i = 0; i + 1 < messages.size(); ++i) {
    ASSERT_TRUE(messages[i].has_progress()) << "message " << i << " comes before the result";
    progress.push_back(messages[i].progress().progress());
    EXPECT_EQ(messages[i].progress().total(), 100);
  }
  EXPECT_EQ(progress.back(), 100);

  // Log messages at or above the level the request's meta asks for.
  v1::CallToolRequest logged = ToolCall("conformance", "test_logging_tool");
  *logged.mutable_meta() = StructOf({{"io.modelcontextprotocol/logLevel", "info"}});
  auto log_context = As(token);
  auto log_reader = stub_->CallToolStream(log_context.get(), logged);
  std::vector<v1::CallToolStreamResponse> log_messages;
  for (v1::CallToolStreamResponse m; log_reader->Read(&m);) log_messages.push_back(m);
  ASSERT_TRUE(log_reader->Finish().ok());
  ASSERT_EQ(log_messages.size(), 2u);
  ASSERT_TRUE(log_messages[0].has_log());
  EXPECT_EQ(log_messages[0].log().level(), "info");
  EXPECT_EQ(log_messages[0].log().data().string_value(), "logging tool ran");
  EXPECT_TRUE(log_messages[1].has_result());
}

TEST_F(GrpcTest, AToolErrorIsAResponseAndBadRequestsAreInvalidArgumentOrNotFound) {
  const std::string token = TokenFor("example");
  v1::CallToolResponse response;
  const ::grpc::Status tool_error = Call(token, ToolCall("example", "divide", {{"a", 1}, {"b", 0}}), &response);
  ASSERT_TRUE(tool_error.ok()) << "a tool's own failure is not a gRPC error";
  EXPECT_TRUE(response.is_error());
  EXPECT_EQ(Text(response), "Cannot divide by zero: pass a non-zero b.");

  const ::grpc::Status unknown_tool = Call(token, ToolCall("example", "nope"), &response);
  EXPECT_EQ(unknown_tool.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(unknown_tool.error_message(), "Unknown tool: nope (tools/list shows the tools of this route)");

  v1::GetPromptRequest get;
  get.set_route("example");
  get.set_name("greet");
  v1::GetPromptResponse prompt;
  const ::grpc::Status missing_argument = stub_->GetPrompt(As(token).get(), get, &prompt);
  EXPECT_EQ(missing_argument.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(missing_argument.error_message(), "Missing required argument: who");

  v1::ReadResourceRequest read;
  read.set_route("example");
  read.set_uri("example://nothing-here");
  v1::ReadResourceResponse contents;
  const ::grpc::Status missing = stub_->ReadResource(As(token).get(), read, &contents);
  EXPECT_EQ(missing.error_code(), ::grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_message(), "Resource not found: example://nothing-here");

  const ::grpc::Status no_route = Call(token, ToolCall("nowhere", "echo"), &response);
  EXPECT_EQ(no_route.error_code(), ::grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(no_route.error_message(), "No MCP route named \"nowhere\"; see the gateway's configured routes");

  const ::grpc::Status unnamed = Call(token, ToolCall("", "echo"), &response);
  EXPECT_EQ(unnamed.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(unnamed.error_message(), "Name the route: set the request's route field or the x-mcp-route metadata");

  // The route may come from x-mcp-route metadata instead; both must agree.
  auto by_header = As(token);
  by_header->AddMetadata("x-mcp-route", "example");
  EXPECT_TRUE(stub_->CallTool(by_header.get(), ToolCall("", "echo", {{"text", "x"}}), &response).ok());
  auto disagreeing = As(token);
  disagreeing->AddMetadata("x-mcp-route", "memory");
  const ::grpc::Status conflict = stub_->CallTool(disagreeing.get(), ToolCall("example", "echo", {{"text", "x"}}), &response);
  EXPECT_EQ(conflict.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(conflict.error_message(),
            "The request's route field and the x-mcp-route metadata name different routes");
}

TEST_F(GrpcTest, RefusesMissingBadAndMisplacedCredentialsAsUnauthenticatedBeforeAnyPlugin) {
  const std::string good = TokenFor("example");
  v1::CallToolResponse response;

  const ::grpc::Status none = Call("", ToolCall("example", "echo", {{"text", "x"}}), &response);
  EXPECT_EQ(none.error_code(), ::grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(none.error_message().find("send one credential for it, a bearer token in the authorization metadata or an "
                                      "API key in x-api-key"),
            std::string::npos)
      << none.error_message();

  std::string tampered = good;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  const ::grpc::Status bad = Call(tampered, ToolCall("example", "echo", {{"text", "x"}}), &response);
  EXPECT_EQ(bad.error_code(), ::grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(bad.error_message().find("(route example: send one credential"), std::string::npos);
  EXPECT_EQ(bad.error_message().find(tampered), std::string::npos) << "no token in the message";

  auto unknown_key = As("");
  unknown_key->AddMetadata("x-api-key", "mcpgw_not-a-configured-key-0123456789");
  EXPECT_EQ(stub_->CallTool(unknown_key.get(), ToolCall("example", "echo", {{"text", "x"}}), &response).error_code(),
            ::grpc::StatusCode::UNAUTHENTICATED);

  auto two = As(good);
  two->AddMetadata("x-api-key", "mcpgw_not-a-configured-key-0123456789");
  const ::grpc::Status both = stub_->CallTool(two.get(), ToolCall("example", "echo", {{"text", "x"}}), &response);
  EXPECT_EQ(both.error_code(), ::grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(both.error_message(),
            "Send exactly one credential: one authorization (Bearer) or one x-api-key metadata entry");

  ExpectNoPluginCallAndNoSecretInLog(tampered);
  EXPECT_TRUE(gateway_->WaitForLog("\"reason\":\"bad_signature\"", std::chrono::seconds(5))) << gateway_->Log();
  EXPECT_EQ(MetricSum(gateway_->metrics_port(), "mcpgw_grpc_calls_total", {"method=\"CallTool\"", "code=\"UNAUTHENTICATED\""}),
            4);
}

TEST_F(GrpcTest, ATokenForOneRouteIsRefusedOnAnotherAndAMissingScopeIsPermissionDenied) {
  const std::string example_token = TokenFor("example");
  const ::grpc::Status other_route = List(As(example_token).get(), "memory");
  EXPECT_EQ(other_route.error_code(), ::grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(other_route.error_message().find("route memory"), std::string::npos) << other_route.error_message();
  EXPECT_TRUE(gateway_->WaitForLog("\"reason\":\"wrong_audience\"", std::chrono::seconds(5))) << gateway_->Log();

  const std::string unscoped = Mint({"--route", "example", "--sub", "eve", "--scope", "something:else"});
  v1::CallToolResponse response;
  const ::grpc::Status denied = Call(unscoped, ToolCall("example", "echo", {{"text", "x"}}), &response);
  EXPECT_EQ(denied.error_code(), ::grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(denied.error_message().find("example:use"), std::string::npos) << denied.error_message();
  ExpectNoPluginCallAndNoSecretInLog(unscoped);
  EXPECT_TRUE(gateway_->WaitForLog("\"authz_denied\"", std::chrono::seconds(5)));
}

// The rate-limit state HTTP sends as RateLimit-Policy and RateLimit goes as
// trailing metadata (this gateway has rate_limits.headers: always).
TEST_F(GrpcTest, ARateLimitedCallIsResourceExhaustedWithRetryInfoRetryAfterAndTheRateLimitState) {
  const std::string token = TokenFor("limited");
  v1::CallToolResponse response;
  ::grpc::ClientContext first;
  first.AddMetadata("authorization", "Bearer " + token);
  ASSERT_TRUE(stub_->CallTool(&first, ToolCall("limited", "echo", {{"text", "x"}}), &response).ok());
  EXPECT_EQ(TrailingMetadata(first, "ratelimit-policy"), "\"one-call\";q=1;w=3600");
  EXPECT_EQ(TrailingMetadata(first, "ratelimit").rfind("\"one-call\";r=0;t=", 0), 0u) << TrailingMetadata(first, "ratelimit");
  EXPECT_EQ(TrailingMetadata(first, "retry-after"), "") << "only a refusal says when to retry";
  ::grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  const ::grpc::Status limited = stub_->CallTool(&context, ToolCall("limited", "echo", {{"text", "x"}}), &response);
  ASSERT_EQ(limited.error_code(), ::grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(limited.error_message().find("one-call"), std::string::npos) << limited.error_message();
  const int64_t delay = RetryDelay(limited);
  EXPECT_GT(delay, 0);
  EXPECT_LE(delay, 2 * 3600) << "a sliding-window counter frees quota within two windows (ADR 0013)";
  EXPECT_EQ(TrailingMetadata(context, "retry-after"), std::to_string(delay));
  EXPECT_EQ(TrailingMetadata(context, "ratelimit-policy"), "\"one-call\";q=1;w=3600");
  EXPECT_EQ(TrailingMetadata(context, "ratelimit"), "\"one-call\";r=0;t=" + std::to_string(delay));
}

TEST_F(GrpcTest, RevokingThroughTheAdminServiceRefusesTheTokenOnGrpcAndHttp) {
  const std::string token = TokenFor("example", "mallory");
  v1::CallToolResponse response;
  ASSERT_TRUE(Call(token, ToolCall("example", "echo", {{"text", "x"}}), &response).ok());

  auto admin = admin_v1::Admin::NewStub(
      ::grpc::CreateChannel("127.0.0.1:" + std::to_string(port_), ::grpc::InsecureChannelCredentials()));
  // By the token's jti (a subject entry spares tokens issued in its own second).
  admin_v1::RevokeRequest revoke;
  revoke.set_kind("jti");
  revoke.set_value(JwsPayload(token).value("jti", ""));
  ASSERT_FALSE(revoke.value().empty());
  revoke.set_reason("test");
  admin_v1::RevokeResponse revoked;

  // Not an admin: a route token has the wrong audience, an admin-audience
  // token without the admin scope lacks the scope.
  EXPECT_EQ(admin->Revoke(As(token).get(), revoke, &revoked).error_code(), ::grpc::StatusCode::UNAUTHENTICATED);
  const std::string unscoped_admin = Mint({"--aud", kAdminAudience, "--sub", "ops", "--scope", "something:else"});
  const ::grpc::Status forbidden = admin->Revoke(As(unscoped_admin).get(), revoke, &revoked);
  EXPECT_EQ(forbidden.error_code(), ::grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(token, ToolCall("example", "echo", {{"text", "x"}}), &response).ok()) << "nothing was revoked";

  const std::string admin_token = Mint({"--aud", kAdminAudience, "--sub", "ops", "--scope", "mcpgw:admin"});
  const ::grpc::Status done = admin->Revoke(As(admin_token).get(), revoke, &revoked);
  ASSERT_TRUE(done.ok()) << done.error_message();
  EXPECT_EQ(revoked.entry().fields().at("kind").string_value(), "jti");
  EXPECT_EQ(revoked.entry().fields().at("value").string_value(), revoke.value());

  const ::grpc::Status refused = Call(token, ToolCall("example", "echo", {{"text", "x"}}), &response);
  EXPECT_EQ(refused.error_code(), ::grpc::StatusCode::UNAUTHENTICATED);
  Headers headers = McpHeaders();
  headers.emplace_back("Authorization", "Bearer " + token);
  EXPECT_EQ(Request(gateway_->port(), "POST", "/mcp/example", InitializeBody(), headers).status, 401);
  EXPECT_TRUE(gateway_->WaitForLog("\"reason\":\"revoked\"", std::chrono::seconds(5))) << gateway_->Log();

  // The listing shows it, as the HTTP API's body does.
  admin_v1::ListRevocationsResponse listing;
  ASSERT_TRUE(admin->ListRevocations(As(admin_token).get(), admin_v1::ListRevocationsRequest(), &listing).ok());
  EXPECT_EQ(listing.result().fields().at("revocations").list_value().values_size(), 1);
  admin_v1::ListRoutesResponse routes;
  ASSERT_TRUE(admin->ListRoutes(As(admin_token).get(), admin_v1::ListRoutesRequest(), &routes).ok());
  EXPECT_GE(routes.result().fields().at("routes").list_value().values_size(), 4);
  for (const std::string& secret : {token, admin_token, unscoped_admin}) {
    EXPECT_EQ(gateway_->Log().find(secret), std::string::npos) << "the log holds a credential";
  }
  EXPECT_TRUE(gateway_->WaitForLog("\"action\":\"revoke\"", std::chrono::seconds(5)));
}

TEST_F(GrpcTest, ReflectionListsTheServicesAndHealthSaysServing) {
  auto channel = ::grpc::CreateChannel("127.0.0.1:" + std::to_string(port_), ::grpc::InsecureChannelCredentials());
  auto health = ::grpc::health::v1::Health::NewStub(channel);
  ::grpc::ClientContext health_context;
  ::grpc::health::v1::HealthCheckRequest check;
  ::grpc::health::v1::HealthCheckResponse status;
  ASSERT_TRUE(health->Check(&health_context, check, &status).ok());
  EXPECT_EQ(status.status(), ::grpc::health::v1::HealthCheckResponse::SERVING);

  // Server reflection, spoken raw: a ServerReflectionRequest with
  // list_services "" (field 7) and the service names in the answer.
  ::grpc::GenericStub reflection(channel);
  ::grpc::ClientContext context;
  ::grpc::CompletionQueue cq;
  void* tag = nullptr;
  bool ok = false;
  auto call = reflection.PrepareCall(&context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  const std::string list_services("\x3a\x00", 2);
  ::grpc::Slice slice(list_services);
  ::grpc::ByteBuffer request(&slice, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  ::grpc::ByteBuffer answer;
  call->Read(&answer, reinterpret_cast<void*>(3));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  std::vector<::grpc::Slice> slices;
  ASSERT_TRUE(answer.Dump(&slices).ok());
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_NE(bytes.find("mcpgw.mcp.v1.Mcp"), std::string::npos);
  EXPECT_NE(bytes.find("grpc.health.v1.Health"), std::string::npos);
  EXPECT_NE(bytes.find("mcpgw.admin.v1.Admin"), std::string::npos);
  call->WritesDone(reinterpret_cast<void*>(4));
  ASSERT_TRUE(cq.Next(&tag, &ok));
  ::grpc::Status finished;
  call->Finish(&finished, reinterpret_cast<void*>(5));
  ASSERT_TRUE(cq.Next(&tag, &ok));
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

// Without auth: a loopback gateway where every caller is the local user.
std::string LocalConfig(const std::string& extra_server, const std::string& top) {
  return "server:\n  listen: 127.0.0.1:0\n  data_dir: ${DATA_DIR}\n  grpc:\n    listen: 127.0.0.1:0\n" + extra_server +
         "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n" + top +
         "plugins:\n  - name: conformance\n    file: conformance.so\n"
         "routes:\n  - name: conformance\n    path: /mcp/conformance\n    plugin: conformance\n";
}

TEST(GrpcGateway, TheGatewaysRequestTimeoutIsDeadlineExceeded) {
  GatewayProcess gateway(LocalConfig("  limits:\n    request_timeout_ms: 100\n", ""));
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  auto stub = McpStub(GrpcPort(gateway));
  ::grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::CallToolResponse response;
  const ::grpc::Status status = stub->CallTool(&context, ToolCall("conformance", "test_reconnection"), &response);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(status.error_message(), "Request timed out after 100 ms; the backend did not answer in time");
  EXPECT_EQ(MetricSum(gateway.metrics_port(), "mcpgw_grpc_calls_total", {"code=\"DEADLINE_EXCEEDED\""}), 1);
}

// grpc-go sends grpc-timeout 2562047H for a context without a real limit
// (math.MaxInt64), grpc-java likewise for Long.MAX_VALUE: a deadline centuries
// away is the gateway's own timeout, not one already passed. grpc++ cannot
// send such a header, so curl (HTTP/2, an independent client) sends the
// call: the 5-byte gRPC prefix and a ListToolsRequest naming the route.
TEST(GrpcGateway, ADeadlineCenturiesAwayIsTheGatewaysOwnTimeout) {
  GatewayProcess gateway(LocalConfig("", ""));
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  v1::ListToolsRequest request;
  request.set_route("conformance");
  const std::string message = request.SerializeAsString();
  std::string frame(5, '\0');
  frame[4] = static_cast<char>(message.size());
  frame += message;
  const std::string frame_file = gateway.data_dir() + "/list-tools.frame";
  std::ofstream(frame_file, std::ios::binary) << frame;
  for (const char* timeout : {"2562047H", "99999999H", "2560000H"}) {
    const ProcessResult curl = RunProgram(
        {"/usr/bin/curl", "-s", "--http2-prior-knowledge", "-D", "-", "-o", "/dev/null", "-X", "POST",
         "http://127.0.0.1:" + std::to_string(GrpcPort(gateway)) + "/mcpgw.mcp.v1.Mcp/ListTools", "-H",
         "content-type: application/grpc", "-H", "te: trailers", "-H", std::string("grpc-timeout: ") + timeout,
         "--data-binary", "@" + frame_file});
    ASSERT_EQ(curl.exit_code, 0) << curl.stderr_text;
    EXPECT_NE(curl.stdout_text.find("grpc-status: 0\r\n"), std::string::npos) << timeout << "\n" << curl.stdout_text;
  }
}

// A call that opened its stream and never sent its request is held by gRPC,
// not by the gateway: once nothing of the gateway's own is in flight the
// drain cancels it, instead of waiting out drain_s (20 s here).
TEST(GrpcGateway, ACallThatNeverSendsItsRequestDoesNotHoldUpTheDrain) {
  GatewayProcess gateway(LocalConfig("  drain_s: 20\n", ""));
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  auto channel = ::grpc::CreateChannel("127.0.0.1:" + std::to_string(GrpcPort(gateway)),
                                       ::grpc::InsecureChannelCredentials());
  ::grpc::GenericStub generic(channel);
  ::grpc::CompletionQueue queue;
  ::grpc::ClientContext pending;
  auto call = generic.PrepareCall(&pending, "/mcpgw.mcp.v1.Mcp/ListTools", &queue);
  call->StartCall(reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  ASSERT_TRUE(queue.Next(&tag, &ok) && ok);
  // Answered on the same connection after it: the server has the pending stream.
  ::grpc::ClientContext listed;
  listed.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::ListToolsRequest list;
  list.set_route("conformance");
  v1::ListToolsResponse tools;
  ASSERT_TRUE(v1::Mcp::NewStub(channel)->ListTools(&listed, list, &tools).ok());

  const auto stopping = std::chrono::steady_clock::now();
  const ProcessResult stopped = gateway.Stop(SIGTERM);
  EXPECT_EQ(stopped.exit_code, 0) << stopped.stderr_text;
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(10)) << stopped.stderr_text;
  pending.TryCancel();
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
}

// SIGTERM: the gRPC server stops taking calls, lets the running one finish,
// and the process exits 0 (under the sanitizers: without a leak report).
// The call is a stream whose first progress message proves it reached the
// plugin before the signal is sent.
TEST(GrpcGateway, FinishesTheCallInFlightOnSigtermAndExitsCleanly) {
  GatewayProcess gateway(LocalConfig("", ""));
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  auto stub = McpStub(GrpcPort(gateway));
  ::grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto reader = stub->CallToolStream(&context, ToolCall("conformance", "test_tool_with_progress"));
  v1::CallToolStreamResponse first;
  ASSERT_TRUE(reader->Read(&first));
  ASSERT_TRUE(first.has_progress());
  ASSERT_EQ(::kill(gateway.pid(), SIGTERM), 0);
  std::vector<v1::CallToolStreamResponse> rest;
  for (v1::CallToolStreamResponse m; reader->Read(&m);) rest.push_back(m);
  const ::grpc::Status status = reader->Finish();
  const ProcessResult stopped = gateway.Wait(std::chrono::seconds(30));
  EXPECT_TRUE(status.ok()) << status.error_message();
  ASSERT_FALSE(rest.empty());
  ASSERT_TRUE(rest.back().has_result());
  EXPECT_EQ(Text(rest.back().result()), "Progress test completed");
  EXPECT_EQ(stopped.exit_code, 0) << stopped.stderr_text;
  EXPECT_EQ(stopped.stderr_text.find("LeakSanitizer"), std::string::npos) << stopped.stderr_text;
}

// The caller's address for a per-source limit: x-forwarded-for metadata
// only from a trusted proxy, read as X-Forwarded-For is over HTTP.
TEST(GrpcGateway, BelievesXForwardedForMetadataOnlyFromATrustedProxy) {
  const std::string per_source =
      "rate_limits:\n  policies:\n    - name: per-source\n      by: [source]\n      limit: 1\n      window_s: 3600\n";
  const auto call = [](v1::Mcp::Stub& stub, const std::string& forwarded_for) {
    ::grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!forwarded_for.empty()) context.AddMetadata("x-forwarded-for", forwarded_for);
    v1::CallToolResponse response;
    return stub.CallTool(&context, ToolCall("conformance", "test_simple_text"), &response).error_code();
  };
  GatewayProcess trusting(LocalConfig("  trusted_proxies: [127.0.0.1]\n", per_source));
  ASSERT_TRUE(trusting.Start()) << trusting.Log();
  auto stub = McpStub(GrpcPort(trusting));
  EXPECT_EQ(call(*stub, "203.0.113.1"), ::grpc::StatusCode::OK);
  EXPECT_EQ(call(*stub, "198.51.100.9, 203.0.113.2"), ::grpc::StatusCode::OK);
  EXPECT_EQ(call(*stub, "203.0.113.1"), ::grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Junk before the proxy's entry buys no new budget; none at all is the proxy.
  EXPECT_EQ(call(*stub, "bogus, 203.0.113.2"), ::grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(call(*stub, ""), ::grpc::StatusCode::OK);
  EXPECT_EQ(call(*stub, ""), ::grpc::StatusCode::RESOURCE_EXHAUSTED);

  GatewayProcess plain(LocalConfig("", per_source));
  ASSERT_TRUE(plain.Start()) << plain.Log();
  auto plain_stub = McpStub(GrpcPort(plain));
  // Without trust the metadata is the client's word: all count as 127.0.0.1.
  EXPECT_EQ(call(*plain_stub, "203.0.113.1"), ::grpc::StatusCode::OK);
  EXPECT_EQ(call(*plain_stub, "203.0.113.2"), ::grpc::StatusCode::RESOURCE_EXHAUSTED);
}

// Over IPv6, where gRPC names the peer "ipv6:%5B::1%5D:port": the address
// alone keys the budget, and a trusted IPv6 proxy's metadata is believed.
TEST(GrpcGateway, AnIpv6PeerIsKeyedByItsAddressAndItsForwardedForBelieved) {
  std::string config = LocalConfig("  trusted_proxies: [\"::1\"]\n",
                                   "rate_limits:\n  policies:\n    - name: per-source\n      by: [source]\n"
                                   "      limit: 1\n      window_s: 3600\n");
  const std::string v4 = "grpc:\n    listen: 127.0.0.1:0";
  config.replace(config.find(v4), v4.size(), "grpc:\n    listen: \"[::1]:0\"");
  GatewayProcess gateway(config);
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  auto stub = v1::Mcp::NewStub(::grpc::CreateChannel("[::1]:" + std::to_string(GrpcPort(gateway)),
                                                    ::grpc::InsecureChannelCredentials()));
  const auto call = [&](const std::string& forwarded_for) {
    ::grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!forwarded_for.empty()) context.AddMetadata("x-forwarded-for", forwarded_for);
    v1::CallToolResponse response;
    return stub->CallTool(&context, ToolCall("conformance", "test_simple_text"), &response).error_code();
  };
  EXPECT_EQ(call("2001:db8::7"), ::grpc::StatusCode::OK);
  EXPECT_EQ(call("2001:db8::8"), ::grpc::StatusCode::OK);
  EXPECT_EQ(call("2001:db8::7"), ::grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(call(""), ::grpc::StatusCode::OK);
  // A new connection is the same address, not a new budget.
  stub = v1::Mcp::NewStub(::grpc::CreateChannel("[::1]:" + std::to_string(GrpcPort(gateway)),
                                               ::grpc::InsecureChannelCredentials()));
  EXPECT_EQ(call(""), ::grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(GrpcGateway, RedisDownWithAFailClosedPolicyIsUnavailableWithRetryInfo) {
  RedisServer redis;
  ASSERT_TRUE(redis.Start()) << redis.Log();
  GatewayProcess gateway(LocalConfig("", "redis:\n  url: " + redis.url() +
                                             "\n  command_timeout_ms: 300\n  reconnect_min_ms: 20\n  reconnect_max_ms: 100\n"
                                             "rate_limits:\n  policies:\n    - name: closed\n      by: [subject]\n"
                                             "      limit: 1000\n      window_s: 60\n      on_redis_down: closed\n"));
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  auto stub = McpStub(GrpcPort(gateway));
  v1::CallToolResponse response;
  {
    ::grpc::ClientContext context;
    ASSERT_TRUE(stub->CallTool(&context, ToolCall("conformance", "test_simple_text"), &response).ok());
  }
  redis.Stop();
  ::grpc::ClientContext context;
  const ::grpc::Status down = stub->CallTool(&context, ToolCall("conformance", "test_simple_text"), &response);
  EXPECT_EQ(down.error_code(), ::grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(RetryDelay(down), 1);
  EXPECT_EQ(TrailingMetadata(context, "retry-after"), "1");
}

// With server.tls the gRPC listener speaks TLS with the same certificate: a
// client that trusts the CA is served, a plaintext client and a client that
// trusts another CA are not.
TEST(GrpcGateway, ServesTlsWithTheHttpCertificate) {
  TempDir certs;
  const TestCa ca(certs.path(), "Test CA");
  const TestCa other(certs.path(), "Other CA");
  const CertificateFiles server = ca.Issue("server", "127.0.0.1", 1, CertificateUse::kServer);
  GatewayProcess gateway(LocalConfig("  tls:\n    cert_file: " + server.cert_file + "\n    key_file: " + server.key_file +
                                         "\n",
                                     ""));
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  const std::string target = "127.0.0.1:" + std::to_string(GrpcPort(gateway));
  const auto list = [&](std::shared_ptr<::grpc::ChannelCredentials> credentials) {
    auto stub = v1::Mcp::NewStub(::grpc::CreateChannel(target, credentials));
    ::grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::ListToolsRequest request;
    request.set_route("conformance");
    v1::ListToolsResponse response;
    const ::grpc::Status status = stub->ListTools(&context, request, &response);
    return std::make_pair(status, response.tools_size());
  };
  ::grpc::SslCredentialsOptions trusted;
  trusted.pem_root_certs = ReadTestFile(ca.cert_file());
  const auto [ok, tools] = list(::grpc::SslCredentials(trusted));
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_GT(tools, 0);

  EXPECT_EQ(list(::grpc::InsecureChannelCredentials()).first.error_code(), ::grpc::StatusCode::UNAVAILABLE);
  ::grpc::SslCredentialsOptions wrong;
  wrong.pem_root_certs = ReadTestFile(other.cert_file());
  EXPECT_EQ(list(::grpc::SslCredentials(wrong)).first.error_code(), ::grpc::StatusCode::UNAVAILABLE);
}

// Opaque tokens on the gRPC door go through the same RFC 7662 introspection
// as on HTTP (a real HTTP endpoint on a random loopback port stands in for
// the authorization server): an active answer for the route's exact
// audience is served, an inactive one is UNAUTHENTICATED, and an unreachable
// endpoint is UNAVAILABLE with RetryInfo — not UNAUTHENTICATED, since the
// token may be good. Refusals reach no plugin; no token reaches the log.
TEST(GrpcGateway, IntrospectsOpaqueTokensAndAnUnreachableEndpointIsUnavailable) {
  OriginServer origin(IntrospectionAnswer);
  GatewayProcess gateway(IntrospectionConfig(origin.Url("/introspect"), "  grpc:\n    listen: 127.0.0.1:0\n"));
  WriteIntrospectionFiles(gateway.data_dir());
  ASSERT_TRUE(gateway.Start()) << gateway.Log();
  auto stub = McpStub(GrpcPort(gateway));
  const auto call = [&](const std::string& token, ::grpc::ClientContext& context, v1::CallToolResponse* response) {
    context.AddMetadata("authorization", "Bearer " + token);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub->CallTool(&context, ToolCall("example", "echo", {{"text", "x"}}), response);
  };
  v1::CallToolResponse response;
  {
    ::grpc::ClientContext context;
    const ::grpc::Status good = call("opaque-good", context, &response);
    ASSERT_TRUE(good.ok()) << good.error_message();
    EXPECT_EQ(Text(response), "x");
  }
  ASSERT_EQ(origin.request_count(), 1u);
  EXPECT_EQ(origin.requests().at(0).body, "token=opaque-good&token_type_hint=access_token");
  const int64_t plugin_calls = MetricSum(gateway.metrics_port(), "mcpgw_plugin_calls_total", {"operation=\"call_tool\""});
  EXPECT_EQ(plugin_calls, 1);
  {
    ::grpc::ClientContext context;
    const ::grpc::Status inactive = call("opaque-inactive", context, &response);
    EXPECT_EQ(inactive.error_code(), ::grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(inactive.error_message(),
              "the token is not active (route example: send one credential for it, a bearer token in the "
              "authorization metadata or an API key in x-api-key)");
  }
  origin.Close();
  {
    ::grpc::ClientContext context;
    const ::grpc::Status down = call("opaque-unseen", context, &response);
    EXPECT_EQ(down.error_code(), ::grpc::StatusCode::UNAVAILABLE);
    EXPECT_EQ(down.error_message(),
              "Service unavailable: the authorization server cannot check this token right now; retry shortly");
    EXPECT_EQ(RetryDelay(down), 5);
    EXPECT_EQ(TrailingMetadata(context, "retry-after"), "5");
  }
  EXPECT_EQ(MetricSum(gateway.metrics_port(), "mcpgw_plugin_calls_total", {"operation=\"call_tool\""}), plugin_calls)
      << "a refused call reached the plugin";
  EXPECT_EQ(gateway.Log().find("opaque-"), std::string::npos) << "the log holds a token";
  EXPECT_EQ(gateway.Log().find("s3cret"), std::string::npos);
}

TEST(GrpcGateway, RefusesANonLoopbackGrpcListenerWithoutAuth) {
  GatewayProcess gateway(LocalConfig("", ""));
  const ProcessResult r = RunGateway({"check-config", "-c", gateway.config_path()});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  GatewayProcess open(
      "server:\n  listen: 127.0.0.1:0\n  data_dir: ${DATA_DIR}\n  grpc:\n    listen: 0.0.0.0:0\n"
      "plugin_dir: ${PLUGIN_DIR}\nplugins:\n  - name: conformance\n    file: conformance.so\n"
      "routes:\n  - name: conformance\n    path: /mcp/conformance\n    plugin: conformance\n");
  const ProcessResult refused = RunGateway({"check-config", "-c", open.config_path()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.stderr_text.find("server.grpc.listen: must be a loopback address"), std::string::npos)
      << refused.stderr_text;
}

}  // namespace
}  // namespace mcpgw::testing
