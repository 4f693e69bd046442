#include "auth/trust_loader.h"

#include "auth/jwk.h"
#include "os/file.h"

#include <cstdlib>

namespace mcpgw::auth {
namespace {

// The keys of one local source, or why not.
std::variant<std::vector<Key>, std::string> KeysOf(const config::KeySource& source) {
  const std::optional<Algorithm> alg =
      source.algorithm.empty() ? std::nullopt : AlgorithmFromName(source.algorithm);
  if (!source.secret_env.empty()) {
    const char* value = std::getenv(source.secret_env.c_str());
    if (value == nullptr || *value == '\0') return "the environment variable " + source.secret_env + " is not set";
    auto key = KeyFromSecret(value, *alg, source.kid);
    if (auto* error = std::get_if<std::string>(&key)) return source.secret_env + ": " + *error;
    return std::vector<Key>{std::get<Key>(std::move(key))};
  }
  const std::string& path = !source.jwks_file.empty() ? source.jwks_file
                            : !source.pem_file.empty() ? source.pem_file
                                                       : source.secret_file;
  std::string unreadable;
  const std::optional<std::string> text = os::ReadFile(path, &unreadable);
  if (!text) return unreadable;
  const std::string& bytes = *text;
  if (!source.jwks_file.empty()) {
    auto keys = KeysFromJwks(bytes, JwkOptions{alg, KeySource::kLocal});
    if (auto* error = std::get_if<std::string>(&keys)) return path + ": " + *error;
    return std::get<JwksKeys>(std::move(keys)).keys;
  }
  auto key = !source.pem_file.empty() ? KeyFromPublicPem(bytes, *alg, source.kid)
                                      : KeyFromSecret(bytes, *alg, source.kid);
  if (auto* error = std::get_if<std::string>(&key)) return path + ": " + *error;
  return std::vector<Key>{std::get<Key>(std::move(key))};
}

}  // namespace

std::variant<LoadedTrust, std::string> LoadTrustedIssuers(const config::Auth& auth) {
  LoadedTrust out;
  for (const config::Issuer& is : auth.issuers) {
    TrustedIssuer trusted;
    std::vector<Key> keys;
    for (const config::KeySource& source : is.keys) {
      if (!source.jwks_url.empty()) {
        const std::optional<Algorithm> alg =
            source.algorithm.empty() ? std::nullopt : AlgorithmFromName(source.algorithm);
        out.remote.push_back(RemoteJwks{is.issuer, source.jwks_url, alg});
        trusted.keys_from_url = true;
        continue;
      }
      auto loaded = KeysOf(source);
      if (auto* error = std::get_if<std::string>(&loaded)) return "auth issuer \"" + is.issuer + "\": " + *error;
      for (Key& key : std::get<std::vector<Key>>(loaded)) keys.push_back(std::move(key));
    }
    trusted.policy.issuer = is.issuer;
    trusted.policy.clock_skew = std::chrono::seconds(auth.clock_skew_s);
    trusted.policy.max_lifetime = std::chrono::seconds(auth.max_token_lifetime_s);
    trusted.policy.tenant_claim = auth.tenant_claim;
    trusted.policy.limits.max_token_bytes = auth.max_token_bytes;
    trusted.keys = std::make_shared<const KeySet>(std::move(keys));
    out.issuers.push_back(std::move(trusted));
  }
  return out;
}

}  // namespace mcpgw::auth
