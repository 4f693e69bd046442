// The shared revocation store: the list lives in Redis, and every replica
// holds a copy in memory (ADR 0014).
//
//   <prefix>revoked:jti | :subject | :client   hashes, field = the value,
//                                              value = EntryFields JSON
//   <prefix>revocations                        channel: one JSON message per change
//
// Add and Withdraw change the hash and publish in one Lua script, so no
// change is stored without being announced. Every replica subscribes and
// applies each message to its list; a full resync (one script returning the
// three hashes) runs on every (re)subscription and every resync_s (and at
// least twice per max_staleness_s), replacing the list and repairing
// anything a lost subscription missed. Messages that arrive while a resync
// is in flight are applied again after it, so the resync cannot undo them.
// Expired jti fields are deleted by whichever replica's resync notices.
//
// Health: fresh while the last successful full sync is at most
// max_staleness_s old. Each change of freshness writes one audit line
// (event revocation_store) and counts one metric; recovery is automatic.
// What to do while not fresh (refuse, or keep the last list) is the
// admission's decision (revocation.on_redis_down), not the store's.
#pragma once

#include "config/config.h"
#include "redis/client.h"
#include "revocation/store.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace mcpgw::metrics {
class Metrics;
}

namespace mcpgw::revocation {

class RedisStore final : public Store {
 public:
  // `client` must outlive the store or be destroyed first; `metrics` may be
  // null. Subscribes and starts the first sync at once.
  RedisStore(redis::Client& client, const config::Revocation& config, metrics::Metrics* metrics = nullptr);
  ~RedisStore() override;
  RedisStore(const RedisStore&) = delete;
  RedisStore& operator=(const RedisStore&) = delete;

  // Blocks until the first full sync has succeeded or `timeout` passed;
  // true when it has (start-up: serve with the list, not before it).
  bool WaitForFirstSync(std::chrono::milliseconds timeout);

  // `done` runs on the Redis client's thread.
  void Add(Entry entry, Done done) override;
  void Withdraw(Kind kind, std::string value, Done done) override;

  const RevocationList& list() const override;
  Health health() const override;
  std::string sync_error() const override;

  // Starts a full resync now (it also runs on its own schedule).
  void Resync();

  class State;  // shared with the client's callbacks, which hold it weakly

 private:
  void Tick();

  std::shared_ptr<State> state_;
  std::chrono::milliseconds resync_every_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread ticker_;  // resync schedule and freshness transitions
};

}  // namespace mcpgw::revocation
