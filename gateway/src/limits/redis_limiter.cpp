#include "limits/redis_limiter.h"

#include "audit/audit.h"
#include "limits/window.h"
#include "log/log.h"

#include <memory>

namespace mcpgw::limits {
namespace {

// KEYS: per policy i, KEYS[2i-1] its current window's counter, KEYS[2i] the
// previous one. ARGV[1] "1" to charge, "0" to look only; then per policy
// ARGV[3i-1] limit, ARGV[3i] window (ms), ARGV[3i+1] elapsed in the window
// (ms). Returns {denied policy (1-based, 0: none), curr1, prev1, curr2, ...}
// with the counts found before charging. Same arithmetic as limits/window.cpp.
constexpr const char* kDecisionLua = R"lua(
local charge = ARGV[1] == '1'
local n = #KEYS / 2
local counts = redis.call('MGET', unpack(KEYS))
local denied = 0
local out = {0}
for i = 1, n do
  local curr = tonumber(counts[2 * i - 1]) or 0
  local prev = tonumber(counts[2 * i]) or 0
  local limit = tonumber(ARGV[3 * i - 1])
  local w = tonumber(ARGV[3 * i])
  local elapsed = tonumber(ARGV[3 * i + 1])
  local weight = (w - elapsed) / w
  local estimate = prev * weight + curr
  if denied == 0 and estimate + 1 > limit then denied = i end
  out[2 * i] = curr
  out[2 * i + 1] = prev
end
out[1] = denied
if charge and denied == 0 then
  for i = 1, n do
    redis.call('INCR', KEYS[2 * i - 1])
    redis.call('PEXPIRE', KEYS[2 * i - 1], 2 * tonumber(ARGV[3 * i]))
  end
end
return out
)lua";

std::string WhyFailed(const redis::Result& r) {
  if (r.status == redis::Result::Status::kTimeout) return "timeout: " + r.message;
  if (r.status == redis::Result::Status::kDisconnected) return "disconnected: " + r.message;
  if (r.value.is_error()) return "error reply: " + r.value.text;
  return "unexpected reply";
}

// The script's answer, checked: nullopt when its shape is not the one sent for.
struct ScriptAnswer {
  std::size_t denied = 0;  // 1-based
  std::vector<WindowCounts> counts;
};
std::optional<ScriptAnswer> ParseAnswer(const redis::Result& r, std::size_t policies) {
  if (!r.ok() || r.value.type != redis::Value::Type::kArray) return std::nullopt;
  const auto& e = r.value.elements;
  if (e.size() != 1 + 2 * policies) return std::nullopt;
  for (const auto& v : e) {
    if (v.type != redis::Value::Type::kInteger || v.integer < 0) return std::nullopt;
  }
  ScriptAnswer a;
  a.denied = static_cast<std::size_t>(e[0].integer);
  if (a.denied > policies) return std::nullopt;
  for (std::size_t i = 0; i < policies; ++i) {
    a.counts.push_back({static_cast<uint64_t>(e[2 + 2 * i].integer), static_cast<uint64_t>(e[1 + 2 * i].integer)});
  }
  return a;
}

}  // namespace

const redis::Script& DecisionScript() {
  static const redis::Script script(kDecisionLua);
  return script;
}

RedisLimiter::RedisLimiter(redis::Client& client, LocalLimiter& fallback, RedisLimiterOptions options)
    : client_(client), fallback_(fallback), options_(std::move(options)) {}

std::string RedisLimiter::CounterKey(const Charge& charge, int64_t index) const {
  return client_.key_prefix() + "rl:" + charge.key + ":" + std::to_string(index);
}

void RedisLimiter::Run(std::vector<Charge> charges, Clock::time_point now, bool charge,
                       std::function<void(const std::vector<Charge>&, const redis::Result&)> on_reply) {
  std::vector<std::string> keys, args;
  keys.reserve(2 * charges.size());
  args.reserve(1 + 3 * charges.size());
  args.emplace_back(charge ? "1" : "0");
  for (const Charge& c : charges) {
    const int64_t window_ms = int64_t{c.policy->window_s} * 1000;
    const WindowPosition at = PositionOf(now, window_ms);
    keys.push_back(CounterKey(c, at.index));
    keys.push_back(CounterKey(c, at.index - 1));
    args.push_back(std::to_string(c.policy->limit));
    args.push_back(std::to_string(window_ms));
    args.push_back(std::to_string(at.elapsed_ms));
  }
  client_.Eval(DecisionScript(), std::move(keys), std::move(args),
               [charges = std::move(charges), on_reply = std::move(on_reply)](redis::Result r) {
                 on_reply(charges, r);
               });
}

void RedisLimiter::Decide(std::vector<Charge> charges, Clock::time_point now, std::function<void(Decision)> done) {
  if (charges.empty()) return done(Decision{});
  Run(std::move(charges), now, true,
      [this, now, resume = ResumeHere(), done = std::move(done)](const std::vector<Charge>& cs,
                                                                 const redis::Result& r) mutable {
        Decision d;
        if (auto answer = ParseAnswer(r, cs.size())) {
          MarkHealthy(true, "");
          d.allowed = answer->denied == 0;
          if (!d.allowed) d.denied_by = answer->denied - 1;
          for (std::size_t i = 0; i < cs.size(); ++i) {
            const int64_t window_ms = int64_t{cs[i].policy->window_s} * 1000;
            d.states.push_back(
                Assess(*cs[i].policy, answer->counts[i], PositionOf(now, window_ms).elapsed_ms, d.allowed));
          }
        } else {
          MarkHealthy(false, WhyFailed(r));
          d = DecideWithoutStore(cs, now);
        }
        Finish(resume, [d = std::move(d), done = std::move(done)]() mutable { done(std::move(d)); });
      });
}

Decision RedisLimiter::DecideWithoutStore(const std::vector<Charge>& charges, Clock::time_point now) {
  for (std::size_t i = 0; i < charges.size(); ++i) {
    if (charges[i].policy->on_redis_down != config::FailMode::kClosed) continue;
    Decision d;
    d.allowed = false;
    d.store_error = true;
    d.denied_by = i;
    for (const Charge& c : charges) {
      const int64_t window_ms = int64_t{c.policy->window_s} * 1000;
      d.states.push_back(Assess(*c.policy, {}, PositionOf(now, window_ms).elapsed_ms, false));
    }
    return d;
  }
  Decision d = fallback_.DecideNow(charges, now);
  d.store_error = true;
  d.local_fallback = true;
  return d;
}

void RedisLimiter::Peek(Charge charge, Clock::time_point now, std::function<void(std::optional<PolicyState>)> done) {
  std::vector<Charge> one{std::move(charge)};
  Run(std::move(one), now, false,
      [this, now, resume = ResumeHere(), done = std::move(done)](const std::vector<Charge>& cs,
                                                                 const redis::Result& r) mutable {
        std::optional<PolicyState> state;
        if (auto answer = ParseAnswer(r, 1)) {
          MarkHealthy(true, "");
          const int64_t window_ms = int64_t{cs[0].policy->window_s} * 1000;
          state = Assess(*cs[0].policy, answer->counts[0], PositionOf(now, window_ms).elapsed_ms, false);
        } else {
          MarkHealthy(false, WhyFailed(r));
        }
        Finish(resume, [state = std::move(state), done = std::move(done)]() mutable { done(std::move(state)); });
      });
}

void RedisLimiter::Finish(const Resume& resume, std::function<void()> work) {
  if (resume) return resume(std::move(work));
  work();
}

void RedisLimiter::MarkHealthy(bool healthy, std::string_view reason) {
  if (healthy_.load(std::memory_order_relaxed) == healthy) return;
  if (healthy_.exchange(healthy) == healthy) return;  // another thread marked it first
  if (healthy) {
    log::Info("rate_limit_store_recovered");
    audit::Record("rate_limit_store", {{"state", "healthy"}});
  } else {
    log::Warn("rate_limit_store_degraded", {{"reason", reason}});
    audit::Record("rate_limit_store", {{"state", "degraded"}, {"reason", reason}});
  }
  if (options_.on_store_state) options_.on_store_state(healthy);
}

}  // namespace mcpgw::limits
