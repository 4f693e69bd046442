#include "auth/bearer_authenticator.h"

#include "auth/strict_json.h"
#include "crypto/base64.h"

#include <algorithm>
#include <array>
#include <mutex>

namespace mcpgw::auth {
namespace {

// b64token's characters, as a table: every request's token is scanned.
constexpr std::array<bool, 256> kB64TokenChars = [] {
  std::array<bool, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (unsigned char c : std::string_view("-._~+/")) table[c] = true;
  return table;
}();

bool IsB64TokenChar(char c) { return kB64TokenChars[static_cast<unsigned char>(c)]; }

std::uint64_t NextEpoch() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1);
}

std::size_t MaxTokenBytes(const std::vector<TrustedIssuer>& issuers) {
  std::size_t most = 0;
  for (const auto& i : issuers) most = std::max(most, i.policy.limits.max_token_bytes);
  return most;
}

// The `iss` of a token not yet verified, only to choose whose keys verify
// it; VerifyJwt then compares it again, exactly, on the verified payload.
std::optional<std::string> UnverifiedIssuer(std::string_view token) {
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const auto payload = crypto::Base64UrlDecode(token.substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  const auto claims = ParseObjectWithUniqueKeys(*payload);
  if (!claims) return std::nullopt;
  const auto iss = claims->find("iss");
  if (iss == claims->end() || !iss->is_string()) return std::nullopt;
  return iss->get<std::string>();
}

}  // namespace

std::optional<std::string_view> BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() + 1) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = authorization[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c) != kScheme[i]) return std::nullopt;
  }
  std::string_view rest = authorization.substr(kScheme.size());
  if (rest.front() != ' ') return std::nullopt;
  rest.remove_prefix(rest.find_first_not_of(' ') == std::string_view::npos ? rest.size() : rest.find_first_not_of(' '));
  // b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  std::size_t end = 0;
  while (end < rest.size() && IsB64TokenChar(rest[end])) ++end;
  if (end == 0) return std::nullopt;
  std::size_t padded = end;
  while (padded < rest.size() && rest[padded] == '=') ++padded;
  if (padded != rest.size()) return std::nullopt;
  return rest;
}

BearerAuthenticator::BearerAuthenticator(std::vector<TrustedIssuer> issuers, std::size_t cache_capacity)
    : cache_(cache_capacity) {
  const std::size_t max_bytes = MaxTokenBytes(issuers);
  trust_.store(std::make_shared<const Trust>(Trust{std::move(issuers), NextEpoch(), max_bytes}));
}

bool BearerAuthenticator::ReplaceKeys(std::string_view issuer, std::shared_ptr<const KeySet> keys) {
  static std::mutex writers;  // replacements are rare; readers never take it
  std::lock_guard lock(writers);
  const std::shared_ptr<const Trust> current = trust_.load();
  Trust next{current->issuers, NextEpoch(), current->max_token_bytes};
  const auto it = std::find_if(next.issuers.begin(), next.issuers.end(),
                               [&](const TrustedIssuer& i) { return i.policy.issuer == issuer; });
  if (it == next.issuers.end()) return false;
  it->keys = std::move(keys);
  trust_.store(std::make_shared<const Trust>(std::move(next)));
  return true;
}

std::vector<std::string> BearerAuthenticator::IssuersWithoutKeys() const {
  std::vector<std::string> out;
  const auto trust = trust_.load();  // held: a reload may replace it meanwhile
  for (const TrustedIssuer& issuer : trust->issuers) {
    if (issuer.keys == nullptr || issuer.keys->keys().empty()) out.push_back(issuer.policy.issuer);
  }
  return out;
}

std::variant<std::shared_ptr<const Claims>, Failure> BearerAuthenticator::Authenticate(
    std::string_view token, std::string_view audience, std::chrono::system_clock::time_point now) {
  TokenCache::Digest digest;
  return Authenticate(token, audience, &digest, now);
}

std::variant<std::shared_ptr<const Claims>, Failure> BearerAuthenticator::Authenticate(
    std::string_view token, std::string_view audience, TokenCache::Digest* digest_out,
    std::chrono::system_clock::time_point now) {
  return Authenticate(token, audience, digest_out, nullptr, now);
}

std::variant<std::shared_ptr<const Claims>, Failure> BearerAuthenticator::Authenticate(
    std::string_view token, std::string_view audience, TokenCache::Digest* digest_out, LastVerifiedToken* last,
    std::chrono::system_clock::time_point now) {
  const std::shared_ptr<const Trust> trust = trust_.load();
  // Before hashing: an oversize token costs nothing but this comparison.
  if (token.size() > trust->max_token_bytes) return Failure{FailureReason::kTooLarge, "the token is too large"};
  std::shared_ptr<const Claims> claims;
  if (last != nullptr && last->claims && last->epoch == trust->epoch && now < last->claims->expires_at &&
      last->token == token) {
    *digest_out = last->digest;
    claims = last->claims;
  } else {
    const TokenCache::Digest& digest = *digest_out = TokenCache::DigestOf(token);
    claims = cache_.Find(digest, trust->epoch, now);
    if (!claims) {
      auto verified = Verify(*trust, token, now);
      if (auto* failure = std::get_if<Failure>(&verified)) return *failure;
      claims = std::get<std::shared_ptr<const Claims>>(std::move(verified));
      cache_.Insert(digest, trust->epoch, claims);
    }
    if (last != nullptr) *last = LastVerifiedToken{std::string(token), trust->epoch, claims, digest};
  }
  if (!MatchesAudience(*claims, audience)) {
    return Failure{FailureReason::kWrongAudience, "the token is not meant for this resource"};
  }
  return claims;
}

std::variant<std::shared_ptr<const Claims>, Failure> BearerAuthenticator::Verify(
    const Trust& trust, std::string_view token, std::chrono::system_clock::time_point now) const {
  const std::optional<std::string> iss = UnverifiedIssuer(token);
  if (!iss) return Failure{FailureReason::kMalformed, "the token is not a JWT with an issuer"};
  const auto it = std::find_if(trust.issuers.begin(), trust.issuers.end(),
                               [&](const TrustedIssuer& i) { return i.policy.issuer == *iss; });
  if (it == trust.issuers.end()) return Failure{FailureReason::kWrongIssuer, "the token's issuer is not trusted"};
  auto verified = VerifyJwt(token, *it->keys, it->policy, now);
  if (auto* failure = std::get_if<Failure>(&verified)) {
    if (failure->reason == FailureReason::kUnknownKid && it->keys_from_url && unknown_kid_) unknown_kid_(*iss);
    return *failure;
  }
  return std::make_shared<const Claims>(std::get<Claims>(std::move(verified)));
}

}  // namespace mcpgw::auth
