// Development without an identity provider: a local ES256 key and short-lived
// tokens signed with it.
//
// `mcp-gateway dev-key init` writes, under <data_dir>/dev-key/:
//   es256.pem   the private key (PKCS#8 PEM, mode 0600, never leaves the machine)
//   jwks.json   its public half as a JWKS, with the RFC 7638 thumbprint as kid
// The embedded default configuration trusts jwks.json for the issuer
// kDevIssuer, and `mcp-gateway token mint` signs tokens with es256.pem. There
// is no other way in: the gateway never skips authentication.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::auth {

inline constexpr char kDevIssuer[] = "urn:mcp-gateway:dev";
inline constexpr char kDevKeyDir[] = "dev-key";
inline constexpr char kDevPrivateKeyFile[] = "es256.pem";
inline constexpr char kDevJwksFile[] = "jwks.json";

struct DevKeyPaths {
  std::string private_key;
  std::string jwks;
};
DevKeyPaths DevKeyPathsUnder(const std::string& data_dir);

// Creates the key pair unless both files exist already (then it keeps them:
// tokens minted earlier stay valid). Returns an error message or "".
std::string EnsureDevKey(const std::string& data_dir, bool* created = nullptr);

struct TokenRequest {
  std::string audience;  // the route's canonical resource URI
  std::string subject;
  std::vector<std::string> scopes;
  std::chrono::seconds lifetime{std::chrono::minutes(60)};
  std::string issuer = kDevIssuer;
};

// "90s", "15m", "2h": a token lifetime of at least one second and at most
// kMaxDevTokenLifetime; nullopt otherwise.
inline constexpr std::chrono::hours kMaxDevTokenLifetime{24};
std::optional<std::chrono::seconds> ParseLifetime(std::string_view text);

struct Minted {
  std::string token;  // a compact JWS (ES256): iss, sub, aud, iat, nbf, exp, jti, scope
  std::string error;  // why not, when token is empty
};
Minted MintDevToken(const std::string& data_dir, const TokenRequest& request);

}  // namespace mcpgw::auth
