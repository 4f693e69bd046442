// Base64 (RFC 4648 section 4) and base64url without padding (section 5).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcpgw::crypto {

std::string Base64Encode(std::string_view bytes);
// Strict: rejects characters outside the alphabet and bad padding.
std::optional<std::string> Base64Decode(std::string_view text);

std::string Base64UrlEncode(std::string_view bytes);
// Accepts unpadded input only; strict alphabet.
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Lowercase hexadecimal.
std::string HexEncode(std::string_view bytes);

}  // namespace mcpgw::crypto
