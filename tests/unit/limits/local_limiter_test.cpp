// The sliding-window counter through the local limiter, with an injected
// clock: exact boundaries, sliding (not resetting), several policies on one
// request, keys per dimension, threads, and the error bound of ADR 0013.
#include "limits/charges.h"
#include "limits/local_limiter.h"
#include "limits/window.h"
#include "unit/limits/limit_test_support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <thread>

namespace mcpgw::limits {
namespace {

using namespace std::chrono_literals;

using test_support::Facts;
using test_support::Policy;
using test_support::WindowStart;

bool Allow(LocalLimiter& limiter, const std::vector<config::LimitPolicy>& policies, const RequestFacts& facts,
           Clock::time_point now) {
  return limiter.DecideNow(ChargesFor(policies, facts), now).allowed;
}

TEST(LocalLimiter, AllowsExactlyTheLimitInAWindowAndRefusesTheNextRequest) {
  LocalLimiter limiter;
  const std::vector policies{Policy("per-subject", 100, 60)};
  const auto t = WindowStart(60) + 5s;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(Allow(limiter, policies, Facts("alice"), t)) << "request " << i + 1;
  const Decision refused = limiter.DecideNow(ChargesFor(policies, Facts("alice")), t);
  EXPECT_FALSE(refused.allowed);
  ASSERT_TRUE(refused.denied_by);
  EXPECT_EQ(*refused.denied_by, 0u);
  EXPECT_EQ(refused.states[0].remaining, 0u);
  EXPECT_EQ(refused.states[0].used, 100u);
}

TEST(LocalLimiter, TheWindowSlidesInsteadOfResetting) {
  LocalLimiter limiter;
  const std::vector policies{Policy("per-subject", 10, 60)};
  const auto start = WindowStart(60);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Allow(limiter, policies, Facts("alice"), start + 1s));
  // Half-way into the next window the previous ten still weigh five: a
  // fixed window would allow ten here, the sliding window five.
  const auto half = start + 60s + 30s;
  int passed = 0;
  while (Allow(limiter, policies, Facts("alice"), half)) ++passed;
  EXPECT_EQ(passed, 5);
  // At the very start of the next window, the full previous count still weighs.
  LocalLimiter fresh;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Allow(fresh, policies, Facts("bob"), start + 59s));
  EXPECT_FALSE(Allow(fresh, policies, Facts("bob"), start + 60s));
  // Two windows later nothing weighs any more.
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(Allow(fresh, policies, Facts("bob"), start + 120s));
}

TEST(LocalLimiter, PassesOnlyIfEveryPolicyPassesAndADeniedRequestChargesNone) {
  LocalLimiter limiter;
  const std::vector policies{Policy("per-subject", 5, 60), Policy("per-tenant", 3, 60, {config::LimitDimension::kTenant})};
  const auto t = WindowStart(60) + 1s;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Allow(limiter, policies, Facts("alice", "acme"), t));
  for (int i = 0; i < 10; ++i) {
    const Decision d = limiter.DecideNow(ChargesFor(policies, Facts("alice", "acme")), t);
    ASSERT_FALSE(d.allowed);
    EXPECT_EQ(d.denied_by, 1u) << "the tenant's policy refuses";
  }
  // The ten refusals did not charge alice's own policy: in another tenant
  // she still has exactly 5 - 3 = 2.
  EXPECT_EQ(limiter.PeekNow(ChargesFor(policies, Facts("alice", "acme"))[0], t)->remaining, 2u);
  EXPECT_TRUE(Allow(limiter, policies, Facts("alice", "globex"), t));
  EXPECT_TRUE(Allow(limiter, policies, Facts("alice", "globex"), t));
  const Decision d = limiter.DecideNow(ChargesFor(policies, Facts("alice", "globex")), t);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.denied_by, 0u) << "now alice's own policy refuses";
  // ...and that refusal did not charge globex's tenant budget (2 of 3 used).
  EXPECT_EQ(limiter.PeekNow(ChargesFor(policies, Facts("bob", "globex"))[1], t)->remaining, 1u);
}

TEST(LocalLimiter, CountsEachDimensionValueUnderItsOwnKey) {
  LocalLimiter limiter;
  const std::vector per_subject{Policy("per-subject", 2, 60)};
  const auto t = WindowStart(60) + 1s;
  ASSERT_TRUE(Allow(limiter, per_subject, Facts("alice", "acme"), t));
  ASSERT_TRUE(Allow(limiter, per_subject, Facts("alice", "globex"), t));  // same subject, shared count
  EXPECT_FALSE(Allow(limiter, per_subject, Facts("alice", "initech"), t));
  EXPECT_TRUE(Allow(limiter, per_subject, Facts("bob"), t)) << "another subject has its own count";

  const std::vector per_tool{Policy("per-tool", 1, 60, {config::LimitDimension::kSubject, config::LimitDimension::kTool})};
  RequestFacts read = Facts("carol");
  RequestFacts write = Facts("carol");
  write.tool = "create_entities";
  EXPECT_TRUE(Allow(limiter, per_tool, read, t));
  EXPECT_FALSE(Allow(limiter, per_tool, read, t));
  EXPECT_TRUE(Allow(limiter, per_tool, write, t)) << "another tool has its own count";
}

TEST(Charges, KeysNameThePolicyAndEscapeOrHashTheValues) {
  const auto p = Policy("p", 1, 60, {config::LimitDimension::kSubject, config::LimitDimension::kClient,
                                     config::LimitDimension::kTool});
  RequestFacts f = Facts("alice");
  f.method = "resources/read";
  f.tool = "";
  EXPECT_EQ(KeyFor(p, f), "p:alice:-:-") << "missing values count as -";
  f.subject = "a:b c";
  EXPECT_EQ(KeyFor(p, f), "p:a%3Ab%20c:-:-") << "no separator or space survives";
  f.subject = "-";
  EXPECT_EQ(KeyFor(p, f), "p:%2D:-:-") << "a literal - is not the missing value";
  const std::string long_subject(200, 'x');  // RequestFacts holds views: the string must outlive them
  f.subject = long_subject;
  const std::string key = KeyFor(p, f);
  EXPECT_EQ(key.size(), std::string("p::-:-").size() + 33);
  EXPECT_EQ(key.find(std::string(65, 'x')), std::string::npos) << "long values are hashed";
  EXPECT_EQ(KeyPart(std::string(200, 'x')), KeyPart(std::string(200, 'x')));
  EXPECT_NE(KeyPart(std::string(200, 'x')), KeyPart(std::string(200, 'y')));
  EXPECT_EQ(KeyFor(Policy("global", 1, 60, {}), f), "global:*");
}

TEST(Charges, MatchByRouteToolPatternAndMethod) {
  auto p = Policy("p", 1, 60);
  RequestFacts f = Facts("alice");
  EXPECT_TRUE(Applies(p, f)) << "an empty match applies to everything";
  p.match.tool = "read_*";
  EXPECT_TRUE(Applies(p, f));
  f.tool = "create_entities";
  EXPECT_FALSE(Applies(p, f));
  p.match.tool = "*";
  f.method = "tools/list";
  f.tool = "";
  EXPECT_FALSE(Applies(p, f)) << "a tool match implies tools/call";
  p.match = {};
  p.match.method = "tools/list";
  EXPECT_TRUE(Applies(p, f));
  p.match.route = "git";
  EXPECT_FALSE(Applies(p, f));
  p.match.route = "memory";
  EXPECT_TRUE(Applies(p, f));
}

TEST(LocalLimiter, EightThreadsOnOneKeyNeverExceedTheLimit) {
  LocalLimiter limiter;
  const std::vector policies{Policy("per-subject", 500, 60), Policy("per-tenant", 100'000, 60,
                                                                    {config::LimitDimension::kTenant})};
  const auto t = WindowStart(60) + 10s;
  std::atomic<int> passed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 1'000; ++j) {
        if (Allow(limiter, policies, Facts("alice"), t)) ++passed;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(passed.load(), 500);
  EXPECT_EQ(limiter.PeekNow(ChargesFor(policies, Facts("alice"))[1], t)->remaining, 100'000u - 500u)
      << "refused requests charged the other policy";
}

TEST(LocalLimiter, KeepsAtMostItsBoundAndSweepsIdleKeys) {
  LocalLimiter limiter(16 * 64);  // 64 keys per shard
  const std::vector policies{Policy("per-subject", 10, 60)};
  const auto t = WindowStart(60) + 1s;
  int refused = 0;
  for (int i = 0; i < 3'000; ++i) refused += Allow(limiter, policies, Facts("user" + std::to_string(i)), t) ? 0 : 1;
  EXPECT_EQ(limiter.size(), 1'024u);
  EXPECT_EQ(refused, 3'000 - 1'024) << "a full map refuses new keys rather than dropping live counts";
  EXPECT_FALSE(Allow(limiter, policies, Facts("newcomer"), t + 60s)) << "a key of the last window still counts";
  // Two windows later every key is idle: new ones take their place.
  for (int i = 0; i < 200; ++i) EXPECT_TRUE(Allow(limiter, policies, Facts("later" + std::to_string(i)), t + 121s));
  EXPECT_LE(limiter.size(), 200u);
}

TEST(Window, RetryAfterRemainingAndResetHaveExactValues) {
  const auto p = Policy("per-subject", 10, 60);
  // Ten requests 12 s into a fresh window: the next passes once the count
  // weighs at most nine, 6 s into the next window (48 + 6 = 54 s).
  PolicyState s = Assess(p, {0, 10}, 12'000, false);
  EXPECT_EQ(s.remaining, 0u);
  EXPECT_EQ(s.retry_after, 54s);
  EXPECT_EQ(s.reset, 60s);
  // The previous window full, 30 s into this one with nothing yet: the
  // estimate is 5, five pass now.
  s = Assess(p, {10, 0}, 30'000, false);
  EXPECT_EQ(s.remaining, 5u);
  EXPECT_EQ(s.used, 5u);
  EXPECT_EQ(s.retry_after, 0s);
  EXPECT_EQ(s.reset, 30s);
  // ...and after those five the next passes when prev weighs 4: at 36 s, 6 s on.
  s = Assess(p, {10, 5}, 30'000, false);
  EXPECT_EQ(s.remaining, 0u);
  EXPECT_EQ(s.retry_after, 6s);
  // The answer is right: one more passes at exactly that time, not before.
  EXPECT_TRUE(Passes(10, Estimate(10, 5, 60'000, 36'000)));
  EXPECT_FALSE(Passes(10, Estimate(10, 5, 60'000, 35'999)));
}

// ADR 0013's bound: in an interval of length W aligned to the fixed windows
// at most `limit` pass; in an arbitrary interval of length W fewer than
// 2 * limit do. The worst case: the whole budget spent at the very end of a
// window, then every request the next window lets through as early as it can.
TEST(LocalLimiter, AnAdversaryGetsCloseToButNeverTwiceTheLimitIntoOneWindowLength) {
  constexpr uint64_t kLimit = 100;
  LocalLimiter limiter;
  const std::vector policies{Policy("per-subject", kLimit, 60)};
  const auto start = WindowStart(60);
  const auto burst = start + 60s - 1ms;
  int in_interval = 0;
  for (uint64_t i = 0; i < kLimit; ++i) in_interval += Allow(limiter, policies, Facts("eve"), burst) ? 1 : 0;
  ASSERT_EQ(in_interval, 100);
  int in_next_window = 0;
  for (auto t = start + 60s; t < burst + 60s; t += 10ms) {
    while (Allow(limiter, policies, Facts("eve"), t)) ++in_next_window, ++in_interval;
  }
  EXPECT_LE(in_next_window, 100) << "an aligned window never holds more than the limit";
  EXPECT_LT(in_interval, 200) << "the bound: fewer than 2 * limit in any interval of length W";
  EXPECT_GE(in_interval, 195) << "and the adversary gets close to it";
}

TEST(LocalLimiter, SteadyTrafficStaysWithinTheLimitOverEverySlidingInterval) {
  constexpr uint64_t kLimit = 100;
  LocalLimiter limiter;
  const std::vector policies{Policy("per-subject", kLimit, 60)};
  const auto start = WindowStart(60) + 17s;
  const auto measured = start + 180s;  // after the cold start (a first burst, bounded by 2 * limit, see above)
  std::deque<Clock::time_point> passed;  // inside the last W
  std::size_t most = 0, total = 0;
  // Twice the allowed rate, one attempt every 300 ms, for twenty windows.
  for (auto t = start; t < start + 1200s; t += 300ms) {
    if (!Allow(limiter, policies, Facts("steady"), t)) continue;
    passed.push_back(t);
    while (passed.front() <= t - 60s) passed.pop_front();
    if (t < measured) continue;
    ++total;
    most = std::max(most, passed.size());
  }
  EXPECT_LE(most, kLimit) << "steady traffic: at most the limit over any interval of W";
  EXPECT_GE(total, 17 * (kLimit - 2)) << "and the limit is used, not undercut (17 windows measured)";
}

}  // namespace
}  // namespace mcpgw::limits
