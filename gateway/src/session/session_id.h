// Self-validating session ids for the session era of Streamable HTTP.
//
// An id carries what any replica needs to serve the session without shared
// state: when it was issued, the negotiated protocol version, the client's
// capability bits and a binding to the principal, all under an HMAC. A
// replica holding the key can tell a genuine, unexpired id for this caller
// from anything else, without sticky routing.
#pragma once

#include "pipeline/principal.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpgw::session {

struct SessionClaims {
  std::string protocol_version;
  uint8_t client_capabilities = 0;  // bit set of kCapability* below
  std::chrono::system_clock::time_point issued_at;
};

inline constexpr uint8_t kCapabilitySampling = 1, kCapabilityElicitation = 2, kCapabilityRoots = 4;

enum class SessionIdCheck { kValid, kMalformed, kForged, kExpired, kOtherPrincipal };
std::string_view CheckName(SessionIdCheck check);

class SessionIdCodec {
 public:
  // `key` must be at least 32 bytes of secret randomness.
  SessionIdCodec(std::string key, std::chrono::seconds lifetime);

  // Mints a new id with 128 bits of fresh randomness, bound to the route
  // (`audience`) and the principal.
  std::string Mint(const SessionClaims& claims, std::string_view audience, const Principal& principal) const;

  // Checks an id presented by `principal` on route `audience`. On kValid
  // fills *claims.
  SessionIdCheck Verify(std::string_view id, std::string_view audience, const Principal& principal,
                        SessionClaims* claims,
                        std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;

  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  std::string key_;
  std::chrono::seconds lifetime_;
};

// Reads the key from `path`, or creates it there (32 random bytes, mode 0600)
// when it does not exist. Returns nullopt and sets *error on failure.
std::optional<std::string> LoadOrCreateKey(const std::string& path, std::string* error);

}  // namespace mcpgw::session
