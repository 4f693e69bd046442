// The memory tools and resource, from JSON arguments to MCP results.
//
// Results have the reference server's shapes: the text content is the
// result as JSON.stringify(x, null, 2) and structuredContent carries the
// same value. A refused request (unknown entity, a limit) is a tool result
// with isError, as the reference's thrown errors become; only failures of
// the store itself are returned as a Failure for a protocol error.
#pragma once

#include <nlohmann/json.hpp>
#include <memory>
#include <optional>
#include <string>

#include "graph_store.h"
#include "result.h"

namespace mcpgw::memory {

struct ToolAnswer {
  nlohmann::json result;       // a CallToolResult, unless `serialized` holds it
  bool changed_graph = false;  // a mutating tool succeeded: resources/updated is due
  std::shared_ptr<const std::string> serialized = nullptr;  // read_graph's CallToolResult, kept ready until the next change
};

class MemoryTools {
 public:
  explicit MemoryTools(GraphStore& store) : store_(store) {}

  // `arguments` were validated against the tool's inputSchema by the
  // gateway; a wrong shape still throws nlohmann::json::exception, which the
  // plugin layer turns into invalid params.
  Result<ToolAnswer> Call(const std::string& tool, const std::string& tenant, const nlohmann::json& arguments);

  // Call for a no-wait call of the plugin ABI: answers a read-only tool on a
  // tenant already in memory whose graph is not being written; nullopt when
  // answering would mean waiting (a write, a first load, a running commit).
  std::optional<Result<ToolAnswer>> TryCallWithoutWaiting(const std::string& tool, const std::string& tenant,
                                                          const nlohmann::json& arguments);

  // resources/read of memory://knowledge-graph: {"contents":[...]}.
  Result<nlohmann::json> ReadGraphResource(const std::string& tenant);

 private:
  GraphStore& store_;
};

}  // namespace mcpgw::memory
