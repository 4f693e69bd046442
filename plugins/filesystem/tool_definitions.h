// The MCP Tool objects this plugin lists: the reference server-filesystem's
// names, arguments, output schemas and annotations, with descriptions that
// say how this plugin addresses paths.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace mcpgw::filesystem {

// Every tool, in the reference server's order.
nlohmann::json FilesystemToolDefinitions();

// True for the tools that change files (not offered on a read-only route).
bool IsMutatingTool(std::string_view name);

}  // namespace mcpgw::filesystem
