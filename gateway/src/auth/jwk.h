// Keys from JSON Web Keys (RFC 7517, 7518 section 6, RFC 8037).
//
// Decides which keys of a JWK or JWK Set are usable for verification and
// pins each to one algorithm: the JWK's `alg`, else the one the caller
// configures; a key with neither is refused. Keys whose `use` is not `sig`
// are skipped. A set that contains private key members is refused whole:
// whoever published it leaked a private key, and trusting the rest of the
// set would hide that. Never fetches anything.
#pragma once

#include "auth/key.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcpgw::auth {

// Where key material came from. A JWKS URL is public by nature, so a
// symmetric (`oct`) key found there is a published secret and refused.
enum class KeySource { kLocal, kUrl };

struct JwkOptions {
  std::optional<Algorithm> algorithm;  // pins keys without `alg`; must agree with `alg` when both
  KeySource source = KeySource::kLocal;
};

// One JWK (a JSON object).
std::variant<Key, std::string> KeyFromJwk(std::string_view json_text, const JwkOptions& options);

struct JwksKeys {
  std::vector<Key> keys;
  std::vector<std::string> skipped;  // why each unusable key was left out ("key 2: ...")
};

// A JWK Set ({"keys": [...]}). Unusable keys (other `use`, unsupported type,
// too weak) are skipped and said so; an error when none is left, or when the
// set holds private members or, from a URL, a symmetric key.
std::variant<JwksKeys, std::string> KeysFromJwks(std::string_view json_text, const JwkOptions& options);

}  // namespace mcpgw::auth
