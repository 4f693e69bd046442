#include "config/state_sections.h"

#include "net/cidr.h"
#include "redis/endpoint.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <variant>

namespace mcpgw::config {
namespace {

bool ReadFailMode(YamlReader& r, const YAML::Node& node, const std::string& path, const char* key, FailMode* out) {
  std::string text;
  r.String(node, path, key, &text);
  if (text.empty()) return true;
  if (text == "open") {
    *out = FailMode::kOpen;
  } else if (text == "closed") {
    *out = FailMode::kClosed;
  } else {
    r.Fail(Join(path, key), "must be open or closed (got \"" + text + "\")");
    return false;
  }
  return true;
}

bool ParseDimension(const std::string& text, LimitDimension* out) {
  static const std::pair<const char*, LimitDimension> kNames[] = {
      {"subject", LimitDimension::kSubject}, {"client", LimitDimension::kClient}, {"tenant", LimitDimension::kTenant},
      {"route", LimitDimension::kRoute},     {"tool", LimitDimension::kTool},     {"source", LimitDimension::kSource}};
  for (const auto& [name, d] : kNames) {
    if (text == name) {
      *out = d;
      return true;
    }
  }
  return false;
}

bool IsPolicyName(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

}  // namespace

std::string_view LimitDimensionName(LimitDimension d) {
  switch (d) {
    case LimitDimension::kSubject: return "subject";
    case LimitDimension::kClient: return "client";
    case LimitDimension::kTenant: return "tenant";
    case LimitDimension::kRoute: return "route";
    case LimitDimension::kTool: return "tool";
    case LimitDimension::kSource: return "source";
  }
  return "?";
}

void ReadRedis(YamlReader& r, const YAML::Node& node, Redis* out) {
  if (!node || !r.ExpectMap(node, "redis")) return;
  out->configured = true;
  r.RejectUnknownKeys(node, "redis", {"url", "username", "password_file", "password_env", "tls", "connect_timeout_ms",
                                      "command_timeout_ms", "reconnect_min_ms", "reconnect_max_ms", "key_prefix"});
  r.String(node, "redis", "url", &out->url);
  if (out->url.empty()) {
    r.Fail("redis.url", "is required (redis://host:6379/0, rediss://host:6380 or unix:///path/redis.sock)");
  } else if (const auto parsed = redis::ParseEndpoint(out->url); std::holds_alternative<std::string>(parsed)) {
    r.Fail("redis.url", std::get<std::string>(parsed));  // the client parses it again the same way when it starts
  }
  r.String(node, "redis", "username", &out->username);
  r.String(node, "redis", "password_file", &out->password_file);
  r.String(node, "redis", "password_env", &out->password_env);
  if (!out->password_file.empty() && !out->password_env.empty()) {
    r.Fail("redis", "give password_file or password_env, not both");
  }
  if (!out->username.empty() && out->password_file.empty() && out->password_env.empty()) {
    r.Fail("redis.username", "needs password_file or password_env");
  }
  if (const YAML::Node tls = node["tls"]; tls && r.ExpectMap(tls, "redis.tls")) {
    r.RejectUnknownKeys(tls, "redis.tls", {"ca_file", "cert_file", "key_file", "server_name"});
    r.String(tls, "redis.tls", "ca_file", &out->tls.ca_file);
    r.String(tls, "redis.tls", "cert_file", &out->tls.cert_file);
    r.String(tls, "redis.tls", "key_file", &out->tls.key_file);
    r.String(tls, "redis.tls", "server_name", &out->tls.server_name);
    if (out->tls.cert_file.empty() != out->tls.key_file.empty()) {
      r.Fail("redis.tls", "cert_file and key_file go together");
    }
    if (out->url.rfind("rediss://", 0) != 0) r.Fail("redis.tls", "applies to rediss:// URLs only");
  }
  r.Uint32(node, "redis", "connect_timeout_ms", 10, 60'000, &out->connect_timeout_ms);
  r.Uint32(node, "redis", "command_timeout_ms", 5, 60'000, &out->command_timeout_ms);
  r.Uint32(node, "redis", "reconnect_min_ms", 1, 60'000, &out->reconnect_min_ms);
  r.Uint32(node, "redis", "reconnect_max_ms", 1, 600'000, &out->reconnect_max_ms);
  if (out->reconnect_max_ms < out->reconnect_min_ms) {
    r.Fail("redis.reconnect_max_ms", "must not be below reconnect_min_ms");
  }
  r.String(node, "redis", "key_prefix", &out->key_prefix);
  // An empty prefix or glob characters would widen the documented ACL
  // (~<prefix>*, &<prefix>revocations) to keys and channels that are not the
  // gateway's; braces would put every key in one Cluster hash slot.
  const bool printable = std::all_of(out->key_prefix.begin(), out->key_prefix.end(),
                                     [](char c) { return c > ' ' && c < 0x7f; });
  if (out->key_prefix.empty() || out->key_prefix.size() > 64 || !printable ||
      out->key_prefix.find_first_of("{}*?[]\\") != std::string::npos) {
    r.Fail("redis.key_prefix",
           "1 to 64 printable ASCII characters, without spaces, braces or the glob characters * ? [ ] \\ (the "
           "Redis ACL patterns ~<prefix>* and &<prefix>revocations must match the gateway's keys only)");
  }
}

void ReadRateLimits(YamlReader& r, const YAML::Node& node, RateLimits* out) {
  if (!node || !r.ExpectMap(node, "rate_limits")) return;
  r.RejectUnknownKeys(node, "rate_limits", {"policies", "near_limit_percent", "headers"});
  r.Uint32(node, "rate_limits", "near_limit_percent", 1, 100, &out->near_limit_percent);
  if (const YAML::Node headers = node["headers"]) {
    const std::string value = headers.IsScalar() ? headers.Scalar() : "";
    if (value != "refusals" && value != "always") {
      r.Fail("rate_limits.headers", "must be \"refusals\" (on 429 only, the default) or \"always\"");
    }
    out->headers_always = value == "always";
  }
  const YAML::Node list = node["policies"];
  if (!list) return;
  if (!list.IsSequence()) return r.Fail("rate_limits.policies", "must be a list of policies");
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = "rate_limits.policies[" + std::to_string(i) + "]";
    const YAML::Node p = list[i];
    if (!r.ExpectMap(p, path)) continue;
    r.RejectUnknownKeys(p, path, {"name", "by", "limit", "window_s", "match", "on_redis_down"});
    LimitPolicy policy;
    r.String(p, path, "name", &policy.name);
    if (!IsPolicyName(policy.name)) {
      r.Fail(Join(path, "name"), "is required: letters, digits, - and _ (at most 64)");
    } else if (!names.insert(policy.name).second) {
      r.Fail(Join(path, "name"), "\"" + policy.name + "\" is used by another policy");
    }
    std::vector<std::string> by;
    r.StringList(p, path, "by", &by);
    for (const std::string& d : by) {
      LimitDimension dim;
      if (!ParseDimension(d, &dim)) {
        r.Fail(Join(path, "by"), "\"" + d + "\" is not one of subject, client, tenant, route, tool, source");
      } else if (std::find(policy.by.begin(), policy.by.end(), dim) != policy.by.end()) {
        r.Fail(Join(path, "by"), "names \"" + d + "\" twice");
      } else {
        policy.by.push_back(dim);
      }
    }
    if (!p["limit"]) r.Fail(Join(path, "limit"), "is required (requests per window)");
    r.Uint(p, path, "limit", 1, 1'000'000'000, &policy.limit);
    r.Uint32(p, path, "window_s", 1, 86'400, &policy.window_s);
    if (const YAML::Node m = p["match"]; m && r.ExpectMap(m, Join(path, "match"))) {
      r.RejectUnknownKeys(m, Join(path, "match"), {"route", "tool", "method"});
      r.String(m, Join(path, "match"), "route", &policy.match.route);
      r.String(m, Join(path, "match"), "tool", &policy.match.tool);
      r.String(m, Join(path, "match"), "method", &policy.match.method);
      if (!policy.match.tool.empty() && !policy.match.method.empty() && policy.match.method != "tools/call") {
        r.Fail(Join(path, "match"), "a tool match applies to tools/call only");
      }
    }
    ReadFailMode(r, p, path, "on_redis_down", &policy.on_redis_down);
    out->policies.push_back(std::move(policy));
  }
}

void ReadRevocation(YamlReader& r, const YAML::Node& node, Revocation* out) {
  if (!node || !r.ExpectMap(node, "revocation")) return;
  r.RejectUnknownKeys(node, "revocation", {"on_redis_down", "resync_s", "max_staleness_s", "file"});
  ReadFailMode(r, node, "revocation", "on_redis_down", &out->on_redis_down);
  r.Uint32(node, "revocation", "resync_s", 1, 3'600, &out->resync_s);
  r.Uint32(node, "revocation", "max_staleness_s", 1, 86'400, &out->max_staleness_s);
  r.String(node, "revocation", "file", &out->file);
}

void ReadAdmin(YamlReader& r, const YAML::Node& node, Admin* out) {
  if (!node || !r.ExpectMap(node, "admin")) return;
  r.RejectUnknownKeys(node, "admin", {"enabled", "listen", "audience", "scope"});
  out->enabled = true;
  r.Bool(node, "admin", "enabled", &out->enabled);
  r.String(node, "admin", "audience", &out->audience);
  r.String(node, "admin", "scope", &out->scope);
  if (out->audience.empty()) r.Fail("admin.audience", "must not be empty");
  if (out->scope.empty() || out->scope.find(' ') != std::string::npos) {
    r.Fail("admin.scope", "must be one scope token (no spaces)");
  }
}

void CheckTrustedProxies(YamlReader& r, const std::vector<std::string>& proxies) {
  for (std::size_t i = 0; i < proxies.size(); ++i) {
    if (!net::Cidr::Parse(proxies[i])) {
      r.Fail("server.trusted_proxies[" + std::to_string(i) + "]",
             "\"" + proxies[i] + "\" is not an address or a CIDR range such as 10.0.0.0/8 (host bits must be zero)");
    }
  }
}

}  // namespace mcpgw::config
