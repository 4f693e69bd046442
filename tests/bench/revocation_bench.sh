#!/usr/bin/env bash
# The revocation check's cost against the list's size: the in-memory lookup
# for 1k, 10k, 100k and 1M entries, and the ratio of the 1M figure to the 1k
# one (target: flat, i.e. close to 1). Builds revocation_bench in Release in
# build/auth-bench.
#
#   tests/bench/revocation_bench.sh
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$repo/build/auth-bench"
out="$(mktemp /tmp/mcpgw-revocation-bench-XXXXXX.json)"
trap 'rm -f "$out"' EXIT

cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target revocation_bench >/dev/null
"$build/tests/bench/revocation_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$out" --benchmark_out_format=json >/dev/null

median_ns() { jq -r --arg name "$1" '.benchmarks[] | select(.name == $name) | .cpu_time' "$out"; }
echo "revocation check, median of 5 (ns per request)"
for kind in Miss Hit; do
  small="$(median_ns "BM_Lookup$kind/1000_median")"
  for n in 1000 10000 100000 1000000; do
    ns="$(median_ns "BM_Lookup$kind/${n}_median")"
    awk -v k="$kind" -v n="$n" -v ns="$ns" -v small="$small" \
      'BEGIN { printf "  %-4s %8d entries  %7.1f ns  ratio to 1k %.2f\n", k, n, ns, ns / small }'
  done
done
