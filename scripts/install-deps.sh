#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of the gateway on
# Debian 12: Debian packages with apt, and the Node tools (Node 22, the
# official MCP clients, the conformance suite, reference servers) from npm
# into tests/node_modules. Idempotent: a second run installs nothing.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

apt_packages=(
  # build
  build-essential cmake ninja-build pkg-config
  libboost1.74-dev libboost-system1.74-dev libssl-dev nlohmann-json3-dev libsimdjson-dev zlib1g-dev
  libyaml-cpp-dev prometheus-cpp-dev libcli11-dev libhiredis-dev
  # the binary's allocator (ADR 0025)
  libmimalloc-dev
  # the gRPC front door (ADR 0018)
  libgrpc++-dev protobuf-compiler protobuf-compiler-grpc libprotobuf-dev
  # plugins: git (libgit2) and vector (hnswlib, header-only)
  libgit2-dev libhnswlib-dev
  # tests
  libgtest-dev libgmock-dev json-schema-test-suite curl procps openssl git
  # the tests start their own redis-server on random ports; a system Redis
  # service the package may start is never used
  redis-server redis-tools
  # promtool and a Prometheus server for the rules and metrics tests (tests/deploy)
  prometheus
  # benchmarks
  libbenchmark-dev nginx-light wrk bc jq
)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches Node 22 and the MCP tools; any Node with npm can do that.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node tools, pinned by tests/package-lock.json. Reinstall only when the lock
# file changed since the last install.
stamp="$repo/tests/node_modules/.install-stamp"
lock_sum="$(sha256sum "$repo/tests/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "install-deps: installing Node tools (npm ci in tests/)"
  (cd "$repo/tests" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$stamp"
fi
echo "install-deps: all dependencies present"
