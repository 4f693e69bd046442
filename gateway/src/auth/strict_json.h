// JSON parsing for JOSE headers, JWT payloads and JWKs, refusing repeated
// member names.
//
// nlohmann (and most parsers) silently keep the last of two equal names.
// Two components that disagree on which one counts is how duplicate-key
// attacks work ({"alg":"HS256","alg":"none"}), so a token or key set with a
// repeated name anywhere is not accepted at all (RFC 7515 section 4).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace mcpgw::auth {

// Parses `text` as one JSON object. Returns nullopt when it is not valid
// JSON (including invalid UTF-8), not an object, or repeats a member name in
// any object at any depth.
std::optional<nlohmann::json> ParseObjectWithUniqueKeys(std::string_view text);

}  // namespace mcpgw::auth
