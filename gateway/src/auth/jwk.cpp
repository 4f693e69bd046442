#include "auth/jwk.h"

#include "auth/openssl_ptr.h"
#include "auth/strict_json.h"
#include "crypto/base64.h"

#include <openssl/core_names.h>

#include <array>

namespace mcpgw::auth {
namespace {

using json = nlohmann::json;

// Members that only a private (or symmetric) key has (RFC 7518 6.2.2, 6.3.2).
constexpr std::array<const char*, 7> kPrivateMembers{"d", "p", "q", "dp", "dq", "qi", "oth"};

// A base64url member decoded, or nullopt when absent, not a string or not
// strict base64url.
std::optional<std::string> Bytes(const json& jwk, const char* name) {
  const auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) return std::nullopt;
  return crypto::Base64UrlDecode(it->get_ref<const std::string&>());
}

std::string StringMember(const json& jwk, const char* name) {
  const auto it = jwk.find(name);
  return it != jwk.end() && it->is_string() ? it->get<std::string>() : "";
}

// Why the whole set must be refused because of this key, or "".
std::string LeakedSecret(const json& jwk, KeySource source) {
  const std::string kty = StringMember(jwk, "kty");
  if (kty == "oct") return source == KeySource::kUrl ? "a symmetric (oct) key is published at a URL" : "";
  for (const char* member : kPrivateMembers) {
    if (jwk.contains(member)) return std::string("it contains the private key member \"") + member + "\"";
  }
  return "";
}

std::variant<Algorithm, std::string> PinnedAlgorithm(const json& jwk, const JwkOptions& options) {
  std::optional<Algorithm> pinned;
  if (const auto it = jwk.find("alg"); it != jwk.end()) {
    if (!it->is_string()) return std::string("\"alg\" is not a string");
    pinned = AlgorithmFromName(it->get_ref<const std::string&>());
    if (!pinned) return std::string("unsupported \"alg\"");
  }
  if (options.algorithm) {
    if (pinned && *pinned != *options.algorithm) {
      return "\"alg\" " + std::string(AlgorithmName(*pinned)) + " contradicts the configured " +
             std::string(AlgorithmName(*options.algorithm));
    }
    pinned = options.algorithm;
  }
  if (!pinned) return std::string("no \"alg\" member and no algorithm configured for it");
  return *pinned;
}

// Builds a public key from OpenSSL parameters; checks it is a valid point or
// modulus, not just well-formed bytes.
std::variant<std::shared_ptr<EVP_PKEY>, std::string> FromParams(const char* type, OSSL_PARAM_BLD* build) {
  const ParamsPtr params(OSSL_PARAM_BLD_to_param(build));
  const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return std::string("invalid ") + type + " public key";
  }
  std::shared_ptr<EVP_PKEY> key(raw, EVP_PKEY_free);
  const PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, raw, nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return std::string("invalid ") + type + " public key";
  return key;
}

std::variant<std::shared_ptr<EVP_PKEY>, std::string> RsaKey(const json& jwk) {
  const auto n = Bytes(jwk, "n"), e = Bytes(jwk, "e");
  if (!n || !e || n->empty() || e->empty()) return std::string("RSA key needs base64url \"n\" and \"e\"");
  const BignumPtr modulus(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), int(n->size()), nullptr));
  const BignumPtr exponent(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), int(e->size()), nullptr));
  const ParamBuildPtr build(OSSL_PARAM_BLD_new());
  if (!modulus || !exponent || !build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
    return std::string("out of memory");
  }
  return FromParams("RSA", build.get());
}

std::variant<std::shared_ptr<EVP_PKEY>, std::string> EcKey(const json& jwk) {
  const std::string crv = StringMember(jwk, "crv");
  const char* group = crv == "P-256" ? "prime256v1" : crv == "P-384" ? "secp384r1" : nullptr;
  if (group == nullptr) return std::string("unsupported EC curve (P-256 and P-384 only)");
  const std::size_t size = crv == "P-256" ? 32 : 48;
  const auto x = Bytes(jwk, "x"), y = Bytes(jwk, "y");
  if (!x || !y || x->size() != size || y->size() != size) {
    return "EC " + crv + " key needs base64url \"x\" and \"y\" of " + std::to_string(size) + " bytes";
  }
  const std::string point = "\x04" + *x + *y;  // uncompressed SEC1 point
  const ParamBuildPtr build(OSSL_PARAM_BLD_new());
  if (!build || OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return std::string("out of memory");
  }
  return FromParams("EC", build.get());
}

std::variant<std::shared_ptr<EVP_PKEY>, std::string> OkpKey(const json& jwk) {
  if (StringMember(jwk, "crv") != "Ed25519") return std::string("unsupported OKP curve (Ed25519 only)");
  const auto x = Bytes(jwk, "x");
  if (!x || x->size() != 32) return std::string("Ed25519 key needs a base64url \"x\" of 32 bytes");
  EVP_PKEY* raw = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                              reinterpret_cast<const unsigned char*>(x->data()), x->size());
  if (raw == nullptr) return std::string("invalid Ed25519 public key");
  return std::shared_ptr<EVP_PKEY>(raw, EVP_PKEY_free);
}

std::variant<Key, std::string> FromJwk(const json& jwk, const JwkOptions& options) {
  if (!jwk.is_object()) return std::string("not a JSON object");
  if (const std::string leak = LeakedSecret(jwk, options.source); !leak.empty()) return leak;
  if (const auto use = jwk.find("use"); use != jwk.end() && *use != "sig") return std::string("\"use\" is not \"sig\"");
  const auto kid = jwk.find("kid");
  if (kid != jwk.end() && !kid->is_string()) return std::string("\"kid\" is not a string");
  std::string id = kid != jwk.end() ? kid->get<std::string>() : "";
  const auto algorithm = PinnedAlgorithm(jwk, options);
  if (const auto* error = std::get_if<std::string>(&algorithm)) return *error;
  const Algorithm alg = std::get<Algorithm>(algorithm);

  const std::string kty = StringMember(jwk, "kty");
  if (kty == "oct") {
    const auto secret = Bytes(jwk, "k");
    if (!secret) return std::string("oct key needs a base64url \"k\"");
    return KeyFromSecret(*secret, alg, std::move(id));
  }
  std::variant<std::shared_ptr<EVP_PKEY>, std::string> built = std::string("unsupported \"kty\"");
  if (kty == "RSA") built = RsaKey(jwk);
  if (kty == "EC") built = EcKey(jwk);
  if (kty == "OKP") built = OkpKey(jwk);
  if (const auto* error = std::get_if<std::string>(&built)) return *error;
  std::shared_ptr<EVP_PKEY> key = std::get<std::shared_ptr<EVP_PKEY>>(std::move(built));
  if (std::string misfit = KeyMisfit(key.get(), alg); !misfit.empty()) return misfit;
  return Key{std::move(id), alg, std::move(key), ""};
}

}  // namespace

std::variant<Key, std::string> KeyFromJwk(std::string_view json_text, const JwkOptions& options) {
  const auto jwk = ParseObjectWithUniqueKeys(json_text);
  if (!jwk) return std::string("JWK is not a JSON object with unique member names");
  return FromJwk(*jwk, options);
}

std::variant<JwksKeys, std::string> KeysFromJwks(std::string_view json_text, const JwkOptions& options) {
  const auto set = ParseObjectWithUniqueKeys(json_text);
  if (!set) return std::string("JWKS is not a JSON object with unique member names");
  const auto keys = set->find("keys");
  if (keys == set->end() || !keys->is_array()) return std::string("JWKS has no \"keys\" array");
  JwksKeys out;
  for (std::size_t i = 0; i < keys->size(); ++i) {
    const json& jwk = (*keys)[i];
    const std::string where = "key " + std::to_string(i);
    if (jwk.is_object()) {
      if (const std::string leak = LeakedSecret(jwk, options.source); !leak.empty()) {
        return "JWKS refused: " + where + ": " + leak;
      }
    }
    auto key = FromJwk(jwk, options);
    if (auto* usable = std::get_if<Key>(&key)) {
      out.keys.push_back(std::move(*usable));
    } else {
      out.skipped.push_back(where + ": " + std::get<std::string>(key));
    }
  }
  if (out.keys.empty()) {
    std::string why = "JWKS has no usable signing key";
    for (const std::string& skipped : out.skipped) why += "; " + skipped;
    return why;
  }
  return out;
}

}  // namespace mcpgw::auth
