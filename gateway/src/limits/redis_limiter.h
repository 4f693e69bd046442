// The shared limiter: sliding-window counters (ADR 0013) in Redis, decided
// by one Lua script, so every replica counts against the same budget.
//
// The script receives the current and previous counter keys of every
// applicable policy (computed here from the gateway's clock, so all replicas
// and tests agree on the windows), checks all of them, and increments the
// current counters only if all pass: a denied request consumes nothing.
// Decisions asked for on one thread within one turn of its event loop go
// to Redis as one script call (ADR 0020): it decides them in order, each
// exactly as if it had come alone.
//
// When Redis cannot answer (down, timeout, error reply) each policy's
// on_redis_down decides: a request with any fail-closed policy is refused
// (store_error, 503), otherwise the local limiter decides instead, so
// limits still hold per replica. Each change between healthy and degraded
// writes one audit line (rate_limit_store) and calls on_store_state; the
// next command that succeeds brings it back, without any other action.
#pragma once

#include "limits/limiter.h"
#include "limits/local_limiter.h"
#include "redis/client.h"

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace mcpgw::limits {

// Runs a piece of work on some thread (posts it there).
using Resume = std::function<void(std::function<void()>)>;

struct RedisLimiterOptions {
  // Where `done` runs. Called on the thread that asks for a decision, it
  // returns how to get back to that thread (its I/O context), so no request
  // work runs on the Redis client's thread and the answer is written where
  // the request's connection lives, without a second hop. Null: `done` runs
  // on the Redis client's thread.
  std::function<Resume()> resume_here;
  // Called at each transition: true when Redis answers again, false when it stopped.
  std::function<void(bool healthy)> on_store_state;
  // Called on the thread that asks for a decision: schedules `work` on that
  // thread after the handlers already queued there, or returns false when
  // the thread has no event loop. Set, the decisions of one turn share a
  // script call; null, each decision is a call of its own.
  std::function<bool(std::function<void()> work)> defer_here;
};

// The decision script (for the benchmark and tests that run it directly).
const redis::Script& DecisionScript();

class RedisLimiter final : public Limiter {
 public:
  // `client` and `fallback` must outlive the limiter.
  RedisLimiter(redis::Client& client, LocalLimiter& fallback, RedisLimiterOptions options = {});

  void Decide(std::vector<Charge> charges, Clock::time_point now, std::function<void(Decision)> done) override;
  void Peek(Charge charge, Clock::time_point now, std::function<void(std::optional<PolicyState>)> done) override;

  bool store_healthy() const { return healthy_.load(); }
  // Why the latest decision Redis could not make failed ("" while healthy).
  std::string store_error() const;
  // At most this many decisions share one script call.
  static constexpr std::size_t kMaxBatch = 64;
  // The Redis key of a charge's counter for window `index`.
  std::string CounterKey(const Charge& charge, int64_t index) const;

 private:
  struct Queued {
    std::vector<Charge> charges;
    Clock::time_point now;
    Resume resume;
    std::function<void(Decision)> done;
  };
  // One script call deciding `decisions` in order.
  void Run(std::vector<const std::vector<Charge>*> decisions, Clock::time_point now, bool charge,
           std::function<void(const redis::Result&)> on_reply);
  void SendBatch(std::vector<Queued> batch);
  // Each policy's on_redis_down, applied when Redis could not answer.
  Decision DecideWithoutStore(const std::vector<Charge>& charges, Clock::time_point now);
  Resume ResumeHere() const { return options_.resume_here ? options_.resume_here() : Resume(); }
  static void Finish(const Resume& resume, std::function<void()> work);
  void MarkHealthy(bool healthy, std::string_view reason);

  redis::Client& client_;
  LocalLimiter& fallback_;
  RedisLimiterOptions options_;
  std::atomic<bool> healthy_{true};
  mutable std::mutex health_mu_;  // orders changes of healthy_ and store_error_
  std::string store_error_;
  // The decisions of the current turn, per limiter, on each thread.
  static thread_local std::unordered_map<const RedisLimiter*, std::vector<Queued>> open_batches_;
};

}  // namespace mcpgw::limits
