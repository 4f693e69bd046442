// How the gRPC front door says what the core decided (ADR 0018): each kind
// of reply to its status code, the retryable ones with google.rpc.RetryInfo.
#include "transport/grpc/status_mapping.h"

#include "jsonrpc/message.h"

#include "support/grpc_status_details.h"

#include <gtest/gtest.h>

namespace mcpgw::rpc {
namespace {

using ::mcpgw::testing::RetryDelay;

using json = nlohmann::json;

mcp::Reply Error(int code, const std::string& message, int http_status, json data = nullptr) {
  mcp::Reply reply{jsonrpc::MakeError(1, code, message, std::move(data)), http_status};
  reply.outcome = "error";
  return reply;
}

TEST(GrpcStatus, AResultIsOkAndCarriesTheResult) {
  mcp::Reply reply{jsonrpc::MakeResult(1, {{"content", json::array()}, {"isError", true}})};
  reply.outcome = "tool_error";
  const Answer answer = AnswerOf(reply);
  EXPECT_TRUE(answer.status.ok()) << "a tool error is a result, not a gRPC error";
  EXPECT_TRUE(answer.result["isError"].get<bool>());
}

TEST(GrpcStatus, MapsEachRefusalToItsCode) {
  EXPECT_EQ(AnswerOf(Error(jsonrpc::code::kInvalidRequest, "Forbidden: x", 403)).status.error_code(),
            ::grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(AnswerOf(Error(jsonrpc::code::kInvalidParams, "Unknown tool: x", 200)).status.error_code(),
            ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(AnswerOf(Error(jsonrpc::code::kInvalidParams, "Resource not found: u", 200, {{"uri", "u"}}))
                .status.error_code(),
            ::grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(AnswerOf(Error(jsonrpc::code::kResourceNotFoundLegacy, "Resource not found: u", 200)).status.error_code(),
            ::grpc::StatusCode::NOT_FOUND);
  // A method the route does not offer (stateless era: HTTP 404 with -32601)
  // is UNIMPLEMENTED; NOT_FOUND is kept for routes and resources.
  EXPECT_EQ(AnswerOf(Error(jsonrpc::code::kMethodNotFound, "Method not found: prompts/list", 404)).status.error_code(),
            ::grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(AnswerOf(Error(jsonrpc::code::kInternalError, "boom", 200)).status.error_code(),
            ::grpc::StatusCode::INTERNAL);
  mcp::Reply timeout = Error(jsonrpc::code::kInternalError, "Request timed out after 100 ms", 200);
  timeout.outcome = "timeout";
  EXPECT_EQ(AnswerOf(timeout).status.error_code(), ::grpc::StatusCode::DEADLINE_EXCEEDED);
  mcp::Reply cancelled;
  cancelled.outcome = "cancelled";
  EXPECT_EQ(AnswerOf(cancelled).status.error_code(), ::grpc::StatusCode::CANCELLED);
}

TEST(GrpcStatus, RateLimitedAndUnavailableCarryRetryInfo) {
  mcp::Reply limited = Error(-32029, "Rate limit exceeded", 429);
  limited.headers.emplace_back("Retry-After", "42");
  const Answer answer = AnswerOf(limited);
  EXPECT_EQ(answer.status.error_code(), ::grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(answer.status.error_message(), "Rate limit exceeded");
  EXPECT_EQ(RetryDelay(answer.status), 42);
  ASSERT_TRUE(answer.retry_after);
  EXPECT_EQ(answer.retry_after->count(), 42);

  mcp::Reply full = Error(jsonrpc::code::kInternalError, "at capacity", 503);
  full.headers.emplace_back("Retry-After", "1");
  EXPECT_EQ(AnswerOf(full).status.error_code(), ::grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(RetryDelay(AnswerOf(full).status), 1);
}

TEST(GrpcStatus, AnAdmissionDenialIsUnauthenticatedOrUnavailableAndNeverEchoesTheCredential) {
  pipeline::AdmissionDenial denial;
  denial.reason = "expired";
  denial.message = "The token has expired";
  const Answer refused = AnswerOf(denial, "memory");
  EXPECT_EQ(refused.status.error_code(), ::grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(refused.status.error_message(),
            "The token has expired (route memory: send one credential for it, a bearer token in the authorization "
            "metadata or an API key in x-api-key)");
  denial.unavailable = true;
  EXPECT_EQ(AnswerOf(denial, "memory").status.error_code(), ::grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(RetryDelay(AnswerOf(denial, "memory").status), 5);
}

}  // namespace
}  // namespace mcpgw::rpc
