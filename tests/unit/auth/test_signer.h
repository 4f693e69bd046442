// A test-only JWS signer written directly against OpenSSL, so that tokens in
// the tests are minted by code independent of the verifier under test.
// Keys are generated in the process; nothing is read from disk.
#pragma once

#include "auth/algorithm.h"
#include "auth/failure.h"
#include "auth/key.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <memory>
#include <string>
#include <optional>
#include <string_view>
#include <variant>

namespace mcpgw::auth::testing {

struct SigningKey {
  Algorithm algorithm;
  std::string kid;
  std::shared_ptr<EVP_PKEY> private_key;  // null for HMAC
  std::string secret;                     // HMAC only
  // RSA-PSS only, to mint non-conforming signatures: the salt length
  // (RFC 7518 wants the hash length, -1) and the MGF1 hash (empty: the same).
  int pss_salt_length = -1;
  std::string pss_mgf1_digest;
};

// A fresh key for `algorithm`: RSA of `rsa_bits`, the algorithm's curve, or
// a random secret of the hash size.
SigningKey GenerateKey(Algorithm algorithm, std::string kid, int rsa_bits = 2048);

// One key per algorithm, generated on first use and kept for the process
// (RSA generation is slow); its kid is "kid-<ALG>".
const SigningKey& SharedKey(Algorithm algorithm);

// The public JWK of `key` with "kid", "alg" and "use": "sig" (and "k" for HMAC).
nlohmann::json PublicJwk(const SigningKey& key);
std::string PublicPem(const SigningKey& key);

// The verification Key the library builds from PublicJwk(key).
Key VerificationKey(const SigningKey& key);

// The JOSE signature bytes (ECDSA as r||s) of `signing_input`.
std::string Sign(const SigningKey& key, std::string_view signing_input);

// header.payload.signature from raw JSON texts, signed by `key`.
std::string MintRaw(const SigningKey& key, std::string_view header_json, std::string_view payload_json);

// {"alg": <key's alg>, "kid": <key's kid>, "typ": "JWT"}
nlohmann::json HeaderFor(const SigningKey& key);

// A token with HeaderFor(key) and `payload`.
std::string Mint(const SigningKey& key, const nlohmann::json& payload);

std::string B64(std::string_view bytes);

// The failure reason of a verification result, or nullopt when it passed.
template <class T>
std::optional<FailureReason> ReasonOf(const std::variant<T, Failure>& result) {
  if (const auto* failure = std::get_if<Failure>(&result)) return failure->reason;
  return std::nullopt;
}

}  // namespace mcpgw::auth::testing
