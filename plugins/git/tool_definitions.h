// The twelve tools as the reference mcp-server-git lists them: names,
// descriptions, annotations, and inputSchemas equal to what pydantic's
// model_json_schema() emits for its argument models (titles included),
// plus a title per tool and "minimum": 0 on the two counts, which the
// reference leaves unchecked. No outputSchema: every result is text.
#pragma once

#include <nlohmann/json.hpp>

namespace mcpgw::git {

// The Tool objects, in the reference's order.
nlohmann::json GitToolDefinitions();

}  // namespace mcpgw::git
