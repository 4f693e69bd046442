// How the gRPC front door says what the core and admission decided
// (ADR 0018): a gRPC status code, a message that says what to do, and for
// retryable refusals a google.rpc.RetryInfo detail and retry-after metadata.
//
// It decides nothing itself: every decision was made by admission, the
// pipeline's stages or the core; this only translates their answer.
#pragma once

#include "mcp/responder.h"
#include "pipeline/admission.h"

#include <grpcpp/support/status.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mcpgw::rpc {

// One call's answer in gRPC terms.
struct Answer {
  ::grpc::Status status;
  // OK: the MCP result object to translate into the response message.
  nlohmann::json result;
  // RESOURCE_EXHAUSTED, UNAVAILABLE: sent as retry-after trailing metadata
  // (and in the status's RetryInfo detail).
  std::optional<std::chrono::seconds> retry_after;
  // The rate-limit state HTTP sends as RateLimit-Policy and RateLimit (on a
  // refusal, and with rate_limits.headers: always on every answer of a
  // limited call): trailing metadata "ratelimit-policy" and "ratelimit".
  mcp::Headers rate_limit;
};

// A refusal the front door itself makes (no route, two credentials...).
inline Answer Refusal(::grpc::StatusCode code, std::string message) {
  return Answer{::grpc::Status(code, std::move(message)), nullptr, std::nullopt, {}};
}

// The core's reply for one request: OK with the result, or the status its
// JSON-RPC error and HTTP status stand for.
Answer AnswerOf(const mcp::Reply& reply);

// An admission refusal (no, bad, expired, revoked credential or a wrong
// audience: UNAUTHENTICATED; the revocation list cannot be trusted:
// UNAVAILABLE). `route` names the route the caller asked for.
Answer AnswerOf(const pipeline::AdmissionDenial& denial, std::string_view route);

// A status with a google.rpc.RetryInfo detail (grpc-status-details-bin).
::grpc::Status WithRetryInfo(::grpc::StatusCode code, const std::string& message, std::chrono::seconds retry_after);

// "OK", "UNAUTHENTICATED", ...: the metric label of a code.
std::string_view CodeName(::grpc::StatusCode code);

}  // namespace mcpgw::rpc
