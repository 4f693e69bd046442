// Verification keys, each pinned to exactly one algorithm (RFC 8725 3.1).
//
// A token can never choose how it is checked: its `alg` must equal the pinned
// algorithm of the key it is checked with, so an RS256 public key is never
// used as an HMAC secret and no key verifies `none`. The pinning and the
// key's fitness (type, curve, size) are decided once, here, when keys are
// loaded; verification only compares.
#pragma once

#include "auth/algorithm.h"

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcpgw::auth {

struct Key {
  std::string kid;  // empty when the key has none
  Algorithm algorithm;
  std::shared_ptr<EVP_PKEY> public_key;  // RSA, EC or Ed25519; null for HMAC
  std::string secret;                    // HMAC only
};

// The keys trusted for one issuer. Each KeySet gets a process-wide unique
// generation number, so anything derived from verifying with an older set
// (cache entries) can tell that the keys changed since.
class KeySet {
 public:
  explicit KeySet(std::vector<Key> keys);
  const std::vector<Key>& keys() const { return keys_; }
  std::uint64_t generation() const { return generation_; }

 private:
  std::vector<Key> keys_;
  std::uint64_t generation_;
};

// Refuses a public key that does not fit `algorithm`: RS*/PS* need RSA of at
// least 2048 bits, ES256 P-256, ES384 P-384, EdDSA Ed25519; HS* never takes a
// public key. Returns an empty string when it fits, else why not.
std::string KeyMisfit(EVP_PKEY* key, Algorithm algorithm);

// A key from a PEM "PUBLIC KEY" (SubjectPublicKeyInfo) block. PEM carries no
// algorithm, so the caller pins it.
std::variant<Key, std::string> KeyFromPublicPem(std::string_view pem, Algorithm algorithm, std::string kid);

// An HMAC key from raw secret bytes (a file's or an environment variable's
// contents). The secret must be at least as long as the hash (RFC 7518 3.2).
std::variant<Key, std::string> KeyFromSecret(std::string_view secret, Algorithm algorithm, std::string kid);

}  // namespace mcpgw::auth
