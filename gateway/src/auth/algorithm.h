// The JWS algorithms we verify (RFC 7518 section 3, RFC 8037 for EdDSA).
//
// `none` is not an Algorithm: there is no value for it, so no code path can
// accept an unsigned token. Every key is pinned to exactly one Algorithm.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace mcpgw::auth {

enum class Algorithm {
  kRs256, kRs384, kRs512,  // RSASSA-PKCS1-v1_5
  kPs256, kPs384, kPs512,  // RSASSA-PSS, salt = hash length, MGF1 with the same hash
  kEs256, kEs384,          // ECDSA on P-256 / P-384, signature r||s
  kEdDsa,                  // Ed25519 only
  kHs256, kHs384, kHs512,  // HMAC
};

enum class AlgorithmFamily { kRsaPkcs1, kRsaPss, kEcdsa, kEdDsa, kHmac };

// Exact, case-sensitive JOSE name ("RS256"); nullopt for "none" and anything
// we do not implement.
std::optional<Algorithm> AlgorithmFromName(std::string_view name);
std::string_view AlgorithmName(Algorithm algorithm);
AlgorithmFamily FamilyOf(Algorithm algorithm);

// OpenSSL digest name ("SHA256"), or nullptr for EdDSA (the hash is built in).
const char* DigestName(Algorithm algorithm);

// Output size of the algorithm's hash in bytes (32, 48, 64); 0 for EdDSA.
std::size_t HashSize(Algorithm algorithm);

}  // namespace mcpgw::auth
