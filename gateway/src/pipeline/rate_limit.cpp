#include "pipeline/rate_limit.h"

#include "mcp/backend.h"
#include "metrics/metrics.h"

#include <algorithm>

namespace mcpgw::pipeline {
namespace {

// What the RateLimit headers say of one policy: `t` is when quota returns,
// the retry time for an exhausted one.
LimitState StateOf(const limits::PolicyState& s) {
  return LimitState{s.policy, s.limit, static_cast<uint32_t>(s.window.count()), s.remaining,
                    static_cast<uint32_t>((s.remaining == 0 ? s.retry_after : s.reset).count())};
}

Denial Refusal(DenialKind kind, std::string message, int64_t retry_after_s) {
  Denial d{kind, std::move(message), {}};
  d.retry_after = std::chrono::seconds(retry_after_s);
  return d;
}

}  // namespace

limits::RequestFacts FactsOf(const Request& request) {
  limits::RequestFacts f;
  f.route = request.backend != nullptr ? std::string_view(request.backend->name()) : std::string_view();
  f.method = request.method;
  if (request.method == "tools/call") {
    if (const auto name = request.params.find("name"); name != request.params.end() && name->is_string()) {
      f.tool = name->get_ref<const std::string&>();
    }
  }
  f.subject = request.principal.subject;
  f.client = request.principal.client_id;
  f.tenant = request.principal.tenant;
  f.source = request.source_address;
  return f;
}

RateLimit::RateLimit(std::vector<config::LimitPolicy> policies, limits::Limiter& limiter, RateLimitOptions options)
    : policies_(std::make_shared<const std::vector<config::LimitPolicy>>(std::move(policies))),
      limiter_(limiter),
      options_(std::move(options)) {}

void RateLimit::ReplacePolicies(std::vector<config::LimitPolicy> policies) {
  policies_.store(std::make_shared<const std::vector<config::LimitPolicy>>(std::move(policies)));
}

bool RateLimit::Waits(const Request& /*request*/) const {
  // Not "does a policy apply": that reads the policy set once here and again
  // in CheckAsync, and a reload in between would send a request that must
  // wait to Check. CheckAsync answers at once when none applies.
  return options_.limiter_waits;
}

std::optional<Denial> RateLimit::Check(const Request& request) const {
  const Policies policies = policies_.load();
  std::vector<limits::Charge> charges = limits::ChargesFor(*policies, FactsOf(request));
  if (charges.empty()) return std::nullopt;
  if (options_.limiter_waits) {
    // Only the callback form may wait for a store (Pipeline::Run with `done`).
    return Refusal(DenialKind::kUnavailable, "Rate limiting needs the asynchronous pipeline; retry shortly", 1);
  }
  // The local limiter answers inline.
  std::optional<Denial> denial;
  bool answered = false;
  limiter_.Decide(std::move(charges), options_.clock(), [&](limits::Decision d) {
    denial = Judge(request, d);
    answered = true;
  });
  if (!answered) {
    return Refusal(DenialKind::kUnavailable, "Rate limiting could not decide in time; retry shortly", 1);
  }
  return denial;
}

void RateLimit::CheckAsync(const Request& request, Done done) const {
  Policies policies = policies_.load();
  std::vector<limits::Charge> charges = limits::ChargesFor(*policies, FactsOf(request));
  if (charges.empty()) return done(std::nullopt);
  // The charges point into `policies`: kept alive until the decision.
  limiter_.Decide(std::move(charges), options_.clock(),
                  [this, &request, policies = std::move(policies), done = std::move(done)](limits::Decision d) {
                    done(Judge(request, d));
                  });
}

std::optional<Denial> RateLimit::Judge(const Request& request, const limits::Decision& decision) const {
  metrics::Metrics* m = options_.metrics;
  if (decision.allowed) {
    for (const limits::PolicyState& s : decision.states) {
      if (m == nullptr) break;
      m->RecordRateLimitDecision(s.policy, decision.local_fallback ? "fail_open" : "allowed");
      if (s.used * 100 >= s.limit * options_.near_limit_percent) m->RecordRateLimitNearLimit(s.policy);
    }
    if (options_.headers_always) {
      request.granted_limits.clear();
      for (const limits::PolicyState& s : decision.states) request.granted_limits.push_back(StateOf(s));
    }
    return std::nullopt;
  }
  if (decision.states.empty()) {  // no Limiter refuses without saying which policy
    return Refusal(DenialKind::kUnavailable, "Rate limiting could not decide; retry shortly", 1);
  }
  const limits::PolicyState& by = decision.states[std::min(decision.denied_by.value_or(0), decision.states.size() - 1)];
  const std::string& policy = by.policy;
  if (decision.store_error && !decision.local_fallback) {
    if (m != nullptr) m->RecordRateLimitDecision(policy, "fail_closed");
    Denial d = Refusal(DenialKind::kUnavailable,
                       "Rate limiting is unavailable: its store cannot be reached and policy \"" + policy +
                           "\" refuses requests meanwhile; retry shortly",
                       1);
    d.policy = policy;
    return d;
  }
  if (m != nullptr) m->RecordRateLimitDecision(policy, "denied");
  Denial d = Refusal(DenialKind::kRateLimited, "", 0);
  d.policy = policy;
  for (const limits::PolicyState& s : decision.states) {
    // Every policy that would refuse now delays the retry, not only the first.
    d.retry_after = std::max(d.retry_after, s.retry_after);
    d.limits.push_back(StateOf(s));
  }
  d.message = "Rate limit exceeded: policy \"" + policy + "\" allows " + std::to_string(by.limit) + " requests per " +
              std::to_string(by.window.count()) + " s; retry after " + std::to_string(d.retry_after.count()) + " s";
  return d;
}

}  // namespace mcpgw::pipeline
