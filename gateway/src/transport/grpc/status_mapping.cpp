#include "transport/grpc/status_mapping.h"

#include "jsonrpc/message.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

#include <strings.h>

#include <charconv>

namespace mcpgw::rpc {
namespace {

using json = nlohmann::json;
namespace code = jsonrpc::code;

std::optional<std::chrono::seconds> RetryAfterOf(const mcp::Reply& reply) {
  for (const auto& [name, value] : reply.headers) {
    if (strcasecmp(name.c_str(), "Retry-After") != 0) continue;
    int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc() && end == value.data() + value.size()) return std::chrono::seconds(seconds);
  }
  return std::nullopt;
}

// The reply's RateLimit-Policy and RateLimit headers, as metadata (lower case).
mcp::Headers RateLimitOf(const mcp::Reply& reply) {
  mcp::Headers out;
  for (const auto& [name, value] : reply.headers) {
    if (strcasecmp(name.c_str(), "RateLimit-Policy") == 0) out.emplace_back("ratelimit-policy", value);
    if (strcasecmp(name.c_str(), "RateLimit") == 0) out.emplace_back("ratelimit", value);
  }
  return out;
}

// The status a JSON-RPC error stands for when HTTP would have said 200 or
// 400: by its code, and for a missing resource by what it names.
::grpc::StatusCode CodeOfError(const json& error) {
  const int error_code = error.value("code", 0);
  const json data = error.value("data", json());
  switch (error_code) {
    case code::kInvalidParams:
      // From 2026-07-28 a missing resource is -32602 with data.uri.
      return data.is_object() && data.contains("uri") ? ::grpc::StatusCode::NOT_FOUND
                                                      : ::grpc::StatusCode::INVALID_ARGUMENT;
    case code::kResourceNotFoundLegacy: return ::grpc::StatusCode::NOT_FOUND;
    case code::kInvalidRequest:
    case code::kParseError:
    case code::kUnsupportedProtocolVersion: return ::grpc::StatusCode::INVALID_ARGUMENT;
    case code::kMethodNotFound: return ::grpc::StatusCode::UNIMPLEMENTED;
    case code::kInternalError: return ::grpc::StatusCode::INTERNAL;
    default: return ::grpc::StatusCode::UNKNOWN;
  }
}

::grpc::StatusCode CodeOfHttpStatus(int http_status, const json& error) {
  switch (http_status) {
    case 401: return ::grpc::StatusCode::UNAUTHENTICATED;
    case 403: return ::grpc::StatusCode::PERMISSION_DENIED;
    // The stateless era answers a method the route does not offer with 404
    // and -32601: on gRPC that is UNIMPLEMENTED, not a missing route.
    case 404:
      return error.value("code", 0) == code::kMethodNotFound ? ::grpc::StatusCode::UNIMPLEMENTED
                                                             : ::grpc::StatusCode::NOT_FOUND;
    case 429: return ::grpc::StatusCode::RESOURCE_EXHAUSTED;
    case 503: return ::grpc::StatusCode::UNAVAILABLE;
    default: return CodeOfError(error);
  }
}

}  // namespace

::grpc::Status WithRetryInfo(::grpc::StatusCode status_code, const std::string& message,
                             std::chrono::seconds retry_after) {
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(retry_after.count());
  google::rpc::Status details;
  details.set_code(static_cast<int32_t>(status_code));
  details.set_message(message);
  details.add_details()->PackFrom(retry);
  return ::grpc::Status(status_code, message, details.SerializeAsString());
}

Answer AnswerOf(const mcp::Reply& reply) {
  Answer answer;
  if (reply.outcome == "cancelled" || !reply.has_message()) {
    answer.status = ::grpc::Status(::grpc::StatusCode::CANCELLED, "The call was cancelled");
    return answer;
  }
  answer.rate_limit = RateLimitOf(reply);
  json message = reply.Json();
  if (auto result = message.find("result"); result != message.end()) {
    answer.result = std::move(*result);
    return answer;
  }
  const json error = message.value("error", json::object());
  const std::string text = error.value("message", std::string("The request failed"));
  ::grpc::StatusCode status_code = reply.outcome == "timeout" ? ::grpc::StatusCode::DEADLINE_EXCEEDED
                                                               : CodeOfHttpStatus(reply.http_status, error);
  answer.retry_after = RetryAfterOf(reply);
  if (answer.retry_after && (status_code == ::grpc::StatusCode::RESOURCE_EXHAUSTED ||
                             status_code == ::grpc::StatusCode::UNAVAILABLE)) {
    answer.status = WithRetryInfo(status_code, text, *answer.retry_after);
  } else {
    answer.retry_after.reset();
    answer.status = ::grpc::Status(status_code, text);
  }
  return answer;
}

Answer AnswerOf(const pipeline::AdmissionDenial& denial, std::string_view route) {
  Answer answer;
  if (denial.unavailable) {
    answer.retry_after = std::chrono::seconds(5);
    answer.status = WithRetryInfo(::grpc::StatusCode::UNAVAILABLE, denial.message, *answer.retry_after);
    return answer;
  }
  answer.status = ::grpc::Status(
      ::grpc::StatusCode::UNAUTHENTICATED,
      denial.message + " (route " + std::string(route) +
          ": send one credential for it, a bearer token in the authorization metadata or an API key in x-api-key)");
  return answer;
}

std::string_view CodeName(::grpc::StatusCode status_code) {
  switch (status_code) {
    case ::grpc::StatusCode::OK: return "OK";
    case ::grpc::StatusCode::CANCELLED: return "CANCELLED";
    case ::grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case ::grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case ::grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case ::grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case ::grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case ::grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case ::grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case ::grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case ::grpc::StatusCode::ABORTED: return "ABORTED";
    case ::grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case ::grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case ::grpc::StatusCode::INTERNAL: return "INTERNAL";
    case ::grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case ::grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case ::grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNKNOWN";
  }
}

}  // namespace mcpgw::rpc
