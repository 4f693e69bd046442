#include "auth/algorithm.h"

#include <array>
#include <utility>

namespace mcpgw::auth {
namespace {

constexpr std::array<std::pair<std::string_view, Algorithm>, 12> kNames{{
    {"RS256", Algorithm::kRs256}, {"RS384", Algorithm::kRs384}, {"RS512", Algorithm::kRs512},
    {"PS256", Algorithm::kPs256}, {"PS384", Algorithm::kPs384}, {"PS512", Algorithm::kPs512},
    {"ES256", Algorithm::kEs256}, {"ES384", Algorithm::kEs384}, {"EdDSA", Algorithm::kEdDsa},
    {"HS256", Algorithm::kHs256}, {"HS384", Algorithm::kHs384}, {"HS512", Algorithm::kHs512},
}};

}  // namespace

std::optional<Algorithm> AlgorithmFromName(std::string_view name) {
  for (const auto& [text, algorithm] : kNames) {
    if (text == name) return algorithm;
  }
  return std::nullopt;
}

std::string_view AlgorithmName(Algorithm algorithm) {
  for (const auto& [text, known] : kNames) {
    if (known == algorithm) return text;
  }
  return "?";
}

AlgorithmFamily FamilyOf(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kRs256:
    case Algorithm::kRs384:
    case Algorithm::kRs512: return AlgorithmFamily::kRsaPkcs1;
    case Algorithm::kPs256:
    case Algorithm::kPs384:
    case Algorithm::kPs512: return AlgorithmFamily::kRsaPss;
    case Algorithm::kEs256:
    case Algorithm::kEs384: return AlgorithmFamily::kEcdsa;
    case Algorithm::kEdDsa: return AlgorithmFamily::kEdDsa;
    case Algorithm::kHs256:
    case Algorithm::kHs384:
    case Algorithm::kHs512: return AlgorithmFamily::kHmac;
  }
  return AlgorithmFamily::kHmac;
}

std::size_t HashSize(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kRs256:
    case Algorithm::kPs256:
    case Algorithm::kEs256:
    case Algorithm::kHs256: return 32;
    case Algorithm::kRs384:
    case Algorithm::kPs384:
    case Algorithm::kEs384:
    case Algorithm::kHs384: return 48;
    case Algorithm::kRs512:
    case Algorithm::kPs512:
    case Algorithm::kHs512: return 64;
    case Algorithm::kEdDsa: return 0;
  }
  return 0;
}

const char* DigestName(Algorithm algorithm) {
  switch (HashSize(algorithm)) {
    case 32: return "SHA256";
    case 48: return "SHA384";
    case 64: return "SHA512";
    default: return nullptr;
  }
}

}  // namespace mcpgw::auth
