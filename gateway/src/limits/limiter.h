// Rate limiting: sliding-window counters (ADR 0013), decided for every
// policy that applies to a request in one atomic step.
//
// A request is counted under one key per applicable policy (the policy name
// and the values of its dimensions). It passes only if every policy passes;
// when one refuses, none of them is charged.
#pragma once

#include "config/config.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mcpgw::limits {

using Clock = std::chrono::system_clock;

// One policy's share of a decision.
struct Charge {
  const config::LimitPolicy* policy = nullptr;
  std::string key;  // the counter's key, e.g. "per-subject|alice" (no credential, bounded)
};

struct PolicyState {
  std::string policy;
  uint64_t limit = 0;
  std::chrono::seconds window{0};
  uint64_t used = 0;       // the sliding estimate, rounded up, after this decision
  uint64_t remaining = 0;  // limit - used (0 when exhausted)
  std::chrono::seconds reset{0};        // until the estimate has fallen back to zero, at most the window
  std::chrono::seconds retry_after{0};  // until one more request would pass (0 when it would now)
};

struct Decision {
  bool allowed = true;
  std::vector<PolicyState> states;  // one per charge, same order
  std::optional<std::size_t> denied_by;  // index into states
  // The store (Redis) could not decide, and each policy's on_redis_down did:
  // a fail-closed policy refused (denied_by names it; answered 503), or,
  // with local_fallback, the process's local limiter decided instead.
  bool store_error = false;
  bool local_fallback = false;
};

class Limiter {
 public:
  virtual ~Limiter() = default;
  // Decides and, when allowed, charges every key. `done` runs once: inline
  // for the local limiter; for Redis where RedisLimiterOptions::resume_here
  // says (the asking I/O thread in the gateway).
  virtual void Decide(std::vector<Charge> charges, Clock::time_point now, std::function<void(Decision)> done) = 0;
  // The state of one key without charging it (admin API).
  virtual void Peek(Charge charge, Clock::time_point now, std::function<void(std::optional<PolicyState>)> done) = 0;
};

}  // namespace mcpgw::limits
