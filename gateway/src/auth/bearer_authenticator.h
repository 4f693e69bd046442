// From an Authorization header to the verified claims of a bearer JWT, for
// one route.
//
// The token is taken from the header only (RFC 6750 2.1; never from the
// query or the body). Its issuer is chosen by the exact `iss` among the
// trusted ones, it is verified with that issuer's keys under that issuer's
// policy (RFC 8725 rules, see jwt.h), and the outcome is cached by the
// token's SHA-256. The route's audience is checked on every request, cached
// or not: a token for one route is refused by every other.
//
// Thread-safe. Keys can be replaced while requests are served (a reload, a
// JWKS refresh); a token verified with keys that were replaced is verified
// again.
#pragma once

#include "auth/failure.h"
#include "auth/jwt.h"
#include "auth/key.h"
#include "auth/token_cache.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcpgw::auth {

// "Bearer <b64token>" (scheme case-insensitive, RFC 7235 2.1) -> the token;
// nullopt for another scheme, no token, or characters outside b64token.
std::optional<std::string_view> BearerToken(std::string_view authorization);

struct TrustedIssuer {
  JwtPolicy policy;  // policy.issuer names it
  std::shared_ptr<const KeySet> keys;
  bool keys_from_url = false;  // a JWKS URL supplies some of its keys
};

// The token one keep-alive connection presented last, as verified: while
// that connection presents the same token again, under the same key set and
// before the token expires, the verification stands without hashing the
// token or looking it up in the shared cache. The audience is still checked
// every time, and revocation is the caller's (Admission) every time. Owned
// by one connection, used by one thread at a time.
struct LastVerifiedToken {
  std::string token;
  std::uint64_t epoch = 0;
  std::shared_ptr<const Claims> claims;
  TokenCache::Digest digest{};
};

class BearerAuthenticator {
 public:
  BearerAuthenticator(std::vector<TrustedIssuer> issuers, std::size_t cache_capacity);

  // Replaces the keys of `issuer`; false when no such issuer is trusted.
  bool ReplaceKeys(std::string_view issuer, std::shared_ptr<const KeySet> keys);

  // Called, with the issuer's name, when a token of an issuer whose keys
  // come from a URL names a kid that none of its keys has: the issuer may
  // have rotated its keys. The token itself is still refused. Set before the
  // first Authenticate; called on the authenticating thread, so it must be
  // quick.
  void OnUnknownKid(std::function<void(std::string_view issuer)> hook) { unknown_kid_ = std::move(hook); }

  // The claims of `token` when it is valid now and one of its audiences is
  // exactly `audience`.
  std::variant<std::shared_ptr<const Claims>, Failure> Authenticate(
      std::string_view token, std::string_view audience,
      std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
  // The same, also storing the token's SHA-256 in `*digest` whenever it was
  // computed (every token within the size limit), so that callers can name
  // the token without hashing it again.
  std::variant<std::shared_ptr<const Claims>, Failure> Authenticate(
      std::string_view token, std::string_view audience, TokenCache::Digest* digest,
      std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
  // The same, first asking `last` (a connection's last verified token, may
  // be null) and remembering a verified token there.
  std::variant<std::shared_ptr<const Claims>, Failure> Authenticate(std::string_view token, std::string_view audience,
                                                                     TokenCache::Digest* digest, LastVerifiedToken* last,
                                                                     std::chrono::system_clock::time_point now);

  TokenCache::Totals cache_totals() const { return cache_.totals(); }

  // Trusted issuers that have no key yet (their JWKS URL has not answered
  // once): no token of theirs can verify, so the gateway is not ready.
  std::vector<std::string> IssuersWithoutKeys() const;

 private:
  struct Trust {
    std::vector<TrustedIssuer> issuers;
    std::uint64_t epoch;  // changes whenever any issuer's keys change
    std::size_t max_token_bytes;
  };
  std::variant<std::shared_ptr<const Claims>, Failure> Verify(const Trust& trust, std::string_view token,
                                                               std::chrono::system_clock::time_point now) const;

  std::atomic<std::shared_ptr<const Trust>> trust_;
  mutable TokenCache cache_;
  std::function<void(std::string_view)> unknown_kid_;
};

}  // namespace mcpgw::auth
