// The vector tools, from validated JSON arguments to MCP CallToolResults.
//
// Every result carries structuredContent (matching the tool's outputSchema)
// and the same value as JSON in a text content block. A refused request
// (unknown collection, a limit, a vector of the wrong dimension, an
// embedding service that fails) is a tool result with isError and a message
// the caller can act on; only failures of the store itself come back as a
// Failure, for a protocol error.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "embedder.h"
#include "result.h"
#include "vector_config.h"
#include "vector_store.h"

namespace mcpgw::vector {

class VectorTools {
 public:
  VectorTools(VectorStore& store, const Embedder& embedder, const VectorConfig& config)
      : store_(store), embedder_(embedder), config_(config) {}

  // Unknown tools are a kInternal failure (the plugin answers not found first).
  Result<nlohmann::json> Call(const std::string& tool, const std::string& tenant, const nlohmann::json& arguments);

 private:
  using Json = nlohmann::json;
  Result<Json> CreateCollectionTool(TenantStore& tenant, const Json& args);
  Result<Json> ListCollectionsTool(TenantStore& tenant, const Json& args);
  Result<Json> DeleteCollectionTool(TenantStore& tenant, const Json& args);
  Result<Json> UpsertDocumentsTool(TenantStore& tenant, const Json& args);
  Result<Json> DeleteDocumentsTool(TenantStore& tenant, const Json& args);
  Result<Json> QueryTool(TenantStore& tenant, const Json& args);
  Result<Json> GetDocumentsTool(TenantStore& tenant, const Json& args);

  // The vector a caller passed, checked against `params` and prepared for its metric.
  Result<Vector> CallerVector(const Json& value, const CollectionParams& params, const std::string& what) const;
  // Vectors for `texts` from the configured embedder, if it made the collection's vectors.
  Result<std::vector<Vector>> EmbedFor(const std::string& collection, const CollectionParams& params,
                                       const std::vector<std::string>& texts) const;

  VectorStore& store_;
  const Embedder& embedder_;
  const VectorConfig config_;
};

}  // namespace mcpgw::vector
