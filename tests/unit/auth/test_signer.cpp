#include "unit/auth/test_signer.h"

#include "auth/jwk.h"
#include "auth/openssl_ptr.h"
#include "crypto/base64.h"
#include "crypto/random.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <map>
#include <mutex>
#include <stdexcept>

namespace mcpgw::auth::testing {
namespace {

const unsigned char* Bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

void Require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test signer: ") + what);
}

std::string BignumParam(EVP_PKEY* key, const char* name, int size = 0) {
  BIGNUM* raw = nullptr;
  Require(EVP_PKEY_get_bn_param(key, name, &raw) == 1, "get bn param");
  const BignumPtr value(raw);
  std::string out(size > 0 ? std::size_t(size) : std::size_t(BN_num_bytes(raw)), '\0');
  Require(BN_bn2binpad(raw, reinterpret_cast<unsigned char*>(out.data()), int(out.size())) > 0, "bn2bin");
  return out;
}

std::string DerToRaw(std::string_view der, std::size_t size) {
  const unsigned char* in = Bytes(der);
  const EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &in, long(der.size())));
  Require(sig != nullptr, "parse DER signature");
  std::string out(2 * size, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  Require(BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), bytes, int(size)) > 0 &&
              BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), bytes + size, int(size)) > 0,
          "r||s");
  return out;
}

}  // namespace

SigningKey GenerateKey(Algorithm algorithm, std::string kid, int rsa_bits) {
  SigningKey key{algorithm, std::move(kid), nullptr, "", -1, ""};
  EVP_PKEY* raw = nullptr;
  switch (FamilyOf(algorithm)) {
    case AlgorithmFamily::kRsaPkcs1:
    case AlgorithmFamily::kRsaPss: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t(rsa_bits)); break;
    case AlgorithmFamily::kEcdsa:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", algorithm == Algorithm::kEs256 ? "P-256" : "P-384");
      break;
    case AlgorithmFamily::kEdDsa: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
    case AlgorithmFamily::kHmac: key.secret = crypto::RandomBytes(HashSize(algorithm)); return key;
  }
  Require(raw != nullptr, "keygen");
  key.private_key.reset(raw, EVP_PKEY_free);
  return key;
}

const SigningKey& SharedKey(Algorithm algorithm) {
  static std::mutex mutex;
  static std::map<Algorithm, SigningKey> keys;
  const std::lock_guard lock(mutex);
  auto found = keys.find(algorithm);
  if (found == keys.end()) {
    found = keys.emplace(algorithm, GenerateKey(algorithm, "kid-" + std::string(AlgorithmName(algorithm)))).first;
  }
  return found->second;
}

nlohmann::json PublicJwk(const SigningKey& key) {
  nlohmann::json jwk{{"kid", key.kid}, {"alg", AlgorithmName(key.algorithm)}, {"use", "sig"}};
  EVP_PKEY* pkey = key.private_key.get();
  switch (FamilyOf(key.algorithm)) {
    case AlgorithmFamily::kRsaPkcs1:
    case AlgorithmFamily::kRsaPss:
      jwk["kty"] = "RSA";
      jwk["n"] = B64(BignumParam(pkey, OSSL_PKEY_PARAM_RSA_N));
      jwk["e"] = B64(BignumParam(pkey, OSSL_PKEY_PARAM_RSA_E));
      break;
    case AlgorithmFamily::kEcdsa: {
      const int size = key.algorithm == Algorithm::kEs256 ? 32 : 48;
      jwk["kty"] = "EC";
      jwk["crv"] = key.algorithm == Algorithm::kEs256 ? "P-256" : "P-384";
      jwk["x"] = B64(BignumParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X, size));
      jwk["y"] = B64(BignumParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, size));
      break;
    }
    case AlgorithmFamily::kEdDsa: {
      std::string x(32, '\0');
      std::size_t length = x.size();
      Require(EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(x.data()), &length) == 1, "raw key");
      jwk["kty"] = "OKP";
      jwk["crv"] = "Ed25519";
      jwk["x"] = B64(x);
      break;
    }
    case AlgorithmFamily::kHmac:
      jwk["kty"] = "oct";
      jwk["k"] = B64(key.secret);
      break;
  }
  return jwk;
}

std::string PublicPem(const SigningKey& key) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  Require(bio && PEM_write_bio_PUBKEY(bio.get(), key.private_key.get()) == 1, "write PEM");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, std::size_t(length));
}

Key VerificationKey(const SigningKey& key) {
  auto parsed = KeyFromJwk(PublicJwk(key).dump(), JwkOptions{});
  if (auto* error = std::get_if<std::string>(&parsed)) throw std::runtime_error("test signer: " + *error);
  return std::get<Key>(std::move(parsed));
}

std::string Sign(const SigningKey& key, std::string_view signing_input) {
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (FamilyOf(key.algorithm) == AlgorithmFamily::kHmac) {
    Require(EVP_Q_mac(nullptr, "HMAC", nullptr, DigestName(key.algorithm), nullptr, key.secret.data(), key.secret.size(),
                      Bytes(signing_input), signing_input.size(), out, sizeof out, &length) != nullptr,
            "HMAC");
    return std::string(reinterpret_cast<const char*>(out), length);
  }
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  Require(EVP_DigestSignInit_ex(ctx.get(), &pctx, DigestName(key.algorithm), nullptr, nullptr,
                                key.private_key.get(), nullptr) == 1,
          "sign init");
  if (FamilyOf(key.algorithm) == AlgorithmFamily::kRsaPss) {
    Require(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, key.pss_salt_length) == 1,
            "PSS");  // MGF1 defaults to the signature hash
    if (!key.pss_mgf1_digest.empty()) {
      Require(EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, key.pss_mgf1_digest.c_str(), nullptr) == 1, "MGF1");
    }
  }
  Require(EVP_DigestSign(ctx.get(), nullptr, &length, Bytes(signing_input), signing_input.size()) == 1, "sign size");
  std::string signature(length, '\0');
  Require(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, Bytes(signing_input),
                         signing_input.size()) == 1,
          "sign");
  signature.resize(length);
  if (FamilyOf(key.algorithm) == AlgorithmFamily::kEcdsa) return DerToRaw(signature, HashSize(key.algorithm));
  return signature;
}

std::string MintRaw(const SigningKey& key, std::string_view header_json, std::string_view payload_json) {
  const std::string input = B64(header_json) + "." + B64(payload_json);
  return input + "." + B64(Sign(key, input));
}

nlohmann::json HeaderFor(const SigningKey& key) {
  return {{"alg", AlgorithmName(key.algorithm)}, {"kid", key.kid}, {"typ", "JWT"}};
}

std::string Mint(const SigningKey& key, const nlohmann::json& payload) {
  return MintRaw(key, HeaderFor(key).dump(), payload.dump());
}

std::string B64(std::string_view bytes) { return crypto::Base64UrlEncode(bytes); }

}  // namespace mcpgw::auth::testing
