// A certificate authority made at test time with the OpenSSL 3 API, issuing
// server and client certificates with chosen serials as PEM files: for TLS
// tests that rotate certificates or need client certificates. Nothing is
// checked in, so nothing in the repository expires.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace mcpgw::testing {

struct CertificateFiles {
  std::string cert_file;
  std::string key_file;
};

enum class CertificateUse {
  kServer,  // serverAuth, names 127.0.0.1 and localhost
  kClient,  // clientAuth
};

// A self-signed P-256 CA whose files live in `dir`.
class TestCa {
 public:
  TestCa(const std::string& dir, const std::string& name);
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  const std::string& cert_file() const { return cert_file_; }

  // Issues a leaf certificate (a fresh P-256 key) for `common_name` with
  // `serial`, written to <dir>/<stem>.crt and <dir>/<stem>.key (replacing
  // earlier files of that stem). A server certificate names
  // `subject_alt_names` (OpenSSL's form).
  CertificateFiles Issue(const std::string& stem, const std::string& common_name, long serial, CertificateUse use,
                         const std::string& subject_alt_names = "IP:127.0.0.1,DNS:localhost") const;

  struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  };
  struct CertificateFree {
    void operator()(X509* cert) const { X509_free(cert); }
  };

 private:
  std::string dir_;
  std::string cert_file_;
  std::unique_ptr<EVP_PKEY, KeyFree> key_;
  std::unique_ptr<X509, CertificateFree> cert_;
};

}  // namespace mcpgw::testing
