#include "support/test_ca.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>
#include <utility>
#include <vector>

namespace mcpgw::testing {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, TestCa::KeyFree>;
using CertificatePtr = std::unique_ptr<X509, TestCa::CertificateFree>;
using Extensions = std::vector<std::pair<int, const char*>>;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct ExtensionFree {
  void operator()(X509_EXTENSION* ext) const { X509_EXTENSION_free(ext); }
};

void Check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error("test CA: " + what + " failed");
}

KeyPtr NewKey() {
  KeyPtr key(EVP_EC_gen("P-256"));
  Check(key != nullptr, "EC key generation");
  return key;
}

// A certificate for `key` named `common_name`, signed by `issuer_key` on
// behalf of `issuer` (itself when null: self-signed).
CertificatePtr NewCertificate(EVP_PKEY* key, const std::string& common_name, long serial, X509* issuer,
                              EVP_PKEY* issuer_key, const Extensions& extensions) {
  CertificatePtr cert(X509_new());
  Check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86'400);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("mcp-gateway tests"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  for (const auto& [nid, value] : extensions) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
    std::unique_ptr<X509_EXTENSION, ExtensionFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    Check(ext != nullptr && X509_add_ext(cert.get(), ext.get(), -1) == 1, std::string("extension ") + value);
  }
  Check(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

void WriteCertificate(const std::string& path, X509* cert) {
  std::unique_ptr<BIO, BioFree> out(BIO_new_file(path.c_str(), "w"));
  Check(out != nullptr && PEM_write_bio_X509(out.get(), cert) == 1, "writing " + path);
}

void WriteKey(const std::string& path, EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> out(BIO_new_file(path.c_str(), "w"));
  Check(out != nullptr && PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "writing " + path);
}

}  // namespace

TestCa::TestCa(const std::string& dir, const std::string& name)
    : dir_(dir), cert_file_(dir + "/" + name + "-ca.crt"), key_(NewKey()) {
  cert_ = NewCertificate(key_.get(), name, 1, nullptr, key_.get(),
                         {{NID_basic_constraints, "critical,CA:TRUE"},
                          {NID_key_usage, "critical,keyCertSign,cRLSign"},
                          {NID_subject_key_identifier, "hash"}});
  WriteCertificate(cert_file_, cert_.get());
}

TestCa::~TestCa() = default;

CertificateFiles TestCa::Issue(const std::string& stem, const std::string& common_name, long serial,
                               CertificateUse use, const std::string& subject_alt_names) const {
  const KeyPtr key = NewKey();
  Extensions extensions{{NID_basic_constraints, "critical,CA:FALSE"},
                        {NID_key_usage, "critical,digitalSignature"},
                        {NID_authority_key_identifier, "keyid"}};
  if (use == CertificateUse::kServer) {
    extensions.emplace_back(NID_ext_key_usage, "serverAuth");
    extensions.emplace_back(NID_subject_alt_name, subject_alt_names.c_str());
  } else {
    extensions.emplace_back(NID_ext_key_usage, "clientAuth");
  }
  const CertificatePtr cert = NewCertificate(key.get(), common_name, serial, cert_.get(), key_.get(), extensions);
  CertificateFiles files{dir_ + "/" + stem + ".crt", dir_ + "/" + stem + ".key"};
  WriteCertificate(files.cert_file, cert.get());
  WriteKey(files.key_file, key.get());
  return files;
}

}  // namespace mcpgw::testing
