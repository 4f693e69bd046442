// The per-request metadata every stateless-era (2026-07-28) request
// carries in params._meta, and the errors for getting it wrong. Shared by
// the core and by front doors that must check it in a set order.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace mcpgw::mcp {

inline constexpr const char* kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
inline constexpr const char* kMetaClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
inline constexpr const char* kMetaClientInfo = "io.modelcontextprotocol/clientInfo";
inline constexpr const char* kMetaLogLevel = "io.modelcontextprotocol/logLevel";
inline constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";
inline constexpr const char* kMetaSubscriptionId = "io.modelcontextprotocol/subscriptionId";

// Why `params` lacks a required _meta field (-32602, HTTP 400), or nullopt.
std::optional<std::string> MissingMetaField(const nlohmann::json& params);

// The protocol version params._meta names ("" when absent).
std::string MetaProtocolVersion(const nlohmann::json& params);

// -32022 with data.supported and data.requested.
nlohmann::json UnsupportedVersionError(const nlohmann::json& id, const std::string& requested);

}  // namespace mcpgw::mcp
