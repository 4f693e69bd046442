#include "auth/jws.h"

#include "auth/signature.h"
#include "auth/strict_json.h"
#include "crypto/base64.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

namespace mcpgw::auth {
namespace {

using json = nlohmann::json;

// Headers that would let the token say where its key is (RFC 8725 3.10).
constexpr std::array<const char*, 4> kKeyHeaders{"jku", "x5u", "jwk", "x5c"};

Failure Fail(FailureReason reason, std::string message) { return Failure{reason, std::move(message)}; }

// The header rules that do not depend on keys; nullopt when they pass.
std::optional<Failure> CheckHeader(const json& header) {
  for (const char* name : kKeyHeaders) {
    if (header.contains(name)) {
      return Fail(FailureReason::kKeyHeaderRefused, std::string("header \"") + name + "\" is not accepted");
    }
  }
  if (const auto crit = header.find("crit"); crit != header.end()) {
    const bool well_formed = crit->is_array() && !crit->empty() &&
                             std::all_of(crit->begin(), crit->end(), [](const json& v) { return v.is_string(); });
    if (!well_formed) return Fail(FailureReason::kMalformed, "\"crit\" must be a non-empty array of strings");
    // RFC 7515 4.1.11: we must understand every listed extension; we implement none.
    return Fail(FailureReason::kCritUnsupported, "\"crit\" names an unsupported extension");
  }
  if (const auto b64 = header.find("b64"); b64 != header.end()) {
    if (!b64->is_boolean()) return Fail(FailureReason::kMalformed, "\"b64\" must be a boolean");
    if (!b64->get<bool>()) return Fail(FailureReason::kUnsupportedHeader, "unencoded payloads (b64: false) are not accepted");
  }
  return std::nullopt;
}

// The keys this token may be checked with, or why there are none.
std::variant<std::vector<const Key*>, Failure> Candidates(const json& header, Algorithm algorithm, const KeySet& keys) {
  std::vector<const Key*> out;
  const auto kid = header.find("kid");
  if (kid != header.end()) {
    if (!kid->is_string()) return Fail(FailureReason::kMalformed, "\"kid\" must be a string");
    const std::string& wanted = kid->get_ref<const std::string&>();
    bool known = false;
    for (const Key& key : keys.keys()) {
      if (key.kid.empty() || key.kid != wanted) continue;  // `"kid": ""` names no key
      known = true;
      if (key.algorithm == algorithm) out.push_back(&key);
    }
    if (!known) return Fail(FailureReason::kUnknownKid, "no trusted key has the token's kid");
    if (out.empty()) return Fail(FailureReason::kAlgMismatch, "the key with the token's kid uses another algorithm");
    return out;
  }
  for (const Key& key : keys.keys()) {
    if (key.algorithm == algorithm) out.push_back(&key);
  }
  if (out.empty()) return Fail(FailureReason::kUnsupportedAlg, "no trusted key uses the token's algorithm");
  if (out.size() > kMaxKeysTriedWithoutKid) {
    return Fail(FailureReason::kUnknownKid, "the token has no kid and too many keys use its algorithm");
  }
  return out;
}

}  // namespace

std::optional<std::array<std::string_view, 3>> SplitCompact(std::string_view token) {
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  return std::array<std::string_view, 3>{token.substr(0, first), token.substr(first + 1, second - first - 1),
                                         token.substr(second + 1)};
}

std::variant<VerifiedJws, Failure> VerifyJws(std::string_view token, const KeySet& keys, const JwsLimits& limits) {
  if (token.size() > limits.max_token_bytes) {
    return Fail(FailureReason::kTooLarge, "token longer than " + std::to_string(limits.max_token_bytes) + " bytes");
  }
  const auto segments = SplitCompact(token);
  if (!segments) return Fail(FailureReason::kMalformed, "a compact JWS has exactly three segments");
  const auto& [header_text, payload_text, signature_text] = *segments;
  const auto header_bytes = crypto::Base64UrlDecode(header_text);
  const auto payload_bytes = crypto::Base64UrlDecode(payload_text);
  const auto signature = crypto::Base64UrlDecode(signature_text);
  if (!header_bytes || !payload_bytes || !signature) {
    return Fail(FailureReason::kMalformed, "a segment is not unpadded base64url");
  }
  auto header = ParseObjectWithUniqueKeys(*header_bytes);
  if (!header) return Fail(FailureReason::kMalformed, "header is not a JSON object with unique member names");
  if (auto failure = CheckHeader(*header)) return *std::move(failure);

  const auto alg = header->find("alg");
  if (alg == header->end() || !alg->is_string()) return Fail(FailureReason::kMalformed, "header has no string \"alg\"");
  const std::optional<Algorithm> algorithm = AlgorithmFromName(alg->get_ref<const std::string&>());
  if (!algorithm) return Fail(FailureReason::kUnsupportedAlg, "the token's algorithm is not accepted");
  if (signature->empty()) return Fail(FailureReason::kMalformed, "the signature is empty");

  auto candidates = Candidates(*header, *algorithm, keys);
  if (auto* failure = std::get_if<Failure>(&candidates)) return std::move(*failure);
  const std::string_view signing_input = token.substr(0, header_text.size() + 1 + payload_text.size());
  const auto& tried = std::get<std::vector<const Key*>>(candidates);
  if (std::none_of(tried.begin(), tried.end(),
                   [&](const Key* key) { return VerifySignature(*key, signing_input, *signature); })) {
    return Fail(FailureReason::kBadSignature, "the signature does not verify");
  }

  // Parsed only now: a payload nobody trusted signed is never interpreted.
  auto payload = ParseObjectWithUniqueKeys(*payload_bytes);
  if (!payload) return Fail(FailureReason::kMalformed, "payload is not a JSON object with unique member names");
  return VerifiedJws{*std::move(header), *std::move(payload), *algorithm};
}

}  // namespace mcpgw::auth
