// The nine tools and the one resource, described as the reference server
// describes them (names, titles, descriptions, annotations, and JSON Schemas
// equivalent to its zod schemas as the MCP SDK emits them, minus "$schema").
#pragma once

#include <nlohmann/json.hpp>

namespace mcpgw::memory {

inline constexpr char kGraphResourceUri[] = "memory://knowledge-graph";

// The Tool objects, in the reference's order.
nlohmann::json MemoryToolDefinitions();

// The Resource object for memory://knowledge-graph.
nlohmann::json GraphResourceDefinition();

}  // namespace mcpgw::memory
