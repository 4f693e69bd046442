#include "tenant_path.h"

#include <openssl/sha.h>

namespace mcpgw::vector {
namespace {

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xF];
  }
  return out;
}

}  // namespace

std::string TenantDirectoryName(std::string_view tenant) {
  if (tenant.size() <= kMaxHexTenantBytes) {
    return "x" + Hex(reinterpret_cast<const unsigned char*>(tenant.data()), tenant.size());
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(tenant.data()), tenant.size(), digest);
  return "s" + Hex(digest, sizeof digest);
}

bool TenantDirectoryIsHashed(std::string_view directory_name) { return directory_name.starts_with('s'); }

}  // namespace mcpgw::vector
