#include "limits/redis_limiter.h"

#include "audit/audit.h"
#include "limits/window.h"
#include "log/log.h"

#include <algorithm>
#include <memory>
#include <unordered_map>

namespace mcpgw::limits {
namespace {

// One call decides a batch of requests, in order, each as if alone (ADR
// 0020). What a batch sends grows with the counters and kinds of decision
// in it, not with its decisions (ADR 0021): each counter is named once, as a
// slot, and a run of consecutive decisions on the same slots is sent once,
// with its length. KEYS: per slot its current window's counter, then the
// previous one. ARGV: [1] "1" to charge, "0" to look only; [2] the number of
// slots S; per slot its limit, window (ms) and elapsed time in the window
// (ms); then the number of runs; per run its number of decisions k, their
// number of policies n and the n slot numbers (1-based). Returns per
// decision {denied policy (1-based, 0: none), curr1, prev1, curr2, ...} with
// the counts found before charging it, which include the charges of the
// batch's earlier decisions. Same arithmetic as limits/window.cpp (the
// previous count times its weight, plus the current count). Each counter is
// read once and written once per call. A counter expires two windows after
// its first charge, so it is read until the end of the window after its own.
constexpr const char* kDecisionLua = R"lua(
local tonumber = tonumber
local charge = ARGV[1] == '1'
local slots = tonumber(ARGV[2])
local c = redis.call('MGET', unpack(KEYS, 1, 2 * slots))
-- MGET's answer is the call's state. Per slot s: c[2s-1] its current count
-- plus what this call charged it so far, c[2s] its previous count; c[x+3s-2]
-- the previous count times its weight, c[x+3s-1] its limit, c[x+3s] what this
-- call charged it; c[these+i] the slot of the current run's i-th policy.
-- (One table: each table a script makes costs more than the arithmetic.)
local x = 2 * slots
for s = 1, slots do
  local w = tonumber(ARGV[3 * s + 1])
  local prev = tonumber(c[2 * s]) or 0
  c[2 * s - 1] = tonumber(c[2 * s - 1]) or 0
  c[2 * s] = prev
  c[x + 3 * s - 2] = prev * ((w - tonumber(ARGV[3 * s + 2])) / w)
  c[x + 3 * s - 1] = tonumber(ARGV[3 * s])
  c[x + 3 * s] = 0
end
local these = 5 * slots
local a = 3 * slots + 3
local out, at = {}, 1
for run = 1, tonumber(ARGV[a]) do
  local k, n = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  for i = 1, n do c[these + i] = tonumber(ARGV[a + 2 + i]) end
  for d = 1, k do
    local denied = 0
    for i = 1, n do
      local s = c[these + i]
      local curr = c[2 * s - 1]
      if denied == 0 and c[x + 3 * s - 2] + curr + 1 > c[x + 3 * s - 1] then denied = i end
      out[at + 2 * i - 1] = curr
      out[at + 2 * i] = c[2 * s]
    end
    out[at] = denied
    if charge and denied == 0 then
      for i = 1, n do
        local s = c[these + i]
        c[2 * s - 1] = c[2 * s - 1] + 1
        c[x + 3 * s] = c[x + 3 * s] + 1
      end
    end
    at = at + 1 + 2 * n
  end
  a = a + 2 + n
end
for s = 1, slots do
  local added = c[x + 3 * s]
  if added > 0 and redis.call('INCRBY', KEYS[2 * s - 1], added) == added then
    redis.call('PEXPIRE', KEYS[2 * s - 1], 2 * tonumber(ARGV[3 * s + 1]))
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

// Where each decision's answer starts in the script's reply (its denied
// policy, 1-based or 0, then per policy the current and previous counts),
// for a batch of decisions with these numbers of policies; empty when the
// reply is not the shape sent for.
std::vector<std::size_t> AnswerOffsets(const redis::Result& r, const std::vector<std::size_t>& policies) {
  if (!r.ok() || r.value.type != redis::Value::Type::kArray) return {};
  const auto& e = r.value.elements;
  std::size_t expected = 0;
  for (std::size_t n : policies) expected += 1 + 2 * n;
  if (e.size() != expected) return {};
  for (const auto& v : e) {
    if (v.type != redis::Value::Type::kInteger || v.integer < 0) return {};
  }
  std::vector<std::size_t> offsets;
  offsets.reserve(policies.size());
  std::size_t at = 0;
  for (std::size_t n : policies) {
    if (static_cast<std::size_t>(e[at].integer) > n) return {};
    offsets.push_back(at);
    at += 1 + 2 * n;
  }
  return offsets;
}

WindowCounts CountsAt(const redis::Result& r, std::size_t offset, std::size_t policy) {
  const auto& e = r.value.elements;
  return WindowCounts{.prev = static_cast<uint64_t>(e[offset + 2 + 2 * policy].integer),
                      .curr = static_cast<uint64_t>(e[offset + 1 + 2 * policy].integer)};
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

thread_local std::unordered_map<const RedisLimiter*, std::vector<RedisLimiter::Queued>> RedisLimiter::open_batches_;

void RedisLimiter::Run(std::vector<const std::vector<Charge>*> decisions, Clock::time_point now, bool charge,
                       std::function<void(const redis::Result&)> on_reply) {
  // A slot per distinct counter: decisions of one subject, tenant or route
  // in a batch share theirs (a key names its policy, so it fixes the rest).
  std::vector<const Charge*> slots;
  std::vector<std::string> keys;
  std::vector<std::string> args{charge ? "1" : "0", ""};  // [1], the number of slots, is known after the loop
  struct DecisionRun {  // consecutive decisions on the same slots
    std::size_t decisions = 0;
    std::vector<std::size_t> slots;  // 1-based
  };
  std::vector<DecisionRun> runs;
  std::vector<std::size_t> these;
  for (const std::vector<Charge>* charges : decisions) {
    these.clear();
    for (const Charge& c : *charges) {
      auto found = std::find_if(slots.begin(), slots.end(), [&](const Charge* s) { return s->key == c.key; });
      if (found == slots.end()) {
        const int64_t window_ms = int64_t{c.policy->window_s} * 1000;
        const WindowPosition at = PositionOf(now, window_ms);
        keys.push_back(CounterKey(c, at.index));
        keys.push_back(CounterKey(c, at.index - 1));
        args.push_back(std::to_string(c.policy->limit));
        args.push_back(std::to_string(window_ms));
        args.push_back(std::to_string(at.elapsed_ms));
        found = slots.insert(slots.end(), &c);
      }
      these.push_back(static_cast<std::size_t>(found - slots.begin()) + 1);
    }
    if (runs.empty() || runs.back().slots != these) runs.push_back(DecisionRun{0, these});
    ++runs.back().decisions;
  }
  args[1] = std::to_string(slots.size());
  args.push_back(std::to_string(runs.size()));
  for (const DecisionRun& run : runs) {
    args.push_back(std::to_string(run.decisions));
    args.push_back(std::to_string(run.slots.size()));
    for (std::size_t slot : run.slots) args.push_back(std::to_string(slot));
  }
  client_.Eval(DecisionScript(), std::move(keys), std::move(args), std::move(on_reply));
}

void RedisLimiter::Decide(std::vector<Charge> charges, Clock::time_point now, std::function<void(Decision)> done) {
  if (charges.empty()) return done(Decision{});
  Queued q{std::move(charges), now, ResumeHere(), std::move(done)};
  auto open = open_batches_.find(this);
  if (open == open_batches_.end()) {
    // The first decision of this turn: it opens the thread's batch, sent
    // after the turn's other handlers (which may join it), or alone when
    // this thread cannot defer work.
    const auto send_later = [this] {
      auto it = open_batches_.find(this);
      if (it == open_batches_.end()) return;  // sent when it filled up
      std::vector<Queued> items = std::move(it->second);
      open_batches_.erase(it);
      SendBatch(std::move(items));
    };
    if (!options_.defer_here || !options_.defer_here(send_later)) {
      std::vector<Queued> one;
      one.push_back(std::move(q));
      return SendBatch(std::move(one));
    }
    open = open_batches_.emplace(this, std::vector<Queued>{}).first;
  }
  open->second.push_back(std::move(q));
  if (open->second.size() >= kMaxBatch) {
    std::vector<Queued> full = std::move(open->second);
    open_batches_.erase(open);
    SendBatch(std::move(full));
  }
}

void RedisLimiter::SendBatch(std::vector<Queued> batch) {
  // Every decision of a batch is timed at the first one's `now`: they were
  // asked for within one turn of the event loop.
  const Clock::time_point now = batch.front().now;
  std::vector<const std::vector<Charge>*> decisions;
  for (const Queued& q : batch) decisions.push_back(&q.charges);
  auto items = std::make_shared<std::vector<Queued>>(std::move(batch));
  Run(std::move(decisions), now, true, [this, now, items](const redis::Result& r) {
    std::vector<std::size_t> policies;
    for (const Queued& q : *items) policies.push_back(q.charges.size());
    const std::vector<std::size_t> answers = AnswerOffsets(r, policies);
    if (answers.empty()) {
      MarkHealthy(false, WhyFailed(r));
    } else {
      MarkHealthy(true, "");
    }
    for (std::size_t k = 0; k < items->size(); ++k) {
      Queued& q = (*items)[k];
      Decision d;
      if (answers.empty()) {
        d = DecideWithoutStore(q.charges, q.now);
      } else {
        const auto denied = static_cast<std::size_t>(r.value.elements[answers[k]].integer);
        d.allowed = denied == 0;
        if (!d.allowed) d.denied_by = denied - 1;
        d.states.reserve(q.charges.size());
        for (std::size_t i = 0; i < q.charges.size(); ++i) {
          const int64_t window_ms = int64_t{q.charges[i].policy->window_s} * 1000;
          d.states.push_back(Assess(*q.charges[i].policy, CountsAt(r, answers[k], i),
                                    PositionOf(now, window_ms).elapsed_ms, d.allowed));
        }
      }
      Finish(q.resume, [d = std::move(d), done = std::move(q.done)]() mutable { done(std::move(d)); });
    }
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
  auto charges = std::make_shared<std::vector<Charge>>(std::vector<Charge>{std::move(charge)});
  Run({charges.get()}, now, false,
      [this, now, charges, resume = ResumeHere(), done = std::move(done)](const redis::Result& r) mutable {
        std::optional<PolicyState> state;
        const std::vector<std::size_t> answers = AnswerOffsets(r, {1});
        if (!answers.empty()) {
          MarkHealthy(true, "");
          const Charge& c = charges->front();
          const int64_t window_ms = int64_t{c.policy->window_s} * 1000;
          state = Assess(*c.policy, CountsAt(r, answers[0], 0), PositionOf(now, window_ms).elapsed_ms, false);
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

std::string RedisLimiter::store_error() const {
  std::lock_guard lock(health_mu_);
  return store_error_;
}

void RedisLimiter::MarkHealthy(bool healthy, std::string_view reason) {
  if (healthy && healthy_.load(std::memory_order_relaxed)) return;  // the request path, with Redis answering
  // Under the lock, so that the transitions reach the log, the audit and the
  // metric in the order they happened.
  std::lock_guard lock(health_mu_);
  if (!healthy && reason == store_error_) return;
  store_error_ = healthy ? "" : std::string(reason);
  if (healthy_.exchange(healthy) == healthy) {
    // Still degraded, for another reason (not connected, then NOPERM once
    // it is): the reason is news, the state is not.
    if (!healthy) log::Warn("rate_limit_store_degraded", {{"reason", reason}});
    return;
  }
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
