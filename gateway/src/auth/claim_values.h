// Claim values (RFC 7519 4.1) read out of a JSON object: NumericDates,
// strings, the audience and the scope. Shared by the payload of a verified
// JWT (jwt.h) and an introspection answer (introspection.h), which use the
// same names and types (RFC 7662 2.2).
//
// Each reader returns the value or a Failure (kMissingClaim or
// kInvalidClaim) whose message names the claim, never its value.
#pragma once

#include "auth/failure.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcpgw::auth {

// Fractional seconds (RFC 7519 allows them) are rounded the cautious way:
// an expiry down, a start (`nbf`, `iat`) up.
enum class Round { kDown, kUp };

// A required NumericDate between 0 and the end of year 9999.
std::variant<std::chrono::sys_seconds, Failure> NumericDate(const nlohmann::json& object, std::string_view name,
                                                           Round round);

std::variant<std::string, Failure> NonEmptyString(const nlohmann::json& object, std::string_view name);

// nullopt when absent, a Failure when not a string.
std::variant<std::optional<std::string>, Failure> OptionalString(const nlohmann::json& object, std::string_view name);

// The required `aud`: a string, or a non-empty array of strings.
std::variant<std::vector<std::string>, Failure> Audiences(const nlohmann::json& object);

// `scope` split on spaces, else the array `scp`, else none.
std::variant<std::vector<std::string>, Failure> Scopes(const nlohmann::json& object);

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

}  // namespace mcpgw::auth
