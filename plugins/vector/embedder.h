// Turns texts into vectors. Two implementations: HashingEmbedder (built in,
// no dependency) and OpenAiEmbedder (any OpenAI-compatible /v1/embeddings
// endpoint).
#pragma once

#include <string>
#include <vector>

#include "result.h"

namespace mcpgw::vector {

using Vector = std::vector<float>;

class Embedder {
 public:
  virtual ~Embedder() = default;
  // The length of every vector Embed returns.
  virtual size_t dimension() const = 0;
  // Names the model, recorded with each collection created for it, so that
  // vectors of one model are never compared with another's.
  virtual const std::string& model_id() const = 0;
  // One vector per text, in order. Fails as kUnavailable when a remote
  // service does, as kRejected when a text cannot be embedded.
  virtual Result<std::vector<Vector>> Embed(const std::vector<std::string>& texts) const = 0;
};

}  // namespace mcpgw::vector
