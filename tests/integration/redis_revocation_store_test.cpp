// The shared revocation store against a real redis-server: two stores (two
// replicas) on one Redis see each other's changes through pub/sub; a change
// written behind their back is picked up by the full resync; with AOF, a
// restart of Redis loses nothing; and the list turns stale while Redis is
// away and fresh again when it is back.
#include "redis/client.h"
#include "revocation/redis_store.h"
#include "support/delay_proxy.h"
#include "support/eventually.h"
#include "support/redis_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>
#include <memory>
#include <thread>

namespace mcpgw::revocation {
namespace {

using namespace std::chrono_literals;
using testing::Eventually;

// One replica's view: its own client and store (the store goes first).
struct Replica {
  Replica(const std::string& url, uint32_t max_staleness_s = 60, uint32_t resync_s = 1,
          uint32_t command_timeout_ms = 1000, const std::string& username = "", const std::string& password_env = "") {
    config::Redis redis;
    redis.configured = true;
    redis.url = url;
    redis.reconnect_max_ms = 200;
    redis.command_timeout_ms = command_timeout_ms;
    redis.username = username;
    redis.password_env = password_env;
    client = std::make_unique<redis::Client>(redis);
    config::Revocation revocation;
    revocation.resync_s = resync_s;
    revocation.max_staleness_s = max_staleness_s;
    store = std::make_unique<RedisStore>(*client, revocation);
  }
  std::pair<bool, std::string> Call(const std::function<void(Store::Done)>& f) {
    std::promise<std::pair<bool, std::string>> said;
    f([&](bool ok, std::string error) { said.set_value({ok, std::move(error)}); });
    auto future = said.get_future();
    if (future.wait_for(5s) != std::future_status::ready) return {false, "no answer in 5 s"};
    return future.get();
  }
  std::pair<bool, std::string> Revoke(Kind kind, const std::string& value) {
    Entry e;
    e.kind = kind;
    e.value = value;
    e.created = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    e.before = e.created;
    e.by = "ops";
    return Call([&](Store::Done done) { store->Add(e, std::move(done)); });
  }

  std::unique_ptr<redis::Client> client;
  std::unique_ptr<RedisStore> store;
};

class RedisRevocationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::RedisServerOptions options;
    options.appendonly = true;
    server_ = std::make_unique<testing::RedisServer>(options);
    ASSERT_TRUE(server_->Start()) << server_->Log();
  }
  std::unique_ptr<testing::RedisServer> server_;
};

TEST_F(RedisRevocationStoreTest, TwoReplicasSeeEachOthersRevocationsAndWithdrawals) {
  Replica a(server_->url()), b(server_->url());
  ASSERT_TRUE(a.store->WaitForFirstSync(5s));
  ASSERT_TRUE(b.store->WaitForFirstSync(5s));
  auto [ok, error] = a.Revoke(Kind::kSubject, "alice");
  ASSERT_TRUE(ok) << error;
  EXPECT_TRUE(a.store->list().Find(Kind::kSubject, "alice")) << "the writer has it when done runs";
  ASSERT_TRUE(Eventually([&] { return b.store->list().Find(Kind::kSubject, "alice").has_value(); }));
  EXPECT_EQ(b.store->list().Find(Kind::kSubject, "alice")->by, "ops");

  std::tie(ok, error) = b.Call([&](Store::Done done) { b.store->Withdraw(Kind::kSubject, "alice", std::move(done)); });
  ASSERT_TRUE(ok) << error;
  ASSERT_TRUE(Eventually([&] { return !a.store->list().Find(Kind::kSubject, "alice").has_value(); }));

  std::tie(ok, error) = a.Call([&](Store::Done done) { a.store->Withdraw(Kind::kSubject, "alice", std::move(done)); });
  EXPECT_FALSE(ok);
  EXPECT_EQ(error, "subject \"alice\" is not revoked");
}

TEST_F(RedisRevocationStoreTest, AWithdrawAnsweredAfterANewerRevocationDoesNotUndoIt) {
  // Replica a's command replies come late (a proxy holds them); its
  // subscription does not. No periodic resync may repair the outcome, and
  // the held reply must not count as a timeout.
  testing::DelayProxy proxy(server_->port());
  Replica a("redis://127.0.0.1:" + std::to_string(proxy.port()), 60, /*resync_s=*/3600, /*command_timeout_ms=*/10'000);
  Replica b(server_->url(), 60, /*resync_s=*/3600);
  ASSERT_TRUE(a.store->WaitForFirstSync(5s));
  ASSERT_TRUE(b.store->WaitForFirstSync(5s));
  auto [ok, error] = a.Revoke(Kind::kSubject, "mallory");
  ASSERT_TRUE(ok) << error;
  ASSERT_TRUE(Eventually([&] { return b.store->list().Find(Kind::kSubject, "mallory").has_value(); }))
      << "b never saw a's revocation";
  // Loads the withdraw script on a's connection now: a NOSCRIPT round trip
  // (held back too) would only make the race slower to stage.
  std::tie(ok, error) = a.Call([&](Store::Done done) { a.store->Withdraw(Kind::kSubject, "nobody", std::move(done)); });
  ASSERT_EQ(error, "subject \"nobody\" is not revoked");

  proxy.DelayReplies(1s);
  std::promise<std::pair<bool, std::string>> withdrawn;
  a.store->Withdraw(Kind::kSubject, "mallory",
                    [&](bool done, std::string why) { withdrawn.set_value({done, std::move(why)}); });
  // Before a's reply: both see the withdrawal by pub/sub, b revokes mallory
  // again, and a's subscription carries that too.
  ASSERT_TRUE(Eventually([&] { return !b.store->list().Find(Kind::kSubject, "mallory").has_value(); }, 10s))
      << "b never saw a's withdrawal";
  ASSERT_TRUE(Eventually([&] { return !a.store->list().Find(Kind::kSubject, "mallory").has_value(); }, 10s))
      << "a's subscription never carried its own withdrawal";
  std::tie(ok, error) = b.Revoke(Kind::kSubject, "mallory");
  ASSERT_TRUE(ok) << error;
  EXPECT_EQ(server_->Cli("HEXISTS", "mcpgw:revoked:subject", "mallory"), "1");
  ASSERT_TRUE(Eventually([&] { return a.store->list().Find(Kind::kSubject, "mallory").has_value(); }, 10s))
      << "a's subscription never carried b's revocation";
  auto reply = withdrawn.get_future();
  ASSERT_EQ(reply.wait_for(10s), std::future_status::ready) << "a's withdrawal was never answered";
  std::tie(ok, error) = reply.get();
  EXPECT_TRUE(ok) << error;
  EXPECT_EQ(server_->Cli("HEXISTS", "mcpgw:revoked:subject", "mallory"), "1");
  EXPECT_TRUE(a.store->list().Find(Kind::kSubject, "mallory")) << "the late reply undid the newer revocation";
  EXPECT_TRUE(b.store->list().Find(Kind::kSubject, "mallory"));
}

TEST_F(RedisRevocationStoreTest, AFailedSyncIsRetriedOnceRedisAnswersNotAtTheNextPeriod) {
  // The period is an hour here. An ACL user that may not run scripts yet:
  // connected, and every sync fails. (The same happens at start when the
  // subscription connects before the command connection: its sync fails.)
  ASSERT_EQ(server_->Cli("ACL", "SETUSER", "replica", "on", ">test-only-password", "~*", "&*", "+@all", "-evalsha",
                         "-eval"),
            "OK");
  ::setenv("MCPGW_TEST_REPLICA_PASSWORD", "test-only-password", 1);
  Replica a(server_->url(), 60, /*resync_s=*/3600, 1000, "replica", "MCPGW_TEST_REPLICA_PASSWORD");
  EXPECT_FALSE(a.store->WaitForFirstSync(500ms));
  // Redis's own reason is kept for the operator (readiness, the admin list),
  // not the "not connected" of a sync tried before the connection was up.
  EXPECT_TRUE(Eventually([&] { return a.store->sync_error().starts_with("NOPERM"); }))
      << "sync_error: " << a.store->sync_error();
  EXPECT_NE(a.store->sync_error().find("evalsha"), std::string::npos) << a.store->sync_error();
  ASSERT_EQ(server_->Cli("ACL", "SETUSER", "replica", "+evalsha", "+eval"), "OK");
  EXPECT_TRUE(a.store->WaitForFirstSync(5s)) << "the failed sync waited for the next period";
  EXPECT_TRUE(a.store->health().fresh);
  EXPECT_EQ(a.store->sync_error(), "");
}

TEST_F(RedisRevocationStoreTest, TheResyncRepairsAChangePubSubNeverCarried) {
  Replica a(server_->url());
  ASSERT_TRUE(a.store->WaitForFirstSync(5s));
  // Written straight into the hash: no PUBLISH, as if the message was lost.
  ASSERT_EQ(server_->Cli("HSET", "mcpgw:revoked:client", "leaky-app",
                         R"({"created":1700000000,"until":0,"before":1700000000,"reason":"","by":"ops"})"),
            "1");
  ASSERT_EQ(server_->Cli("HSET", "mcpgw:revoked:jti", "stale-jti",
                         R"({"created":1700000000,"until":0,"before":0,"reason":"","by":"ops"})"),
            "1");
  a.store->Resync();
  ASSERT_TRUE(Eventually([&] { return a.store->list().Find(Kind::kClient, "leaky-app").has_value(); }));
  ASSERT_TRUE(Eventually([&] { return a.store->list().Find(Kind::kJti, "stale-jti").has_value(); }));
  // And a deletion behind its back: the next resync drops it.
  ASSERT_EQ(server_->Cli("HDEL", "mcpgw:revoked:jti", "stale-jti"), "1");
  a.store->Resync();
  EXPECT_TRUE(Eventually([&] { return !a.store->list().Find(Kind::kJti, "stale-jti").has_value(); }));
  EXPECT_TRUE(a.store->list().Find(Kind::kClient, "leaky-app"));
}

TEST_F(RedisRevocationStoreTest, ARestartOfRedisWithAppendOnlyKeepsTheEntries) {
  {
    Replica a(server_->url());
    ASSERT_TRUE(a.store->WaitForFirstSync(5s));
    auto [ok, error] = a.Revoke(Kind::kJti, "t-1");
    ASSERT_TRUE(ok) << error;
  }
  server_->Stop();
  ASSERT_TRUE(server_->Restart()) << server_->Log();
  Replica b(server_->url());
  ASSERT_TRUE(b.store->WaitForFirstSync(5s));
  EXPECT_TRUE(b.store->list().Find(Kind::kJti, "t-1"));
}

TEST_F(RedisRevocationStoreTest, TheListTurnsStaleWhileRedisIsAwayAndFreshWhenItIsBack) {
  Replica a(server_->url(), /*max_staleness_s=*/1);
  ASSERT_TRUE(a.store->WaitForFirstSync(5s));
  auto [ok, error] = a.Revoke(Kind::kSubject, "mallory");
  ASSERT_TRUE(ok) << error;
  EXPECT_TRUE(a.store->health().fresh);
  server_->Stop();
  ASSERT_TRUE(Eventually([&] { return !a.store->health().fresh; }, 10s));
  EXPECT_TRUE(a.store->list().Find(Kind::kSubject, "mallory")) << "the last list is kept while stale";
  std::tie(ok, error) = a.Revoke(Kind::kSubject, "eve");
  EXPECT_FALSE(ok) << "no acknowledgement without Redis";
  EXPECT_FALSE(error.empty());
  ASSERT_TRUE(server_->Restart()) << server_->Log();
  EXPECT_TRUE(Eventually([&] { return a.store->health().fresh; }, 10s));
  EXPECT_TRUE(a.store->list().Find(Kind::kSubject, "mallory"));
}

}  // namespace
}  // namespace mcpgw::revocation
