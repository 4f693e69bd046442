// Prometheus metrics of every stage, served as text on the metrics listener.
//
// Label values are bounded by construction: routes, methods, tools and
// plugins come from configuration and plugin lists, outcomes and reasons
// from fixed enums. No subject, token or client-chosen string is a label.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mcpgw::metrics {

// Label names and values of one series, as the caller has them.
using LabelList = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Metrics {
 public:
  explicit Metrics(std::string_view version);

  // One MCP request finished at the core (route, method, tool or "", outcome).
  void RecordRequest(std::string_view route, std::string_view method, std::string_view tool,
                     std::string_view outcome, double seconds);
  // One gRPC call finished (method: the RPC name, from a fixed set; code:
  // the gRPC status code name such as OK or UNAUTHENTICATED).
  void RecordGrpcCall(std::string_view method, std::string_view code, double seconds);
  // One plugin function call finished.
  void RecordPluginCall(std::string_view plugin, std::string_view operation, std::string_view outcome,
                        double seconds);
  // A request refused before it reached the core (limits, origin, framing).
  void RecordRejected(std::string_view reason);
  // One admission: method "bearer", "api_key" or "none"; outcome "ok" or a
  // failure reason name.
  void RecordAuthentication(std::string_view method, std::string_view outcome);
  // A request refused by the authorize stage (tool "" for other methods).
  void RecordAuthorizationDenied(std::string_view route, std::string_view method, std::string_view tool);
  // The verified-token cache's running totals, copied at each scrape.
  void SetTokenCacheTotals(std::uint64_t hits, std::uint64_t misses);

  // The Redis client (ADR 0012): one command's round trip, and one command
  // that ended without a usable reply, by kind: "disconnected", "timeout" or
  // "reply" (an error reply); other kinds are not counted.
  void RecordRedisLatency(double seconds) { redis_latency_->Observe(seconds); }
  void RecordRedisError(std::string_view kind);
  // 1 while the Redis client is connected, else 0.
  prometheus::Gauge& redis_up() { return *redis_up_; }

  // Rate limits (ADR 0013): one policy's share of a decision, outcome
  // "allowed", "denied", "fail_open" or "fail_closed"; an allowed request at
  // or above near_limit_percent; a change of the store's health.
  void RecordRateLimitDecision(std::string_view policy, std::string_view outcome);
  void RecordRateLimitNearLimit(std::string_view policy);
  void RecordRateLimitStore(bool healthy);

  // Entries of the revocation list by kind ("jti", "subject", "client"),
  // set by the revocation store after each change and each resync.
  void SetRevocations(std::string_view kind, double entries);
  // Seconds since the revocation list was last fully synced (0 for the
  // local store), set at each scrape.
  prometheus::Gauge& revocation_sync_age() { return *revocation_sync_age_; }

  prometheus::Gauge& sessions_open() { return *sessions_open_; }
  prometheus::Gauge& sse_streams_open() { return *sse_streams_open_; }
  prometheus::Gauge& plugin_queue_depth(std::string_view plugin);
  prometheus::Gauge& pending_timeouts() { return *pending_timeouts_; }

  // The text exposition format of everything registered.
  std::string Serialize() const;

 private:
  struct Pair {
    prometheus::Counter* counter;
    prometheus::Histogram* histogram;
  };
  // The counter and histogram of one label set. The counter is labelled by
  // `labels`, the histogram by all of them but the last (the outcome or
  // code). Label maps are built only the first time a set is seen.
  Pair& Lookup(std::unordered_map<std::string, Pair>& cache, prometheus::Family<prometheus::Counter>& counters,
               prometheus::Family<prometheus::Histogram>& histograms, LabelList labels);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& request_seconds_;
  prometheus::Family<prometheus::Counter>& plugin_calls_;
  prometheus::Family<prometheus::Histogram>& plugin_seconds_;
  prometheus::Family<prometheus::Counter>& grpc_calls_;
  prometheus::Family<prometheus::Histogram>& grpc_seconds_;
  prometheus::Family<prometheus::Counter>& rejected_;
  prometheus::Family<prometheus::Gauge>& queue_depth_;
  prometheus::Family<prometheus::Counter>& authentications_;
  prometheus::Family<prometheus::Counter>& authorization_denials_;
  prometheus::Family<prometheus::Counter>& token_cache_;
  prometheus::Counter* token_cache_hits_;
  prometheus::Counter* token_cache_misses_;
  prometheus::Counter* bearer_ok_;
  prometheus::Gauge* sessions_open_;
  prometheus::Gauge* sse_streams_open_;
  prometheus::Gauge* pending_timeouts_;
  prometheus::Histogram* redis_latency_;
  prometheus::Counter* redis_disconnected_;
  prometheus::Counter* redis_timeouts_;
  prometheus::Counter* redis_error_replies_;
  prometheus::Gauge* redis_up_;
  prometheus::Gauge* revocation_sync_age_;

  prometheus::Family<prometheus::Counter>* rate_limit_decisions_;
  prometheus::Family<prometheus::Counter>* rate_limit_near_;
  prometheus::Family<prometheus::Counter>* rate_limit_store_transitions_;
  prometheus::Gauge* rate_limit_store_up_;
  prometheus::Family<prometheus::Gauge>* revocations_;

  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Pair> request_cache_;
  std::unordered_map<std::string, Pair> plugin_cache_;
  std::unordered_map<std::string, Pair> grpc_cache_;
  std::unordered_map<std::string, prometheus::Counter*> labeled_cache_;  // rejections, authentications, denials, ...

  // Counts one in `family`'s child for `labels`; `family_key` keeps the
  // families apart in the shared cache.
  void Increment(prometheus::Family<prometheus::Counter>& family, std::string_view family_key, LabelList labels);
};

}  // namespace mcpgw::metrics
