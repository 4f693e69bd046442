// Where the revocation list lives: a file in the data directory (one
// replica, no Redis) or Redis (every replica; pub/sub plus periodic resync).
// Either way the store keeps `list()` current and the request path reads
// only that.
#pragma once

#include "revocation/revocation_list.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace mcpgw::metrics {
class Metrics;
}

namespace mcpgw::revocation {

struct Health {
  bool fresh = true;  // synced within max_staleness_s (always true for the local store)
  std::chrono::seconds since_sync{0};
};

class Store {
 public:
  using Done = std::function<void(bool ok, std::string error)>;  // error: safe to show an operator

  virtual ~Store() = default;

  // Adds (or replaces) an entry everywhere; `done` once the store has it
  // (durably: fsync'd file, or Redis acknowledged and published).
  virtual void Add(Entry entry, Done done) = 0;
  // Withdraws an entry; `done(false, "…not revoked")` when there is none.
  virtual void Withdraw(Kind kind, std::string value, Done done) = 0;

  virtual const RevocationList& list() const = 0;
  virtual Health health() const = 0;
  // Why the latest full sync failed (Redis's own words), or "" once one
  // succeeds. Not for the request path: it copies under a lock.
  virtual std::string sync_error() const { return ""; }
};

// Sets the gauge mcpgw_revocations{kind} from `list`; a no-op without
// metrics. Stores call it after every change and every full sync.
void ReportSizes(const RevocationList& list, metrics::Metrics* metrics);

}  // namespace mcpgw::revocation
