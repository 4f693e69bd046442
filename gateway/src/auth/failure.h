// Why a token was not accepted, as a typed reason and a message.
//
// The reason's short name is stable: metrics and audit logs are keyed by it.
// Neither the reason nor the message ever contains the token or any part of
// it (header, payload, key id): a log line must not become a way to replay or
// to smuggle attacker-chosen text into the audit trail.
#pragma once

#include <string>
#include <string_view>

namespace mcpgw::auth {

enum class FailureReason {
  kMalformed,          // not a compact JWS with JSON object header and payload
  kTooLarge,           // over the size limit, refused before any decoding
  kUnsupportedAlg,     // `none`, an unknown algorithm, or no key uses it
  kAlgMismatch,        // the key chosen by `kid` is pinned to another algorithm
  kUnknownKid,         // no key has this `kid`
  kBadSignature,       // the signature does not verify
  kKeyHeaderRefused,   // `jku`, `x5u`, `jwk` or `x5c`: we never take keys from a token
  kCritUnsupported,    // `crit` names an extension we do not implement
  kUnsupportedHeader,  // `b64: false` (RFC 7797)
  kWrongType,          // `typ` is neither JWT nor at+jwt
  kExpired,
  kNotYetValid,
  kIssuedInFuture,
  kLifetimeTooLong,
  kWrongIssuer,
  kWrongAudience,
  kMissingClaim,
  kInvalidClaim,  // a claim of the wrong JSON type or out of range
  kUnknownApiKey,  // an X-API-Key that is not configured
  kInactive,                  // the introspection endpoint says the token is not active (RFC 7662 2.2)
  kIntrospectionUnavailable,  // no usable answer from the introspection endpoint (timeout, 5xx, not JSON)
};

// Stable snake_case name, e.g. "bad_signature".
std::string_view FailureReasonName(FailureReason reason);

struct Failure {
  FailureReason reason;
  std::string message;  // for operators; never contains token material
};

}  // namespace mcpgw::auth
