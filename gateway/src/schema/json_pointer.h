// JSON Pointers (RFC 6901): following one into a schema for "$ref", and
// writing the instance paths that errors report.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace mcpgw::schema::detail {

// The value `pointer` (already percent-decoded, "" or starting with "/")
// designates inside `root`, or nullptr when there is none or the pointer
// is malformed.
const nlohmann::json* FollowPointer(const nlohmann::json& root, std::string_view pointer);

// Appends "/" and `token` with "~" and "/" escaped as "~0" and "~1".
void AppendPointerToken(std::string& pointer, std::string_view token);

}  // namespace mcpgw::schema::detail
