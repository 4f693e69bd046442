// JWS compact serialization: structure, header policy and signature
// (RFC 7515, with the rules of the JWT BCP, RFC 8725).
//
// Decides whether a token is a well-formed compact JWS signed by one of the
// trusted keys. It never takes a key or a key location from the token (`jku`,
// `x5u`, `jwk`, `x5c` are refused), never uses `kid` except as an exact
// string to compare, and never lets `alg` choose anything: it must equal the
// algorithm the chosen key is pinned to. Claims are not its business (jwt.h).
#pragma once

#include "auth/failure.h"
#include "auth/key.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <variant>

namespace mcpgw::auth {

struct JwsLimits {
  std::size_t max_token_bytes = 8192;  // checked before any decoding
};

struct VerifiedJws {
  nlohmann::json header;   // a JSON object, no repeated names
  nlohmann::json payload;  // a JSON object, no repeated names
  Algorithm algorithm;     // the verified key's pinned algorithm
};

// Without a `kid`, a token is tried against the keys pinned to its `alg`,
// but only when there are at most this many: trying a long list per token
// would be a cheap way to make us burn CPU.
inline constexpr std::size_t kMaxKeysTriedWithoutKid = 4;

// The three segments of a compact JWS (header.payload.signature), still
// base64url: nullopt unless there are exactly three. Verifies nothing.
std::optional<std::array<std::string_view, 3>> SplitCompact(std::string_view token);

std::variant<VerifiedJws, Failure> VerifyJws(std::string_view token, const KeySet& keys, const JwsLimits& limits);

}  // namespace mcpgw::auth
