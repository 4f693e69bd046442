// JWT claims (RFC 7519) under the JWT BCP (RFC 8725), on top of a verified
// JWS.
//
// Decides whether a signed token is currently valid from this issuer and
// who it speaks for. The audience is deliberately checked apart
// (MatchesAudience): a token's signature and times can be verified once and
// cached, while each route it is presented to checks its own exact audience.
#pragma once

#include "auth/failure.h"
#include "auth/jws.h"
#include "auth/key.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcpgw::auth {

struct JwtPolicy {
  std::string issuer;  // compared exactly with `iss`
  std::chrono::seconds clock_skew{60};
  std::chrono::seconds max_lifetime{std::chrono::hours(24)};  // exp - iat may not exceed it
  std::string tenant_claim = "sub";  // must be a non-empty string claim
  JwsLimits limits;
};

struct Claims {
  std::string issuer;
  std::string subject;
  std::vector<std::string> audiences;  // `aud` as a list, whether a string or an array
  std::string client_id;               // `client_id`, else `azp`; empty when neither
  std::vector<std::string> scopes;     // `scope` split on spaces, else `scp`
  std::string tenant;
  std::optional<std::string> token_id;  // `jti`
  std::chrono::sys_seconds issued_at;
  std::chrono::sys_seconds expires_at;
};

// Checks the header's `typ` and the payload's claims of a verified JWS
// against `policy` at `now`, without the audience.
std::variant<Claims, Failure> ValidateClaims(const VerifiedJws& jws, const JwtPolicy& policy,
                                             std::chrono::system_clock::time_point now);

// VerifyJws then ValidateClaims: everything but the audience.
std::variant<Claims, Failure> VerifyJwt(std::string_view token, const KeySet& keys, const JwtPolicy& policy,
                                        std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// True when `audience` is exactly (byte for byte) one of the token's
// audiences: no prefix, suffix, case or trailing-slash leniency.
bool MatchesAudience(const Claims& claims, std::string_view audience);

}  // namespace mcpgw::auth
