// Structured operational log: one JSON object per line on stderr.
//
// Never log a credential, a token or a session id in clear; callers pass
// only what an operator may see.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace mcpgw::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

void SetLevel(Level level);
// Now, as 2026-11-23T09:39:12.345Z (UTC, milliseconds).
std::string Timestamp();
bool Enabled(Level level);
// Parses "debug", "info", "warning", "error".
bool ParseLevel(std::string_view text, Level* out);

// Writes {"ts":..., "level":..., "event":..., ...fields} as one line.
void Write(Level level, std::string_view event, nlohmann::json fields = nlohmann::json::object());

inline void Debug(std::string_view e, nlohmann::json f = nlohmann::json::object()) { Write(Level::kDebug, e, std::move(f)); }
inline void Info(std::string_view e, nlohmann::json f = nlohmann::json::object()) { Write(Level::kInfo, e, std::move(f)); }
inline void Warn(std::string_view e, nlohmann::json f = nlohmann::json::object()) { Write(Level::kWarning, e, std::move(f)); }
inline void Error(std::string_view e, nlohmann::json f = nlohmann::json::object()) { Write(Level::kError, e, std::move(f)); }

}  // namespace mcpgw::log
