// The session-era sessions of one route on this replica.
//
// Decides whether a presented Mcp-Session-Id is usable: genuine, unexpired,
// minted for this route and this principal, and not ended by DELETE. Any
// replica can accept a session another replica minted (the id carries the
// negotiated version); only the set of ended ids is local until the Redis
// revocation layer shares it.
#pragma once

#include "mcp/session.h"
#include "session/session_id.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace mcpgw::metrics {
class Metrics;
}

namespace mcpgw::mcp {

class SessionRegistry {
 public:
  SessionRegistry(std::shared_ptr<const session::SessionIdCodec> codec, std::string audience,
                  metrics::Metrics* metrics);

  std::shared_ptr<Session> Create(const std::string& protocol_version, uint8_t client_capabilities,
                                  const Principal& principal);

  struct Lookup {
    std::shared_ptr<Session> session;  // set when usable
    session::SessionIdCheck check = session::SessionIdCheck::kMalformed;
    bool ended = false;
  };
  // Verifies `id` for `principal`. An id this replica already verified for
  // the same principal is recognised without repeating the HMAC.
  Lookup Find(std::string_view id, const Principal& principal);

  // Ends a session (DELETE). Returns false when the id is not usable.
  bool End(std::string_view id, const Principal& principal);

  std::vector<std::shared_ptr<Session>> All() const;

  // Ends every session held here (the route was removed or re-pointed) and
  // returns them. `successor`, when set, is the registry of the route's new
  // backend: it refuses these ids and those ended here, and forgets any of
  // them it already took (a request that raced the reload).
  std::vector<std::shared_ptr<Session>> EndAll(SessionRegistry* successor);

  // Forgets local state of sessions idle longer than `idle`, and ended ids
  // that have expired anyway.
  void Sweep(std::chrono::steady_clock::duration idle);

  std::size_t size() const;

 private:
  std::shared_ptr<const session::SessionIdCodec> codec_;
  const std::string audience_;
  metrics::Metrics* metrics_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Session>> sessions_;
  std::unordered_map<std::string, std::chrono::system_clock::time_point> ended_;  // id -> when it expires
  std::chrono::seconds lifetime_{86'400};
};

}  // namespace mcpgw::mcp
