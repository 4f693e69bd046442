// One gRPC call of the front door while the pipeline and the core work on
// it: what both kinds of call (unary, server-streaming) share.
//
// The call outlives its gRPC reactor only as a finished record: the core's
// responder, an introspection callback or a cancellation may still hold it,
// but once Finish ran nothing touches the reactor again (gRPC deletes it in
// OnDone, which comes only after Finish).
#pragma once

#include "mcp/responder.h"
#include "transport/grpc/status_mapping.h"

#include <grpcpp/support/server_callback.h>
#include <grpcpp/server_context.h>
#include <google/protobuf/message.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <string_view>

namespace mcpgw::metrics {
class Metrics;
}
namespace mcpgw::mcp {
class Cancellable;
}

namespace mcpgw::rpc {

class Call : public std::enable_shared_from_this<Call> {
 public:
  // `rpc`: the RPC name from the service's fixed set (a metric label).
  Call(std::string_view rpc, metrics::Metrics* metrics) : rpc_(rpc), metrics_(metrics) {}
  virtual ~Call() = default;

  // Ends the call with `answer`; the first call wins, later ones do nothing.
  void Finish(Answer answer);
  // An MCP notification about the request (progress, log message); only a
  // streaming call sends them on.
  virtual void Notify(const nlohmann::json& notification) { (void)notification; }

  // The core's handle of the request: cancelled at once if the client has
  // already gone, else when it goes.
  void Track(const std::shared_ptr<mcp::Cancellable>& cancellable);
  // The client cancelled or its deadline passed (the reactor's OnCancel).
  void ClientGone();

  std::string_view rpc() const { return rpc_; }

 protected:
  // Sends `answer` to the client and finishes the reactor. Called once,
  // without the call's lock held.
  virtual void Deliver(Answer answer) = 0;

 private:
  const std::string_view rpc_;
  metrics::Metrics* const metrics_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::mutex mu_;
  bool finished_ = false;
  bool gone_ = false;
  std::weak_ptr<mcp::Cancellable> cancellable_;
};

// Sends an answer's retry-after (RESOURCE_EXHAUSTED, UNAVAILABLE) and its
// rate-limit state as trailing metadata; call before finishing.
void AddTrailingMetadata(::grpc::CallbackServerContext* context, const Answer& answer);

// A unary RPC: the response message is filled from the answer's JSON
// result (protobuf's JSON mapping), then the reactor finishes.
class UnaryCall final : public Call {
 public:
  UnaryCall(std::string_view rpc, metrics::Metrics* metrics, ::grpc::CallbackServerContext* context,
            google::protobuf::Message* response)
      : Call(rpc, metrics), context_(context), response_(response) {}

  // The reactor gRPC drives; it keeps the call alive until OnDone.
  ::grpc::ServerUnaryReactor* Bind();

 protected:
  void Deliver(Answer answer) override;

 private:
  class Reactor;

  ::grpc::CallbackServerContext* context_;
  google::protobuf::Message* response_;
  ::grpc::ServerUnaryReactor* reactor_ = nullptr;
};

// The core's Responder for a call.
class CallResponder final : public mcp::Responder {
 public:
  explicit CallResponder(std::shared_ptr<Call> call) : call_(std::move(call)) {}
  void Notify(const nlohmann::json& notification) override { call_->Notify(notification); }
  void Finish(mcp::Reply reply) override { call_->Finish(AnswerOf(reply)); }

 private:
  std::shared_ptr<Call> call_;
};

}  // namespace mcpgw::rpc
