#include "auth/failure.h"

namespace mcpgw::auth {

std::string_view FailureReasonName(FailureReason reason) {
  switch (reason) {
    case FailureReason::kMalformed: return "malformed";
    case FailureReason::kTooLarge: return "too_large";
    case FailureReason::kUnsupportedAlg: return "unsupported_alg";
    case FailureReason::kAlgMismatch: return "alg_mismatch";
    case FailureReason::kUnknownKid: return "unknown_kid";
    case FailureReason::kBadSignature: return "bad_signature";
    case FailureReason::kKeyHeaderRefused: return "key_header_refused";
    case FailureReason::kCritUnsupported: return "crit_unsupported";
    case FailureReason::kUnsupportedHeader: return "unsupported_header";
    case FailureReason::kWrongType: return "wrong_type";
    case FailureReason::kExpired: return "expired";
    case FailureReason::kNotYetValid: return "not_yet_valid";
    case FailureReason::kIssuedInFuture: return "issued_in_future";
    case FailureReason::kLifetimeTooLong: return "lifetime_too_long";
    case FailureReason::kWrongIssuer: return "wrong_issuer";
    case FailureReason::kWrongAudience: return "wrong_audience";
    case FailureReason::kMissingClaim: return "missing_claim";
    case FailureReason::kInvalidClaim: return "invalid_claim";
    case FailureReason::kUnknownApiKey: return "unknown_api_key";
    case FailureReason::kInactive: return "inactive";
    case FailureReason::kIntrospectionUnavailable: return "introspection_unavailable";
  }
  return "unknown";
}

}  // namespace mcpgw::auth
