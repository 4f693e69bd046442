#!/usr/bin/env bash
# Benchmark: gRPC CallTool against Streamable HTTP (stateless era, the same
# pipeline and core) on ONE gateway with the memory plugin, in one run:
# tools/call read_graph on a small graph, no authentication, no Redis.
# HTTP is loaded with wrk (CONNECTIONS keep-alive connections), gRPC with
# tests/bench/grpc_load (CONNECTIONS callers on one HTTP/2 connection), each
# for ROUNDS interleaved rounds of DURATION seconds; the table shows medians
# and the gRPC/HTTP ratios.
#
#   BUILD_DIR=build-grpc tests/bench/grpc_bench.sh   (a build with tests: it has grpc_load)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$repo/build}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$repo/$BUILD_DIR" ;; esac
ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-10}" CONNECTIONS="${CONNECTIONS:-32}"
gateway="$BUILD_DIR/gateway/mcp-gateway" load="$BUILD_DIR/tests/bench/grpc_load"
for f in "$gateway" "$load" "$BUILD_DIR/plugins/memory.so"; do
  [[ -x "$f" || -f "$f" ]] || { echo "bench: $f is missing: build $BUILD_DIR with tests first" >&2; exit 1; }
done
work="$(mktemp -d /tmp/mcpgw-grpc-bench-XXXXXX)"
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/gateway.yaml" <<YAML
server:
  listen: 127.0.0.1:0
  data_dir: $work/data
  grpc:
    listen: 127.0.0.1:0
metrics:
  listen: 127.0.0.1:0
log:
  level: info
plugins:
  - name: memory
    file: memory.so
routes:
  - name: memory
    path: /mcp/memory
    plugin: memory
YAML
"$gateway" serve -c "$work/gateway.yaml" 2>"$work/gateway.log" & pid=$!
for _ in $(seq 1 400); do grep -q '"listening"' "$work/gateway.log" && break; sleep 0.05; done
listening=$(grep '"listening"' "$work/gateway.log") || { cat "$work/gateway.log" >&2; exit 1; }
http=$(jq -r .mcp <<<"$listening") grpc=$(jq -r .grpc <<<"$listening")
meta='"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}'
post() { # method name body
  curl -sf -X POST "http://$http/mcp/memory" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2026-07-28' \
    -H "Mcp-Method: $1" -H "Mcp-Name: $2" -d "$3"
}
post tools/call create_entities '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create_entities","arguments":{"entities":[{"name":"Ada","entityType":"person","observations":["wrote the first program"]},{"name":"Analytical Engine","entityType":"machine","observations":["designed by Babbage"]},{"name":"Babbage","entityType":"person","observations":["designed engines"]}]},'"$meta"'}}' >/dev/null
body='{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"read_graph","arguments":{},'"$meta"'}}'
post tools/call read_graph "$body" | grep -q Babbage || { echo "bench: HTTP read_graph failed" >&2; exit 1; }

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
wrk.headers["Mcp-Method"] = "tools/call"
wrk.headers["Mcp-Name"] = "read_graph"
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

threads=$(( CONNECTIONS < 2 ? 1 : 2 ))
for round in $(seq 1 "$ROUNDS"); do
  BODY="$body" wrk -t"$threads" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/post.lua" "http://$http/mcp/memory" \
    | awk '/^RESULT/{print $2, $3, $4, $5}' >> "$work/http.txt"
  "$load" "$grpc" memory read_graph '{}' "$CONNECTIONS" "$DURATION" \
    | jq -r '"\(.rps) \(.p50_ms) \(.p99_ms) \(.errors)"' >> "$work/grpc.txt"
done
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
col() { awk -v c="$2" '{print $c}' "$work/$1.txt" | median; }
printf '%-6s %12s %10s %10s %8s\n' target 'req/s' 'p50 ms' 'p99 ms' errors
for t in http grpc; do printf '%-6s %12s %10s %10s %8s\n' "$t" "$(col $t 1)" "$(col $t 2)" "$(col $t 3)" "$(col $t 4)"; done
echo "gRPC/HTTP: throughput $(bc -l <<<"scale=2; $(col grpc 1) / $(col http 1)")x, p50 $(bc -l <<<"scale=2; $(col grpc 2) / $(col http 2)")x, p99 $(bc -l <<<"scale=2; $(col grpc 3) / $(col http 3)")x  (${ROUNDS} rounds x ${DURATION}s, ${CONNECTIONS} connections/callers, $(nproc) cores)"
