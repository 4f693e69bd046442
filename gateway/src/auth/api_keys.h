// Static API keys (X-API-Key): a key is known by its SHA-256 only, carries
// its own exact audience list and scopes, and is accepted on a route only
// when that route's resource URI is one of its audiences.
//
// Keys are looked up by their digest, so the comparison never runs over the
// key itself, and a wrong key costs a hash and a map probe.
#pragma once

#include "auth/failure.h"
#include "config/config.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace mcpgw::auth {

inline constexpr std::size_t kMaxApiKeyBytes = 256;

class ApiKeys {
 public:
  explicit ApiKeys(const std::vector<config::ApiKey>& keys);

  bool empty() const { return by_digest_.empty(); }

  // The configured key `presented` is, when it may be used for `audience`.
  std::variant<const config::ApiKey*, Failure> Authenticate(std::string_view presented,
                                                            std::string_view audience) const;

 private:
  std::unordered_map<std::string, config::ApiKey> by_digest_;  // raw SHA-256 bytes -> key
};

// A new random key ("mcpgw_" and 43 base64url characters, 256 bits) and the
// lowercase hex SHA-256 that goes into the configuration.
struct NewApiKey {
  std::string key;
  std::string sha256;
};
NewApiKey GenerateApiKey();

}  // namespace mcpgw::auth
