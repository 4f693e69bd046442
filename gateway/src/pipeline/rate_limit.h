// Stage: may this request pass the rate limits that apply to it?
//
// Finds the policies whose match holds (limits/charges.h), charges the
// request under each one's key in a single decision of the limiter, and
// denies with kRateLimited (429, Retry-After, RateLimit headers) when any
// policy is exhausted — then no policy is charged — or kUnavailable (503)
// when the store is down and a policy that applies fails closed. A request
// no policy matches passes without asking the limiter.
//
// Counts decisions per policy and outcome, and near-limit decisions, in the
// metrics. Never looks at arguments, never logs who asked.
#pragma once

#include "config/config.h"
#include "limits/charges.h"
#include "limits/limiter.h"
#include "pipeline/stage.h"

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace mcpgw::metrics {
class Metrics;
}

namespace mcpgw::pipeline {

// The JSON-RPC error code of a rate-limited request (server range, ADR 0013):
// its data holds retryAfter (seconds), policy, and limits.
inline constexpr int kRateLimitedCode = -32029;

struct RateLimitOptions {
  // The gateway's clock: windows are cut from it (tests drive it).
  std::function<limits::Clock::time_point()> clock = [] { return limits::Clock::now(); };
  metrics::Metrics* metrics = nullptr;
  uint32_t near_limit_percent = 80;
  // True when the limiter answers later (Redis): the stage then waits.
  bool limiter_waits = false;
  // rate_limits.headers: always: a request that passes carries its states
  // (Request::granted_limits) for the answer's headers.
  bool headers_always = false;
};

// The policies in force: replaced as a whole on reload; a decision keeps
// the set it started with (its charges point into it) until it ends.
using Policies = std::shared_ptr<const std::vector<config::LimitPolicy>>;

class RateLimit final : public Stage {
 public:
  RateLimit(std::vector<config::LimitPolicy> policies, limits::Limiter& limiter, RateLimitOptions options);

  Policies policies() const { return policies_.load(); }
  // From the next request on (SIGHUP reload). Counters live under each
  // policy's name, so a policy kept by name keeps its counts.
  void ReplacePolicies(std::vector<config::LimitPolicy> policies);

  std::string_view name() const override { return "rate_limit"; }
  std::optional<Denial> Check(const Request& request) const override;
  bool Waits(const Request& request) const override;
  void CheckAsync(const Request& request, Done done) const override;

  // What the decision means for the request (nullopt: it passes), with its
  // metrics recorded. Reads the policies from the decision's states (one
  // per charge, as every Limiter gives them).
  std::optional<Denial> Judge(const Request& request, const limits::Decision& decision) const;

 private:
  std::atomic<Policies> policies_;
  limits::Limiter& limiter_;
  RateLimitOptions options_;
};

// The facts of a request the policies match and count by.
limits::RequestFacts FactsOf(const Request& request);

}  // namespace mcpgw::pipeline
