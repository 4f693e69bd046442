// Keeps the keys of issuers that publish them at a JWKS URL current.
//
// Decides when each URL is fetched and which keys are installed. Every URL
// is fetched at start; a failure is logged (`jwks_fetch_failed`, with the
// issuer and the reason) and retried with backoff, and start-up never waits
// for it: until the first success that issuer's tokens fail with
// unknown_kid. Then it is fetched again every `refresh` (sooner when the
// answer's Cache-Control max-age says so, never sooner than
// `min_refetch_interval`), and early when a token names a kid the issuer's
// keys lack (RequestRefetch), at most once per `min_refetch_interval` per
// URL however many tokens ask. The token that asked is refused all the same;
// the next one finds the new keys.
//
// A fetch that fails, answers anything but 200 (no redirect is followed),
// or brings no usable key leaves the last good keys in place. Keys are read
// as coming from a URL (KeySource::kUrl: public keys only). What is
// installed (BearerAuthenticator::ReplaceKeys) is the issuer's local keys
// plus the last good keys of each of its URLs; an unchanged document is not
// installed again, so verified tokens stay cached.
//
// RequestRefetch may be called from any thread; all else runs on the
// executor given at creation. The target authenticator must outlive it.
#pragma once

#include "auth/bearer_authenticator.h"
#include "auth/trust_loader.h"
#include "config/config.h"
#include "net/http_client.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcpgw::auth {

struct JwksFetcherOptions {
  std::chrono::milliseconds refresh{std::chrono::minutes(5)};
  std::chrono::milliseconds min_refetch_interval{std::chrono::seconds(30)};
  std::chrono::milliseconds first_retry{std::chrono::seconds(1)};  // after a failure; doubles up to `refresh`
  net::HttpClientOptions http;

  static JwksFetcherOptions From(const config::JwksFetch& config);
};

class JwksFetcher : public std::enable_shared_from_this<JwksFetcher> {
 public:
  // Fails only when the CA file cannot be loaded.
  static std::variant<std::shared_ptr<JwksFetcher>, std::string> Create(boost::asio::any_io_executor executor,
                                                                        BearerAuthenticator& target,
                                                                        const LoadedTrust& trust,
                                                                        JwksFetcherOptions options);
  ~JwksFetcher();

  // Fetches every URL now, and from then on as described above.
  void Start();
  // No fetch starts after this; answers still on their way are ignored.
  void Stop();

  // Asks for an early fetch of `issuer`'s URLs (rate-limited; cheap to call
  // often). Unknown issuers are ignored.
  void RequestRefetch(std::string_view issuer);

  // New local keys (files and secrets, re-read on SIGHUP) for the issuers
  // this fetcher serves: installed beside each issuer's last fetched keys.
  // Issuers not served here are ignored.
  void ReplaceLocalKeys(const LoadedTrust& trust);

  // For BearerAuthenticator::OnUnknownKid; it does not keep the fetcher alive.
  std::function<void(std::string_view)> UnknownKidHook();

 private:
  struct Source;
  struct Issuer;
  JwksFetcher(boost::asio::any_io_executor executor, net::HttpClient client, BearerAuthenticator& target,
              JwksFetcherOptions options);

  void Fetch(Source& source);
  void OnFetched(Source& source, net::HttpOutcome outcome);
  // Installs the keys of a 200 answer (unless unchanged); else why not.
  std::string Accept(Source& source, const net::HttpResponse& response);
  void Schedule(Source& source, std::chrono::milliseconds delay);
  void Install(const Issuer& issuer);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  net::HttpClient client_;
  BearerAuthenticator& target_;
  const JwksFetcherOptions options_;
  std::vector<std::unique_ptr<Issuer>> issuers_;  // fixed after Create: read without a lock
  std::atomic<bool> stopped_{false};
};

}  // namespace mcpgw::auth
