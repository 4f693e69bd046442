#include "auth/jwt.h"

#include "auth/claim_values.h"

#include <algorithm>
#include <string>

namespace mcpgw::auth {
namespace {

using json = nlohmann::json;
using std::chrono::sys_seconds;

std::string AsciiLower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// RFC 7515 4.1.9: `typ` is a media type, compared case-insensitively, with
// "application/" optional. RFC 9068 access tokens say at+jwt.
std::optional<Failure> CheckType(const json& header) {
  const auto typ = header.find("typ");
  if (typ == header.end()) return std::nullopt;
  if (typ->is_string()) {
    std::string type = AsciiLower(typ->get<std::string>());
    if (type.rfind("application/", 0) == 0) type.erase(0, 12);
    if (type == "jwt" || type == "at+jwt") return std::nullopt;
  }
  return Failure{FailureReason::kWrongType, "header \"typ\" must be JWT or at+jwt"};
}

std::optional<Failure> CheckTimes(const Claims& claims, std::optional<sys_seconds> not_before, const JwtPolicy& policy,
                                  std::chrono::system_clock::time_point now) {
  if (now >= claims.expires_at + policy.clock_skew) return Failure{FailureReason::kExpired, "the token has expired"};
  if (not_before && now + policy.clock_skew < *not_before) {
    return Failure{FailureReason::kNotYetValid, "the token is not valid yet (nbf)"};
  }
  if (now + policy.clock_skew < claims.issued_at) {
    return Failure{FailureReason::kIssuedInFuture, "the token is issued in the future (iat)"};
  }
  if (claims.expires_at - claims.issued_at > policy.max_lifetime) {
    return Failure{FailureReason::kLifetimeTooLong,
                   "the token lives longer than " + std::to_string(policy.max_lifetime.count()) + " s (exp - iat)"};
  }
  return std::nullopt;
}

}  // namespace

std::variant<Claims, Failure> ValidateClaims(const VerifiedJws& jws, const JwtPolicy& policy,
                                             std::chrono::system_clock::time_point now) {
  if (auto failure = CheckType(jws.header)) return *std::move(failure);
  const json& payload = jws.payload;
  Claims claims;
  std::optional<Failure> failure;
  std::optional<std::string> client_id, azp;
  if (!Take(NonEmptyString(payload, "iss"), claims.issuer, failure) ||
      !Take(NonEmptyString(payload, "sub"), claims.subject, failure) || !Take(Audiences(payload), claims.audiences, failure) ||
      !Take(NumericDate(payload, "exp", Round::kDown), claims.expires_at, failure) ||
      !Take(NumericDate(payload, "iat", Round::kUp), claims.issued_at, failure) ||
      !Take(NonEmptyString(payload, policy.tenant_claim), claims.tenant, failure) ||
      !Take(Scopes(payload), claims.scopes, failure) || !Take(OptionalString(payload, "jti"), claims.token_id, failure) ||
      !Take(OptionalString(payload, "client_id"), client_id, failure) ||
      !Take(OptionalString(payload, "azp"), azp, failure)) {
    return *std::move(failure);
  }
  claims.client_id = client_id ? *client_id : azp.value_or("");
  std::optional<sys_seconds> not_before;
  if (payload.contains("nbf")) {
    sys_seconds nbf;
    if (!Take(NumericDate(payload, "nbf", Round::kUp), nbf, failure)) return *std::move(failure);
    not_before = nbf;
  }
  if (claims.issuer != policy.issuer) return Failure{FailureReason::kWrongIssuer, "the token is from another issuer"};
  if (auto time_failure = CheckTimes(claims, not_before, policy, now)) return *std::move(time_failure);
  return claims;
}

std::variant<Claims, Failure> VerifyJwt(std::string_view token, const KeySet& keys, const JwtPolicy& policy,
                                        std::chrono::system_clock::time_point now) {
  auto jws = VerifyJws(token, keys, policy.limits);
  if (auto* failure = std::get_if<Failure>(&jws)) return std::move(*failure);
  return ValidateClaims(std::get<VerifiedJws>(jws), policy, now);
}

bool MatchesAudience(const Claims& claims, std::string_view audience) {
  return std::find(claims.audiences.begin(), claims.audiences.end(), audience) != claims.audiences.end();
}

}  // namespace mcpgw::auth
