// The assembled gateway: plugins loaded, routes built, pipeline and core in
// place, front doors listening. Owns every long-lived object and the order
// in which they start and stop.
#pragma once

#include "admin/admin_service.h"
#include "admin/http_endpoint.h"
#include "auth/jwks_fetcher.h"
#include "config/config.h"
#include "limits/local_limiter.h"
#include "limits/redis_limiter.h"
#include "revocation/store.h"
#include "mcp/backend.h"
#include "mcp/core.h"
#include "mcp/route_table.h"
#include "net/cidr.h"
#include "pipeline/rate_limit.h"
#include "metrics/metrics.h"
#include "plugin/plugin_instance.h"
#include "redis/client.h"
#include "transport/grpc_door.h"
#include "transport/http/http_server.h"
#include "transport/http/ops_endpoints.h"
#include "transport/http/streamable_http.h"

#include "timing/timeout_list.h"
#include "transport/io_pool.h"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

namespace mcpgw::app {

inline constexpr const char* kVersion = "0.1.0";

// Over stdio the credential comes from the environment of the process (the
// client that starts it sets it): one of these, checked once at start with
// the same admission as every other front door.
inline constexpr std::string_view kStdioTokenVariable = "MCP_GATEWAY_TOKEN";
inline constexpr std::string_view kStdioApiKeyVariable = "MCP_GATEWAY_API_KEY";

struct StartOptions {
  std::string default_plugin_dir;  // where to look when the config names none
  bool listen = true;              // false for stdio: no network listener at all
  std::string config_path;         // re-read on reload; empty: the embedded default (not re-read)
};

class Gateway {
 public:
  static std::variant<std::unique_ptr<Gateway>, std::string> Create(const config::Config& config,
                                                                     const StartOptions& options);
  ~Gateway();

  // Serves HTTP until SIGTERM or SIGINT, then drains; SIGHUP reloads.
  // Returns the exit code.
  int RunHttp();

  // Re-reads from disk what can change without a restart (SIGHUP): the
  // configuration file, then the TLS certificate, key and client CAs (for
  // connections accepted from now on), the token verification keys of
  // `auth:`, the API keys, the rate-limit policies and the routes (added,
  // removed, re-pointed, their scopes). Open connections, requests in flight
  // and the sessions of routes that stay are kept. What needs a restart
  // (listeners, plugins, the set of issuers, Redis) is reported as a failed
  // step and left as it was.
  // Logs `reloaded` or `reload_failed` per step; a failed step keeps serving
  // what it had. Returns what each step did (the admin API reports it).
  // Reloads from SIGHUP and the admin API are serialised.
  admin::ReloadReport Reload();

  // Serves one route over stdin/stdout until EOF. Returns the exit code.
  int RunStdio(const std::string& route);

  const config::Config& config() const { return config_; }
  // The rate limiter (Redis or local), for the admin API's key state; null
  // without policies.
  limits::Limiter* limiter() const { return limiter_; }
  uint16_t http_port() const { return http_ ? http_->port() : 0; }
  uint16_t metrics_port() const { return ops_server_ ? ops_server_->port() : 0; }
  uint16_t admin_port() const { return admin_server_ ? admin_server_->port() : 0; }
  uint16_t grpc_port() const;  // 0 when server.grpc is off

 private:
  explicit Gateway(const config::Config& config);
  std::string Build(const StartOptions& options);
  // Connects the shared Redis client when a redis: section is configured;
  // an unreadable password file or variable is the error.
  std::string BuildRedis();
  // The revocation store: Redis when redis_ is set, else the local file.
  std::string BuildRevocations();
  // Builds the limiter from config_.rate_limits (Redis when redis_ is set)
  // and appends the rate-limit stage to `pipeline`.
  void BuildRateLimits(pipeline::Pipeline& pipeline, bool post_to_io);
  std::string LoadPlugins(const std::string& plugin_dir);
  // The admin API's listener (config_.admin), built last: it reads what
  // everything else built. Returns an error message or "".
  std::string BuildAdmin();
  // The gRPC listener (config_.server.grpc), when enabled: the MCP service
  // on the same core and admission as HTTP. Returns an error message or "".
  std::string BuildGrpc();
  // server.trusted_proxies, parsed (the config has validated them).
  std::vector<net::Cidr> TrustedProxies() const;
  void ScheduleSweep();
  void WaitForSignal();
  // Builds a TLS context from config_.server.tls and hands it to the MCP
  // listener. Returns an error message or "".
  std::string ReloadTls();
  // Re-reads the key files and secrets of `auth:` (not the configuration
  // itself) and installs them; tokens verified with the old keys are
  // verified again. Returns an error message or "".
  std::string ReloadKeys(const config::Auth& auth);
  // The reloadable parts of `next` (a freshly read configuration) that
  // differ in ways only a restart can apply; empty when none.
  std::string NeedsRestart(const config::Config& next) const;
  std::string ReloadLimits(const config::Config& next);
  // Serves `routes` (start-up, reload): a route that names the same path,
  // resource, plugin and instructions keeps its backend and gets its scopes;
  // any other gets a new backend on a running plugin; a removed or
  // re-pointed route's backend is retired. All or nothing: on an error
  // (returned) the routes served stay as they were. Sets *changed to what
  // changed ("added b; removed c"), when given.
  std::string ApplyRoutes(const std::vector<config::Route>& routes, std::string* changed);
  // Stops a route's backend taking plugin events, ends its sessions and
  // listen streams; requests in flight on it finish. `successor`: the new
  // backend of the same name, which refuses the ended sessions' ids.
  void RetireRoute(const std::shared_ptr<mcp::Backend>& backend, mcp::Backend* successor);
  // The index in plugins_ (and fanouts_) of the plugin named `name`;
  // plugins_.size() when it is not running.
  std::size_t PluginIndex(const std::string& name) const;
  // "Redis is not connected", with the client's reason when it has one.
  std::string RedisNotConnected() const;
  // What /readyz reports: empty when ready to take traffic.
  std::vector<std::string> NotReadyReasons() const;
  void BeginShutdown(const std::string& signal);
  // Stops the event loop once nothing is in flight or `deadline` passed.
  void PollDrain(std::chrono::steady_clock::time_point deadline);
  // The stdio caller's principal, from the credential in its environment.
  std::variant<Principal, pipeline::AdmissionDenial> AdmitStdio(const mcp::Backend& backend) const;

  config::Config config_;  // as started; reloads never change it (other threads read it)
  std::string config_path_;
  transport::IoPool io_;
  timing::TimeoutList timeouts_;
  std::unique_ptr<metrics::Metrics> metrics_;
  // The shared Redis client (ADR 0012); null without a `redis:` section.
  // Declared before everything that uses it, so it outlives them.
  std::unique_ptr<redis::Client> redis_;
  // Rate limits (ADR 0013): the local limiter serves without Redis and is
  // the fail-open fallback with it; limiter_ is the one the stage asks
  // (null without policies).
  std::unique_ptr<limits::LocalLimiter> local_limiter_;
  std::unique_ptr<limits::RedisLimiter> redis_limiter_;
  limits::Limiter* limiter_ = nullptr;
  pipeline::RateLimit* rate_limit_ = nullptr;  // the stage, owned by the core's pipeline; null without policies
  std::vector<std::unique_ptr<mcp::PluginEventFanout>> fanouts_;
  std::vector<std::unique_ptr<plugin::PluginInstance>> plugins_;
  std::shared_ptr<const session::SessionIdCodec> session_codec_;
  mcp::RouteTable routes_;  // read by every front door; replaced by reloads
  std::unique_ptr<mcp::Core> core_;
  std::unique_ptr<revocation::Store> revocations_;  // with auth only; before admission_, which reads it
  std::unique_ptr<pipeline::Admission> admission_;  // null when no `auth:` is configured (loopback only)
  auth::BearerAuthenticator* bearer_ = nullptr;     // admission_'s, for key reloads
  std::shared_ptr<auth::JwksFetcher> jwks_;         // null without JWKS URLs; refers to admission_'s authenticator
  std::unique_ptr<http::StreamableHttpEndpoint> endpoint_;
  std::unique_ptr<http::OpsEndpoints> ops_;
  std::unique_ptr<http::Server> http_;
  std::unique_ptr<http::Server> ops_server_;
  std::unique_ptr<admin::AdminService> admin_;  // null unless config_.admin.enabled
  std::unique_ptr<admin::HttpEndpoint> admin_endpoint_;
  std::unique_ptr<http::Server> admin_server_;
  // The gRPC front door (null unless server.grpc is enabled; ADR 0023). It
  // is shut down first in the destructor: its calls reach the core.
  std::unique_ptr<rpc::GrpcDoor> grpc_server_;
  // Runs grpc_server_->Shutdown while draining (it blocks until the calls
  // in flight end, and those need the I/O threads).
  std::thread grpc_shutdown_;
  std::atomic<bool> grpc_shut_down_{false};  // set when grpc_shutdown_'s Shutdown returned
  // When the drain first found nothing of the gateway's in flight.
  std::optional<std::chrono::steady_clock::time_point> idle_since_;
  std::mutex reload_mu_;
  std::unique_ptr<boost::asio::signal_set> signals_;
  std::unique_ptr<boost::asio::steady_timer> sweep_timer_;
  std::unique_ptr<boost::asio::steady_timer> drain_timer_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> stopping_{false};
};

}  // namespace mcpgw::app
