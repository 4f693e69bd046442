#include "limits/window.h"

#include <algorithm>
#include <cmath>

namespace mcpgw::limits {
namespace {

std::chrono::seconds CeilSeconds(double ms) {
  if (ms <= 0) return std::chrono::seconds(0);
  return std::chrono::seconds(static_cast<int64_t>(std::ceil(ms / 1000.0)));
}

// Milliseconds from `elapsed` until prev * (W - elapsed - t) / W + curr + 1 <= limit.
double MsUntilOneMorePasses(uint64_t limit, WindowCounts c, int64_t window_ms, int64_t elapsed_ms) {
  const double w = static_cast<double>(window_ms);
  const double room = static_cast<double>(limit) - 1.0 - static_cast<double>(c.curr);
  if (room >= 0) {
    // Still inside this window: wait until the previous window weighs little enough.
    if (c.prev == 0) return 0;
    const double needed_weight_ms = w * room / static_cast<double>(c.prev);  // W - elapsed - t <= this
    return std::max(0.0, w - static_cast<double>(elapsed_ms) - needed_weight_ms);
  }
  // The current window alone is full: wait for the next one, then until the
  // current count (then "previous") weighs at most limit - 1.
  const double into_next = c.curr == 0 ? 0.0
                                       : std::max(0.0, w * (static_cast<double>(c.curr) - (static_cast<double>(limit) - 1.0)) /
                                                           static_cast<double>(c.curr));
  return w - static_cast<double>(elapsed_ms) + into_next;
}

}  // namespace

WindowPosition PositionOf(Clock::time_point now, int64_t window_ms) {
  const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  int64_t index = ms / window_ms;
  if (ms % window_ms < 0) --index;  // before the epoch (tests only): floor, not truncation
  return {index, ms - index * window_ms};
}

double Estimate(uint64_t prev, uint64_t curr, int64_t window_ms, int64_t elapsed_ms) {
  // Same operations, same order as the Lua script: weight first, then scale.
  const double w = static_cast<double>(window_ms);
  const double weight = (w - static_cast<double>(elapsed_ms)) / w;
  return static_cast<double>(prev) * weight + static_cast<double>(curr);
}

bool Passes(uint64_t limit, double estimate) { return estimate + 1.0 <= static_cast<double>(limit); }

PolicyState Assess(const config::LimitPolicy& policy, WindowCounts before, int64_t elapsed_ms, bool charged) {
  const int64_t window_ms = int64_t{policy.window_s} * 1000;
  const WindowCounts after{before.prev, before.curr + (charged ? 1 : 0)};
  const double estimate = Estimate(after.prev, after.curr, window_ms, elapsed_ms);
  PolicyState s;
  s.policy = policy.name;
  s.limit = policy.limit;
  s.window = std::chrono::seconds(policy.window_s);
  const double limit = static_cast<double>(policy.limit);
  s.remaining = estimate >= limit ? 0 : static_cast<uint64_t>(std::floor(limit - estimate));
  s.used = policy.limit - std::min(s.remaining, policy.limit);
  s.retry_after = Passes(policy.limit, estimate)
                      ? std::chrono::seconds(0)
                      : std::max(std::chrono::seconds(1),
                                 CeilSeconds(MsUntilOneMorePasses(policy.limit, after, window_ms, elapsed_ms)));
  double reset_ms = 0;
  if (after.curr > 0) {
    reset_ms = 2.0 * static_cast<double>(window_ms) - static_cast<double>(elapsed_ms);
  } else if (after.prev > 0) {
    reset_ms = static_cast<double>(window_ms - elapsed_ms);
  }
  s.reset = std::min(s.window, CeilSeconds(reset_ms));
  return s;
}

}  // namespace mcpgw::limits
