// JWS signature verification with OpenSSL 3 (RFC 7518 section 3).
//
// Checks one signature with one key under the key's pinned algorithm; it
// never looks at the token's header, so the token cannot pick the algorithm.
#pragma once

#include "auth/key.h"

#include <string_view>

namespace mcpgw::auth {

// True when `signature` (the decoded third segment) is a valid signature of
// `signing_input` (the ASCII "header.payload") under `key`. ECDSA signatures
// must be the JOSE r||s form of exactly 64 (ES256) or 96 (ES384) bytes; HMACs
// are compared in constant time.
bool VerifySignature(const Key& key, std::string_view signing_input, std::string_view signature);

}  // namespace mcpgw::auth
