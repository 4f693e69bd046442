// The Redis limiter against a real redis-server on a random port, with the
// gateway's clock injected: boundaries, sliding, several policies, threads
// through one pipelined connection, decisions of one event-loop turn in one
// script call on the thread's own connection, NOSCRIPT recovery, and the
// fail modes while Redis is stopped, with recovery when it comes back.
#include "audit/audit.h"
#include "limits/charges.h"
#include "limits/redis_limiter.h"
#include "support/eventually.h"
#include "support/redis_server.h"
#include "unit/limits/limit_test_support.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <future>
#include <regex>
#include <sstream>
#include <thread>

namespace mcpgw::limits {
namespace {

using namespace std::chrono_literals;

using testing::Eventually;
using test_support::Facts;
using test_support::Policy;
using test_support::WindowStart;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class RedisLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start()) << server_.Log();
    config::Redis cfg;
    cfg.configured = true;
    cfg.url = server_.url();
    cfg.command_timeout_ms = 500;
    cfg.connect_timeout_ms = 500;
    cfg.reconnect_min_ms = 20;
    cfg.reconnect_max_ms = 100;
    client_ = std::make_unique<redis::Client>(cfg);
    RedisLimiterOptions options;
    options.on_store_state = [this](bool healthy) {
      std::lock_guard lock(mu_);
      transitions_.push_back(healthy);
    };
    limiter_ = std::make_unique<RedisLimiter>(*client_, fallback_, options);
    ASSERT_TRUE(Eventually([this] { return client_->state() == redis::State::kConnected; }, 10s));
  }
  void TearDown() override {
    limiter_.reset();
    client_.reset();
  }

  Decision Decide(const std::vector<config::LimitPolicy>& policies, const RequestFacts& facts, Clock::time_point now) {
    std::promise<Decision> promise;
    auto answer = promise.get_future();
    limiter_->Decide(ChargesFor(policies, facts), now, [&promise](Decision d) { promise.set_value(std::move(d)); });
    EXPECT_EQ(answer.wait_for(5s), std::future_status::ready) << "no decision within 5 s";
    return answer.get();
  }
  bool Allow(const std::vector<config::LimitPolicy>& policies, const RequestFacts& facts, Clock::time_point now) {
    const Decision d = Decide(policies, facts, now);
    EXPECT_FALSE(d.store_error) << "Redis should have decided";
    return d.allowed;
  }
  std::optional<PolicyState> Peek(const config::LimitPolicy& policy, const RequestFacts& facts, Clock::time_point now) {
    std::promise<std::optional<PolicyState>> promise;
    auto answer = promise.get_future();
    limiter_->Peek(Charge{&policy, KeyFor(policy, facts)}, now,
                   [&promise](std::optional<PolicyState> s) { promise.set_value(std::move(s)); });
    EXPECT_EQ(answer.wait_for(5s), std::future_status::ready);
    return answer.get();
  }
  std::vector<bool> transitions() {
    std::lock_guard lock(mu_);
    return transitions_;
  }

  testing::RedisServer server_;
  std::unique_ptr<redis::Client> client_;
  LocalLimiter fallback_;
  std::unique_ptr<RedisLimiter> limiter_;
  std::mutex mu_;
  std::vector<bool> transitions_;
};

TEST_F(RedisLimiterTest, AllowsExactlyTheLimitAndKeepsTwoExpiringCountersPerKey) {
  const std::vector policies{Policy("per-subject", 100, 60)};
  const auto t = WindowStart(60) + 5s;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(Allow(policies, Facts("alice"), t)) << "request " << i + 1;
  const Decision refused = Decide(policies, Facts("alice"), t);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.denied_by, 0u);
  EXPECT_EQ(refused.states[0].remaining, 0u);
  const std::string key = "mcpgw:rl:per-subject:alice:29000000";
  EXPECT_EQ(server_.Cli("GET", key), "100") << "the refused request was not counted";
  const long ttl = std::stol(server_.Cli("PTTL", key));
  EXPECT_GT(ttl, 60'000);
  EXPECT_LE(ttl, 120'000) << "a counter lives two windows";
  EXPECT_EQ(server_.Cli("EXISTS", "mcpgw:rl:per-subject:alice:28999999"), "0");
}

TEST_F(RedisLimiterTest, TheWindowSlidesInsteadOfResetting) {
  const std::vector policies{Policy("per-subject", 10, 60)};
  const auto start = WindowStart(60);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Allow(policies, Facts("alice"), start + 1s));
  int passed = 0;
  while (Allow(policies, Facts("alice"), start + 90s)) ++passed;
  EXPECT_EQ(passed, 5) << "half-way into the next window the previous ten weigh five";
  EXPECT_EQ(Peek(policies[0], Facts("alice"), start + 90s)->retry_after, 6s);
}

TEST_F(RedisLimiterTest, ADeniedRequestChargesNoneOfItsPolicies) {
  const std::vector policies{Policy("per-subject", 5, 60), Policy("per-tenant", 3, 60, {config::LimitDimension::kTenant})};
  const auto t = WindowStart(60) + 1s;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Allow(policies, Facts("alice", "acme"), t));
  for (int i = 0; i < 10; ++i) {
    const Decision d = Decide(policies, Facts("alice", "acme"), t);
    ASSERT_FALSE(d.allowed);
    EXPECT_EQ(d.denied_by, 1u);
  }
  EXPECT_EQ(server_.Cli("GET", "mcpgw:rl:per-subject:alice:29000000"), "3");
  EXPECT_TRUE(Allow(policies, Facts("alice", "globex"), t));
  EXPECT_TRUE(Allow(policies, Facts("alice", "globex"), t));
  const Decision d = Decide(policies, Facts("alice", "globex"), t);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.denied_by, 0u);
  EXPECT_EQ(server_.Cli("GET", "mcpgw:rl:per-tenant:globex:29000000"), "2");
}

TEST_F(RedisLimiterTest, ThreadsHammeringOneKeyGetExactlyTheLimit) {
  const std::vector policies{Policy("per-subject", 500, 60)};
  const auto t = WindowStart(60) + 10s;
  std::atomic<int> allowed{0}, answered{0};
  std::mutex mu;
  std::condition_variable cv;
  constexpr int kThreads = 8, kEach = 250;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < kEach; ++j) {
        limiter_->Decide(ChargesFor(policies, Facts("alice")), t, [&](Decision d) {
          if (d.allowed) ++allowed;
          EXPECT_FALSE(d.store_error);
          std::lock_guard lock(mu);
          ++answered;
          cv.notify_all();
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 20s, [&] { return answered.load() == kThreads * kEach; }));
  EXPECT_EQ(allowed.load(), 500);
  EXPECT_EQ(server_.Cli("GET", "mcpgw:rl:per-subject:alice:29000000"), "500");
}

// How many times Redis ran `command` (lowercase) so far, scripts' calls included.
long Calls(const testing::RedisServer& server, const std::string& command) {
  std::smatch m;
  const std::string stats = server.Cli("INFO", "commandstats");
  return std::regex_search(stats, m, std::regex("cmdstat_" + command + ":calls=([0-9]+)")) ? std::stol(m[1]) : 0;
}
long EvalshaCalls(const testing::RedisServer& server) { return Calls(server, "evalsha"); }

// As the gateway runs it: an event loop with its own Redis connection,
// decisions deferred to the end of the loop's turn and answered on it.
TEST_F(RedisLimiterTest, DecisionsOfOneTurnShareAScriptCallOnTheThreadsOwnConnectionInOrder) {
  boost::asio::io_context loop(1);
  auto guard = boost::asio::make_work_guard(loop);
  std::thread loop_thread([&loop] { loop.run(); });
  config::Redis cfg;
  cfg.configured = true;
  cfg.url = server_.url();
  auto client = std::make_unique<redis::Client>(cfg, std::vector<boost::asio::io_context*>{&loop});
  RedisLimiterOptions options;
  options.resume_here = [&loop]() -> Resume {
    return [&loop](std::function<void()> work) { boost::asio::dispatch(loop, std::move(work)); };
  };
  options.defer_here = [&loop](std::function<void()> work) {
    if (!loop.get_executor().running_in_this_thread()) return false;
    boost::asio::post(loop, std::move(work));
    return true;
  };
  LocalLimiter fallback;
  auto limiter = std::make_unique<RedisLimiter>(*client, fallback, options);
  // Four clients: the fixture's, this client's own connection, the loop's,
  // and redis-cli asking.
  const auto connections = [this] {
    const std::string list = server_.Cli("CLIENT", "LIST");
    const std::regex client_line("(^|\n)id=");
    return std::distance(std::sregex_iterator(list.begin(), list.end(), client_line), std::sregex_iterator());
  };
  ASSERT_TRUE(Eventually([&] { return connections() == 4; }, 10s)) << server_.Cli("CLIENT", "LIST");

  const std::vector one{Policy("per-subject", 100, 60)};
  const std::vector two{Policy("per-subject", 100, 60), Policy("per-tenant", 3, 60, {config::LimitDimension::kTenant})};
  const auto t = WindowStart(60) + 1s;
  std::promise<void> warmed;
  boost::asio::post(loop, [&] {  // loads the script: its NOSCRIPT round is not counted below
    limiter->Decide(ChargesFor(one, Facts("warm-up")), t, [&](Decision) { warmed.set_value(); });
  });
  ASSERT_EQ(warmed.get_future().wait_for(5s), std::future_status::ready);
  const long calls_before = EvalshaCalls(server_);
  const long reads_before = Calls(server_, "mget"), writes_before = Calls(server_, "incrby");

  // 150 decisions for alice (limit 100) and, between them, 10 for bob with a
  // second policy (tenant limit 3), all asked for in one handler.
  std::vector<bool> alice, bob;
  std::vector<uint64_t> alice_remaining;
  std::atomic<int> answered{0};
  std::promise<void> all;
  std::atomic<bool> on_loop{true};
  boost::asio::post(loop, [&] {
    for (int i = 0; i < 160; ++i) {
      const bool for_bob = i % 16 == 15;
      limiter->Decide(ChargesFor(for_bob ? two : one, Facts(for_bob ? "bob" : "alice", "globex")), t, [&, for_bob](Decision d) {
        if (!loop.get_executor().running_in_this_thread()) on_loop = false;
        EXPECT_FALSE(d.store_error);
        (for_bob ? bob : alice).push_back(d.allowed);
        if (!for_bob && !d.states.empty()) alice_remaining.push_back(d.states[0].remaining);
        if (++answered == 160) all.set_value();
      });
    }
  });
  ASSERT_EQ(all.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(on_loop) << "every decision continued on the loop that asked for it";
  EXPECT_EQ(EvalshaCalls(server_) - calls_before, 3) << "160 decisions, at most 64 per script call";
  ASSERT_EQ(alice.size(), 150u);
  ASSERT_EQ(bob.size(), 10u);
  for (std::size_t i = 0; i < alice.size(); ++i) EXPECT_EQ(alice[i], i < 100) << "alice's decision " << i;
  // Each decision saw the charges of the batch's earlier ones, as if alone.
  ASSERT_EQ(alice_remaining.size(), 150u);
  for (std::size_t i = 0; i < alice_remaining.size(); ++i) {
    EXPECT_EQ(alice_remaining[i], i < 100 ? 99 - i : 0) << "alice's decision " << i;
  }
  // Each call read its counters once and wrote each counter it charged once:
  // the first (decisions 0-63) charged alice, bob and globex; the second
  // (64-127) only alice (bob was refused by globex's limit); the third
  // (128-159) nothing.
  EXPECT_EQ(Calls(server_, "mget") - reads_before, 3);
  EXPECT_EQ(Calls(server_, "incrby") - writes_before, 4);
  for (std::size_t i = 0; i < bob.size(); ++i) EXPECT_EQ(bob[i], i < 3) << "bob's decision " << i;
  EXPECT_EQ(server_.Cli("GET", "mcpgw:rl:per-subject:alice:29000000"), "100");
  EXPECT_EQ(server_.Cli("GET", "mcpgw:rl:per-subject:bob:29000000"), "3") << "bob's refusals charged nothing";
  EXPECT_EQ(server_.Cli("GET", "mcpgw:rl:per-tenant:globex:29000000"), "3");

  limiter.reset();
  guard.reset();
  loop.stop();
  loop_thread.join();
  client.reset();  // after its local loop stopped running
}

TEST_F(RedisLimiterTest, ReloadsTheScriptAfterScriptFlush) {
  const std::vector policies{Policy("per-subject", 3, 60)};
  const auto t = WindowStart(60) + 1s;
  ASSERT_TRUE(Allow(policies, Facts("alice"), t));
  ASSERT_EQ(server_.Cli("SCRIPT", "FLUSH"), "OK");
  ASSERT_EQ(server_.Cli("SCRIPT", "EXISTS", DecisionScript().sha1()), "0");
  EXPECT_TRUE(Allow(policies, Facts("alice"), t)) << "NOSCRIPT: loaded again and retried";
  EXPECT_TRUE(Allow(policies, Facts("alice"), t));
  EXPECT_FALSE(Allow(policies, Facts("alice"), t));
  EXPECT_TRUE(transitions().empty()) << "a NOSCRIPT is not an outage";
}

TEST_F(RedisLimiterTest, WhileRedisIsStoppedFailOpenLimitsLocallyAndFailClosedRefuses) {
  testing::TempDir dir;
  const std::string audit_file = dir.path() + "/audit.log";
  ASSERT_EQ(audit::Open(audit_file), "");
  const std::vector open{Policy("per-subject", 3, 60)};
  const std::vector closed{Policy("strict", 100, 60, {config::LimitDimension::kSubject}, config::FailMode::kClosed)};
  const auto t = WindowStart(60) + 1s;
  ASSERT_TRUE(Allow(open, Facts("alice"), t));
  server_.Stop();

  // Fail-open: the local limiter decides, and still limits (3 per window).
  int allowed = 0;
  for (int i = 0; i < 6; ++i) {
    const Decision d = Decide(open, Facts("alice"), t);
    EXPECT_TRUE(d.store_error);
    EXPECT_TRUE(d.local_fallback);
    allowed += d.allowed ? 1 : 0;
  }
  EXPECT_EQ(allowed, 3);
  // Fail-closed: refused, and the limiter says the store is why.
  const Decision refused = Decide(closed, Facts("bob"), t);
  EXPECT_FALSE(refused.allowed);
  EXPECT_TRUE(refused.store_error);
  EXPECT_FALSE(refused.local_fallback);
  EXPECT_FALSE(limiter_->store_healthy());

  ASSERT_TRUE(server_.Restart()) << server_.Log();
  // Recovery needs nothing but Redis answering again.
  Decision back;  // the client reconnects with its backoff
  EXPECT_TRUE(Eventually([&] { return !(back = Decide(closed, Facts("bob"), t)).store_error; }, 10s));
  EXPECT_TRUE(back.allowed);
  EXPECT_TRUE(limiter_->store_healthy());
  EXPECT_EQ(transitions(), (std::vector<bool>{false, true})) << "one transition each way";
  audit::Flush();
  const std::string audit = ReadFile(audit_file);
  audit::Open("");
  const auto degraded = audit.find("\"event\":\"rate_limit_store\"");
  ASSERT_NE(degraded, std::string::npos) << audit;
  EXPECT_NE(audit.find("\"state\":\"degraded\""), std::string::npos) << audit;
  EXPECT_NE(audit.find("\"state\":\"healthy\""), std::string::npos) << audit;
  EXPECT_LT(audit.find("\"state\":\"degraded\""), audit.find("\"state\":\"healthy\""));
}

// Redis back, but refusing the script (an ACL change): still degraded, and
// the reason the operator reads is Redis's refusal, not the outage before.
TEST_F(RedisLimiterTest, StillDegradedForAnotherReasonSaysTheNewReasonWithoutANewTransition) {
  const std::vector open{Policy("per-subject", 3, 60)};
  const auto t = WindowStart(60) + 1s;
  ASSERT_TRUE(Allow(open, Facts("alice"), t));
  EXPECT_EQ(limiter_->store_error(), "");
  server_.Stop();
  EXPECT_TRUE(Decide(open, Facts("alice"), t).store_error);
  EXPECT_TRUE(limiter_->store_error().starts_with("disconnected: ")) << limiter_->store_error();

  ASSERT_TRUE(server_.Restart()) << server_.Log();
  ASSERT_EQ(server_.Cli("ACL", "SETUSER", "default", "-evalsha"), "OK");
  // Each I/O thread's own connection comes back with its backoff: until
  // then a decision still fails as disconnected.
  EXPECT_TRUE(Eventually([&] {
    return Decide(open, Facts("alice"), t).store_error && limiter_->store_error().starts_with("error reply: NOPERM");
  }, 10s)) << limiter_->store_error();
  EXPECT_FALSE(limiter_->store_healthy());

  ASSERT_EQ(server_.Cli("ACL", "SETUSER", "default", "+evalsha"), "OK");
  EXPECT_FALSE(Decide(open, Facts("alice"), t).store_error);
  EXPECT_EQ(limiter_->store_error(), "");
  EXPECT_EQ(transitions(), (std::vector<bool>{false, true})) << "one transition each way, whatever the reasons";
}

}  // namespace
}  // namespace mcpgw::limits
