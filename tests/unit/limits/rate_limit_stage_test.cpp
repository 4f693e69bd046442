// The rate-limit stage inside the core, against the real example plugin and
// an injected clock: the 429 answer (status, Retry-After, RateLimit-Policy,
// RateLimit, JSON-RPC error -32029), the 503 of a fail-closed policy, and the
// pipeline continuing when the limiter answers later from another thread.
#include "limits/local_limiter.h"
#include "limits/window.h"
#include "mcp/backend.h"
#include "mcp/core.h"
#include "pipeline/rate_limit.h"
#include "pipeline/validate_arguments.h"
#include "plugin/plugin_library.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <thread>

namespace mcpgw::pipeline {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

class RecordingResponder final : public mcp::Responder {
 public:
  void Notify(const json&) override {}
  void Finish(mcp::Reply reply) override {
    std::lock_guard lock(mu_);
    reply_ = std::move(reply);
    done_ = true;
    cv_.notify_all();
  }
  mcp::Reply Wait() {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 10s, [this] { return done_; });
    EXPECT_TRUE(done_) << "no reply within 10 s";
    return reply_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  mcp::Reply reply_;
};

// A limiter that answers from its own thread, as the Redis limiter does from
// the Redis client's; it decides with a local limiter, or says the store is
// down when `store_down`. (A test double for the thread hop only: the Redis
// limiter itself is tested against a real redis-server.)
class LaterLimiter final : public limits::Limiter {
 public:
  ~LaterLimiter() override {
    for (auto& t : threads_) t.join();
  }
  void Decide(std::vector<limits::Charge> charges, limits::Clock::time_point now,
              std::function<void(limits::Decision)> done) override {
    threads_.emplace_back([this, charges = std::move(charges), now, done = std::move(done)] {
      std::this_thread::sleep_for(5ms);  // the answer comes after Handle has returned
      limits::Decision d;
      if (store_down) {  // as RedisLimiter says it: a state per charge, the first policy fails closed
        d.allowed = false;
        d.store_error = true;
        d.denied_by = 0;
        for (const limits::Charge& c : charges) d.states.push_back(limits::Assess(*c.policy, {}, 0, false));
      } else {
        d = local.DecideNow(charges, now);
      }
      done(std::move(d));
    });
  }
  void Peek(limits::Charge, limits::Clock::time_point, std::function<void(std::optional<limits::PolicyState>)> done) override {
    done(std::nullopt);
  }
  limits::LocalLimiter local;
  bool store_down = false;

 private:
  std::vector<std::thread> threads_;
};

class RateLimitStageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto lib = std::get<std::shared_ptr<plugin::PluginLibrary>>(
        plugin::PluginLibrary::Load(std::string(MCPGW_PLUGIN_DIR) + "/example.so"));
    plugin::InstanceOptions options{"example", std::filesystem::temp_directory_path().string(), "{}", 2, 4};
    plugin_ = std::move(std::get<std::unique_ptr<plugin::PluginInstance>>(
        plugin::PluginInstance::Create(lib, options, &events_, nullptr)));
    config::Route route{"example", "/mcp/example", "http://127.0.0.1/mcp/example", "example", "", {}};
    auto codec = std::make_shared<session::SessionIdCodec>(std::string(32, 'k'), std::chrono::hours(1));
    backend_ = std::make_shared<mcp::Backend>(route, plugin_.get(), codec, nullptr);
    ASSERT_FALSE(backend_->LoadTools());
    events_.Add(backend_);
    policy_.name = "per-subject";
    policy_.by = {config::LimitDimension::kSubject};
    policy_.limit = 2;
    policy_.window_s = 60;
    policy_.match.tool = "*";
  }
  void TearDown() override { plugin_->Drain(); }

  void Build(limits::Limiter& limiter, bool waits) {
    Pipeline pipeline;
    RateLimitOptions options;
    options.clock = [this] { return now_; };
    options.limiter_waits = waits;
    pipeline.Append(std::make_unique<RateLimit>(std::vector{policy_}, limiter, options));
    pipeline.Append(std::make_unique<ValidateArguments>());
    core_ = std::make_unique<mcp::Core>(std::move(pipeline), mcp::CoreOptions{}, timeouts_, nullptr);
  }

  mcp::Reply Call(const std::string& subject) {
    Request r;
    r.backend = backend_;
    r.id = 7;
    r.method = "tools/call";
    r.params = {{"name", "echo"}, {"arguments", {{"text", "hi"}}}};
    r.era = mcp::Era::kSession;
    r.protocol_version = "2025-11-25";
    r.principal = NamedPrincipal(subject, "acme");
    auto responder = std::make_shared<RecordingResponder>();
    core_->Handle(std::move(r), responder);
    mcp::Reply reply = responder->Wait();
    if (reply.has_message()) reply.message = reply.Json();
    return reply;
  }

  static std::string HeaderOf(const mcp::Reply& reply, const std::string& name) {
    for (const auto& [k, v] : reply.headers) {
      if (k == name) return v;
    }
    return "(absent)";
  }

  timing::TimeoutList timeouts_;
  mcp::PluginEventFanout events_;
  std::unique_ptr<plugin::PluginInstance> plugin_;
  std::shared_ptr<mcp::Backend> backend_;
  std::unique_ptr<mcp::Core> core_;
  config::LimitPolicy policy_;
  // 12 s into a window of 60 s.
  limits::Clock::time_point now_ = limits::Clock::time_point(std::chrono::seconds(60 * 29'000'000 + 12));
};

TEST_F(RateLimitStageTest, AnswersTheCallOverTheLimitWith429RetryAfterAndRateLimitHeaders) {
  limits::LocalLimiter limiter;
  Build(limiter, false);
  EXPECT_EQ(Call("alice").http_status, 200);
  EXPECT_EQ(Call("alice").http_status, 200);
  const mcp::Reply refused = Call("alice");
  EXPECT_EQ(refused.http_status, 429);
  // Two at 12 s: the next passes when they weigh at most one, 30 s into the
  // next window: 48 + 30 = 78 s.
  EXPECT_EQ(HeaderOf(refused, "Retry-After"), "78");
  EXPECT_EQ(HeaderOf(refused, "RateLimit-Policy"), "\"per-subject\";q=2;w=60");
  EXPECT_EQ(HeaderOf(refused, "RateLimit"), "\"per-subject\";r=0;t=78");
  const json& error = refused.message["error"];
  EXPECT_EQ(error["code"], kRateLimitedCode);
  EXPECT_EQ(error["data"]["retryAfter"], 78);
  EXPECT_EQ(error["data"]["policy"], "per-subject");
  EXPECT_EQ(error["data"]["limits"][0]["remaining"], 0);
  EXPECT_EQ(refused.message["id"], 7);
  EXPECT_NE(error["message"].get<std::string>().find("per-subject"), std::string::npos);
  EXPECT_EQ(Call("bob").http_status, 200) << "another subject is not limited";
  now_ += 78s;
  EXPECT_EQ(Call("alice").http_status, 200) << "Retry-After was exact";
}

TEST_F(RateLimitStageTest, ContinuesWhenTheLimiterAnswersLaterFromAnotherThread) {
  LaterLimiter limiter;
  Build(limiter, true);
  const mcp::Reply ok = Call("alice");
  EXPECT_EQ(ok.http_status, 200);
  EXPECT_EQ(ok.message["result"]["content"][0]["text"], "hi") << "dispatched to the plugin after the wait";
  EXPECT_EQ(Call("alice").http_status, 200);
  EXPECT_EQ(Call("alice").http_status, 429);
}

TEST_F(RateLimitStageTest, AFailClosedPolicyAnswers503WhileTheStoreIsDown) {
  LaterLimiter limiter;
  limiter.store_down = true;
  Build(limiter, true);
  const mcp::Reply refused = Call("alice");
  EXPECT_EQ(refused.http_status, 503);
  EXPECT_EQ(HeaderOf(refused, "Retry-After"), "1");
  EXPECT_EQ(refused.message["error"]["code"], -32603);
  EXPECT_EQ(refused.message["error"]["data"]["policy"], "per-subject");
}

TEST_F(RateLimitStageTest, ARequestNoPolicyMatchesNeverAsksTheLimiter) {
  LaterLimiter limiter;
  limiter.store_down = true;  // would refuse everything it is asked
  Build(limiter, true);
  Request r;
  r.backend = backend_;
  r.id = 1;
  r.method = "tools/list";
  r.era = mcp::Era::kSession;
  r.protocol_version = "2025-11-25";
  r.principal = NamedPrincipal("alice", "acme");
  auto responder = std::make_shared<RecordingResponder>();
  core_->Handle(std::move(r), responder);
  EXPECT_EQ(responder->Wait().http_status, 200);
}

}  // namespace
}  // namespace mcpgw::pipeline
