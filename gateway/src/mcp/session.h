// A session-era MCP session as this replica holds it.
//
// The id is self-validating (session/session_id.h); this object keeps only
// what may be lost without harm when a replica restarts or evicts it: the
// log level the client set, its resource subscriptions, the requests in
// flight (for notifications/cancelled) and the channel for messages the
// server starts (the GET stream on HTTP, stdout on stdio).
#pragma once

#include "session/session_id.h"

#include <mcpgw/plugin.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

namespace mcpgw::mcp {

using json = nlohmann::json;

// Where server-initiated messages of a session go. Implemented by the
// transport; Send is called from any thread.
class ServerChannel {
 public:
  virtual ~ServerChannel() = default;
  virtual void Send(const json& message) = 0;
  // Ends what the transport holds open for the session (its SSE streams):
  // the session ended without the client asking (its route was removed).
  virtual void Close() = 0;
};

// Something in flight that notifications/cancelled can stop.
class Cancellable {
 public:
  virtual ~Cancellable() = default;
  virtual void Cancel() = 0;
};

class Session {
 public:
  Session(std::string id, session::SessionClaims claims);

  const std::string& id() const { return id_; }
  // Who the id was verified for on this replica (subject, tenant, client).
  void set_owner(const Principal& p) {
    std::lock_guard lock(mu_);
    owner_.subject = p.subject;
    owner_.tenant = p.tenant;
    owner_.client_id = p.client_id;
  }
  bool OwnedBy(const Principal& p) const {
    std::lock_guard lock(mu_);
    return owner_.subject == p.subject && owner_.tenant == p.tenant && owner_.client_id == p.client_id;
  }
  const std::string& protocol_version() const { return claims_.protocol_version; }
  const session::SessionClaims& claims() const { return claims_; }

  // logging/setLevel; messages below it are not sent. Default: info.
  void set_log_level(mcpgw_log_level level) { log_level_.store(level); }
  mcpgw_log_level log_level() const { return log_level_.load(); }

  // resources/subscribe and resources/unsubscribe.
  void Subscribe(const std::string& uri);
  void Unsubscribe(const std::string& uri);
  bool IsSubscribed(const std::string& uri) const;

  // Requests in flight, keyed by their JSON-RPC id.
  void Track(const json& request_id, std::weak_ptr<Cancellable> call);
  void Untrack(const json& request_id);
  // Returns true if a request with that id was in flight.
  bool Cancel(const json& request_id);

  void set_channel(std::shared_ptr<ServerChannel> channel);
  std::shared_ptr<ServerChannel> channel() const;
  // Returns the channel, installing make() first if there is none. The
  // transport owns what kind of channel it is.
  std::shared_ptr<ServerChannel> EnsureChannel(const std::function<std::shared_ptr<ServerChannel>()>& make);
  // Sends a server-initiated message if a channel is attached.
  void Emit(const json& message) const;

  void Touch() { last_used_.store(std::chrono::steady_clock::now().time_since_epoch().count()); }
  std::chrono::steady_clock::time_point last_used() const {
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(last_used_.load()));
  }

 private:
  const std::string id_;
  const session::SessionClaims claims_;
  std::atomic<mcpgw_log_level> log_level_{MCPGW_LOG_INFO};
  std::atomic<std::chrono::steady_clock::rep> last_used_;
  mutable std::mutex mu_;
  std::set<std::string> subscriptions_;
  std::unordered_map<std::string, std::weak_ptr<Cancellable>> in_flight_;
  std::shared_ptr<ServerChannel> channel_;
  Principal owner_;
};

}  // namespace mcpgw::mcp
