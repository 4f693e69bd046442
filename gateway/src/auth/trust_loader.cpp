#include "auth/trust_loader.h"

#include "auth/jwk.h"
#include "os/file.h"

#include <cstdlib>
#include <optional>

namespace mcpgw::auth {
namespace {

// The keys of one configured issuer, or why not.
std::variant<std::vector<Key>, std::string> KeysOf(const config::Issuer& is) {
  const std::optional<Algorithm> alg = is.algorithm.empty() ? std::nullopt : AlgorithmFromName(is.algorithm);
  if (!is.secret_env.empty()) {
    const char* value = std::getenv(is.secret_env.c_str());
    if (value == nullptr || *value == '\0') return "the environment variable " + is.secret_env + " is not set";
    auto key = KeyFromSecret(value, *alg, is.kid);
    if (auto* error = std::get_if<std::string>(&key)) return is.secret_env + ": " + *error;
    return std::vector<Key>{std::get<Key>(std::move(key))};
  }
  const std::string& path = !is.jwks_file.empty() ? is.jwks_file : !is.pem_file.empty() ? is.pem_file : is.secret_file;
  std::string unreadable;
  const std::optional<std::string> text = os::ReadFile(path, &unreadable);
  if (!text) return unreadable;
  const std::string& bytes = *text;
  if (!is.jwks_file.empty()) {
    auto keys = KeysFromJwks(bytes, JwkOptions{alg, KeySource::kLocal});
    if (auto* error = std::get_if<std::string>(&keys)) return path + ": " + *error;
    return std::get<JwksKeys>(std::move(keys)).keys;
  }
  auto key = !is.pem_file.empty() ? KeyFromPublicPem(bytes, *alg, is.kid) : KeyFromSecret(bytes, *alg, is.kid);
  if (auto* error = std::get_if<std::string>(&key)) return path + ": " + *error;
  return std::vector<Key>{std::get<Key>(std::move(key))};
}

}  // namespace

std::variant<std::vector<TrustedIssuer>, std::string> LoadTrustedIssuers(const config::Auth& auth) {
  std::vector<TrustedIssuer> issuers;
  for (const config::Issuer& is : auth.issuers) {
    auto keys = KeysOf(is);
    if (auto* error = std::get_if<std::string>(&keys)) return "auth issuer \"" + is.issuer + "\": " + *error;
    TrustedIssuer trusted;
    trusted.policy.issuer = is.issuer;
    trusted.policy.clock_skew = std::chrono::seconds(auth.clock_skew_s);
    trusted.policy.max_lifetime = std::chrono::seconds(auth.max_token_lifetime_s);
    trusted.policy.tenant_claim = auth.tenant_claim;
    trusted.policy.limits.max_token_bytes = auth.max_token_bytes;
    trusted.keys = std::make_shared<const KeySet>(std::get<std::vector<Key>>(std::move(keys)));
    issuers.push_back(std::move(trusted));
  }
  return issuers;
}

}  // namespace mcpgw::auth
