#!/usr/bin/env bash
# Token verification microbenchmarks against a baseline measured in the same
# run: our ES256 verify per operation over OpenSSL's own `openssl speed
# ecdsap256` verify per operation (both CPU time), and the cache hit against
# its 2 us budget. Builds auth_bench in Release in build/auth-bench.
#
#   tests/bench/auth_bench.sh
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$repo/build/auth-bench"
out="$(mktemp /tmp/mcpgw-auth-bench-XXXXXX.json)"
trap 'rm -f "$out"' EXIT

cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target auth_bench >/dev/null
"$build/tests/bench/auth_bench" --benchmark_out="$out" --benchmark_out_format=json

cpu_ns() { jq -r --arg name "$1" '.benchmarks[] | select(.name == $name) | .cpu_time' "$out"; }
hit_ns="$(cpu_ns BM_CacheHit)"
ours_ns="$(cpu_ns BM_Es256Signature)"
full_ns="$(cpu_ns BM_FullVerifyEs256)"

# "256 bits ecdsa (nistp256)   0.0000s   0.0001s  40000.0  13000.0": the last field is verifies per second.
verify_per_s="$(openssl speed -seconds 3 ecdsap256 2>/dev/null | awk '/256 bits ecdsa/ { print $NF }')"
openssl_ns="$(awk -v v="$verify_per_s" 'BEGIN { printf "%.0f", 1e9 / v }')"

echo
awk -v hit="$hit_ns" -v ours="$ours_ns" -v full="$full_ns" -v base="$openssl_ns" 'BEGIN {
  printf "openssl speed ecdsap256 verify   %8.0f ns/op  (baseline)\n", base
  printf "our ES256 signature verify        %8.0f ns/op  ratio to openssl %.2f\n", ours, ours / base
  printf "full verify (parse+sig+claims)    %8.0f ns/op  ratio to openssl %.2f\n", full, full / base
  printf "cache hit (sha-256 + lookup)      %8.0f ns/op  budget 2000 ns: %s\n", hit, (hit <= 2000 ? "met" : "MISSED")
}'
