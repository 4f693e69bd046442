#include "metrics/metrics.h"

#include <prometheus/text_serializer.h>

#include <mutex>

namespace mcpgw::metrics {
namespace {

// The methods the gateway serves: any other name a client sends is counted
// as "other", so a client cannot mint a series per made-up method.
std::string_view MethodLabel(std::string_view method) {
  static constexpr std::string_view kServed[] = {
      "initialize",      "ping",           "logging/setLevel",         "server/discover",     "tools/list",
      "tools/call",      "resources/list", "resources/templates/list", "resources/read",      "resources/subscribe",
      "resources/unsubscribe", "prompts/list", "prompts/get",          "completion/complete", "subscriptions/listen"};
  for (std::string_view served : kServed) {
    if (method == served) return served;
  }
  return "other";
}

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                                0.005,   0.01,   0.025,   0.05,   0.1,   0.25,
                                                                0.5,     1,      2.5,     5,      10};
  return kBuckets;
}

// The cache key of one series: the family's key and the label values, each
// ended by \x1f. Built in a per-thread buffer: no allocation once warm.
const std::string& CacheKey(std::string_view family_key, LabelList labels) {
  thread_local std::string key;
  key.assign(family_key);
  key.push_back('\x1f');
  for (const auto& [name, value] : labels) {
    key.append(value);
    key.push_back('\x1f');
  }
  return key;
}

// The first `count` labels as prometheus-cpp takes them (a new series only).
std::map<std::string, std::string> LabelMap(LabelList labels, std::size_t count) {
  std::map<std::string, std::string> out;
  for (auto it = labels.begin(); it != labels.begin() + count; ++it) out.emplace(it->first, it->second);
  return out;
}

}  // namespace

Metrics::Metrics(std::string_view version)
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("mcpgw_requests_total")
                    .Help("MCP requests answered, by route, method, tool and outcome")
                    .Register(*registry_)),
      request_seconds_(prometheus::BuildHistogram()
                           .Name("mcpgw_request_duration_seconds")
                           .Help("Time from a parsed MCP request to its response, by route, method and tool")
                           .Register(*registry_)),
      plugin_calls_(prometheus::BuildCounter()
                        .Name("mcpgw_plugin_calls_total")
                        .Help("Plugin function calls, by plugin, operation and outcome")
                        .Register(*registry_)),
      plugin_seconds_(prometheus::BuildHistogram()
                          .Name("mcpgw_plugin_call_duration_seconds")
                          .Help("Time spent inside plugin functions, by plugin and operation")
                          .Register(*registry_)),
      grpc_calls_(prometheus::BuildCounter()
                      .Name("mcpgw_grpc_calls_total")
                      .Help("gRPC calls answered by the gRPC front door, by RPC method and status code")
                      .Register(*registry_)),
      grpc_seconds_(prometheus::BuildHistogram()
                        .Name("mcpgw_grpc_call_duration_seconds")
                        .Help("Time from a gRPC call's arrival to its status, by RPC method")
                        .Register(*registry_)),
      rejected_(prometheus::BuildCounter()
                    .Name("mcpgw_rejected_requests_total")
                    .Help("Requests refused before the core, by reason")
                    .Register(*registry_)),
      queue_depth_(prometheus::BuildGauge()
                       .Name("mcpgw_plugin_queue_depth")
                       .Help("Plugin calls waiting for a worker, by plugin")
                       .Register(*registry_)),
      authentications_(prometheus::BuildCounter()
                           .Name("mcpgw_authentications_total")
                           .Help("Credentials checked at admission, by method and outcome (ok or the reason)")
                           .Register(*registry_)),
      authorization_denials_(prometheus::BuildCounter()
                                 .Name("mcpgw_authorization_denials_total")
                                 .Help("Requests refused for missing scopes, by route, method and tool")
                                 .Register(*registry_)),
      token_cache_(prometheus::BuildCounter()
                       .Name("mcpgw_token_cache_lookups_total")
                       .Help("Verified-token cache lookups, by result (hit or miss)")
                       .Register(*registry_)),
      token_cache_hits_(&token_cache_.Add({{"result", "hit"}})),
      token_cache_misses_(&token_cache_.Add({{"result", "miss"}})),
      bearer_ok_(&authentications_.Add({{"method", "bearer"}, {"outcome", "ok"}})) {
  auto& sessions = prometheus::BuildGauge().Name("mcpgw_sessions_open").Help("Session-era MCP sessions held by this replica").Register(*registry_);
  sessions_open_ = &sessions.Add({});
  auto& streams = prometheus::BuildGauge().Name("mcpgw_sse_streams_open").Help("Open SSE response streams").Register(*registry_);
  sse_streams_open_ = &streams.Add({});
  auto& timeouts = prometheus::BuildGauge()
                       .Name("mcpgw_pending_timeouts")
                       .Help("Request deadlines and SSE polling timers armed and not yet due")
                       .Register(*registry_);
  pending_timeouts_ = &timeouts.Add({});
  redis_latency_ = &prometheus::BuildHistogram()
                        .Name("mcpgw_redis_latency_seconds")
                        .Help("Round trip of Redis commands, from queued to reply")
                        .Register(*registry_)
                        .Add({}, LatencyBuckets());
  auto& redis_errors = prometheus::BuildCounter()
                           .Name("mcpgw_redis_errors_total")
                           .Help("Redis commands that ended without a usable reply, by kind (disconnected, timeout, reply)")
                           .Register(*registry_);
  redis_disconnected_ = &redis_errors.Add({{"kind", "disconnected"}});
  redis_timeouts_ = &redis_errors.Add({{"kind", "timeout"}});
  redis_error_replies_ = &redis_errors.Add({{"kind", "reply"}});
  redis_up_ = &prometheus::BuildGauge()
                   .Name("mcpgw_redis_up")
                   .Help("1 while the gateway's Redis connection is up, else 0")
                   .Register(*registry_)
                   .Add({});
  rate_limit_decisions_ = &prometheus::BuildCounter()
                              .Name("mcpgw_rate_limit_decisions_total")
                              .Help("Rate-limit decisions per policy, by outcome (allowed, denied, fail_open: allowed "
                                    "by the local limiter while Redis was down, fail_closed: refused because it was)")
                              .Register(*registry_);
  rate_limit_near_ = &prometheus::BuildCounter()
                          .Name("mcpgw_rate_limit_near_limit_total")
                          .Help("Allowed requests that left a policy's key at or above near_limit_percent of its limit")
                          .Register(*registry_);
  rate_limit_store_up_ = &prometheus::BuildGauge()
                              .Name("mcpgw_rate_limit_store_up")
                              .Help("1 while the rate limiter's store (Redis, or the process without one) decides, "
                                    "0 while policies fall back to their on_redis_down mode")
                              .Register(*registry_)
                              .Add({});
  rate_limit_store_up_->Set(1);
  rate_limit_store_transitions_ = &prometheus::BuildCounter()
                                       .Name("mcpgw_rate_limit_store_transitions_total")
                                       .Help("Changes of the rate limiter's store between healthy and degraded, by "
                                             "the state entered")
                                       .Register(*registry_);
  revocations_ = &prometheus::BuildGauge()
                      .Name("mcpgw_revocations")
                      .Help("Entries of the revocation list held by this replica, by kind (jti, subject, client)")
                      .Register(*registry_);
  for (const char* kind : {"jti", "subject", "client"}) revocations_->Add({{"kind", kind}}).Set(0);
  revocation_sync_age_ = &prometheus::BuildGauge()
                              .Name("mcpgw_revocation_sync_age_seconds")
                              .Help("Seconds since this replica last synced its whole revocation list from the "
                                    "store (0 for the local store)")
                              .Register(*registry_)
                              .Add({});
  auto& info = prometheus::BuildGauge().Name("mcpgw_build_info").Help("Build information; the value is always 1").Register(*registry_);
  info.Add({{"version", std::string(version)}}).Set(1);
}

Metrics::Pair& Metrics::Lookup(std::unordered_map<std::string, Pair>& cache,
                               prometheus::Family<prometheus::Counter>& counters,
                               prometheus::Family<prometheus::Histogram>& histograms, LabelList labels) {
  const std::string& key = CacheKey("", labels);
  {
    std::shared_lock lock(mu_);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  std::unique_lock lock(mu_);
  auto [it, inserted] = cache.try_emplace(key, Pair{nullptr, nullptr});
  if (inserted) {
    it->second.counter = &counters.Add(LabelMap(labels, labels.size()));
    it->second.histogram = &histograms.Add(LabelMap(labels, labels.size() - 1), LatencyBuckets());
  }
  return it->second;
}

void Metrics::RecordRequest(std::string_view route, std::string_view method_name, std::string_view tool,
                            std::string_view outcome, double seconds) {
  Pair& p = Lookup(request_cache_, requests_, request_seconds_,
                   {{"route", route}, {"method", MethodLabel(method_name)}, {"tool", tool}, {"outcome", outcome}});
  p.counter->Increment();
  p.histogram->Observe(seconds);
}

void Metrics::RecordPluginCall(std::string_view plugin, std::string_view operation, std::string_view outcome,
                               double seconds) {
  Pair& p = Lookup(plugin_cache_, plugin_calls_, plugin_seconds_,
                   {{"plugin", plugin}, {"operation", operation}, {"outcome", outcome}});
  p.counter->Increment();
  p.histogram->Observe(seconds);
}

void Metrics::RecordGrpcCall(std::string_view method, std::string_view code, double seconds) {
  Pair& p = Lookup(grpc_cache_, grpc_calls_, grpc_seconds_, {{"method", method}, {"code", code}});
  p.counter->Increment();
  p.histogram->Observe(seconds);
}

void Metrics::RecordRejected(std::string_view reason) { Increment(rejected_, "rejected", {{"reason", reason}}); }

void Metrics::Increment(prometheus::Family<prometheus::Counter>& family, std::string_view family_key,
                        LabelList labels) {
  const std::string& key = CacheKey(family_key, labels);
  {
    std::shared_lock lock(mu_);
    if (auto it = labeled_cache_.find(key); it != labeled_cache_.end()) return it->second->Increment();
  }
  std::unique_lock lock(mu_);
  auto [it, inserted] = labeled_cache_.try_emplace(key, nullptr);
  if (inserted) it->second = &family.Add(LabelMap(labels, labels.size()));
  it->second->Increment();
}

void Metrics::RecordAuthentication(std::string_view method, std::string_view outcome) {
  // The common case, every admitted request: no key to build, no lock.
  if (outcome == "ok" && method == "bearer") return bearer_ok_->Increment();
  Increment(authentications_, "authn", {{"method", method}, {"outcome", outcome}});
}

void Metrics::RecordAuthorizationDenied(std::string_view route, std::string_view method_name, std::string_view tool) {
  const std::string_view method = MethodLabel(method_name);
  Increment(authorization_denials_, "authz", {{"route", route}, {"method", method}, {"tool", tool}});
}

void Metrics::SetTokenCacheTotals(std::uint64_t hits, std::uint64_t misses) {
  // Counters only go up: add what happened since the last scrape.
  std::unique_lock lock(mu_);
  const auto grow = [](prometheus::Counter* c, std::uint64_t total) {
    const double now = static_cast<double>(total);
    if (now > c->Value()) c->Increment(now - c->Value());
  };
  grow(token_cache_hits_, hits);
  grow(token_cache_misses_, misses);
}

void Metrics::RecordRedisError(std::string_view kind) {
  if (kind == "disconnected") redis_disconnected_->Increment();
  else if (kind == "timeout") redis_timeouts_->Increment();
  else if (kind == "reply") redis_error_replies_->Increment();
}

void Metrics::RecordRateLimitDecision(std::string_view policy, std::string_view outcome) {
  Increment(*rate_limit_decisions_, "rl", {{"policy", policy}, {"outcome", outcome}});
}

void Metrics::RecordRateLimitNearLimit(std::string_view policy) {
  Increment(*rate_limit_near_, "rl_near", {{"policy", policy}});
}

void Metrics::RecordRateLimitStore(bool healthy) {
  rate_limit_store_up_->Set(healthy ? 1 : 0);
  Increment(*rate_limit_store_transitions_, "rl_store", {{"state", healthy ? "healthy" : "degraded"}});
}

void Metrics::SetRevocations(std::string_view kind, double entries) {
  // Add returns the existing child for known labels; the kinds are fixed.
  revocations_->Add({{"kind", std::string(kind)}}).Set(entries);
}

prometheus::Gauge& Metrics::plugin_queue_depth(std::string_view plugin) {
  std::unique_lock lock(mu_);
  return queue_depth_.Add({{"plugin", std::string(plugin)}});
}

std::string Metrics::Serialize() const {
  prometheus::TextSerializer serializer;
  return serializer.Serialize(registry_->Collect());
}

}  // namespace mcpgw::metrics
