#!/usr/bin/env bash
# README command (a): install dependencies, build the gateway and its
# plugins, and serve the embedded default (loopback, memory and vector
# plugins, data in ./data, no Redis). Extra arguments go to `mcp-gateway serve`, e.g.
#   scripts/run.sh --config deploy/gateway.example.yaml
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/install-deps.sh"
cmake -S "$repo" -B "$repo/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$repo/build" --target mcp-gateway mcpgw_plugin_memory mcpgw_plugin_vector mcpgw_plugin_filesystem \
  mcpgw_plugin_git mcpgw_plugin_example
cd "$repo"
exec env MCPGW_PRINT_CONNECT_INFO=1 "$repo/build/gateway/mcp-gateway" serve "$@"
