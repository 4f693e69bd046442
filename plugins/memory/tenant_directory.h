// The name of a tenant's directory under <data_dir>/tenants/.
//
// A tenant is any non-empty byte string (the gateway takes it from a token
// or a key's configuration). Its directory name is always one safe path
// component, and different tenants always get different names:
//
//  - Plain form: bytes in [A-Za-z0-9_-] are kept, every other byte becomes
//    %XX (uppercase hex), so '.', '/', '%' and NUL never appear raw and the
//    name is never "." or "..". One more byte is encoded: an 'h' that starts
//    the name and is followed by '-', so that no plain name starts with
//    "h-". Reversible: TenantFromDirectoryName.
//  - Hashed form, when the plain form would exceed 200 bytes: "h-" and the
//    64 lowercase hex digits of the tenant's SHA-256. The directory also
//    holds a file `tenant` with the full name, checked on every load.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mcpgw::memory {

inline constexpr size_t kMaxPlainTenantDirectoryName = 200;
inline constexpr char kTenantNameFile[] = "tenant";

// `tenant` must not be empty.
std::string TenantDirectoryName(std::string_view tenant);

bool IsHashedTenantDirectoryName(std::string_view name);

// The tenant a plain directory name stands for; nothing for a hashed name
// or for a name TenantDirectoryName would never produce.
std::optional<std::string> TenantFromDirectoryName(std::string_view name);

// 64 lowercase hex digits.
std::string Sha256Hex(std::string_view bytes);

}  // namespace mcpgw::memory
