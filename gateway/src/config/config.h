// The gateway's configuration: what it listens on, which plugins it loads
// and which route serves each of them.
//
// Loaded from YAML and validated completely before anything starts: every
// problem is reported with the key it concerns, unknown keys are errors.
#pragma once

#include "log/log.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace mcpgw::config {

struct Endpoint {
  std::string host;  // an IP literal (IPv6 without brackets) or "localhost"
  uint16_t port = 0;
  bool IsLoopback() const;
  std::string ToString() const;  // host:port, IPv6 in brackets
};

struct Limits {
  uint64_t max_body_bytes = 4 * 1024 * 1024;
  uint32_t max_header_bytes = 16 * 1024;
  uint32_t max_json_depth = 64;
  uint32_t request_timeout_ms = 30'000;
  uint32_t max_connections = 4096;
};

struct Sessions {
  std::string secret_file;     // HMAC key for session ids; generated in data_dir when empty
  uint32_t lifetime_s = 86'400;
  uint32_t sse_retry_ms = 1'000;  // the SSE `retry:` hint sent before a server closes a stream
  uint32_t event_buffer = 1'024;  // events kept per stream for Last-Event-ID resumption
  // A tools/call still running after this long has its POST stream closed
  // and the client resumes with GET + Last-Event-ID (SEP-1699); 0 disables.
  uint32_t poll_after_ms = 55'000;
};

struct Server {
  Endpoint listen{"127.0.0.1", 8080};
  std::string public_url;  // defaults to http://<listen>
  uint32_t io_threads = 0;  // 0 = one per core
  std::vector<std::string> allowed_origins;
  std::string data_dir = "./data";
  uint32_t page_size = 100;
  Limits limits;
  Sessions sessions;
};

// A token issuer the gateway trusts, and where its verification keys come
// from: exactly one of jwks_file, pem_file, secret_file, secret_env.
struct Issuer {
  std::string issuer;       // compared exactly with a token's `iss`
  std::string jwks_file;    // a JWKS; keys without `alg` take `algorithm`
  std::string pem_file;     // one PEM public key, pinned to `algorithm`
  std::string secret_file;  // HS* secret bytes, pinned to `algorithm`
  std::string secret_env;   // HS* secret from this environment variable
  std::string algorithm;    // e.g. ES256; required for pem_file and secrets
  std::string kid;          // the kid of a pem_file or secret key (optional)
};

struct Auth {
  bool configured = false;  // an `auth:` section was given
  std::vector<Issuer> issuers;
  uint32_t clock_skew_s = 60;
  uint32_t max_token_lifetime_s = 86'400;
  uint32_t max_token_bytes = 8'192;
  std::string tenant_claim = "sub";
  uint32_t cache_entries = 100'000;  // verified tokens remembered (by SHA-256)
};

struct Metrics {
  bool enabled = true;
  Endpoint listen{"127.0.0.1", 9464};
};

struct Plugin {
  std::string name;  // instance name, unique
  std::string file;  // path of the .so (relative: to plugin_dir)
  uint32_t workers = 4;
  uint32_t queue_depth = 256;
  nlohmann::json config = nlohmann::json::object();
};

struct Route {
  std::string name;
  std::string path;      // e.g. /mcp/memory
  std::string resource;  // canonical resource URI (the exact audience); defaults to public_url + path
  std::string plugin;    // the plugin instance serving this route
  std::string instructions;
};

struct Config {
  Server server;
  Metrics metrics;
  Auth auth;
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
