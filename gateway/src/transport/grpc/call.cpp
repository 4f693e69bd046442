#include "transport/grpc/call.h"

#include "mcp/session.h"
#include "metrics/metrics.h"
#include "transport/grpc/json_message.h"

namespace mcpgw::rpc {

void Call::Finish(Answer answer) {
  {
    std::lock_guard lock(mu_);
    if (finished_) return;
    finished_ = true;
  }
  if (metrics_ != nullptr) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    metrics_->RecordGrpcCall(rpc_, CodeName(answer.status.error_code()), seconds);
  }
  Deliver(std::move(answer));
}

void Call::Track(const std::shared_ptr<mcp::Cancellable>& cancellable) {
  bool gone = false;
  {
    std::lock_guard lock(mu_);
    cancellable_ = cancellable;
    gone = gone_;
  }
  if (gone && cancellable) cancellable->Cancel();
}

void Call::ClientGone() {
  std::shared_ptr<mcp::Cancellable> cancellable;
  {
    std::lock_guard lock(mu_);
    gone_ = true;
    cancellable = cancellable_.lock();
  }
  // Cancelling finishes the exchange, whose responder finishes this call
  // (with CANCELLED): outside the lock.
  if (cancellable) cancellable->Cancel();
}

void AddTrailingMetadata(::grpc::CallbackServerContext* context, const Answer& answer) {
  if (answer.retry_after) context->AddTrailingMetadata("retry-after", std::to_string(answer.retry_after->count()));
  for (const auto& [name, value] : answer.rate_limit) context->AddTrailingMetadata(name, value);
}

class UnaryCall::Reactor final : public ::grpc::ServerUnaryReactor {
 public:
  explicit Reactor(std::shared_ptr<UnaryCall> call) : call_(std::move(call)) {}
  void OnCancel() override { call_->ClientGone(); }
  void OnDone() override { delete this; }

 private:
  std::shared_ptr<UnaryCall> call_;
};

::grpc::ServerUnaryReactor* UnaryCall::Bind() {
  reactor_ = new Reactor(std::static_pointer_cast<UnaryCall>(shared_from_this()));
  return reactor_;
}

void UnaryCall::Deliver(Answer answer) {
  ::grpc::Status status = std::move(answer.status);
  if (status.ok()) {
    if (std::string why = FromJson(answer.result, response_); !why.empty()) {
      status = ::grpc::Status(::grpc::StatusCode::INTERNAL, "The backend's result does not fit the response: " + why);
    }
  }
  AddTrailingMetadata(context_, answer);
  reactor_->Finish(status);
}

}  // namespace mcpgw::rpc
