// The MCP protocol versions this gateway speaks, and which era each is in.
//
// Session era (legacy): an initialize handshake opens a session.
// Stateless era (modern, 2026-07-28 on): every request carries its version.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mcpgw::mcp {

enum class Era { kSession, kStateless };

inline constexpr std::string_view kLatestSessionVersion = "2025-11-25";
inline constexpr std::string_view kLatestStatelessVersion = "2026-07-28";
// The version assumed for a session-era request without MCP-Protocol-Version.
inline constexpr std::string_view kDefaultHeaderlessVersion = "2025-03-26";

// Every supported version, newest first.
std::span<const std::string_view> SupportedVersions();
bool IsSupported(std::string_view version);
std::optional<Era> EraOf(std::string_view version);

// The version a session-era initialize settles on: the client's if we
// support it, else our latest session-era version (the client may then
// disconnect).
std::string NegotiateSessionVersion(std::string_view requested);

// Compact, stable encoding of a version for session ids.
uint8_t ProtocolVersionIndex(std::string_view version);
std::optional<std::string> ProtocolVersionAt(uint8_t index);

// Feature gates that differ between versions.
bool HasStructuredToolOutput(std::string_view version);  // 2025-06-18+
bool HasResourceNotFoundAsInvalidParams(std::string_view version);  // 2026-07-28+

}  // namespace mcpgw::mcp
