// The memory plugin's `config:` block. Every key is optional:
//
//   compact_after_bytes: 1048576      # integer >= 4096: WAL size that triggers a new snapshot
//   max_entities_per_tenant: 100000   # integer >= 1: create_entities beyond it is refused
//   max_observation_bytes: 65536      # integer >= 1: a longer observation is refused
//
// An unknown key or a value of the wrong type stops the gateway at start,
// with a message naming the key: a typo must not silently mean a default.
#pragma once

#include <nlohmann/json.hpp>

#include "durable_graph.h"
#include "result.h"

namespace mcpgw::memory {

Result<StoreOptions> ParseMemoryConfig(const nlohmann::json& config);

}  // namespace mcpgw::memory
