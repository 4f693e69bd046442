// The Bearer challenges of RFC 6750 section 3 as the MCP authorization spec
// uses them, with RFC 9728's resource_metadata. Every front door sends these
// exact strings (in WWW-Authenticate, or its gRPC metadata equivalent).
//
//   401 Bearer resource_metadata="<url>"[, scope="<supported>"][, error="invalid_token"]
//   403 Bearer error="insufficient_scope"[, scope="<required>"], resource_metadata="<url>"
//
// Scopes are RFC 6749 scope-tokens (no space, quote or backslash: the config
// checks), so they need no escaping inside the quoted string.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::auth {

inline constexpr std::string_view kProtectedResourcePath = "/.well-known/oauth-protected-resource";

// RFC 9728 section 3.1: the well-known path goes between the resource URI's
// authority and its path.
std::string ResourceMetadataUrl(std::string_view resource);

// The path part of an absolute URI ("/" when it has none is not added: "").
std::string_view PathOfUri(std::string_view uri);

std::string UnauthorizedChallenge(std::string_view resource, const std::vector<std::string>& scopes,
                                  bool invalid_token);

std::string InsufficientScopeChallenge(std::string_view resource, const std::vector<std::string>& required);

}  // namespace mcpgw::auth
