// The MCP Tool objects the vector plugin lists: names, titles,
// descriptions, input and output schemas, and annotations.
#pragma once

#include <nlohmann/json.hpp>

#include "vector_config.h"

namespace mcpgw::vector {

// The limits shape the schemas (maxItems, maximum), so the gateway refuses
// an oversized call before the plugin sees it.
nlohmann::json VectorToolDefinitions(const VectorConfig& config);

}  // namespace mcpgw::vector
