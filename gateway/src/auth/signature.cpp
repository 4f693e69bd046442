#include "auth/signature.h"

#include "auth/openssl_ptr.h"
#include "crypto/hmac.h"

#include <openssl/rsa.h>

#include <string>

namespace mcpgw::auth {
namespace {

const unsigned char* Bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

// JOSE carries ECDSA signatures as fixed-size r||s (RFC 7518 3.4); OpenSSL
// wants DER. Any other length, DER included, is refused rather than guessed.
std::string EcdsaToDer(std::string_view raw, std::size_t coordinate_size) {
  if (raw.size() != 2 * coordinate_size) return "";
  BignumPtr r(BN_bin2bn(Bytes(raw), int(coordinate_size), nullptr));
  BignumPtr s(BN_bin2bn(Bytes(raw.substr(coordinate_size)), int(coordinate_size), nullptr));
  const EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return "";
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return "";
  std::string out(reinterpret_cast<const char*>(der), std::size_t(length));
  OPENSSL_free(der);
  return out;
}

bool VerifyHmac(const Key& key, std::string_view signing_input, std::string_view signature) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, DigestName(key.algorithm), nullptr, key.secret.data(), key.secret.size(),
                Bytes(signing_input), signing_input.size(), mac, sizeof mac, &length) == nullptr) {
    return false;
  }
  return crypto::ConstantTimeEqual(std::string_view(reinterpret_cast<const char*>(mac), length), signature);
}

bool VerifyWithPublicKey(const Key& key, std::string_view signing_input, std::string_view signature) {
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), &pkey_ctx, DigestName(key.algorithm), nullptr, nullptr,
                                      key.public_key.get(), nullptr) != 1) {
    return false;
  }
  if (FamilyOf(key.algorithm) == AlgorithmFamily::kRsaPss) {
    // RFC 7518 3.5: MGF1 with the same hash, salt as long as the hash.
    // SALTLEN_DIGEST on verify insists on exactly that length.
    EVP_MD* mgf1 = EVP_MD_fetch(nullptr, DigestName(key.algorithm), nullptr);
    const bool set = mgf1 != nullptr && EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                     EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
                     EVP_PKEY_CTX_set_rsa_mgf1_md(pkey_ctx, mgf1) == 1;
    EVP_MD_free(mgf1);
    if (!set) return false;
  }
  std::string der;
  if (FamilyOf(key.algorithm) == AlgorithmFamily::kEcdsa) {
    // P-256 and P-384 coordinates are as long as the SHA-256 and SHA-384 hashes.
    der = EcdsaToDer(signature, HashSize(key.algorithm));
    if (der.empty()) return false;
    signature = der;
  }
  return EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(signing_input), signing_input.size()) ==
         1;
}

}  // namespace

bool VerifySignature(const Key& key, std::string_view signing_input, std::string_view signature) {
  if (FamilyOf(key.algorithm) == AlgorithmFamily::kHmac) return VerifyHmac(key, signing_input, signature);
  return key.public_key != nullptr && VerifyWithPublicKey(key, signing_input, signature);
}

}  // namespace mcpgw::auth
