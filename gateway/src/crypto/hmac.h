// HMAC-SHA-256 and constant-time comparison, for self-validating ids.
#pragma once

#include <string>
#include <string_view>

namespace mcpgw::crypto {

// Returns the 32-byte HMAC-SHA-256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);

// Returns the 32-byte SHA-256 digest of `data`.
std::string Sha256(std::string_view data);

// Compares in time independent of where the inputs differ.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

}  // namespace mcpgw::crypto
