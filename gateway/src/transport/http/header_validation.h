// The stateless era's (2026-07-28) request checks that belong to HTTP: the
// headers that mirror the body (MCP-Protocol-Version, Mcp-Method, Mcp-Name,
// Mcp-Param-*) must be present where required and agree with the body, so an
// intermediary routing or limiting on a header is never told one thing while
// the server executes another. Runs the checks in the order the spec's
// errors imply: method header, _meta fields (-32602), header against _meta
// (-32020), version support (-32022), then names and parameters (-32020).
#pragma once

#include "jsonrpc/message.h"
#include "transport/http/http_server.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace mcpgw::mcp {
struct Tool;
}

namespace mcpgw::http {

struct StatelessRejection {
  std::string reason;     // metric label
  nlohmann::json error;   // the JSON-RPC error response (HTTP 400)
};

// `tool` is the tool a tools/call names, when known (for x-mcp-header).
std::optional<StatelessRejection> ValidateStatelessRequest(const Request& request, const jsonrpc::Message& message,
                                                           const mcp::Tool* tool);

// A header's value with optional whitespace trimmed, or nullopt if absent.
std::optional<std::string_view> HeaderValue(const Request& request, std::string_view name);

// Decodes a header value that may use the "=?base64?...?=" sentinel.
// Returns nullopt for invalid characters or invalid (non-strict) base64.
std::optional<std::string> DecodeHeaderValue(std::string_view value);

}  // namespace mcpgw::http
