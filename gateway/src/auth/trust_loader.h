// Builds the trusted issuers (policy and verification keys) from the `auth:`
// configuration: local JWKS files, PEM public keys, and HS secrets from a
// file or an environment variable, merged per issuer when it has several
// sources. Any problem is an error naming the issuer and the file or
// variable, and stops start-up: a gateway that cannot read its keys must not
// run with fewer than it was told to trust.
//
// JWKS URLs are not fetched here: an issuer's URL sources contribute no key
// yet, and are listed for the JwksFetcher, which installs their keys (beside
// the issuer's local ones) once fetched. A remote issuer being down does not
// stop start-up.
#pragma once

#include "auth/algorithm.h"
#include "auth/bearer_authenticator.h"
#include "config/config.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace mcpgw::auth {

// One JWKS URL of one issuer.
struct RemoteJwks {
  std::string issuer;
  std::string url;
  std::optional<Algorithm> algorithm;  // pins the keys that carry no `alg`
};

struct LoadedTrust {
  std::vector<TrustedIssuer> issuers;  // with their local keys only
  std::vector<RemoteJwks> remote;
};

std::variant<LoadedTrust, std::string> LoadTrustedIssuers(const config::Auth& auth);

}  // namespace mcpgw::auth
