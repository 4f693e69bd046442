// The gRPC front door's MCP service (proto/mcpgw/mcp/v1/mcp.proto,
// ADR 0018).
//
// A thin translation, like the HTTP and stdio doors: it picks the route
// (the request's `route` field or the x-mcp-route metadata), admits the
// credential from the authorization or x-api-key metadata exactly as the
// HTTP door does (audience, revocation, introspection), turns the message
// into a stateless-era (2026-07-28) pipeline::Request for mcp::Core, and the
// core's reply into a response message or a gRPC status. It makes no
// authorization, limiting or routing decision of its own. Nothing blocks:
// every RPC is a callback-API reactor finished by the core's responder.
#pragma once

#include "mcp/core.h"
#include "mcp/route_table.h"
#include "net/cidr.h"
#include "pipeline/admission.h"
#include "pipeline/request.h"
#include "transport/grpc/call.h"

#include "mcpgw/mcp/v1/mcp.grpc.pb.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mcpgw::mcp {
class Backend;
}
namespace mcpgw::metrics {
class Metrics;
}

namespace mcpgw::rpc {

namespace v1 = ::mcpgw::mcp::v1;

class McpService final : public v1::Mcp::CallbackService {
 public:
  // `admission` null: no auth: section, loopback only (the config refuses
  // anything else), every caller is the local user. `routes` is read at
  // each call (a reload replaces what it holds).
  // `trusted_proxies`: peers whose x-forwarded-for metadata names the
  // caller's address for rate limits and audit lines.
  McpService(mcp::Core& core, const mcp::RouteTable& routes, const pipeline::Admission* admission,
             metrics::Metrics* metrics, std::vector<net::Cidr> trusted_proxies = {});

  ::grpc::ServerUnaryReactor* ListTools(::grpc::CallbackServerContext* context, const v1::ListToolsRequest* request,
                                        v1::ListToolsResponse* response) override;
  ::grpc::ServerUnaryReactor* CallTool(::grpc::CallbackServerContext* context, const v1::CallToolRequest* request,
                                       v1::CallToolResponse* response) override;
  ::grpc::ServerWriteReactor<v1::CallToolStreamResponse>* CallToolStream(::grpc::CallbackServerContext* context,
                                                                         const v1::CallToolRequest* request) override;
  ::grpc::ServerUnaryReactor* ListResources(::grpc::CallbackServerContext* context,
                                            const v1::ListResourcesRequest* request,
                                            v1::ListResourcesResponse* response) override;
  ::grpc::ServerUnaryReactor* ReadResource(::grpc::CallbackServerContext* context,
                                           const v1::ReadResourceRequest* request,
                                           v1::ReadResourceResponse* response) override;
  ::grpc::ServerUnaryReactor* ListResourceTemplates(::grpc::CallbackServerContext* context,
                                                    const v1::ListResourceTemplatesRequest* request,
                                                    v1::ListResourceTemplatesResponse* response) override;
  ::grpc::ServerUnaryReactor* ListPrompts(::grpc::CallbackServerContext* context, const v1::ListPromptsRequest* request,
                                          v1::ListPromptsResponse* response) override;
  ::grpc::ServerUnaryReactor* GetPrompt(::grpc::CallbackServerContext* context, const v1::GetPromptRequest* request,
                                        v1::GetPromptResponse* response) override;
  ::grpc::ServerUnaryReactor* Complete(::grpc::CallbackServerContext* context, const v1::CompleteRequest* request,
                                       v1::CompleteResponse* response) override;

 private:
  // One unary RPC: `method` is the MCP method the request message stands for.
  ::grpc::ServerUnaryReactor* Unary(std::string_view rpc, std::string_view method,
                                    ::grpc::CallbackServerContext* context, const google::protobuf::Message& request,
                                    const std::string& route, google::protobuf::Message* response);
  // Routes and admits `call`, then hands it to the core.
  void Start(const std::shared_ptr<Call>& call, ::grpc::CallbackServerContext* context, std::string_view method,
             nlohmann::json params, const std::string& route_field);
  // Accounts for an admission outcome: the principal, or the call finished.
  std::optional<Principal> Decide(const std::shared_ptr<Call>& call, const mcp::Backend& backend,
                                  const std::string& source, pipeline::Admission::Outcome outcome);
  void Dispatch(const std::shared_ptr<Call>& call, std::shared_ptr<mcp::Backend> backend, Principal principal,
                std::string_view method, nlohmann::json params, const std::string& source,
                pipeline::Clock::time_point client_deadline);

  // The caller's address: the peer's, or what a trusted proxy forwarded.
  std::string SourceOf(const ::grpc::CallbackServerContext& context) const;

  mcp::Core& core_;
  const mcp::RouteTable& routes_;
  const pipeline::Admission* admission_;
  metrics::Metrics* metrics_;
  const std::vector<net::Cidr> trusted_proxies_;
  std::atomic<int64_t> next_id_{1};
};

}  // namespace mcpgw::rpc
