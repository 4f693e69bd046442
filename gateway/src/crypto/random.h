// Cryptographically secure randomness (OpenSSL's CSPRNG).
#pragma once

#include <cstddef>
#include <string>

namespace mcpgw::crypto {

// Returns `n` random bytes. Aborts the process if the CSPRNG fails: running
// on with predictable session ids would be worse than stopping.
std::string RandomBytes(std::size_t n);

}  // namespace mcpgw::crypto
