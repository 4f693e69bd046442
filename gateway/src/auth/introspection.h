// RFC 7662 token introspection: asks the authorization server whether a
// token is active and whom it speaks for, for tokens the gateway cannot
// verify itself (opaque ones).
//
// Decides what an answer means. `active` must be true, `exp` present and in
// the future, `sub` and the tenant claim non-empty strings, `iss` equal to
// the configured issuer when one is configured; `aud` (a string or a list),
// `scope`, `client_id`, `iat` and `jti` are read as in a JWT. The audience
// is NOT checked here: the caller checks it per route (MatchesAudience), as
// for a JWT.
//
// Answers are cached by the token's SHA-256 (the token is never stored),
// bounded: an active answer until min(exp, now + max_cache), a refusal
// (inactive, expired, missing claim) for `refusal_cache`, in a cache of its
// own so that a flood of bad tokens cannot evict good ones. No answer (a
// timeout, an error status, a body that is not a JSON object) is never
// cached: Failure kIntrospectionUnavailable. Concurrent requests for one
// token share one call to the endpoint.
//
// The token travels only in the POST body to the configured endpoint, with
// the gateway's client credentials (HTTP Basic, RFC 6749 2.3.1); neither the
// token nor the secret ever appears in a log line or a Failure message.
#pragma once

#include "auth/failure.h"
#include "auth/jwt.h"
#include "config/config.h"
#include "net/http_client.h"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcpgw::auth {

struct IntrospectionOptions {
  net::Url endpoint;
  std::string client_id;
  std::string client_secret;
  std::string issuer;  // when not empty, an answer's `iss` must equal it
  std::string tenant_claim = "sub";
  std::size_t max_token_bytes = 8192;  // a longer token is refused without asking
  std::size_t cache_entries = 10'000;  // per cache (active answers; refusals)
  std::chrono::seconds max_cache{300};
  std::chrono::seconds refusal_cache{30};
  net::HttpClientOptions http;
};

class Introspector : public std::enable_shared_from_this<Introspector> {
 public:
  using Outcome = std::variant<std::shared_ptr<const Claims>, Failure>;

  // Fails only when the CA file cannot be loaded.
  static std::variant<std::shared_ptr<Introspector>, std::string> Create(boost::asio::any_io_executor executor,
                                                                         IntrospectionOptions options);
  ~Introspector();

  // Calls `done` exactly once: at once (on this thread) for a cached answer
  // or a token refused without asking, else on the executor's thread when
  // the answer arrives or the timeout passes. `now` decides expiry.
  void Introspect(std::string_view token, std::function<void(Outcome)> done,
                  std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

 private:
  class AnswerCache;
  Introspector(net::HttpClient client, IntrospectionOptions options);

  void OnAnswer(const std::string& digest, net::HttpOutcome outcome, std::chrono::system_clock::time_point now);
  Outcome Interpret(const net::HttpOutcome& outcome, std::chrono::system_clock::time_point now) const;

  net::HttpClient client_;
  const IntrospectionOptions options_;
  const std::string authorization_;  // "Basic ..."
  std::unique_ptr<AnswerCache> active_;
  std::unique_ptr<AnswerCache> refused_;
  std::mutex waiting_mutex_;
  std::map<std::string, std::vector<std::function<void(Outcome)>>> waiting_;  // by digest: requests in flight
};

// An Introspector for `auth.introspection`, its client secret read from the
// file or environment variable; an error names the setting, never the
// secret.
std::variant<std::shared_ptr<Introspector>, std::string> MakeIntrospector(const config::Auth& auth,
                                                                          boost::asio::any_io_executor executor);

}  // namespace mcpgw::auth
