// The directory name of a tenant under <data_dir>/tenants/.
//
// A tenant is any non-empty byte string taken from a credential. Its
// directory name must be one safe path component, and two tenants must never
// share one. This is the vector plugin's own small scheme (plugins cannot
// share code with the memory plugin, which uses a percent encoding):
//
//  - "x" followed by the lowercase hex of the tenant's bytes while that is at
//    most 200 characters (tenants up to 99 bytes): injective and reversible,
//    never "." or "..", never containing '/'.
//  - "s" followed by the 64 hex digits of the tenant's SHA-256 otherwise; the
//    directory then also holds a file `tenant` with the full name, checked
//    on every load so a collision (or tampering) is refused, not served.
#pragma once

#include <string>
#include <string_view>

namespace mcpgw::vector {

inline constexpr size_t kMaxHexTenantBytes = 99;
inline constexpr char kTenantNameFile[] = "tenant";

// `tenant` must not be empty.
std::string TenantDirectoryName(std::string_view tenant);

// Whether the directory needs the `tenant` file (the hashed form).
bool TenantDirectoryIsHashed(std::string_view directory_name);

}  // namespace mcpgw::vector
