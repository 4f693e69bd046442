// The gateway's configuration: what it listens on, which plugins it loads
// and which route serves each of them.
//
// Loaded from YAML and validated completely before anything starts: every
// problem is reported with the key it concerns, unknown keys are errors.
#pragma once

#include "log/log.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcpgw::config {

struct Endpoint {
  std::string host;  // an IP literal (IPv6 without brackets) or "localhost"
  uint16_t port = 0;
  bool IsLoopback() const;
  std::string ToString() const;  // host:port, IPv6 in brackets

  bool operator==(const Endpoint&) const = default;
};

struct Limits {
  uint64_t max_body_bytes = 4 * 1024 * 1024;
  uint32_t max_header_bytes = 16 * 1024;
  uint32_t max_json_depth = 64;
  uint32_t request_timeout_ms = 30'000;
  uint32_t max_connections = 4096;

  bool operator==(const Limits&) const = default;
};

struct Sessions {
  std::string secret_file;     // HMAC key for session ids; generated in data_dir when empty
  uint32_t lifetime_s = 86'400;
  uint32_t sse_retry_ms = 1'000;  // the SSE `retry:` hint sent before a server closes a stream
  uint32_t event_buffer = 1'024;  // events kept per stream for Last-Event-ID resumption
  // A tools/call still running after this long has its POST stream closed
  // and the client resumes with GET + Last-Event-ID (SEP-1699); 0 disables.
  uint32_t poll_after_ms = 55'000;

  bool operator==(const Sessions&) const = default;
};

// The gRPC front door (ADR 0018): off unless configured. It shares the MCP
// listener's rules: TLS from server.tls when that is set, and anything but
// loopback only with an auth: section.
struct Grpc {
  bool enabled = false;
  Endpoint listen{"127.0.0.1", 9090};

  bool operator==(const Grpc&) const = default;
};

// HTTPS on the MCP listener (never on the metrics listener). The files are
// read at start-up and again on SIGHUP.
enum class ClientCertificates { kNone, kOptional, kRequire };
struct Tls {
  bool configured = false;      // a `tls:` section was given
  std::string cert_file;         // PEM chain, leaf first
  std::string key_file;          // PEM private key, unencrypted
  std::string client_ca_file;    // PEM CAs a client certificate must chain to
  ClientCertificates client_certificates = ClientCertificates::kNone;
  uint32_t hsts_max_age_s = 31'536'000;
  std::string min_version = "1.2";  // "1.2" or "1.3"

  bool operator==(const Tls&) const = default;
};

struct Server {
  Endpoint listen{"127.0.0.1", 8080};
  // Peers (CIDRs such as 10.0.0.0/8 or single addresses) whose
  // X-Forwarded-For is believed: the source address is then the right-most
  // address in that header not itself in this list. Empty: the socket's peer.
  std::vector<std::string> trusted_proxies;
  std::string public_url;  // defaults to http://<listen>, or https://<listen> with tls
  uint32_t io_threads = 0;  // 0 = one per core
  std::vector<std::string> allowed_origins;
  std::string data_dir = "./data";
  uint32_t page_size = 100;
  // After SIGTERM: how long requests in flight may take to finish (new
  // connections are refused and /readyz is false meanwhile).
  uint32_t drain_s = 25;
  Limits limits;
  Sessions sessions;
  Tls tls;
  Grpc grpc;

  bool operator==(const Server&) const = default;
};

// One place an issuer's verification keys come from: exactly one of
// jwks_file, jwks_url, pem_file, secret_file, secret_env.
struct KeySource {
  std::string jwks_file;    // a JWKS; keys without `alg` take `algorithm`
  std::string jwks_url;     // a JWKS fetched and refreshed (https; http to loopback only); same pinning
  std::string pem_file;     // one PEM public key, pinned to `algorithm`
  std::string secret_file;  // HS* secret bytes, pinned to `algorithm`
  std::string secret_env;   // HS* secret from this environment variable
  std::string algorithm;    // e.g. ES256; required for pem_file and secrets
  std::string kid;          // the kid of a pem_file or secret key (optional)

  bool operator==(const KeySource&) const = default;
};

// A token issuer the gateway trusts and where its keys come from: one source
// written on the issuer entry itself, or several under `keys:` (two HS
// secrets during a rotation, a JWKS URL plus a pinned local key). Either
// way they are all in `keys`, and all of them verify its tokens.
struct Issuer {
  std::string issuer;  // compared exactly with a token's `iss`
  std::vector<KeySource> keys;

  bool operator==(const Issuer&) const = default;
};

// How the JWKS URLs of the issuers are fetched.
struct JwksFetch {
  uint32_t refresh_s = 300;              // a Cache-Control max-age may shorten it down to min_refetch_interval_s
  uint32_t min_refetch_interval_s = 30;  // never fetch one URL more often, whatever asks (unknown kids)
  uint32_t timeout_ms = 5'000;
  uint32_t max_bytes = 1 << 20;  // a larger JWKS is refused
  std::string ca_file;           // PEM CAs trusted for https; empty: the system store

  bool operator==(const JwksFetch&) const = default;
};

// RFC 7662 token introspection, for tokens the gateway cannot verify itself.
struct Introspection {
  bool configured = false;  // an `introspection:` section was given
  std::string endpoint;     // https; http to loopback only
  std::string client_id;    // the gateway's own client credentials (HTTP Basic)
  std::string client_secret_file;
  std::string client_secret_env;
  std::string issuer;  // when set, an answer's `iss` must equal it
  uint32_t timeout_ms = 2'000;
  uint32_t cache_entries = 10'000;  // answers remembered (by the token's SHA-256)
  uint32_t max_cache_s = 300;       // an active answer is trusted at most this long (and never past `exp`)
  std::string ca_file;              // PEM CAs trusted for https; empty: the system store

  bool operator==(const Introspection&) const = default;
};

// A caller authenticated by a static key (X-API-Key) rather than a token.
// Only the key's SHA-256 is configured; the key itself never is.
struct ApiKey {
  std::string name;                    // the principal's subject and, by default, its tenant
  std::string sha256;                  // lowercase hex SHA-256 of the key
  std::vector<std::string> audiences;  // resource URIs it may be used on, matched exactly
  std::vector<std::string> scopes;
  std::string tenant;  // defaults to name

  bool operator==(const ApiKey&) const = default;
};

// The largest auth.clock_skew_s: no gateway accepts a token longer than this
// past its exp.
inline constexpr uint32_t kMaxClockSkewS = 600;

struct Auth {
  bool configured = false;  // an `auth:` section was given
  std::vector<Issuer> issuers;
  uint32_t clock_skew_s = 60;
  uint32_t max_token_lifetime_s = 86'400;
  uint32_t max_token_bytes = 8'192;
  std::string tenant_claim = "sub";
  uint32_t cache_entries = 100'000;  // verified tokens remembered (by SHA-256)
  JwksFetch jwks;
  Introspection introspection;
  std::vector<ApiKey> api_keys;

  bool operator==(const Auth&) const = default;
};

// Where the audit log goes: a file (appended to, mode 0600) or, when empty,
// stderr beside the operational log.
struct Audit {
  std::string file;
  bool tool_calls = true;  // a line per tools/call (route, tool, subject, outcome, duration)

  bool operator==(const Audit&) const = default;
};

// The Redis shared by every replica for rate limits and revocations. Without
// a `redis:` section both are served in process (one replica).
struct RedisTls {
  std::string ca_file;      // PEM CAs for the server certificate; empty: the system store
  std::string cert_file;    // client certificate (optional)
  std::string key_file;     // its key
  std::string server_name;  // SNI and name checked; defaults to the URL's host

  bool operator==(const RedisTls&) const = default;
};
struct Redis {
  bool configured = false;  // a `redis:` section was given
  // redis://host[:port][/db], rediss://host[:port][/db] (TLS) or
  // unix:///path/to/redis.sock[?db=N]. No credentials in the URL.
  std::string url;
  std::string username;  // ACL user (optional; AUTH <password> alone without it)
  std::string password_file;
  std::string password_env;
  RedisTls tls;  // used with rediss://
  uint32_t connect_timeout_ms = 2'000;
  uint32_t command_timeout_ms = 1'000;  // a reply later than this counts as Redis being down
  uint32_t reconnect_min_ms = 100;      // backoff doubles from here...
  uint32_t reconnect_max_ms = 5'000;    // ...up to here
  std::string key_prefix = "mcpgw:";    // every key and channel the gateway uses starts with it

  bool operator==(const Redis&) const = default;
};

// A plugin, route or API key name: 1-64 letters, digits, '-' or '_'.
bool IsValidName(const std::string& name);

// What a stage does while its store (Redis) cannot answer.
enum class FailMode { kOpen, kClosed };

// What a rate limit counts by: each request is counted under the key made
// of these values.
enum class LimitDimension { kSubject, kClient, kTenant, kRoute, kTool, kSource };
std::string_view LimitDimensionName(LimitDimension d);

// Which requests a policy applies to; an empty field matches anything.
struct LimitMatch {
  std::string route;   // a route name
  std::string tool;    // a tool name or pattern (`*` matches any run of characters); implies tools/call
  std::string method;  // a JSON-RPC method such as tools/call

  bool operator==(const LimitMatch&) const = default;
};

struct LimitPolicy {
  std::string name;  // unique; shown in RateLimit-Policy and metrics
  std::vector<LimitDimension> by;
  uint64_t limit = 0;      // requests per window
  uint32_t window_s = 60;  // the sliding window's length
  LimitMatch match;
  // Redis unreachable: kOpen counts in the process's local limiter instead,
  // kClosed refuses the requests the policy applies to (503).
  FailMode on_redis_down = FailMode::kOpen;

  bool operator==(const LimitPolicy&) const = default;
};

struct RateLimits {
  std::vector<LimitPolicy> policies;
  uint32_t near_limit_percent = 80;  // a decision at or above this share of a limit counts as near the limit
  // RateLimit-Policy / RateLimit headers on every JSON answer of a limited
  // request (`headers: always`), not only on its 429 (`headers: refusals`).
  bool headers_always = false;

  bool operator==(const RateLimits&) const = default;
};

// The central revocation list (in Redis, or in data_dir without Redis).
struct Revocation {
  // Redis unreachable and the list not synced for max_staleness_s:
  // kClosed refuses every credential (503), kOpen keeps the last list.
  FailMode on_redis_down = FailMode::kClosed;
  uint32_t resync_s = 30;          // full resync period (pub/sub pushes each change in between)
  uint32_t max_staleness_s = 60;   // how old the last successful sync may get before on_redis_down applies
  std::string file;                // without Redis: where the list is kept (default <data_dir>/revocations.json)

  bool operator==(const Revocation&) const = default;
};

// The admin API: its own listener, its own audience and scope. On when an
// `admin:` section is given (and not `enabled: false`); it needs `auth:`.
struct Admin {
  bool enabled = false;
  Endpoint listen{"127.0.0.1", 9465};
  std::string audience = "urn:mcp-gateway:admin";  // a token's aud (or an API key's audiences) must hold it exactly
  std::string scope = "mcpgw:admin";                // and the token must carry this scope

  bool operator==(const Admin&) const = default;
};

struct Metrics {
  bool enabled = true;
  Endpoint listen{"127.0.0.1", 9464};

  bool operator==(const Metrics&) const = default;
};

struct Plugin {
  std::string name;  // instance name, unique
  std::string file;  // path of the .so (relative: to plugin_dir)
  uint32_t workers = 4;
  uint32_t queue_depth = 256;
  nlohmann::json config = nlohmann::json::object();

  bool operator==(const Plugin&) const = default;
};

// The scopes a route requires, per MCP method class and per tool. Each list
// holds scopes that are all required; an empty list requires none; a class
// or tool without an entry is denied.
struct ToolScopes {
  std::string pattern;  // a tool name, or a pattern where `*` matches any run of characters
  std::vector<std::string> scopes;

  bool operator==(const ToolScopes&) const = default;
};
struct RouteScopes {
  bool configured = false;  // a `scopes:` section was given
  std::optional<std::vector<std::string>> list, read, call, admin;
  std::vector<ToolScopes> tools;  // in configuration order

  bool operator==(const RouteScopes&) const = default;
};

struct Route {
  std::string name;
  std::string path;      // e.g. /mcp/memory
  std::string resource;  // canonical resource URI (the exact audience); defaults to public_url + path
  std::string plugin;    // the plugin instance serving this route
  std::string instructions;
  RouteScopes scopes;
  bool resource_defaulted = false;  // `resource` was not configured: it follows public_url

  bool operator==(const Route&) const = default;
};

struct Config {
  Server server;
  Metrics metrics;
  Auth auth;
  Audit audit;
  Redis redis;
  RateLimits rate_limits;
  Revocation revocation;
  Admin admin;
  log::Level log_level = log::Level::kInfo;
  std::string plugin_dir;  // empty: next to the binary
  std::vector<Plugin> plugins;
  std::vector<Route> routes;
  std::string base_dir;  // directory relative paths are resolved against

  const Plugin* FindPlugin(const std::string& name) const;
  const Route* FindRoute(const std::string& name) const;
};

using LoadResult = std::variant<Config, std::vector<std::string>>;

// Parses YAML text. `base_dir` resolves relative paths; `origin` names the
// source in messages (a file name or "embedded default").
LoadResult Parse(const std::string& yaml_text, const std::string& base_dir);

// Reads and parses a file.
LoadResult LoadFile(const std::string& path);

// The configuration used when no file is given: loopback, the memory plugin
// on /mcp/memory, data under ./data.
const std::string& EmbeddedDefaultYaml();

}  // namespace mcpgw::config
