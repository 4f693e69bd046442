#include "config/config.h"

#include "config/auth_sources.h"
#include "config/state_sections.h"
#include "config/yaml_reader.h"
#include "os/file.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <set>

namespace mcpgw::config {
namespace {

namespace fs = std::filesystem;

// Parses "host:port", "[v6]:port" or "localhost:port".
bool ParseEndpoint(const std::string& text, Endpoint* out, std::string* why) {
  std::string host, port;
  if (!text.empty() && text[0] == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      *why = "must look like [::1]:8080";
      return false;
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) {
      *why = "must look like 127.0.0.1:8080 (host:port)";
      return false;
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    *why = "port must be a number from 0 to 65535";
    return false;
  }
  unsigned char buf[16];
  if (host != "localhost" && inet_pton(AF_INET, host.c_str(), buf) != 1 && inet_pton(AF_INET6, host.c_str(), buf) != 1) {
    *why = "host must be an IP address or localhost (got \"" + host + "\")";
    return false;
  }
  out->host = host;
  out->port = static_cast<uint16_t>(value);
  return true;
}

bool IsAbsoluteHttpUri(const std::string& uri) {
  return (uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0) && uri.find('#') == std::string::npos &&
         uri.size() > 8;
}


class ConfigParser {
 public:
  ConfigParser(std::vector<std::string>* errors) : errors_(errors), r_(errors) {}

  void Root(const YAML::Node& root, Config* c) {
    if (!root || root.IsNull()) return;
    if (!root.IsMap()) return r_.Fail("(top level)", "must be a mapping with keys such as server, plugins, routes");
    r_.RejectUnknownKeys(root, "", {"server", "metrics", "auth", "audit", "log", "plugin_dir", "plugins", "routes",
                                  "redis", "rate_limits", "revocation", "admin"});
    ServerSection(root["server"], &c->server);
    MetricsSection(root["metrics"], &c->metrics);
    AuthSection(root["auth"], &c->auth);
    if (const YAML::Node audit = root["audit"]; audit && r_.ExpectMap(audit, "audit")) {
      r_.RejectUnknownKeys(audit, "audit", {"file", "tool_calls"});
      r_.String(audit, "audit", "file", &c->audit.file);
      r_.Bool(audit, "audit", "tool_calls", &c->audit.tool_calls);
    }
    ReadRedis(r_, root["redis"], &c->redis);
    ReadRateLimits(r_, root["rate_limits"], &c->rate_limits);
    ReadRevocation(r_, root["revocation"], &c->revocation);
    ReadAdmin(r_, root["admin"], &c->admin);
    if (const YAML::Node admin = root["admin"]; admin && admin.IsMap()) Listen(admin, "admin", &c->admin.listen);
    LogSection(root["log"], c);
    r_.String(root, "", "plugin_dir", &c->plugin_dir);
    Plugins(root["plugins"], &c->plugins);
    Routes(root["routes"], c);
  }

 private:
  void Listen(const YAML::Node& node, const std::string& path, Endpoint* out) {
    std::string text;
    r_.String(node, path, "listen", &text);
    std::string why;
    if (!text.empty() && !ParseEndpoint(text, out, &why)) r_.Fail(Join(path, "listen"), why);
  }

  void ServerSection(const YAML::Node& node, Server* s) {
    if (!r_.ExpectMap(node, "server")) return;
    r_.RejectUnknownKeys(node, "server", {"listen", "public_url", "io_threads", "allowed_origins", "data_dir",
                                          "page_size", "limits", "sessions", "tls", "trusted_proxies", "drain_s",
                                          "grpc"});
    Listen(node, "server", &s->listen);
    r_.String(node, "server", "public_url", &s->public_url);
    r_.Uint32(node, "server", "io_threads", 0, 256, &s->io_threads);
    r_.StringList(node, "server", "allowed_origins", &s->allowed_origins);
    for (std::size_t i = 0; i < s->allowed_origins.size(); ++i) {
      const std::string& o = s->allowed_origins[i];
      if (!IsAbsoluteHttpUri(o) || o.back() == '/' || o.find('/', o.find("//") + 2) != std::string::npos) {
        r_.Fail("server.allowed_origins[" + std::to_string(i) + "]",
                "must be an origin such as https://app.example.com (scheme, host, optional port; no path)");
      }
    }
    r_.StringList(node, "server", "trusted_proxies", &s->trusted_proxies);
    CheckTrustedProxies(r_, s->trusted_proxies);
    r_.String(node, "server", "data_dir", &s->data_dir);
    r_.Uint32(node, "server", "page_size", 1, 10'000, &s->page_size);
    r_.Uint32(node, "server", "drain_s", 0, 3600, &s->drain_s);
    if (const YAML::Node l = node["limits"]; r_.ExpectMap(l, "server.limits")) {
      r_.RejectUnknownKeys(l, "server.limits", {"max_body_bytes", "max_header_bytes", "max_json_depth",
                                                "request_timeout_ms", "max_connections"});
      r_.Uint(l, "server.limits", "max_body_bytes", 1024, 1ull << 30, &s->limits.max_body_bytes);
      r_.Uint32(l, "server.limits", "max_header_bytes", 1024, 1 << 20, &s->limits.max_header_bytes);
      r_.Uint32(l, "server.limits", "max_json_depth", 4, 1000, &s->limits.max_json_depth);
      r_.Uint32(l, "server.limits", "request_timeout_ms", 10, 3'600'000, &s->limits.request_timeout_ms);
      r_.Uint32(l, "server.limits", "max_connections", 1, 1'000'000, &s->limits.max_connections);
    }
    if (const YAML::Node ss = node["sessions"]; r_.ExpectMap(ss, "server.sessions")) {
      r_.RejectUnknownKeys(ss, "server.sessions", {"secret_file", "lifetime_s", "sse_retry_ms", "event_buffer", "poll_after_ms"});
      r_.String(ss, "server.sessions", "secret_file", &s->sessions.secret_file);
      r_.Uint32(ss, "server.sessions", "lifetime_s", 60, 30 * 86'400, &s->sessions.lifetime_s);
      r_.Uint32(ss, "server.sessions", "sse_retry_ms", 10, 600'000, &s->sessions.sse_retry_ms);
      r_.Uint32(ss, "server.sessions", "event_buffer", 1, 1'000'000, &s->sessions.event_buffer);
      r_.Uint32(ss, "server.sessions", "poll_after_ms", 0, 3'600'000, &s->sessions.poll_after_ms);
    }
    TlsSection(node["tls"], &s->tls);
    GrpcSection(node["grpc"], &s->grpc);
  }

  void GrpcSection(const YAML::Node& node, Grpc* g) {
    if (!r_.ExpectMap(node, "server.grpc")) return;
    r_.RejectUnknownKeys(node, "server.grpc", {"enabled", "listen"});
    g->enabled = true;  // a grpc: section turns it on unless it says enabled: false
    r_.Bool(node, "server.grpc", "enabled", &g->enabled);
    Listen(node, "server.grpc", &g->listen);
  }

  void TlsSection(const YAML::Node& node, Tls* t) {
    if (!r_.ExpectMap(node, "server.tls")) return;
    t->configured = true;
    const std::string path = "server.tls";
    r_.RejectUnknownKeys(node, path, {"cert_file", "key_file", "client_ca_file", "client_certificates",
                                      "hsts_max_age_s", "min_version"});
    r_.String(node, path, "cert_file", &t->cert_file);
    r_.String(node, path, "key_file", &t->key_file);
    r_.String(node, path, "client_ca_file", &t->client_ca_file);
    r_.Uint32(node, path, "hsts_max_age_s", 0, 315'360'000, &t->hsts_max_age_s);
    r_.String(node, path, "min_version", &t->min_version);
    std::string clients = "none";
    r_.String(node, path, "client_certificates", &clients);
    if (t->cert_file.empty()) r_.Fail(path + ".cert_file", "required: the PEM certificate chain, leaf first");
    if (t->key_file.empty()) r_.Fail(path + ".key_file", "required: the certificate's PEM private key (unencrypted)");
    if (t->min_version != "1.2" && t->min_version != "1.3") {
      r_.Fail(path + ".min_version", "must be \"1.2\" or \"1.3\" (older versions are never accepted)");
    }
    if (clients == "optional") {
      t->client_certificates = ClientCertificates::kOptional;
    } else if (clients == "require") {
      t->client_certificates = ClientCertificates::kRequire;
    } else if (clients != "none") {
      r_.Fail(path + ".client_certificates", "must be none, optional or require");
    }
    if (clients != "none" && t->client_ca_file.empty()) {
      r_.Fail(path + ".client_ca_file", "required with client_certificates: " + clients +
                                            ": the PEM CA certificates that client certificates must chain to");
    }
    if (clients == "none" && !t->client_ca_file.empty()) {
      r_.Fail(path + ".client_certificates", "is none, so client_ca_file would be ignored: set optional or require");
    }
  }

  void MetricsSection(const YAML::Node& node, Metrics* m) {
    if (!r_.ExpectMap(node, "metrics")) return;
    r_.RejectUnknownKeys(node, "metrics", {"enabled", "listen"});
    r_.Bool(node, "metrics", "enabled", &m->enabled);
    Listen(node, "metrics", &m->listen);
  }

  void LogSection(const YAML::Node& node, Config* c) {
    if (!r_.ExpectMap(node, "log")) return;
    r_.RejectUnknownKeys(node, "log", {"level"});
    std::string level;
    r_.String(node, "log", "level", &level);
    if (!level.empty() && !log::ParseLevel(level, &c->log_level)) {
      r_.Fail("log.level", "must be one of debug, info, warning, error");
    }
  }

  void AuthSection(const YAML::Node& node, Auth* a) {
    if (!node || !r_.ExpectMap(node, "auth")) return;
    a->configured = true;
    r_.RejectUnknownKeys(node, "auth", {"issuers", "clock_skew_s", "max_token_lifetime_s", "max_token_bytes",
                                        "tenant_claim", "cache_entries", "api_keys", "jwks", "introspection"});
    ApiKeys(node["api_keys"], &a->api_keys);
    r_.Uint32(node, "auth", "clock_skew_s", 0, kMaxClockSkewS, &a->clock_skew_s);
    r_.Uint32(node, "auth", "max_token_lifetime_s", 60, 30 * 86'400, &a->max_token_lifetime_s);
    r_.Uint32(node, "auth", "max_token_bytes", 512, 65'536, &a->max_token_bytes);
    r_.String(node, "auth", "tenant_claim", &a->tenant_claim);
    r_.Uint32(node, "auth", "cache_entries", 1, 10'000'000, &a->cache_entries);
    if (a->tenant_claim.empty()) r_.Fail("auth.tenant_claim", "must name a claim, e.g. sub");
    ReadJwksFetch(r_, node["jwks"], &a->jwks);
    ReadIntrospection(r_, node["introspection"], &a->introspection);
    const YAML::Node list = node["issuers"];
    if (!list || !list.IsSequence() || list.size() == 0) {
      return r_.Fail("auth.issuers", "required: a list of trusted issuers, each with issuer and a key source");
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = "auth.issuers[" + std::to_string(i) + "]";
      if (!r_.ExpectMap(list[i], path)) continue;
      Issuer is;
      ReadIssuer(r_, list[i], path, &is);
      if (!is.issuer.empty() && !seen.insert(is.issuer).second) {
        r_.Fail(path + ".issuer", "\"" + is.issuer + "\" is listed twice");
      }
      a->issuers.push_back(std::move(is));
    }
  }

  void ApiKeys(const YAML::Node& list, std::vector<ApiKey>* out) {
    if (!list) return;
    if (!list.IsSequence()) return r_.Fail("auth.api_keys", "must be a list of keys, each with name, sha256, audiences");
    std::set<std::string> names, hashes;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = "auth.api_keys[" + std::to_string(i) + "]";
      if (!r_.ExpectMap(list[i], path)) continue;
      r_.RejectUnknownKeys(list[i], path, {"name", "sha256", "audiences", "scopes", "tenant"});
      ApiKey key;
      r_.String(list[i], path, "name", &key.name);
      r_.String(list[i], path, "sha256", &key.sha256);
      r_.StringList(list[i], path, "audiences", &key.audiences);
      r_.StringList(list[i], path, "scopes", &key.scopes);
      r_.String(list[i], path, "tenant", &key.tenant);
      if (!IsValidName(key.name)) r_.Fail(path + ".name", "required: 1-64 letters, digits, '-' or '_'");
      if (!names.insert(key.name).second) r_.Fail(path + ".name", "\"" + key.name + "\" names another key");
      if (key.sha256.size() != 64 || key.sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
        r_.Fail(path + ".sha256",
                "required: the key's SHA-256 as 64 lowercase hex digits (mcp-gateway api-key new prints it)");
      } else if (!hashes.insert(key.sha256).second) {
        r_.Fail(path + ".sha256", "the same key is listed twice");
      }
      if (key.audiences.empty()) r_.Fail(path + ".audiences", "required: the resource URIs this key may be used on");
      for (const std::string& aud : key.audiences) {
        // A route's resource URI, or a URN such as the admin API's audience.
        if (!IsAbsoluteHttpUri(aud) && aud.rfind("urn:", 0) != 0) {
          r_.Fail(path + ".audiences", "\"" + aud + "\" is not an absolute http(s) URI or a urn: (such as admin.audience)");
        }
      }
      CheckScopeTokens(key.scopes, path + ".scopes");
      if (key.tenant.empty()) key.tenant = key.name;
      out->push_back(std::move(key));
    }
  }

  // RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
  void CheckScopeTokens(const std::vector<std::string>& scopes, const std::string& path) {
    for (const std::string& scope : scopes) {
      const bool valid = !scope.empty() && std::all_of(scope.begin(), scope.end(), [](char c) {
        return c >= 0x21 && c <= 0x7e && c != '"' && c != '\\';
      });
      if (!valid) r_.Fail(path, "\"" + scope + "\" is not a scope (printable ASCII without space, '\"' or '\\')");
    }
  }

  // Reads an optional list of scopes; nullopt when the key is absent.
  std::optional<std::vector<std::string>> ScopeList(const YAML::Node& node, const std::string& path, const char* key) {
    if (!node[key]) return std::nullopt;
    std::vector<std::string> scopes;
    r_.StringList(node, path, key, &scopes);
    CheckScopeTokens(scopes, Join(path, key));
    return scopes;
  }

  void RouteScopesSection(const YAML::Node& node, const std::string& path, RouteScopes* out) {
    if (!node || !r_.ExpectMap(node, path)) return;
    out->configured = true;
    r_.RejectUnknownKeys(node, path, {"list", "read", "call", "admin", "tools"});
    out->list = ScopeList(node, path, "list");
    out->read = ScopeList(node, path, "read");
    out->call = ScopeList(node, path, "call");
    out->admin = ScopeList(node, path, "admin");
    const YAML::Node tools = node["tools"];
    if (!tools) return;
    const std::string tools_path = path + ".tools";
    if (!tools.IsMap()) return r_.Fail(tools_path, "must map tool names or patterns (with *) to lists of scopes");
    for (const auto& entry : tools) {
      ToolScopes t;
      t.pattern = entry.first.as<std::string>("");
      if (t.pattern.empty()) {
        r_.Fail(tools_path, "a tool name or pattern may not be empty");
        continue;
      }
      const std::string entry_path = tools_path + "." + t.pattern;
      if (!entry.second.IsSequence()) {
        r_.Fail(entry_path, "must be a list of scopes ([] for none)");
        continue;
      }
      for (const auto& scope : entry.second) {
        if (!scope.IsScalar()) {
          r_.Fail(entry_path, "must be a list of scopes ([] for none)");
          break;
        }
        t.scopes.push_back(scope.as<std::string>());
      }
      CheckScopeTokens(t.scopes, entry_path);
      out->tools.push_back(std::move(t));
    }
  }


  void Plugins(const YAML::Node& node, std::vector<Plugin>* out) {
    if (!node) return;
    if (!node.IsSequence()) return r_.Fail("plugins", "must be a list of plugin instances");
    std::set<std::string> names;
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string path = "plugins[" + std::to_string(i) + "]";
      if (!r_.ExpectMap(node[i], path)) {
        if (!node[i] || node[i].IsNull()) r_.Fail(path, "must be a mapping with name and file");
        continue;
      }
      r_.RejectUnknownKeys(node[i], path, {"name", "file", "workers", "queue_depth", "config"});
      Plugin p;
      r_.String(node[i], path, "name", &p.name);
      r_.String(node[i], path, "file", &p.file);
      r_.Uint32(node[i], path, "workers", 1, 256, &p.workers);
      r_.Uint32(node[i], path, "queue_depth", 1, 1'000'000, &p.queue_depth);
      if (const YAML::Node cfg = node[i]["config"]; cfg && !cfg.IsNull()) {
        if (!cfg.IsMap()) {
          r_.Fail(path + ".config", "must be a mapping (it is passed to the plugin as a JSON object)");
        } else {
          p.config = YamlToJson(cfg);
        }
      }
      if (!IsValidName(p.name)) r_.Fail(path + ".name", "required: 1-64 letters, digits, '-' or '_'");
      if (!names.insert(p.name).second) r_.Fail(path + ".name", "\"" + p.name + "\" is used by another plugin");
      if (p.file.empty()) r_.Fail(path + ".file", "required: the plugin's .so file, e.g. memory.so");
      out->push_back(std::move(p));
    }
  }

  void Routes(const YAML::Node& node, Config* c) {
    if (!node) return;
    if (!node.IsSequence()) return r_.Fail("routes", "must be a list of routes");
    std::set<std::string> names, paths;
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string path = "routes[" + std::to_string(i) + "]";
      if (!r_.ExpectMap(node[i], path)) {
        if (!node[i] || node[i].IsNull()) r_.Fail(path, "must be a mapping with name, path and plugin");
        continue;
      }
      r_.RejectUnknownKeys(node[i], path, {"name", "path", "resource", "plugin", "instructions", "scopes"});
      Route route;
      r_.String(node[i], path, "name", &route.name);
      r_.String(node[i], path, "path", &route.path);
      r_.String(node[i], path, "resource", &route.resource);
      r_.String(node[i], path, "plugin", &route.plugin);
      r_.String(node[i], path, "instructions", &route.instructions);
      RouteScopesSection(node[i]["scopes"], path + ".scopes", &route.scopes);
      if (!IsValidName(route.name)) r_.Fail(path + ".name", "required: 1-64 letters, digits, '-' or '_'");
      if (!names.insert(route.name).second) r_.Fail(path + ".name", "\"" + route.name + "\" is used by another route");
      if (route.path.empty() || route.path[0] != '/' || route.path.find_first_of("?# ") != std::string::npos ||
          (route.path.size() > 1 && route.path.back() == '/')) {
        r_.Fail(path + ".path", "must start with '/', not end with '/', and hold no '?', '#' or space (got \"" +
                                    route.path + "\")");
      } else if (route.path.rfind("/.well-known", 0) == 0 || route.path == "/metrics") {
        r_.Fail(path + ".path", "\"" + route.path + "\" is reserved by the gateway");
      } else if (!paths.insert(route.path).second) {
        r_.Fail(path + ".path", "\"" + route.path + "\" is used by another route");
      }
      if (!route.resource.empty() && !IsAbsoluteHttpUri(route.resource)) {
        r_.Fail(path + ".resource", "must be an absolute http(s) URI without a fragment");
      }
      if (route.plugin.empty()) {
        r_.Fail(path + ".plugin", "required: the name of a plugin instance");
      } else if (c->FindPlugin(route.plugin) == nullptr) {
        r_.Fail(path + ".plugin", "no plugin instance named \"" + route.plugin + "\" in plugins");
      }
      c->routes.push_back(std::move(route));
    }
  }

  std::vector<std::string>* errors_;
  YamlReader r_;
};

void ApplyDefaults(Config* c) {
  if (c->server.public_url.empty()) {
    c->server.public_url = (c->server.tls.configured ? "https://" : "http://") + c->server.listen.ToString();
  }
  while (c->server.public_url.size() > 1 && c->server.public_url.back() == '/') c->server.public_url.pop_back();
  for (Route& r : c->routes) {
    if (r.resource.empty()) {
      r.resource = c->server.public_url + r.path;
      r.resource_defaulted = true;
    }
  }
  auto resolve = [&](std::string& p) {
    if (!p.empty() && fs::path(p).is_relative()) p = (fs::path(c->base_dir) / p).lexically_normal().string();
  };
  resolve(c->server.data_dir);
  resolve(c->server.sessions.secret_file);
  resolve(c->server.tls.cert_file);
  resolve(c->server.tls.key_file);
  resolve(c->server.tls.client_ca_file);
  resolve(c->plugin_dir);
  resolve(c->audit.file);
  for (Issuer& is : c->auth.issuers) {
    for (KeySource& k : is.keys) {
      resolve(k.jwks_file);
      resolve(k.pem_file);
      resolve(k.secret_file);
    }
  }
  resolve(c->auth.jwks.ca_file);
  resolve(c->auth.introspection.client_secret_file);
  resolve(c->auth.introspection.ca_file);
  resolve(c->redis.password_file);
  resolve(c->redis.tls.ca_file);
  resolve(c->redis.tls.cert_file);
  resolve(c->redis.tls.key_file);
  if (c->revocation.file.empty()) c->revocation.file = (fs::path(c->server.data_dir) / "revocations.json").string();
  resolve(c->revocation.file);
}

void CheckCrossFields(const Config& c, std::vector<std::string>* errors) {
  // Without authentication, nothing may listen beyond this machine.
  if (!c.server.listen.IsLoopback() && !c.auth.configured) {
    errors->push_back("server.listen: must be a loopback address (127.0.0.1, ::1 or localhost) unless an auth: "
                      "section is configured: the gateway never serves other hosts without authentication");
  }
  // The gRPC door follows the same rule: no other host without authentication.
  if (c.server.grpc.enabled && !c.server.grpc.listen.IsLoopback() && !c.auth.configured) {
    errors->push_back("server.grpc.listen: must be a loopback address (127.0.0.1, ::1 or localhost) unless an auth: "
                      "section is configured: the gateway never serves other hosts without authentication");
  }
  if (c.server.grpc.enabled && c.server.grpc.listen.port != 0) {
    for (const Endpoint* other : {&c.server.listen, &c.metrics.listen, &c.admin.listen}) {
      if (c.server.grpc.listen.ToString() == other->ToString()) {
        errors->push_back("server.grpc.listen: must differ from server.listen, metrics.listen and admin.listen");
      }
    }
  }
  if (c.metrics.enabled && c.server.listen.port != 0 && c.metrics.listen.ToString() == c.server.listen.ToString()) {
    errors->push_back("metrics.listen: must differ from server.listen");
  }
  if (!IsAbsoluteHttpUri(c.server.public_url)) errors->push_back("server.public_url: must be an absolute http(s) URI");
  if (c.auth.configured) {
    // Authorization denies what is not mapped: a route without scopes would
    // refuse every request, which is never what was meant.
    for (std::size_t i = 0; i < c.routes.size(); ++i) {
      if (!c.routes[i].scopes.configured) {
        errors->push_back("routes[" + std::to_string(i) + "].scopes: required when auth is configured: map the " +
                          "method classes list, read, call, admin and the tools to the scopes they need ([] for " +
                          "none); anything unmapped is denied");
      }
    }
    for (std::size_t i = 0; i < c.auth.api_keys.size(); ++i) {
      for (const std::string& aud : c.auth.api_keys[i].audiences) {
        const bool known = std::any_of(c.routes.begin(), c.routes.end(), [&](const Route& r) { return r.resource == aud; }) ||
                           (c.admin.enabled && aud == c.admin.audience);
        if (!known) {
          errors->push_back("auth.api_keys[" + std::to_string(i) + "].audiences: no route has the resource \"" + aud +
                            "\" and it is not admin.audience (audiences are compared exactly with each route's "
                            "resource URI)");
        }
      }
    }
  }
  if (c.routes.empty()) errors->push_back("routes: at least one route is required");
  if (c.admin.enabled && !c.auth.configured) {
    errors->push_back("admin: the admin API needs an auth: section (its callers prove themselves with a token for "
                      "admin.audience holding admin.scope, or an API key); set admin.enabled: false to run without it");
  }
  if (c.admin.enabled && !c.admin.listen.IsLoopback() && !c.server.tls.configured) {
    // Admin tokens travel in the clear otherwise.
    errors->push_back("admin.listen: must be a loopback address unless server.tls is configured");
  }
  if (c.admin.enabled) {
    for (const Endpoint* other : {&c.server.listen, &c.metrics.listen}) {
      if (c.admin.listen.port != 0 && c.admin.listen.ToString() == other->ToString()) {
        errors->push_back("admin.listen: must differ from server.listen and metrics.listen");
      }
    }
  }
  for (std::size_t i = 0; i < c.rate_limits.policies.size(); ++i) {
    const std::string& route = c.rate_limits.policies[i].match.route;
    if (!route.empty() && !c.FindRoute(route)) {
      errors->push_back("rate_limits.policies[" + std::to_string(i) + "].match.route: no route is named \"" + route + "\"");
    }
  }
}

}  // namespace

bool Endpoint::IsLoopback() const {
  if (host == "localhost" || host == "::1") return true;
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

std::string Endpoint::ToString() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

const Plugin* Config::FindPlugin(const std::string& name) const {
  for (const Plugin& p : plugins) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const Route* Config::FindRoute(const std::string& name) const {
  for (const Route& r : routes) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

LoadResult Parse(const std::string& yaml_text, const std::string& base_dir) {
  std::vector<std::string> errors;
  Config c;
  c.base_dir = base_dir;
  try {
    const YAML::Node root = YAML::Load(yaml_text);
    ConfigParser(&errors).Root(root, &c);
  } catch (const YAML::Exception& e) {
    errors.push_back("YAML syntax error at line " + std::to_string(e.mark.line + 1) + ", column " +
                     std::to_string(e.mark.column + 1) + ": " + e.msg);
    return errors;
  }
  if (!errors.empty()) return errors;
  ApplyDefaults(&c);
  CheckCrossFields(c, &errors);
  if (!errors.empty()) return errors;
  return c;
}

LoadResult LoadFile(const std::string& path) {
  std::string error;
  const std::optional<std::string> text = os::ReadFile(path, &error);
  if (!text) return std::vector<std::string>{path + ": cannot read the configuration file"};
  const std::string dir = fs::absolute(path).parent_path().string();
  LoadResult result = Parse(*text, dir);
  if (auto* errors = std::get_if<std::vector<std::string>>(&result)) {
    for (std::string& e : *errors) e = path + ": " + e;
  }
  return result;
}

const std::string& EmbeddedDefaultYaml() {
  static const std::string kYaml = R"(# The embedded default: one process on loopback, the memory and vector plugins
# (their data in data_dir), no Redis,
# and tokens signed by the local development key (mcp-gateway dev-key init,
# made on first start; mint one with mcp-gateway token mint).
server:
  listen: 127.0.0.1:8080
  data_dir: ./data
metrics:
  listen: 127.0.0.1:9464
auth:
  issuers:
    - issuer: urn:mcp-gateway:dev
      jwks_file: ./data/dev-key/jwks.json
# Operators revoke tokens and read limits here (mcp-gateway admin --help);
# callers need a token for this audience holding this scope.
admin:
  listen: 127.0.0.1:9465
  audience: urn:mcp-gateway:admin
  scope: mcpgw:admin
# Without a redis: section limits and revocations live in this process (the
# revocation list in data_dir/revocations.json). Several replicas need Redis.
rate_limits:
  policies:
    - name: per-subject
      by: [subject]
      limit: 600
      window_s: 60
    - name: tool-calls-per-tenant
      by: [tenant]
      limit: 120
      window_s: 60
      match: {tool: "*"}
plugins:
  - name: memory
    file: memory.so
  - name: vector
    file: vector.so
routes:
  - name: memory
    path: /mcp/memory
    plugin: memory
    instructions: A knowledge graph that remembers entities, relations and observations across conversations.
    scopes:
      list: [memory:read]
      read: [memory:read]
      call: []
      admin: [memory:admin]
      tools:
        read_graph: [memory:read]
        search_nodes: [memory:read]
        open_nodes: [memory:read]
        "*": [memory:write]
  - name: vector
    path: /mcp/vector
    plugin: vector
    instructions: Per-tenant vector collections; upsert documents, then query them by text or by vector.
    scopes:
      list: [vector:read]
      call: []
      tools:
        list_collections: [vector:read]
        query: [vector:read]
        get_documents: [vector:read]
        "*": [vector:write]
)";
  return kYaml;
}

bool IsValidName(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
         });
}

}  // namespace mcpgw::config
