#include "config/auth_sources.h"

#include "auth/algorithm.h"
#include "net/url.h"

#include <array>

namespace mcpgw::config {
namespace {

constexpr std::array<const char*, 7> kSourceKeys{"jwks_file", "jwks_url", "pem_file", "secret_file",
                                                 "secret_env", "algorithm", "kid"};

// "" when `text` is a URL we may send requests to, else why not.
std::string UrlProblem(const std::string& text) {
  const auto url = net::ParseUrl(text);
  if (const auto* why = std::get_if<std::string>(&url)) return *why;
  if (!std::get<net::Url>(url).IsSafeToUse()) return "must be https:// (plain http only to a loopback host)";
  return "";
}

void CheckKeySource(YamlReader& r, const KeySource& s, const std::string& path, const char* alternatives) {
  const int sources = !s.jwks_file.empty() + !s.jwks_url.empty() + !s.pem_file.empty() + !s.secret_file.empty() +
                      !s.secret_env.empty();
  if (sources != 1) {
    return r.Fail(path, std::string("needs exactly one key source: jwks_file, jwks_url, pem_file, secret_file or "
                                    "secret_env") + alternatives);
  }
  const auto alg = auth::AlgorithmFromName(s.algorithm);
  if (!s.algorithm.empty() && !alg) {
    return r.Fail(path + ".algorithm", "\"" + s.algorithm +
                                           "\" is not one of RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 "
                                           "EdDSA HS256 HS384 HS512");
  }
  const bool secret = !s.secret_file.empty() || !s.secret_env.empty();
  const bool jwks = !s.jwks_file.empty() || !s.jwks_url.empty();
  if (!jwks && !alg) {
    return r.Fail(path + ".algorithm", "required with pem_file, secret_file and secret_env (the key is pinned to it)");
  }
  if (jwks && !s.kid.empty()) r.Fail(path + ".kid", "only for pem_file and secrets: a JWKS names its own keys");
  if (!s.jwks_url.empty()) {
    if (const std::string problem = UrlProblem(s.jwks_url); !problem.empty()) r.Fail(path + ".jwks_url", problem);
    if (alg && auth::FamilyOf(*alg) == auth::AlgorithmFamily::kHmac) {
      return r.Fail(path + ".algorithm",
                    "a JWKS URL publishes public keys: HS256, HS384 and HS512 never come from one");
    }
  }
  if (alg && s.jwks_url.empty() && secret != (auth::FamilyOf(*alg) == auth::AlgorithmFamily::kHmac)) {
    r.Fail(path + ".algorithm", secret ? "a secret verifies HS256, HS384 or HS512 only"
                                       : "HS256, HS384 and HS512 take a secret_file or secret_env");
  }
}

KeySource ReadKeySource(YamlReader& r, const YAML::Node& node, const std::string& path) {
  KeySource s;
  r.String(node, path, "jwks_file", &s.jwks_file);
  r.String(node, path, "jwks_url", &s.jwks_url);
  r.String(node, path, "pem_file", &s.pem_file);
  r.String(node, path, "secret_file", &s.secret_file);
  r.String(node, path, "secret_env", &s.secret_env);
  r.String(node, path, "algorithm", &s.algorithm);
  r.String(node, path, "kid", &s.kid);
  return s;
}

}  // namespace

void ReadIssuer(YamlReader& r, const YAML::Node& node, const std::string& path, Issuer* out) {
  r.RejectUnknownKeys(node, path, {"issuer", "keys", "jwks_file", "jwks_url", "pem_file", "secret_file", "secret_env",
                                   "algorithm", "kid"});
  r.String(node, path, "issuer", &out->issuer);
  if (out->issuer.empty()) r.Fail(path + ".issuer", "required: the exact `iss` of its tokens");
  const YAML::Node keys = node["keys"];
  if (!keys) {
    out->keys.push_back(ReadKeySource(r, node, path));
    return CheckKeySource(r, out->keys.back(), path, " (or a keys: list of them)");
  }
  for (const char* key : kSourceKeys) {
    if (node[key]) {
      return r.Fail(path, std::string("has both keys: and ") + key +
                              ": give every key source as an element of keys:, or only one source without keys:");
    }
  }
  if (!keys.IsSequence() || keys.size() == 0) {
    return r.Fail(path + ".keys", "must be a list of key sources, each with one of jwks_file, jwks_url, pem_file, "
                                  "secret_file or secret_env");
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string at = path + ".keys[" + std::to_string(i) + "]";
    if (!keys[i].IsMap()) {
      r.Fail(at, "must be a mapping with one of jwks_file, jwks_url, pem_file, secret_file or secret_env");
      continue;
    }
    r.RejectUnknownKeys(keys[i], at, {"jwks_file", "jwks_url", "pem_file", "secret_file", "secret_env", "algorithm",
                                      "kid"});
    out->keys.push_back(ReadKeySource(r, keys[i], at));
    CheckKeySource(r, out->keys.back(), at, "");
  }
}

void ReadJwksFetch(YamlReader& r, const YAML::Node& node, JwksFetch* out) {
  if (!node || !r.ExpectMap(node, "auth.jwks")) return;
  r.RejectUnknownKeys(node, "auth.jwks", {"refresh_s", "min_refetch_interval_s", "timeout_ms", "max_bytes", "ca_file"});
  r.Uint32(node, "auth.jwks", "refresh_s", 30, 86'400, &out->refresh_s);
  r.Uint32(node, "auth.jwks", "min_refetch_interval_s", 1, 3'600, &out->min_refetch_interval_s);
  r.Uint32(node, "auth.jwks", "timeout_ms", 100, 60'000, &out->timeout_ms);
  r.Uint32(node, "auth.jwks", "max_bytes", 1'024, 16 << 20, &out->max_bytes);
  r.String(node, "auth.jwks", "ca_file", &out->ca_file);
  if (out->min_refetch_interval_s > out->refresh_s) {
    r.Fail("auth.jwks.min_refetch_interval_s", "must not exceed refresh_s (" + std::to_string(out->refresh_s) + ")");
  }
}

void ReadIntrospection(YamlReader& r, const YAML::Node& node, Introspection* out) {
  constexpr const char* kPath = "auth.introspection";
  if (!node || !r.ExpectMap(node, kPath)) return;
  out->configured = true;
  r.RejectUnknownKeys(node, kPath, {"endpoint", "client_id", "client_secret_file", "client_secret_env", "issuer",
                                    "timeout_ms", "cache_entries", "max_cache_s", "ca_file"});
  r.String(node, kPath, "endpoint", &out->endpoint);
  r.String(node, kPath, "client_id", &out->client_id);
  r.String(node, kPath, "client_secret_file", &out->client_secret_file);
  r.String(node, kPath, "client_secret_env", &out->client_secret_env);
  r.String(node, kPath, "issuer", &out->issuer);
  r.Uint32(node, kPath, "timeout_ms", 100, 60'000, &out->timeout_ms);
  r.Uint32(node, kPath, "cache_entries", 1, 10'000'000, &out->cache_entries);
  r.Uint32(node, kPath, "max_cache_s", 1, 86'400, &out->max_cache_s);
  r.String(node, kPath, "ca_file", &out->ca_file);
  if (out->endpoint.empty()) {
    r.Fail("auth.introspection.endpoint", "required: the RFC 7662 introspection URL of the authorization server");
  } else if (const std::string problem = UrlProblem(out->endpoint); !problem.empty()) {
    r.Fail("auth.introspection.endpoint", problem);
  }
  if (out->client_id.empty()) {
    r.Fail("auth.introspection.client_id", "required: the gateway's client id at the authorization server");
  }
  if (out->client_secret_file.empty() == out->client_secret_env.empty()) {
    r.Fail(kPath, "needs exactly one of client_secret_file or client_secret_env");
  }
}

}  // namespace mcpgw::config
