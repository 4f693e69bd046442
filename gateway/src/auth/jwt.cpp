#include "auth/jwt.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace mcpgw::auth {
namespace {

using json = nlohmann::json;
using std::chrono::sys_seconds;

// 9999-12-31T23:59:59Z: beyond it a NumericDate is nonsense, and keeping
// below it keeps every later sum far from overflowing.
constexpr double kLatestNumericDate = 253402300799.0;

Failure Missing(std::string_view name) {
  return Failure{FailureReason::kMissingClaim, "claim \"" + std::string(name) + "\" is required"};
}
Failure Invalid(std::string_view name, std::string_view expected) {
  return Failure{FailureReason::kInvalidClaim, "claim \"" + std::string(name) + "\" must be " + std::string(expected)};
}

// Rounds fractional seconds (RFC 7519 allows them) the cautious way: an
// expiry down, a start (`nbf`, `iat`) up.
enum class Round { kDown, kUp };

std::variant<sys_seconds, Failure> NumericDate(const json& payload, std::string_view name, Round round) {
  const auto it = payload.find(name);
  if (it == payload.end()) return Missing(name);
  if (!it->is_number()) return Invalid(name, "a NumericDate number");
  const double value = it->get<double>();
  if (!(value >= 0 && value <= kLatestNumericDate)) return Invalid(name, "a NumericDate between 0 and year 9999");
  const double whole = round == Round::kDown ? std::floor(value) : std::ceil(value);
  return sys_seconds(std::chrono::seconds(static_cast<std::int64_t>(whole)));
}

std::variant<std::string, Failure> NonEmptyString(const json& payload, std::string_view name) {
  const auto it = payload.find(name);
  if (it == payload.end()) return Missing(name);
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) return Invalid(name, "a non-empty string");
  return it->get<std::string>();
}

// An optional string claim: nullopt when absent, a Failure when not a string.
std::variant<std::optional<std::string>, Failure> OptionalString(const json& payload, std::string_view name) {
  const auto it = payload.find(name);
  if (it == payload.end()) return std::optional<std::string>();
  if (!it->is_string()) return Invalid(name, "a string");
  return std::optional<std::string>(it->get<std::string>());
}

std::variant<std::vector<std::string>, Failure> StringArray(const json& value, std::string_view name) {
  if (!value.is_array()) return Invalid(name, "an array of strings");
  std::vector<std::string> out;
  for (const json& element : value) {
    if (!element.is_string()) return Invalid(name, "an array of strings");
    out.push_back(element.get<std::string>());
  }
  return out;
}

std::variant<std::vector<std::string>, Failure> Audiences(const json& payload) {
  const auto aud = payload.find("aud");
  if (aud == payload.end()) return Missing("aud");
  if (aud->is_string()) return std::vector<std::string>{aud->get<std::string>()};
  auto list = StringArray(*aud, "aud");
  if (const auto* values = std::get_if<std::vector<std::string>>(&list); values && values->empty()) {
    return Invalid("aud", "a string or a non-empty array of strings");
  }
  return list;
}

std::variant<std::vector<std::string>, Failure> Scopes(const json& payload) {
  if (const auto scope = payload.find("scope"); scope != payload.end()) {
    if (!scope->is_string()) return Invalid("scope", "a space-separated string");
    std::vector<std::string> out;
    const std::string& text = scope->get_ref<const std::string&>();
    for (std::size_t start = 0; start <= text.size();) {
      const std::size_t end = std::min(text.find(' ', start), text.size());
      if (end > start) out.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }
  if (const auto scp = payload.find("scp"); scp != payload.end()) return StringArray(*scp, "scp");
  return std::vector<std::string>{};
}

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

// Takes the value out of `result` into `out`; false (and *failure set) when
// it held a Failure.
template <class T>
bool Take(std::variant<T, Failure>&& result, T& out, std::optional<Failure>& failure) {
  if (auto* error = std::get_if<Failure>(&result)) {
    failure = std::move(*error);
    return false;
  }
  out = std::get<T>(std::move(result));
  return true;
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
