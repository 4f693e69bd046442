#include "transport/grpc/mcp_service.h"

#include "audit/audit.h"
#include "mcp/backend.h"
#include "metrics/metrics.h"
#include "mcp/request_meta.h"
#include "transport/admission_record.h"
#include "transport/grpc/json_message.h"
#include "transport/grpc/metadata.h"
#include "transport/http/forwarded_for.h"

#include <grpc/support/time.h>

#include <algorithm>
#include <deque>
#include <optional>

namespace mcpgw::rpc {
namespace {

// When the client's deadline falls on this process's steady clock; max()
// for none, or for one further off than any request timeout. Read from the
// raw timespec: a deadline centuries away (grpc-go sends 2562047H for
// math.MaxInt64) overflows grpc's system_clock conversion into the past.
pipeline::Clock::time_point ClientDeadline(const ::grpc::CallbackServerContext& context) {
  const gpr_timespec deadline = gpr_convert_clock_type(context.raw_deadline(), GPR_CLOCK_MONOTONIC);
  if (gpr_time_cmp(deadline, gpr_inf_future(GPR_CLOCK_MONOTONIC)) == 0) return pipeline::Clock::time_point::max();
  const gpr_timespec left = gpr_time_sub(deadline, gpr_now(GPR_CLOCK_MONOTONIC));
  const auto now = pipeline::Clock::now();
  constexpr int64_t kAWeek = 7 * 86400;  // past any request timeout
  if (left.tv_sec >= kAWeek) return pipeline::Clock::time_point::max();
  if (left.tv_sec < 0) return now;
  return now + std::chrono::seconds(left.tv_sec) + std::chrono::nanoseconds(left.tv_nsec);
}

using json = nlohmann::json;

// CallToolStream: progress and log notifications as they come, then the
// result, one write at a time (gRPC allows one outstanding write).
class StreamCall final : public Call {
 public:
  StreamCall(metrics::Metrics* metrics, ::grpc::CallbackServerContext* context)
      : Call("CallToolStream", metrics), context_(context) {}

  ::grpc::ServerWriteReactor<v1::CallToolStreamResponse>* Bind() {
    reactor_ = new Reactor(std::static_pointer_cast<StreamCall>(shared_from_this()));
    return reactor_;
  }

  void Notify(const json& notification) override {
    v1::CallToolStreamResponse message;
    const std::string method = notification.value("method", std::string());
    const json params = notification.value("params", json::object());
    if (method == "notifications/progress") {
      if (!FromJson(params, message.mutable_progress()).empty()) return;
    } else if (method == "notifications/message") {
      if (!FromJson(params, message.mutable_log()).empty()) return;
    } else {
      return;  // nothing else concerns one call
    }
    std::unique_lock lock(mu_);
    if (final_ || broken_) return;
    queue_.push_back(std::move(message));
    Pump(lock);
  }

  void WriteDone(bool ok) {
    std::unique_lock lock(mu_);
    queue_.pop_front();
    writing_ = false;
    if (!ok) {
      // The client is gone; OnCancel cancels the request, whose answer
      // then finishes the call.
      broken_ = true;
      queue_.clear();
    }
    Pump(lock);
  }

 protected:
  void Deliver(Answer answer) override {
    std::unique_lock lock(mu_);
    if (answer.status.ok() && !broken_) {
      v1::CallToolStreamResponse message;
      if (std::string why = FromJson(answer.result, message.mutable_result()); !why.empty()) {
        answer.status =
            ::grpc::Status(::grpc::StatusCode::INTERNAL, "The backend's result does not fit the response: " + why);
      } else {
        queue_.push_back(std::move(message));
      }
    }
    AddTrailingMetadata(context_, answer);
    final_ = std::move(answer.status);
    Pump(lock);
  }

 private:
  class Reactor final : public ::grpc::ServerWriteReactor<v1::CallToolStreamResponse> {
   public:
    explicit Reactor(std::shared_ptr<StreamCall> call) : call_(std::move(call)) {}
    void OnWriteDone(bool ok) override { call_->WriteDone(ok); }
    void OnCancel() override { call_->ClientGone(); }
    void OnDone() override { delete this; }

   private:
    std::shared_ptr<StreamCall> call_;
  };

  // Starts the next write, or finishes once the result is written. Decides
  // under the lock and acts outside it: gRPC may run a reaction inline.
  void Pump(std::unique_lock<std::mutex>& lock) {
    if (writing_ || finish_sent_) return;
    if (!queue_.empty()) {
      writing_ = true;
      const v1::CallToolStreamResponse* next = &queue_.front();  // deque: stays put while others are appended
      lock.unlock();
      reactor_->StartWrite(next);
      return;
    }
    if (!final_) return;
    finish_sent_ = true;
    const ::grpc::Status status = *final_;
    lock.unlock();
    reactor_->Finish(status);
  }

  ::grpc::CallbackServerContext* context_;
  Reactor* reactor_ = nullptr;
  std::mutex mu_;
  std::deque<v1::CallToolStreamResponse> queue_;
  bool writing_ = false;
  bool broken_ = false;
  bool finish_sent_ = false;
  std::optional<::grpc::Status> final_;
};

}  // namespace

McpService::McpService(mcp::Core& core, const mcp::RouteTable& routes, const pipeline::Admission* admission,
                       metrics::Metrics* metrics, std::vector<net::Cidr> trusted_proxies)
    : core_(core),
      routes_(routes),
      admission_(admission),
      metrics_(metrics),
      trusted_proxies_(std::move(trusted_proxies)) {}

std::string McpService::SourceOf(const ::grpc::CallbackServerContext& context) const {
  const std::string peer = PeerAddress(context.peer());
  if (trusted_proxies_.empty()) return peer;
  std::vector<std::string_view> lines;
  const auto& metadata = context.client_metadata();
  for (auto [it, end] = metadata.equal_range("x-forwarded-for"); it != end; ++it) {
    lines.emplace_back(it->second.data(), it->second.size());
  }
  return http::SourceAddress(peer, lines, trusted_proxies_);
}

::grpc::ServerUnaryReactor* McpService::Unary(std::string_view rpc, std::string_view method,
                                              ::grpc::CallbackServerContext* context,
                                              const google::protobuf::Message& request, const std::string& route,
                                              google::protobuf::Message* response) {
  auto call = std::make_shared<UnaryCall>(rpc, metrics_, context, response);
  ::grpc::ServerUnaryReactor* reactor = call->Bind();
  json params = ToJson(request);
  params.erase("route");
  Start(call, context, method, std::move(params), route);
  return reactor;
}

void McpService::Start(const std::shared_ptr<Call>& call, ::grpc::CallbackServerContext* context,
                       std::string_view method, json params, const std::string& route_field) {
  std::string route = route_field;
  const std::vector<std::string> route_metadata = MetadataValues(*context, kRouteMetadata);
  if (route_metadata.size() > 1) {
    return call->Finish(Refusal(::grpc::StatusCode::INVALID_ARGUMENT, "Send at most one x-mcp-route metadata entry"));
  }
  if (route_metadata.size() == 1) {
    if (!route.empty() && route != route_metadata.front()) {
      return call->Finish(Refusal(::grpc::StatusCode::INVALID_ARGUMENT,
                                 "The request's route field and the x-mcp-route metadata name different routes"));
    }
    route = route_metadata.front();
  }
  if (route.empty()) {
    return call->Finish(Refusal(::grpc::StatusCode::INVALID_ARGUMENT,
                               "Name the route: set the request's route field or the x-mcp-route metadata"));
  }
  // Held until the call is answered, whatever a reload does meanwhile.
  std::shared_ptr<mcp::Backend> backend = routes_.Current()->Named(route);
  if (!backend) {
    if (metrics_) metrics_->RecordRejected("unknown_path");
    return call->Finish(Refusal(::grpc::StatusCode::NOT_FOUND,
                               "No MCP route named \"" + route + "\"; see the gateway's configured routes"));
  }
  const std::string source = SourceOf(*context);
  const pipeline::Clock::time_point client_deadline = ClientDeadline(*context);
  if (admission_ == nullptr) {
    return Dispatch(call, std::move(backend), LocalUserPrincipal(), method, std::move(params), source, client_deadline);
  }

  // Copied out of the call: introspection answers after this returns.
  const CallerCredentials caller(*context);
  if (caller.ambiguous()) {
    if (metrics_) metrics_->RecordRejected("credential_misplaced");
    audit::Record("auth_refused", {{"route", backend->name()}, {"reason", "credential_misplaced"}, {"source", source}});
    return call->Finish(Refusal(::grpc::StatusCode::UNAUTHENTICATED, kAmbiguousCredentials));
  }
  const pipeline::Credentials credentials = caller.view();
  if (admission_->NeedsIntrospection(credentials)) {
    // Answered on the introspector's thread; the admission copies what it keeps.
    const std::string resource = backend->resource();
    admission_->Admit(credentials, resource,
                      [this, call, backend = std::move(backend), method, params = std::move(params), source,
                       client_deadline](pipeline::Admission::Outcome outcome) mutable {
                        if (auto principal = Decide(call, *backend, source, std::move(outcome))) {
                          Dispatch(call, std::move(backend), std::move(*principal), method, std::move(params), source,
                                   client_deadline);
                        }
                      });
    return;
  }
  if (auto principal = Decide(call, *backend, source, admission_->Admit(credentials, backend->resource()))) {
    Dispatch(call, std::move(backend), std::move(*principal), method, std::move(params), source, client_deadline);
  }
}

std::optional<Principal> McpService::Decide(const std::shared_ptr<Call>& call, const mcp::Backend& backend,
                                            const std::string& source, pipeline::Admission::Outcome outcome) {
  transport::RecordAdmission(outcome, backend.name(), source, metrics_);
  if (auto* principal = std::get_if<Principal>(&outcome)) return std::move(*principal);
  call->Finish(AnswerOf(std::get<pipeline::AdmissionDenial>(outcome), backend.name()));
  return std::nullopt;
}

void McpService::Dispatch(const std::shared_ptr<Call>& call, std::shared_ptr<mcp::Backend> backend, Principal principal,
                          std::string_view method, json params, const std::string& source,
                          pipeline::Clock::time_point client_deadline) {
  // Every gRPC request is a stateless-era request: it carries its version
  // and capabilities, defaulted here when the caller's meta leaves them out.
  json& meta = params["_meta"];
  if (!meta.is_object()) meta = json::object();
  if (!meta.contains(mcp::kMetaProtocolVersion)) meta[mcp::kMetaProtocolVersion] = mcp::kLatestStatelessVersion;
  if (!meta.contains(mcp::kMetaClientCapabilities)) meta[mcp::kMetaClientCapabilities] = json::object();

  pipeline::Request request;
  request.backend = std::move(backend);
  request.id = next_id_.fetch_add(1);
  request.method = std::string(method);
  request.era = mcp::Era::kStateless;
  request.protocol_version = mcp::MetaProtocolVersion(params);
  request.params = std::move(params);
  request.principal = std::move(principal);
  request.source_address = source;
  // The gateway's request timeout, or the client's deadline if sooner.
  request.deadline = std::min(request.received + core_.options().request_timeout, client_deadline);
  call->Track(core_.Handle(std::move(request), std::make_shared<CallResponder>(call)));
}

::grpc::ServerUnaryReactor* McpService::ListTools(::grpc::CallbackServerContext* context,
                                                  const v1::ListToolsRequest* request,
                                                  v1::ListToolsResponse* response) {
  return Unary("ListTools", "tools/list", context, *request, request->route(), response);
}

::grpc::ServerUnaryReactor* McpService::CallTool(::grpc::CallbackServerContext* context,
                                                 const v1::CallToolRequest* request, v1::CallToolResponse* response) {
  return Unary("CallTool", "tools/call", context, *request, request->route(), response);
}

::grpc::ServerWriteReactor<v1::CallToolStreamResponse>* McpService::CallToolStream(
    ::grpc::CallbackServerContext* context, const v1::CallToolRequest* request) {
  auto call = std::make_shared<StreamCall>(metrics_, context);
  auto* reactor = call->Bind();
  json params = ToJson(*request);
  params.erase("route");
  // A progress token makes the core send the plugin's progress.
  json& meta = params["_meta"];
  if (!meta.is_object()) meta = json::object();
  if (!meta.contains("progressToken")) meta["progressToken"] = "grpc-stream";
  Start(call, context, "tools/call", std::move(params), request->route());
  return reactor;
}

::grpc::ServerUnaryReactor* McpService::ListResources(::grpc::CallbackServerContext* context,
                                                      const v1::ListResourcesRequest* request,
                                                      v1::ListResourcesResponse* response) {
  return Unary("ListResources", "resources/list", context, *request, request->route(), response);
}

::grpc::ServerUnaryReactor* McpService::ReadResource(::grpc::CallbackServerContext* context,
                                                     const v1::ReadResourceRequest* request,
                                                     v1::ReadResourceResponse* response) {
  return Unary("ReadResource", "resources/read", context, *request, request->route(), response);
}

::grpc::ServerUnaryReactor* McpService::ListResourceTemplates(::grpc::CallbackServerContext* context,
                                                              const v1::ListResourceTemplatesRequest* request,
                                                              v1::ListResourceTemplatesResponse* response) {
  return Unary("ListResourceTemplates", "resources/templates/list", context, *request, request->route(), response);
}

::grpc::ServerUnaryReactor* McpService::ListPrompts(::grpc::CallbackServerContext* context,
                                                    const v1::ListPromptsRequest* request,
                                                    v1::ListPromptsResponse* response) {
  return Unary("ListPrompts", "prompts/list", context, *request, request->route(), response);
}

::grpc::ServerUnaryReactor* McpService::GetPrompt(::grpc::CallbackServerContext* context,
                                                  const v1::GetPromptRequest* request,
                                                  v1::GetPromptResponse* response) {
  return Unary("GetPrompt", "prompts/get", context, *request, request->route(), response);
}

::grpc::ServerUnaryReactor* McpService::Complete(::grpc::CallbackServerContext* context,
                                                 const v1::CompleteRequest* request, v1::CompleteResponse* response) {
  return Unary("Complete", "completion/complete", context, *request, request->route(), response);
}

}  // namespace mcpgw::rpc
