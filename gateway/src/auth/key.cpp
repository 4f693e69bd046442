#include "auth/key.h"

#include "auth/openssl_ptr.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include <atomic>

namespace mcpgw::auth {
namespace {

constexpr int kMinRsaBits = 2048;

std::uint64_t NextGeneration() {
  static std::atomic<std::uint64_t> counter{0};
  return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::string GroupName(EVP_PKEY* key) {
  char name[64] = {};
  std::size_t length = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &length) != 1) return "";
  return std::string(name, length);
}

}  // namespace

KeySet::KeySet(std::vector<Key> keys) : keys_(std::move(keys)), generation_(NextGeneration()) {}

std::string KeyMisfit(EVP_PKEY* key, Algorithm algorithm) {
  const std::string alg(AlgorithmName(algorithm));
  switch (FamilyOf(algorithm)) {
    case AlgorithmFamily::kRsaPkcs1:
    case AlgorithmFamily::kRsaPss:
      if (!EVP_PKEY_is_a(key, "RSA")) return alg + " needs an RSA key";
      if (EVP_PKEY_get_bits(key) < kMinRsaBits) {
        return "RSA key of " + std::to_string(EVP_PKEY_get_bits(key)) + " bits is too weak (at least 2048)";
      }
      return "";
    case AlgorithmFamily::kEcdsa: {
      const char* curve = algorithm == Algorithm::kEs256 ? "prime256v1" : "secp384r1";
      if (!EVP_PKEY_is_a(key, "EC") || GroupName(key) != curve) {
        return alg + (algorithm == Algorithm::kEs256 ? " needs an EC P-256 key" : " needs an EC P-384 key");
      }
      return "";
    }
    case AlgorithmFamily::kEdDsa:
      if (!EVP_PKEY_is_a(key, "ED25519")) return "EdDSA needs an Ed25519 key";
      return "";
    case AlgorithmFamily::kHmac: return alg + " needs a secret, not a public key";
  }
  return "unsupported algorithm";
}

std::variant<Key, std::string> KeyFromPublicPem(std::string_view pem, Algorithm algorithm, std::string kid) {
  const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return std::string("out of memory");
  PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return std::string("not a PEM PUBLIC KEY block");
  if (std::string misfit = KeyMisfit(key.get(), algorithm); !misfit.empty()) return misfit;
  return Key{std::move(kid), algorithm, std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free), ""};
}

std::variant<Key, std::string> KeyFromSecret(std::string_view secret, Algorithm algorithm, std::string kid) {
  if (FamilyOf(algorithm) != AlgorithmFamily::kHmac) {
    return std::string(AlgorithmName(algorithm)) + " needs a public key, not a secret";
  }
  if (secret.size() < HashSize(algorithm)) {
    return std::string(AlgorithmName(algorithm)) + " secret must be at least " + std::to_string(HashSize(algorithm)) +
           " bytes";
  }
  return Key{std::move(kid), algorithm, nullptr, std::string(secret)};
}

}  // namespace mcpgw::auth
