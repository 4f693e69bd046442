#include "mcp/protocol_version.h"

#include <array>

namespace mcpgw::mcp {
namespace {

// Index order is part of the session id format: append only.
constexpr std::array<std::string_view, 4> kByIndex = {"2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"};
constexpr std::array<std::string_view, 4> kNewestFirst = {"2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26"};

}  // namespace

std::span<const std::string_view> SupportedVersions() { return kNewestFirst; }

bool IsSupported(std::string_view version) { return EraOf(version).has_value(); }

std::optional<Era> EraOf(std::string_view version) {
  if (version == "2026-07-28") return Era::kStateless;
  if (version == "2025-11-25" || version == "2025-06-18" || version == "2025-03-26") return Era::kSession;
  return std::nullopt;
}

std::string NegotiateSessionVersion(std::string_view requested) {
  if (EraOf(requested) == Era::kSession) return std::string(requested);
  return std::string(kLatestSessionVersion);
}

uint8_t ProtocolVersionIndex(std::string_view version) {
  for (std::size_t i = 0; i < kByIndex.size(); ++i) {
    if (kByIndex[i] == version) return static_cast<uint8_t>(i);
  }
  return 0xFF;
}

std::optional<std::string> ProtocolVersionAt(uint8_t index) {
  if (index >= kByIndex.size()) return std::nullopt;
  return std::string(kByIndex[index]);
}

bool HasStructuredToolOutput(std::string_view version) { return version >= "2025-06-18"; }

bool HasResourceNotFoundAsInvalidParams(std::string_view version) { return version >= "2026-07-28"; }

}  // namespace mcpgw::mcp
