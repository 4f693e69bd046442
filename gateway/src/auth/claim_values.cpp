#include "auth/claim_values.h"

#include <algorithm>
#include <cmath>

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

std::variant<std::vector<std::string>, Failure> StringArray(const json& value, std::string_view name) {
  if (!value.is_array()) return Invalid(name, "an array of strings");
  std::vector<std::string> out;
  for (const json& element : value) {
    if (!element.is_string()) return Invalid(name, "an array of strings");
    out.push_back(element.get<std::string>());
  }
  return out;
}

}  // namespace

std::variant<sys_seconds, Failure> NumericDate(const json& object, std::string_view name, Round round) {
  const auto it = object.find(name);
  if (it == object.end()) return Missing(name);
  if (!it->is_number()) return Invalid(name, "a NumericDate number");
  const double value = it->get<double>();
  if (!(value >= 0 && value <= kLatestNumericDate)) return Invalid(name, "a NumericDate between 0 and year 9999");
  const double whole = round == Round::kDown ? std::floor(value) : std::ceil(value);
  return sys_seconds(std::chrono::seconds(static_cast<std::int64_t>(whole)));
}

std::variant<std::string, Failure> NonEmptyString(const json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end()) return Missing(name);
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) return Invalid(name, "a non-empty string");
  return it->get<std::string>();
}

std::variant<std::optional<std::string>, Failure> OptionalString(const json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end()) return std::optional<std::string>();
  if (!it->is_string()) return Invalid(name, "a string");
  return std::optional<std::string>(it->get<std::string>());
}

std::variant<std::vector<std::string>, Failure> Audiences(const json& object) {
  const auto aud = object.find("aud");
  if (aud == object.end()) return Missing("aud");
  if (aud->is_string()) return std::vector<std::string>{aud->get<std::string>()};
  auto list = StringArray(*aud, "aud");
  if (const auto* values = std::get_if<std::vector<std::string>>(&list); values && values->empty()) {
    return Invalid("aud", "a string or a non-empty array of strings");
  }
  return list;
}

std::variant<std::vector<std::string>, Failure> Scopes(const json& object) {
  if (const auto scope = object.find("scope"); scope != object.end()) {
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
  if (const auto scp = object.find("scp"); scp != object.end()) return StringArray(*scp, "scp");
  return std::vector<std::string>{};
}

}  // namespace mcpgw::auth
