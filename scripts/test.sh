#!/usr/bin/env bash
# README command (b): install dependencies, build everything with warnings as
# errors, run every test (unit, integration, end-to-end with the official
# MCP clients, the official conformance suite), then run the integration and
# end-to-end tests again against an ASan+UBSan build of the gateway.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc)"
"$repo/scripts/install-deps.sh"

echo "== build (warnings are errors)"
cmake -S "$repo" -B "$repo/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCPGW_WERROR=ON >/dev/null
cmake --build "$repo/build" -j "$jobs"
echo "== tests"
(cd "$repo/build" && ctest -j "$jobs" --output-on-failure --timeout 300)

if [ "${MCPGW_SKIP_SANITIZERS:-0}" != "1" ]; then
  if [ "${CI:-}" = "true" ]; then
    # CI machines promise no disk size: the first tree has done its work (ADR 0024).
    cmake --build "$repo/build" --target clean
  fi
  echo "== build with AddressSanitizer and UndefinedBehaviorSanitizer"
  cmake -S "$repo" -B "$repo/build/asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMCPGW_WERROR=ON \
    -DMCPGW_SANITIZE=address,undefined >/dev/null
  cmake --build "$repo/build/asan" -j "$jobs"
  echo "== integration and end-to-end tests under ASan+UBSan"
  (cd "$repo/build/asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest -j "$jobs" --output-on-failure --timeout 600 -L 'integration|e2e|unit')
fi
