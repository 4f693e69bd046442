// The in-process limiter: the same sliding-window counters (ADR 0013) in
// this process's memory. Serves a single replica without Redis, and every
// fail-open policy while Redis cannot answer.
//
// Counters live in a map split into shards, each behind its own mutex; a
// decision locks the shards of its keys in ascending order (no deadlock),
// checks every policy, then charges them all or none. Keys whose windows
// have both passed are swept when a shard fills; the map never holds more
// than `max_keys` keys, and a new key that finds its shard full of live
// counters is refused rather than evicting someone else's count.
#pragma once

#include "limits/limiter.h"

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mcpgw::limits {

class LocalLimiter final : public Limiter {
 public:
  explicit LocalLimiter(std::size_t max_keys = std::size_t{1} << 20);

  // `done` runs inline, before Decide returns.
  void Decide(std::vector<Charge> charges, Clock::time_point now, std::function<void(Decision)> done) override;
  void Peek(Charge charge, Clock::time_point now, std::function<void(std::optional<PolicyState>)> done) override;

  Decision DecideNow(const std::vector<Charge>& charges, Clock::time_point now);
  std::optional<PolicyState> PeekNow(const Charge& charge, Clock::time_point now);

  std::size_t size() const;

 private:
  struct Counter {
    int64_t window_ms = 0;
    int64_t index = 0;  // the window `curr` counts
    uint64_t curr = 0;
    uint64_t prev = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Counter> counters;
  };
  static constexpr std::size_t kShards = 16;

  std::size_t ShardOf(const std::string& key) const;
  // The counter of `key` rolled forward to `index`; nullptr when the shard
  // is full of live counters. Called with the shard locked.
  Counter* Find(Shard& shard, const std::string& key, int64_t window_ms, int64_t index, Clock::time_point now);

  std::size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace mcpgw::limits
