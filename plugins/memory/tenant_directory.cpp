#include "tenant_directory.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace mcpgw::memory {
namespace {

constexpr char kHashedPrefix[] = "h-";

bool KeptAsIs(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

int UpperHexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendPercentEncoded(unsigned char byte, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[byte >> 4];
  out += kHex[byte & 0xF];
}

std::string PlainName(std::string_view tenant) {
  std::string out;
  out.reserve(tenant.size());
  for (size_t i = 0; i < tenant.size(); ++i) {
    const char c = tenant[i];
    // The leading 'h' of "h-..." is encoded so plain names never look hashed.
    const bool hashed_lookalike = i == 0 && c == 'h' && tenant.size() > 1 && tenant[1] == '-';
    if (KeptAsIs(c) && !hashed_lookalike) {
      out += c;
    } else {
      AppendPercentEncoded(static_cast<unsigned char>(c), out);
    }
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1 || length != 32) {
    throw std::runtime_error("SHA-256 is unavailable in libcrypto");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

std::string TenantDirectoryName(std::string_view tenant) {
  std::string plain = PlainName(tenant);
  if (plain.size() <= kMaxPlainTenantDirectoryName) return plain;
  return kHashedPrefix + Sha256Hex(tenant);
}

bool IsHashedTenantDirectoryName(std::string_view name) { return name.starts_with(kHashedPrefix); }

std::optional<std::string> TenantFromDirectoryName(std::string_view name) {
  if (name.empty() || IsHashedTenantDirectoryName(name)) return std::nullopt;
  std::string tenant;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '%') {
      tenant += name[i];
      continue;
    }
    if (i + 2 >= name.size()) return std::nullopt;
    const int high = UpperHexValue(name[i + 1]), low = UpperHexValue(name[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    tenant += static_cast<char>(high * 16 + low);
    i += 2;
  }
  // Only the canonical spelling is a tenant's name (no "%41" for "A").
  if (PlainName(tenant) != name) return std::nullopt;
  return tenant;
}

}  // namespace mcpgw::memory
