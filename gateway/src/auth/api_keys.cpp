#include "auth/api_keys.h"

#include "crypto/base64.h"
#include "crypto/hmac.h"
#include "crypto/random.h"

#include <algorithm>

namespace mcpgw::auth {
namespace {

// The configured hex digest as raw bytes (the config checked its form).
std::string RawDigest(const std::string& hex) {
  std::string raw(hex.size() / 2, '\0');
  const auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (std::size_t i = 0; i < raw.size(); ++i) {
    raw[i] = static_cast<char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return raw;
}

}  // namespace

ApiKeys::ApiKeys(const std::vector<config::ApiKey>& keys) {
  for (const config::ApiKey& k : keys) by_digest_.emplace(RawDigest(k.sha256), k);
}

std::variant<const config::ApiKey*, Failure> ApiKeys::Authenticate(std::string_view presented,
                                                                   std::string_view audience) const {
  if (presented.empty() || presented.size() > kMaxApiKeyBytes) {
    return Failure{FailureReason::kMalformed, "the API key is empty or too long"};
  }
  const auto it = by_digest_.find(crypto::Sha256(presented));
  if (it == by_digest_.end()) return Failure{FailureReason::kUnknownApiKey, "the API key is not known"};
  const auto& audiences = it->second.audiences;
  if (std::find(audiences.begin(), audiences.end(), audience) == audiences.end()) {
    return Failure{FailureReason::kWrongAudience, "the API key is not meant for this resource"};
  }
  return &it->second;
}

NewApiKey GenerateApiKey() {
  NewApiKey k;
  k.key = "mcpgw_" + crypto::Base64UrlEncode(crypto::RandomBytes(32));
  k.sha256 = crypto::HexEncode(crypto::Sha256(k.key));
  return k;
}

}  // namespace mcpgw::auth
