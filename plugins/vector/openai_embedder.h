// Embeddings from an OpenAI-compatible endpoint (POST /v1/embeddings with
// {"model", "input": [texts]}, answered by {"data": [{"index", "embedding"}]}),
// as OpenAI, Azure-style proxies, Ollama, vLLM, LocalAI and text-embeddings-
// inference serve it. Texts are sent in batches of batch_size; every vector
// must have the configured dimension, or the call fails rather than storing
// vectors of another model.
#pragma once

#include "embedder.h"
#include "vector_config.h"

namespace mcpgw::vector {

class OpenAiEmbedder : public Embedder {
 public:
  OpenAiEmbedder(RemoteEmbedderConfig config, size_t dimension);

  size_t dimension() const override { return dimension_; }
  const std::string& model_id() const override { return model_id_; }
  Result<std::vector<Vector>> Embed(const std::vector<std::string>& texts) const override;

 private:
  Result<std::vector<Vector>> EmbedBatch(const std::vector<std::string>& texts, size_t first, size_t count) const;

  RemoteEmbedderConfig config_;
  size_t dimension_;
  std::string model_id_;
};

}  // namespace mcpgw::vector
