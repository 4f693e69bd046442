#include "auth/dev_token.h"

#include "auth/openssl_ptr.h"
#include "crypto/base64.h"
#include "crypto/hmac.h"
#include "crypto/random.h"
#include "os/file.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace mcpgw::auth {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using crypto::Base64UrlEncode;

std::string Coordinate(EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return "";
  const BignumPtr bn(raw);
  std::string out(32, '\0');
  BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), 32);
  return Base64UrlEncode(out);
}

// The public JWK with members in RFC 7638's order, which is also what the
// thumbprint is computed over.
json PublicJwk(EVP_PKEY* key) {
  json jwk = {{"crv", "P-256"}, {"kty", "EC"}, {"x", Coordinate(key, OSSL_PKEY_PARAM_EC_PUB_X)},
              {"y", Coordinate(key, OSSL_PKEY_PARAM_EC_PUB_Y)}};
  jwk["kid"] = Base64UrlEncode(crypto::Sha256(jwk.dump()));
  jwk["alg"] = "ES256";
  jwk["use"] = "sig";
  return jwk;
}

PkeyPtr LoadPrivateKey(const std::string& path, std::string* error) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    *error = "cannot read " + path + ": " + std::strerror(errno) + " (create it with: mcp-gateway dev-key init)";
    return nullptr;
  }
  if ((st.st_mode & 077) != 0) {
    *error = path + " is readable by other users; make it private with: chmod 600 " + path;
    return nullptr;
  }
  const std::optional<std::string> pem = os::ReadFile(path, error);
  if (!pem) return nullptr;
  const BioPtr bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || !EVP_PKEY_is_a(key.get(), "EC")) {
    *error = path + " does not hold an EC P-256 private key";
    return nullptr;
  }
  return key;
}

// ES256 over `input`: the DER signature OpenSSL makes, as JOSE's r||s.
std::string SignEs256(EVP_PKEY* key, const std::string& input) {
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return "";
  }
  std::string der(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return "";
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  const EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len)));
  if (!sig) return "";
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  return raw;
}

}  // namespace

DevKeyPaths DevKeyPathsUnder(const std::string& data_dir) {
  const fs::path dir = fs::path(data_dir) / kDevKeyDir;
  return {(dir / kDevPrivateKeyFile).string(), (dir / kDevJwksFile).string()};
}

std::string EnsureDevKey(const std::string& data_dir, bool* created) {
  if (created != nullptr) *created = false;
  const DevKeyPaths paths = DevKeyPathsUnder(data_dir);
  if (fs::exists(paths.private_key) && fs::exists(paths.jwks)) return "";
  const fs::path dir = fs::path(paths.private_key).parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create " + dir.string() + ": " + ec.message();
  fs::permissions(dir, fs::perms::owner_all, ec);

  const PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return "cannot generate an EC P-256 key";
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return "cannot encode the private key";
  }
  char* pem = nullptr;
  const long pem_len = BIO_get_mem_data(bio.get(), &pem);
  const json jwks = {{"keys", json::array({PublicJwk(key.get())})}};
  if (std::string e = os::WriteFileAtomically(paths.private_key, std::string(pem, static_cast<size_t>(pem_len)), 0600);
      !e.empty()) {
    return e;
  }
  if (std::string e = os::WriteFileAtomically(paths.jwks, jwks.dump(2) + "\n", 0644); !e.empty()) return e;
  if (created != nullptr) *created = true;
  return "";
}

std::optional<std::chrono::seconds> ParseLifetime(std::string_view text) {
  if (text.size() < 2 || text.size() > 8) return std::nullopt;
  long long count = 0;
  for (const char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    count = count * 10 + (c - '0');
  }
  const char unit = text.back();
  const long long per = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : 0;
  const std::chrono::seconds lifetime(count * per);
  if (per == 0 || lifetime < std::chrono::seconds(1) || lifetime > kMaxDevTokenLifetime) return std::nullopt;
  return lifetime;
}

Minted MintDevToken(const std::string& data_dir, const TokenRequest& request) {
  if (request.audience.empty()) return {"", "a token needs an audience: the route's resource URI"};
  if (request.subject.empty()) return {"", "a token needs a subject"};
  if (request.lifetime <= std::chrono::seconds(0) || request.lifetime > kMaxDevTokenLifetime) {
    return {"", "the lifetime must be between 1s and 24h"};
  }
  std::string error;
  const DevKeyPaths paths = DevKeyPathsUnder(data_dir);
  const PkeyPtr key = LoadPrivateKey(paths.private_key, &error);
  if (!key) return {"", error};

  const json header = {{"alg", "ES256"}, {"typ", "JWT"}, {"kid", PublicJwk(key.get())["kid"]}};
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  std::string scope;
  for (const std::string& s : request.scopes) scope += (scope.empty() ? "" : " ") + s;
  json claims = {{"iss", request.issuer},
                 {"sub", request.subject},
                 {"aud", request.audience},
                 {"iat", now.count()},
                 {"nbf", now.count()},
                 {"exp", (now + request.lifetime).count()},
                 {"jti", crypto::HexEncode(crypto::RandomBytes(16))}};
  if (!scope.empty()) claims["scope"] = scope;
  const std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(claims.dump());
  const std::string signature = SignEs256(key.get(), input);
  if (signature.empty()) return {"", "cannot sign with " + paths.private_key};
  return {input + "." + Base64UrlEncode(signature), ""};
}

}  // namespace mcpgw::auth
