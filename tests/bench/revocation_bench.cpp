// The revocation check on the request path: one lookup in the in-memory
// list, for lists of 1k to 1M entries. It should stay flat (hash lookups),
// whichever kind of entry the list holds. Run by revocation_bench.sh.
#include "revocation/revocation_list.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

using mcpgw::revocation::Entry;
using mcpgw::revocation::Kind;
using mcpgw::revocation::RevocationList;

std::chrono::sys_seconds Now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// A list of `n` entries: mostly jtis, some subjects and clients.
void Fill(RevocationList& list, int64_t n) {
  std::vector<Entry> entries;
  entries.reserve(static_cast<size_t>(n));
  const auto now = Now();
  for (int64_t i = 0; i < n; ++i) {
    Entry e;
    e.kind = i % 10 == 0 ? Kind::kSubject : i % 10 == 1 ? Kind::kClient : Kind::kJti;
    e.value = "revoked-" + std::to_string(i);
    e.created = now;
    e.until = now + std::chrono::hours(1);
    e.before = now;
    entries.push_back(std::move(e));
  }
  list.Replace(std::move(entries));
}

mcpgw::Principal Caller(const std::string& jti) {
  mcpgw::Principal p;
  p.subject = "alice";
  p.client_id = "client-app";
  p.token_id = jti;
  p.issued_at = Now();
  return p;
}

// The common case: a token that is not revoked (three lookups, all misses).
void BM_LookupMiss(benchmark::State& state) {
  RevocationList list;
  Fill(list, state.range(0));
  const mcpgw::Principal p = Caller("not-revoked-jti-0123456789");
  const auto now = Now();
  for (auto _ : state) benchmark::DoNotOptimize(list.IsRevoked(p, now));
}
BENCHMARK(BM_LookupMiss)->RangeMultiplier(10)->Range(1'000, 1'000'000);

// A revoked jti (found at the first lookup).
void BM_LookupHit(benchmark::State& state) {
  RevocationList list;
  Fill(list, state.range(0));
  const mcpgw::Principal p = Caller("revoked-" + std::to_string(state.range(0) / 2 + 3));
  const auto now = Now();
  for (auto _ : state) benchmark::DoNotOptimize(list.IsRevoked(p, now));
}
BENCHMARK(BM_LookupHit)->RangeMultiplier(10)->Range(1'000, 1'000'000);

}  // namespace

BENCHMARK_MAIN();
