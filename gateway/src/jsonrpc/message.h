// JSON-RPC 2.0 messages as MCP uses them: parsing with limits, and replies.
//
// Decides whether a body is one well-formed request, notification or
// response. It never decides what a method means; that is the core's job.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace mcpgw::jsonrpc {

using json = nlohmann::json;

// Error codes of JSON-RPC 2.0 and of the MCP specification.
namespace code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kResourceNotFoundLegacy = -32002;  // 2025-11-25 and earlier
inline constexpr int kHeaderMismatch = -32020;          // 2026-07-28
inline constexpr int kMissingRequiredClientCapability = -32021;
inline constexpr int kUnsupportedProtocolVersion = -32022;
}  // namespace code

struct Message {
  enum class Kind { kRequest, kNotification, kResponse };
  Kind kind = Kind::kRequest;
  json id;             // string or integer; null for notifications
  std::string method;  // requests and notifications
  json params;         // an object (empty when absent); for responses, the whole message
};

// Why a body is not a usable message, with the id when it could be read.
struct Failure {
  int code;
  std::string message;
  json id;
};

struct Limits {
  std::size_t max_depth = 64;
};

// Parses one message. Batches (arrays) are refused: MCP removed them.
std::variant<Message, Failure> Parse(std::string_view body, const Limits& limits);

// Nesting depth of a JSON text, counted without parsing it (strings and
// escapes are skipped), so an over-deep body costs one linear scan.
std::size_t NestingDepth(std::string_view text);

json MakeResult(const json& id, json result);
json MakeError(const json& id, int code, std::string_view message, json data = nullptr);
json MakeNotification(std::string_view method, json params);

// The JSON text of a message for the wire. Parsed JSON is always UTF-8, but
// an error message may quote bytes a client sent in a header or a path; such
// bytes are written as U+FFFD rather than failing the reply (a throw from
// nlohmann's strict dump would end the process).
std::string Serialize(const json& message);

// Appends a request id as JSON text (an integer without the serializer).
void AppendId(std::string& out, const json& id);

// A key that tells request ids apart: 7 and "7" differ.
std::string IdKey(const json& id);

}  // namespace mcpgw::jsonrpc
