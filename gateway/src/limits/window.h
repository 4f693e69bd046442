// The arithmetic of the sliding-window counter (ADR 0013), once, for the
// local and the Redis limiter.
//
// Time is cut into fixed windows of W aligned to the epoch; a key keeps one
// counter per window. At `elapsed` into the current window the request rate
// is estimated as
//     estimate = prev * (W - elapsed) / W + curr
// and a request passes when estimate + 1 <= limit. The Lua script computes
// the same expression in the same order in IEEE doubles, so both limiters
// decide identically at every boundary.
#pragma once

#include "limits/limiter.h"

#include <chrono>
#include <cstdint>

namespace mcpgw::limits {

// Where `now` falls for a window of `window_ms`.
struct WindowPosition {
  int64_t index = 0;       // now / W: names the current counter
  int64_t elapsed_ms = 0;  // now - index * W
};
WindowPosition PositionOf(Clock::time_point now, int64_t window_ms);

// The two counters of a key as a decision found them (before charging).
struct WindowCounts {
  uint64_t prev = 0;
  uint64_t curr = 0;
};

double Estimate(uint64_t prev, uint64_t curr, int64_t window_ms, int64_t elapsed_ms);
bool Passes(uint64_t limit, double estimate);

// The state after a decision: `charged` when this request was counted.
// remaining = requests that would pass now; retry_after = until the next
// one would (0 when it would now), whole seconds rounded up; reset = until
// the estimate has decayed to zero without new requests, at most the window.
PolicyState Assess(const config::LimitPolicy& policy, WindowCounts before, int64_t elapsed_ms, bool charged);

}  // namespace mcpgw::limits
