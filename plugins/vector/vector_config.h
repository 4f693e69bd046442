// The vector plugin's `config:` block. Every key is optional:
//
//   compact_after_bytes: 16777216   # change-log size that triggers a new snapshot (>= 4096)
//   hnsw:                           # defaults for new collections (each may override them)
//     M: 16                         # links per node, 2..100
//     ef_construction: 200          # 1..4096
//     ef_search: 64                 # 1..4096 (raised to top_k for larger queries)
//   limits:
//     max_batch_documents: 256      # documents per upsert_documents / ids per delete or get
//     max_text_bytes: 32768         # per document text
//     max_metadata_bytes: 8192      # per document metadata (as JSON)
//     max_top_k: 100
//     max_collections_per_tenant: 64
//     max_documents_per_collection: 100000
//     max_dimension: 4096           # for caller-chosen dimensions
//   embedder:
//     type: builtin                 # builtin (default) | openai
//     dimension: 384                # builtin: 16..4096; openai: the model's dimension (required)
//     url: http://127.0.0.1:8080/v1/embeddings   # openai: the endpoint (http or https)
//     model: text-embedding-3-small              # openai: required
//     api_key_file: /run/secrets/embeddings-key  # openai: the key, read at start ...
//     api_key_env: EMBEDDINGS_API_KEY            # ... or from this environment variable
//     ca_file: /etc/ssl/private-ca.pem           # openai, https: trust this PEM bundle instead of the system's
//     timeout_ms: 30000                          # openai: per request, 100..600000
//     batch_size: 64                             # openai: texts per request, 1..2048
//
// An unknown key or a value of the wrong type stops the gateway at start
// with a message naming the key. The API key never appears in config text.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "result.h"

namespace mcpgw::vector {

struct Limits {
  uint64_t max_batch_documents = 256;
  uint64_t max_text_bytes = 32768;
  uint64_t max_metadata_bytes = 8192;
  uint64_t max_top_k = 100;
  uint64_t max_collections_per_tenant = 64;
  uint64_t max_documents_per_collection = 100000;
  uint64_t max_dimension = 4096;
};

struct HnswDefaults {
  uint64_t m = 16;
  uint64_t ef_construction = 200;
  uint64_t ef_search = 64;
};

struct RemoteEmbedderConfig {
  std::string url;
  std::string model;
  std::string api_key;  // from api_key_file or api_key_env; may be empty (no Authorization header)
  std::string ca_file;  // https: a PEM bundle to trust instead of the system's store
  uint64_t timeout_ms = 30000;
  uint64_t batch_size = 64;
};

struct EmbedderConfig {
  bool remote = false;
  uint64_t dimension = 384;
  RemoteEmbedderConfig openai;
};

struct VectorConfig {
  uint64_t compact_after_bytes = uint64_t{16} << 20;
  HnswDefaults hnsw;
  Limits limits;
  EmbedderConfig embedder;
};

// Failures are kInternal with a message for the operator ("vector config: ...").
Result<VectorConfig> ParseVectorConfig(const nlohmann::json& config);

}  // namespace mcpgw::vector
