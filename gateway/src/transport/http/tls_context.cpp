#include "transport/http/tls_context.h"

#include "os/file.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <optional>

namespace mcpgw::http {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites: ECDHE key exchange with AEAD ciphers only. The TLS 1.3
// suites are all AEAD; OpenSSL's defaults stand.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
// Sessions resume only into a context of this name; OpenSSL requires one
// when it verifies client certificates.
constexpr unsigned char kSessionContext[] = "mcp-gateway";
constexpr unsigned char kAlpnHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

// Picks http/1.1 from the client's ALPN list. A client that offers only
// protocols this server does not speak (h2) is refused (RFC 7301 3.2).
int SelectAlpn(SSL*, const unsigned char** out, unsigned char* out_len, const unsigned char* in, unsigned int in_len,
               void*) {
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_len, kAlpnHttp11, sizeof kAlpnHttp11, in, in_len) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// A passphrase callback that has none: without it OpenSSL would prompt on
// the terminal for an encrypted key.
int NoPassphrase(char*, int, int, void*) { return 0; }

std::optional<std::string> ReadNamed(const char* key, const std::string& path, std::string* error) {
  std::string why;
  std::optional<std::string> text = os::ReadFile(path, &why);
  if (!text) *error = std::string(key) + ": " + why;
  return text;
}

std::string UseCertificateChain(TlsContext& context, const config::Tls& tls) {
  std::string error;
  const std::optional<std::string> pem = ReadNamed("server.tls.cert_file", tls.cert_file, &error);
  if (!pem) return error;
  boost::system::error_code ec;
  context.use_certificate_chain(boost::asio::buffer(*pem), ec);
  if (ec) return "server.tls.cert_file: " + tls.cert_file + ": not a usable PEM certificate chain (" + ec.message() + ")";
  return "";
}

std::string UsePrivateKey(TlsContext& context, const config::Tls& tls) {
  std::string error;
  std::optional<std::string> pem = ReadNamed("server.tls.key_file", tls.key_file, &error);
  if (!pem) return error;
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
  std::unique_ptr<EVP_PKEY, KeyFree> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  OPENSSL_cleanse(pem->data(), pem->size());
  ERR_clear_error();
  if (!key) return "server.tls.key_file: " + tls.key_file + ": not an unencrypted PEM private key";
  if (SSL_CTX_use_PrivateKey(context.native_handle(), key.get()) != 1 ||
      SSL_CTX_check_private_key(context.native_handle()) != 1) {
    ERR_clear_error();
    return "server.tls.key_file: " + tls.key_file + " is not the private key of the certificate in " +
           "server.tls.cert_file (" + tls.cert_file + ")";
  }
  return "";
}

std::string VerifyClients(TlsContext& context, const config::Tls& tls) {
  if (tls.client_certificates == config::ClientCertificates::kNone) return "";
  std::string error;
  const std::optional<std::string> pem = ReadNamed("server.tls.client_ca_file", tls.client_ca_file, &error);
  if (!pem) return error;
  boost::system::error_code ec;
  context.add_certificate_authority(boost::asio::buffer(*pem), ec);
  if (ec) {
    return "server.tls.client_ca_file: " + tls.client_ca_file + ": not a usable PEM certificate list (" + ec.message() +
           ")";
  }
  // The CA names tell clients which of their certificates to present.
  if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(tls.client_ca_file.c_str())) {
    SSL_CTX_set_client_CA_list(context.native_handle(), names);
  }
  const bool require = tls.client_certificates == config::ClientCertificates::kRequire;
  context.set_verify_mode(ssl::verify_peer | (require ? ssl::verify_fail_if_no_peer_cert : 0));
  return "";
}

}  // namespace

std::variant<std::shared_ptr<TlsContext>, std::string> MakeTlsContext(const config::Tls& tls) {
  auto context = std::make_shared<TlsContext>(TlsContext::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, tls.min_version == "1.3" ? TLS1_3_VERSION : TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Level 2: keys of at least 112 bits of security, no SHA-1 signatures.
  SSL_CTX_set_security_level(native, 2);
  SSL_CTX_set_cipher_list(native, kTls12Ciphers);
  SSL_CTX_set_session_id_context(native, kSessionContext, sizeof kSessionContext - 1);
  SSL_CTX_set_alpn_select_cb(native, SelectAlpn, nullptr);
  for (auto step : {UseCertificateChain, UsePrivateKey, VerifyClients}) {
    if (std::string error = step(*context, tls); !error.empty()) {
      ERR_clear_error();
      return error;
    }
  }
  return context;
}

std::string VerifiedClientSubject(SSL* ssl) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) return "";
  std::unique_ptr<BIO, BioFree> out(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(out.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  BUF_MEM* text = nullptr;
  BIO_get_mem_ptr(out.get(), &text);
  return std::string(text->data, text->length);
}

}  // namespace mcpgw::http
