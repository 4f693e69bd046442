// Builds the trusted issuers (policy and verification keys) from the `auth:`
// configuration: local JWKS files, PEM public keys, and HS secrets from a
// file or an environment variable. Any problem is an error naming the
// issuer and the file or variable, and stops start-up: a gateway that cannot
// read its keys must not run with fewer than it was told to trust.
#pragma once

#include "auth/bearer_authenticator.h"
#include "config/config.h"

#include <string>
#include <variant>
#include <vector>

namespace mcpgw::auth {

std::variant<std::vector<TrustedIssuer>, std::string> LoadTrustedIssuers(const config::Auth& auth);

}  // namespace mcpgw::auth
