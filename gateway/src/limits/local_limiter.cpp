#include "limits/local_limiter.h"

#include "limits/window.h"

#include <algorithm>
#include <functional>

namespace mcpgw::limits {
namespace {

// The counts a counter holds for window `index` (rolled forward, not stored).
WindowCounts CountsAt(int64_t stored_index, uint64_t curr, uint64_t prev, int64_t index) {
  if (index == stored_index) return {prev, curr};
  if (index == stored_index + 1) return {curr, 0};
  if (index > stored_index + 1) return {0, 0};
  return {prev, curr};  // the clock went back: keep counting where we were
}

}  // namespace

LocalLimiter::LocalLimiter(std::size_t max_keys) : max_per_shard_(std::max<std::size_t>(1, max_keys / kShards)) {}

std::size_t LocalLimiter::ShardOf(const std::string& key) const { return std::hash<std::string>{}(key) % kShards; }

LocalLimiter::Counter* LocalLimiter::Find(Shard& shard, const std::string& key, int64_t window_ms, int64_t index,
                                          Clock::time_point now) {
  auto it = shard.counters.find(key);
  if (it == shard.counters.end()) {
    if (shard.counters.size() >= max_per_shard_) {
      std::erase_if(shard.counters, [now](const auto& entry) {
        const Counter& c = entry.second;
        return PositionOf(now, c.window_ms).index > c.index + 1;  // both windows over: counts nothing
      });
      if (shard.counters.size() >= max_per_shard_) return nullptr;
    }
    it = shard.counters.emplace(key, Counter{window_ms, index, 0, 0}).first;
  }
  Counter& c = it->second;
  if (c.window_ms != window_ms) c = Counter{window_ms, index, 0, 0};  // the policy's window changed
  if (index > c.index) {
    const WindowCounts rolled = CountsAt(c.index, c.curr, c.prev, index);
    c.index = index;
    c.prev = rolled.prev;
    c.curr = rolled.curr;
  }
  return &c;
}

Decision LocalLimiter::DecideNow(const std::vector<Charge>& charges, Clock::time_point now) {
  Decision decision;
  if (charges.empty()) return decision;
  // Lock every shard involved, in ascending order, for one atomic decision.
  std::vector<std::size_t> order;
  order.reserve(charges.size());
  for (const Charge& c : charges) order.push_back(ShardOf(c.key));
  std::vector<std::size_t> locked = order;
  std::sort(locked.begin(), locked.end());
  locked.erase(std::unique(locked.begin(), locked.end()), locked.end());
  std::vector<std::unique_lock<std::mutex>> locks;
  locks.reserve(locked.size());
  for (std::size_t s : locked) locks.emplace_back(shards_[s].mu);

  struct Seen {
    Counter* counter;
    WindowPosition at;
  };
  std::vector<Seen> seen;
  seen.reserve(charges.size());
  for (std::size_t i = 0; i < charges.size(); ++i) {
    const config::LimitPolicy& p = *charges[i].policy;
    const int64_t window_ms = int64_t{p.window_s} * 1000;
    const WindowPosition at = PositionOf(now, window_ms);
    Counter* c = Find(shards_[order[i]], charges[i].key, window_ms, at.index, now);
    seen.push_back({c, at});
    if (decision.denied_by) continue;
    if (c == nullptr || !Passes(p.limit, Estimate(c->prev, c->curr, window_ms, at.elapsed_ms))) {
      decision.allowed = false;
      decision.denied_by = i;
    }
  }
  for (std::size_t i = 0; i < charges.size(); ++i) {
    Counter* c = seen[i].counter;
    if (decision.allowed) ++c->curr;
    const WindowCounts before = c ? WindowCounts{c->prev, c->curr - (decision.allowed ? 1 : 0)}
                                  : WindowCounts{0, charges[i].policy->limit};  // no room for the key: full
    decision.states.push_back(Assess(*charges[i].policy, before, seen[i].at.elapsed_ms, decision.allowed));
  }
  return decision;
}

std::optional<PolicyState> LocalLimiter::PeekNow(const Charge& charge, Clock::time_point now) {
  const config::LimitPolicy& p = *charge.policy;
  const int64_t window_ms = int64_t{p.window_s} * 1000;
  const WindowPosition at = PositionOf(now, window_ms);
  Shard& shard = shards_[ShardOf(charge.key)];
  std::lock_guard lock(shard.mu);
  const auto it = shard.counters.find(charge.key);
  if (it == shard.counters.end() || it->second.window_ms != window_ms) return Assess(p, {}, at.elapsed_ms, false);
  const Counter& c = it->second;
  return Assess(p, CountsAt(c.index, c.curr, c.prev, at.index), at.elapsed_ms, false);
}

void LocalLimiter::Decide(std::vector<Charge> charges, Clock::time_point now, std::function<void(Decision)> done) {
  done(DecideNow(charges, now));
}

void LocalLimiter::Peek(Charge charge, Clock::time_point now, std::function<void(std::optional<PolicyState>)> done) {
  done(PeekNow(charge, now));
}

std::size_t LocalLimiter::size() const {
  std::size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.counters.size();
  }
  return n;
}

}  // namespace mcpgw::limits
