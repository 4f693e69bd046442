#include "mcp/session.h"

#include "jsonrpc/message.h"

namespace mcpgw::mcp {

Session::Session(std::string id, session::SessionClaims claims) : id_(std::move(id)), claims_(std::move(claims)) {
  Touch();
}

void Session::Subscribe(const std::string& uri) {
  std::lock_guard lock(mu_);
  subscriptions_.insert(uri);
}

void Session::Unsubscribe(const std::string& uri) {
  std::lock_guard lock(mu_);
  subscriptions_.erase(uri);
}

bool Session::IsSubscribed(const std::string& uri) const {
  std::lock_guard lock(mu_);
  return subscriptions_.count(uri) > 0;
}

void Session::Track(const json& request_id, std::weak_ptr<Cancellable> call) {
  std::lock_guard lock(mu_);
  in_flight_[jsonrpc::IdKey(request_id)] = std::move(call);
}

void Session::Untrack(const json& request_id) {
  std::lock_guard lock(mu_);
  in_flight_.erase(jsonrpc::IdKey(request_id));
}

bool Session::Cancel(const json& request_id) {
  std::shared_ptr<Cancellable> call;
  {
    std::lock_guard lock(mu_);
    auto it = in_flight_.find(jsonrpc::IdKey(request_id));
    if (it == in_flight_.end()) return false;
    call = it->second.lock();
  }
  if (call) call->Cancel();
  return call != nullptr;
}

void Session::set_channel(std::shared_ptr<ServerChannel> channel) {
  std::lock_guard lock(mu_);
  channel_ = std::move(channel);
}

std::shared_ptr<ServerChannel> Session::channel() const {
  std::lock_guard lock(mu_);
  return channel_;
}

std::shared_ptr<ServerChannel> Session::EnsureChannel(const std::function<std::shared_ptr<ServerChannel>()>& make) {
  std::lock_guard lock(mu_);
  if (!channel_) channel_ = make();
  return channel_;
}

void Session::Emit(const json& message) const {
  if (auto c = channel()) c->Send(message);
}

}  // namespace mcpgw::mcp
