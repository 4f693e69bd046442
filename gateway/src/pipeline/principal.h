// Who is calling, as established by the pipeline's admission phase. This is
// what plugins see instead of a credential.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace mcpgw {

struct Principal {
  std::string subject;
  std::string tenant;
  std::string client_id;
  std::vector<std::string> scopes;
  // How the caller proved it, and what that proof says about itself.
  std::string method;         // "bearer", "api_key", "introspection" or "local"
  std::string audience;       // the route's resource URI the credential was accepted for
  std::string token_id;       // `jti` (empty when the token has none; an API key's name)
  std::string credential_id;  // first 12 hex digits of the credential's SHA-256: safe to log
  std::chrono::sys_seconds expires_at{};  // zero: does not expire (API keys, local user)
  std::chrono::sys_seconds issued_at{};   // the token's iat; zero for API keys and the local user

  bool operator==(const Principal&) const = default;
};

// A principal known by who it is only (the local user, tests).
inline Principal NamedPrincipal(std::string subject, std::string tenant, std::string client_id = "",
                                std::vector<std::string> scopes = {}) {
  Principal p;
  p.subject = std::move(subject);
  p.tenant = std::move(tenant);
  p.client_id = std::move(client_id);
  p.scopes = std::move(scopes);
  return p;
}

// The caller on a loopback-only gateway without an `auth:` section: the
// machine's local user, in the default tenant.
inline Principal LocalUserPrincipal() {
  Principal p = NamedPrincipal("local-user", "default");
  p.method = "local";
  return p;
}

}  // namespace mcpgw
