// The audit log: what a security reviewer asks afterwards, one JSON object
// per line, to a file or to stderr beside the operational log.
//
// Events: auth_refused (with a reason code), authz_denied, session_mismatch,
// admin actions, and tool_call (route, tool, subject, outcome, duration).
// A credential appears only as its credential_id (12 hex digits of its
// SHA-256); callers never pass a token, a key or a secret.
//
// Lines are buffered and written by a background thread at least every
// 100 ms, so auditing a call costs a formatting and a lock, not a system
// call; Flush() writes what is pending (shutdown, tests).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace mcpgw::audit {

// Where lines go: a file path (appended to, created 0600), or "" for
// stderr. Returns an error message, empty on success.
std::string Open(const std::string& file);

// Appends {"ts":..., "log":"audit", "event":..., ...fields}.
void Record(std::string_view event, nlohmann::json fields);

// The tool_call line, the one written for every call: formatted without
// building a JSON object.
void ToolCall(std::string_view route, std::string_view tool, std::string_view subject, std::string_view tenant,
              std::string_view credential_id, std::string_view outcome, double duration_ms);

void Flush();

}  // namespace mcpgw::audit
