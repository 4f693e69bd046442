// Stateless-era (2026-07-28) rule: the headers that mirror the body
// (MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Param-*) must be present
// where required and agree with the body, so that an intermediary routing
// or limiting on a header can never be told one thing while the server
// executes another.
#pragma once

#include "jsonrpc/message.h"
#include "transport/http/http_server.h"

#include <optional>
#include <string>
#include <string_view>

namespace mcpgw::mcp {
struct Tool;
}

namespace mcpgw::http {

struct HeaderProblem {
  int code;  // -32020 HeaderMismatch
  std::string message;
};

// Checks the mirrored headers of a stateless-era POST. `tool` is the tool a
// tools/call names, when known (for its x-mcp-header parameters).
std::optional<HeaderProblem> ValidateMirroredHeaders(const Request& request, const jsonrpc::Message& message,
                                                     const mcp::Tool* tool);

// Decodes a header value that may use the "=?base64?...?=" sentinel.
// Returns nullopt for invalid characters or invalid base64.
std::optional<std::string> DecodeHeaderValue(std::string_view value);

}  // namespace mcpgw::http
