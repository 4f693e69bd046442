// The Redis client (ADR 0012) against a real redis-server on a random
// loopback port: replies of every type, pipelining across threads, scripts
// after SCRIPT FLUSH, AUTH, unix sockets, databases, TLS, and what happens
// when the server stops, pauses or comes back.
#include "redis/client.h"

#include "support/redis_server.h"
#include "support/stderr_capture.h"
#include "support/test_ca.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

namespace mcpgw::redis {
namespace {

using namespace std::chrono_literals;
using testing::RedisServer;
using testing::RedisServerOptions;
using Clock = std::chrono::steady_clock;

config::Redis ConfigFor(const std::string& url) {
  config::Redis c;
  c.configured = true;
  c.url = url;
  c.connect_timeout_ms = 500;
  c.command_timeout_ms = 1'000;
  c.reconnect_min_ms = 10;
  c.reconnect_max_ms = 100;
  return c;
}

template <typename Pred>
bool WaitUntil(Pred pred, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return pred();
}

bool WaitConnected(const Client& client) {
  return WaitUntil([&] { return client.state() == State::kConnected; });
}

// Runs one command and waits for its callback (which must come).
Result Call(Client& client, std::vector<std::string> args) {
  auto promise = std::make_shared<std::promise<Result>>();
  auto future = promise->get_future();
  client.Command(std::move(args), [promise](Result r) { promise->set_value(std::move(r)); });
  if (future.wait_for(5s) != std::future_status::ready) {
    ADD_FAILURE() << "no callback within 5 s";
    return Result{};
  }
  return future.get();
}

Result RunEval(Client& client, const Script& script, std::vector<std::string> keys, std::vector<std::string> args) {
  auto promise = std::make_shared<std::promise<Result>>();
  auto future = promise->get_future();
  client.Eval(script, std::move(keys), std::move(args), [promise](Result r) { promise->set_value(std::move(r)); });
  if (future.wait_for(5s) != std::future_status::ready) {
    ADD_FAILURE() << "no callback within 5 s";
    return Result{};
  }
  return future.get();
}

// A client logged in as `user`, the password read from the environment.
std::unique_ptr<Client> ClientAs(const std::string& url, const std::string& user, const std::string& password) {
  config::Redis c = ConfigFor(url);
  c.username = user;
  c.password_env = "MCPGW_TEST_REDIS_ACL_PASSWORD";
  ::setenv(c.password_env.c_str(), password.c_str(), 1);
  auto client = std::make_unique<Client>(c);
  ::unsetenv(c.password_env.c_str());
  return client;
}

std::string WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

TEST(RedisClient, RepliesOfEveryTypeArriveAsOwnedValues) {
  RedisServer server;
  ASSERT_TRUE(server.Start()) << server.Log();
  Client client(ConfigFor(server.url()));
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();

  Result set = Call(client, {"SET", "k", std::string("a\0b\r\nc", 6)});
  ASSERT_TRUE(set.ok()) << set.message;
  EXPECT_EQ(set.value.type, Value::Type::kStatus);
  EXPECT_EQ(set.value.text, "OK");

  Result get = Call(client, {"GET", "k"});
  EXPECT_EQ(get.value.type, Value::Type::kString);
  EXPECT_EQ(get.value.text, std::string("a\0b\r\nc", 6));

  EXPECT_EQ(Call(client, {"GET", "missing"}).value.type, Value::Type::kNil);

  Result incr = Call(client, {"INCRBY", "n", "41"});
  EXPECT_EQ(incr.value.type, Value::Type::kInteger);
  EXPECT_EQ(incr.value.integer, 41);

  Call(client, {"RPUSH", "list", "x", "y"});
  Result range = Call(client, {"LRANGE", "list", "0", "-1"});
  ASSERT_EQ(range.value.type, Value::Type::kArray);
  ASSERT_EQ(range.value.elements.size(), 2u);
  EXPECT_EQ(range.value.elements[1].text, "y");

  Result wrong = Call(client, {"INCR", "list"});
  EXPECT_EQ(wrong.status, Result::Status::kOk);
  EXPECT_TRUE(wrong.value.is_error());
  EXPECT_FALSE(wrong.ok());
  EXPECT_TRUE(wrong.value.text.starts_with("WRONGTYPE")) << wrong.value.text;
  EXPECT_EQ(client.key_prefix(), "mcpgw:");
}

TEST(RedisClient, PipelinesCommandsFromManyThreadsIntoFewWrites) {
  RedisServer server;
  ASSERT_TRUE(server.Start()) << server.Log();
  Client client(ConfigFor(server.url()));
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();
  const uint64_t writes_before = client.stats().writes;

  constexpr int kThreads = 8, kPerThread = 1'250, kTotal = kThreads * kPerThread;
  std::atomic<int> ok{0}, done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        client.Command({"INCR", "counter"}, [&](Result r) {
          if (r.ok() && r.value.type == Value::Type::kInteger) ++ok;
          ++done;
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(WaitUntil([&] { return done.load() == kTotal; }));
  EXPECT_EQ(ok.load(), kTotal);
  EXPECT_EQ(server.Cli("GET", "counter"), std::to_string(kTotal));
  const uint64_t writes = client.stats().writes - writes_before;
  EXPECT_LT(writes, static_cast<uint64_t>(kTotal / 10)) << "commands were not coalesced into shared writes";
  EXPECT_GE(client.stats().commands, static_cast<uint64_t>(kTotal));
}

TEST(RedisClient, EvalLoadsTheScriptAndReloadsItAfterScriptFlush) {
  RedisServer server;
  ASSERT_TRUE(server.Start()) << server.Log();
  Client client(ConfigFor(server.url()));
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();
  const Script script("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  EXPECT_EQ(script.sha1().size(), 40u);

  // Never loaded on this server: NOSCRIPT, load, retry.
  Result first = RunEval(client, script, {"s"}, {"5"});
  ASSERT_TRUE(first.ok()) << first.value.text << first.message;
  EXPECT_EQ(first.value.integer, 5);
  EXPECT_EQ(server.Cli("SCRIPT", "EXISTS", script.sha1()), "1");

  EXPECT_EQ(server.Cli("SCRIPT", "FLUSH"), "OK");
  Result second = RunEval(client, script, {"s"}, {"5"});
  ASSERT_TRUE(second.ok()) << second.value.text << second.message;
  EXPECT_EQ(second.value.integer, 10);

  // A script error is the script's answer, not retried.
  Result bad = RunEval(client, Script("return redis.call('NOSUCHCOMMAND')"), {}, {});
  EXPECT_TRUE(bad.value.is_error());
  EXPECT_EQ(server.Cli("GET", "s"), "10");
}

// A node of a Redis Cluster (here one that owns every slot) refuses a
// script over keys of two slots; the error the operator reads says that the
// deployment is the problem. Other errors keep Redis's words alone.
TEST(RedisClient, AClusterNodesRefusalSaysTheGatewayNeedsAStandaloneRedis) {
  RedisServerOptions options;
  options.cluster = true;
  RedisServer server(options);
  ASSERT_TRUE(server.Start()) << server.Log();
  ASSERT_EQ(server.Cli("CLUSTER", "ADDSLOTSRANGE", "0", "16383"), "OK");
  Client client(ConfigFor(server.url()));
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();
  const Script script("return redis.call('MGET', KEYS[1], KEYS[2])");
  // Keys of one slot (one hash tag) pass once the node has seen its own
  // configuration; until then it answers CLUSTERDOWN.
  Result one_slot;
  ASSERT_TRUE(WaitUntil([&] { return (one_slot = RunEval(client, script, {"{k}a", "{k}b"}, {})).ok(); }))
      << one_slot.value.text;
  const Result r = RunEval(client, script, {"a", "b"}, {});
  ASSERT_TRUE(r.value.is_error());
  EXPECT_TRUE(r.value.text.starts_with("CROSSSLOT Keys in request don't hash to the same slot")) << r.value.text;
  EXPECT_NE(r.value.text.find("redis.url names a Redis Cluster node; the gateway needs a standalone Redis"),
            std::string::npos)
      << r.value.text;
  const Result other = Call(client, {"NOSUCHCOMMAND"});
  ASSERT_TRUE(other.value.is_error());
  EXPECT_EQ(other.value.text.find("Redis Cluster"), std::string::npos) << other.value.text;
}

// A failover that leaves the address on the old primary, now a replica, over
// a connection that stays open: the write fails with READONLY, the client
// connects again and stays down (ROLE: a replica) until the address leads to
// a primary, then recovers by itself.
TEST(RedisClient, AfterAFailoverToAReplicaItStaysDownUntilTheAddressLeadsToAPrimary) {
  RedisServer server, elsewhere;
  ASSERT_TRUE(server.Start()) << server.Log();
  ASSERT_TRUE(elsewhere.Start()) << elsewhere.Log();
  Client client(ConfigFor(server.url()));
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();
  ASSERT_TRUE(Call(client, {"SET", "k", "1"}).ok());

  ASSERT_EQ(server.Cli("REPLICAOF", "127.0.0.1", std::to_string(elsewhere.port())), "OK");
  const Result refused = Call(client, {"SET", "k", "2"});
  ASSERT_TRUE(refused.value.is_error());
  EXPECT_TRUE(refused.value.text.starts_with("READONLY")) << refused.value.text;
  EXPECT_TRUE(WaitUntil([&] { return client.last_error().find("leads to a replica, not a primary") != std::string::npos; }))
      << client.last_error();
  std::this_thread::sleep_for(300ms);  // several reconnect periods (10 to 100 ms)
  EXPECT_NE(client.state(), State::kConnected) << "connected to a replica";
  EXPECT_GE(client.stats().reconnects, 2u);

  ASSERT_EQ(server.Cli("REPLICAOF", "NO", "ONE"), "OK");
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();
  const Result written = Call(client, {"SET", "k", "3"});
  EXPECT_TRUE(written.ok()) << written.value.text << written.message;
}

// The same replica, to a user that may not run ROLE: the connection comes
// up, and each write answers READONLY. The reconnects back off as for any
// outage instead of following every write (10 ms apart here).
TEST(RedisClient, AReplicaWhoseUserMayNotRunRoleIsRetriedWithBackoffNotAtEveryWrite) {
  RedisServerOptions options;
  options.acl_user = "gateway";
  options.acl_password = "acl-pw";
  RedisServer server(options), elsewhere;
  ASSERT_TRUE(server.Start()) << server.Log();
  ASSERT_TRUE(elsewhere.Start()) << elsewhere.Log();
  ASSERT_EQ(server.Cli("ACL", "SETUSER", "gateway", "-role"), "OK");
  ASSERT_EQ(server.Cli("REPLICAOF", "127.0.0.1", std::to_string(elsewhere.port())), "OK");
  const auto owned = ClientAs(server.url(), "gateway", "acl-pw");
  Client& client = *owned;
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();

  const uint64_t before = client.stats().reconnects;
  int readonly = 0;
  for (const auto end = Clock::now() + 1s; Clock::now() < end;) {
    if (Call(client, {"SET", "k", "v"}).value.text.starts_with("READONLY")) ++readonly;
    std::this_thread::sleep_for(2ms);
  }
  const uint64_t reconnects = client.stats().reconnects - before;
  EXPECT_GE(readonly, 2) << "the writes never reached the replica";
  // Backoff 10, 20, 40, 80, then 100 ms: about a dozen in a second.
  EXPECT_LE(reconnects, 16u) << readonly << " writes answered READONLY";
}

TEST(RedisClient, AuthenticatesWithThePasswordFromAFile) {
  RedisServerOptions options;
  options.password = "s3cret-pw";
  RedisServer server(options);
  ASSERT_TRUE(server.Start()) << server.Log();
  config::Redis c = ConfigFor(server.url());
  c.password_file = WriteFile(server.dir() + "/redis.pass", "s3cret-pw\n");
  Client client(c);
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();
  EXPECT_TRUE(Call(client, {"SET", "a", "1"}).ok());
  EXPECT_EQ(server.Cli("GET", "a"), "1");
}

TEST(RedisClient, AuthenticatesAsAnAclUserWithThePasswordFromTheEnvironment) {
  RedisServerOptions options;
  options.acl_user = "gateway";
  options.acl_password = "acl-pw";
  options.default_user_off = true;
  RedisServer server(options);
  ASSERT_TRUE(server.Start()) << server.Log();
  const auto owned = ClientAs(server.url(), "gateway", "acl-pw");
  Client& client = *owned;
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();
  Result who = Call(client, {"ACL", "WHOAMI"});
  EXPECT_EQ(who.value.text, "gateway");
}

TEST(RedisClient, AWrongPasswordLeavesTheClientDownWithAClearReasonThatNeverShowsThePassword) {
  RedisServerOptions options;
  options.password = "right-pw";
  RedisServer server(options);
  ASSERT_TRUE(server.Start()) << server.Log();
  config::Redis c = ConfigFor(server.url());
  c.password_file = WriteFile(server.dir() + "/redis.pass", "Wrong-Pw-123");
  testing::StderrCapture log;
  Client client(c);
  std::atomic<bool> pubsub_down{false};
  client.Subscribe("ch", [](std::string_view) {}, [&](bool up) { pubsub_down = !up; });
  ASSERT_TRUE(WaitUntil([&] { return client.state() == State::kDown; }));
  EXPECT_NE(client.last_error().find("AUTH refused"), std::string::npos) << client.last_error();
  EXPECT_NE(client.last_error().find("WRONGPASS"), std::string::npos) << client.last_error();
  EXPECT_EQ(client.last_error().find("Wrong-Pw-123"), std::string::npos);

  const auto start = Clock::now();
  Result r = Call(client, {"PING"});
  EXPECT_EQ(r.status, Result::Status::kDisconnected);
  EXPECT_LT(Clock::now() - start, 200ms);
  ASSERT_TRUE(WaitUntil([&] { return log.Text().find("redis_pubsub_state") != std::string::npos; }));
  EXPECT_EQ(log.Text().find("Wrong-Pw-123"), std::string::npos);
  EXPECT_FALSE(pubsub_down.load()) << "never subscribed, so never reported lost";
}

TEST(RedisClient, AnUnreadablePasswordSourceIsAnErrorNamingIt) {
  config::Redis c = ConfigFor("redis://127.0.0.1:1/0");
  c.password_file = "/nonexistent/redis.pass";
  try {
    Client client(c);
    ADD_FAILURE() << "constructed";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("redis.password_file"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/nonexistent/redis.pass"), std::string::npos) << e.what();
  }
  c.password_file.clear();
  c.password_env = "MCPGW_TEST_UNSET_VARIABLE";
  ::unsetenv(c.password_env.c_str());
  try {
    Client client(c);
    ADD_FAILURE() << "constructed";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("MCPGW_TEST_UNSET_VARIABLE"), std::string::npos) << e.what();
  }
}

TEST(RedisClient, AUrlWithCredentialsOrABadDatabaseIsRefusedNamingTheSetting) {
  for (const char* url : {"redis://user:pw@127.0.0.1:6379/0", "redis://127.0.0.1:6379/16", "http://127.0.0.1"}) {
    try {
      Client client(ConfigFor(url));
      ADD_FAILURE() << "accepted " << url;
    } catch (const std::runtime_error& e) {
      EXPECT_TRUE(std::string(e.what()).starts_with("redis.url ")) << e.what();
      EXPECT_EQ(std::string(e.what()).find("pw@"), std::string::npos) << e.what();
    }
  }
}

TEST(RedisClient, ConnectsOverAUnixSocketToTheConfiguredDatabase) {
  RedisServerOptions options;
  options.unix_socket = true;
  RedisServer server(options);
  ASSERT_TRUE(server.Start()) << server.Log();
  Client client(ConfigFor(server.unix_url(2)));
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();
  ASSERT_TRUE(Call(client, {"SET", "where", "unix"}).ok());
  EXPECT_EQ(server.Cli("-n", "2", "GET", "where"), "unix");
  EXPECT_EQ(server.Cli("-n", "0", "EXISTS", "where"), "0");
}

TEST(RedisClient, SelectsTheDatabaseOfTheUrl) {
  RedisServer server;
  ASSERT_TRUE(server.Start()) << server.Log();
  Client client(ConfigFor(server.url(3)));
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();
  ASSERT_TRUE(Call(client, {"SET", "db", "three"}).ok());
  EXPECT_EQ(server.Cli("-n", "3", "GET", "db"), "three");
  EXPECT_EQ(server.Cli("GET", "db"), "");
}

TEST(RedisClient, FailsFastWhileRedisIsDownAndReconnectsByItself) {
  RedisServer server;
  ASSERT_TRUE(server.Start()) << server.Log();
  config::Redis c = ConfigFor(server.url());
  c.command_timeout_ms = 10'000;  // the blocked command below must fail by disconnection, not timeout
  Client client(c);
  std::mutex mu;
  std::vector<State> changes;
  client.OnStateChange([&](State s) {
    std::lock_guard lock(mu);
    changes.push_back(s);
  });
  // Connected is reported exactly once, whether the connection came up
  // before OnStateChange (told late) or after it.
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard lock(mu);
    return !changes.empty();
  }));
  {
    std::lock_guard lock(mu);
    ASSERT_EQ(changes, std::vector<State>{State::kConnected});
    changes.clear();
  }

  // A command still waiting for its reply when the server dies.
  std::promise<Result> blocked;
  client.Command({"BLPOP", "nothing", "0"}, [&](Result r) { blocked.set_value(std::move(r)); });
  ASSERT_TRUE(WaitUntil([&] { return server.Cli("INFO", "clients").find("blocked_clients:1") != std::string::npos; }));
  server.Kill();
  auto pending = blocked.get_future();
  ASSERT_EQ(pending.wait_for(2s), std::future_status::ready);
  EXPECT_EQ(pending.get().status, Result::Status::kDisconnected);
  ASSERT_TRUE(WaitUntil([&] { return client.state() == State::kDown; }));

  const auto start = Clock::now();
  Result r = Call(client, {"PING"});
  EXPECT_EQ(r.status, Result::Status::kDisconnected);
  EXPECT_FALSE(r.message.empty());
  EXPECT_LT(Clock::now() - start, 200ms);

  ASSERT_TRUE(server.Restart()) << server.Log();
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();
  EXPECT_EQ(Call(client, {"PING"}).value.text, "PONG");
  EXPECT_GT(client.stats().reconnects, 0u);
  std::lock_guard lock(mu);
  EXPECT_EQ(changes, (std::vector<State>{State::kDown, State::kConnected}));
}

TEST(RedisClient, ACommandWithoutAReplyInTimeFailsWithTimeoutAndTheClientRecovers) {
  RedisServer server;
  ASSERT_TRUE(server.Start()) << server.Log();
  config::Redis c = ConfigFor(server.url());
  c.command_timeout_ms = 100;
  c.connect_timeout_ms = 200;
  Client client(c);
  std::atomic<int> timeouts{0};
  client.OnError([&](std::string_view kind) {
    if (kind == "timeout") ++timeouts;
  });
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();

  server.Pause();
  const auto start = Clock::now();
  Result r = Call(client, {"PING"});
  const auto waited = Clock::now() - start;
  server.Resume();
  EXPECT_EQ(r.status, Result::Status::kTimeout);
  EXPECT_GE(waited, 100ms);
  EXPECT_LT(waited, 1s);
  EXPECT_EQ(timeouts.load(), 1);
  EXPECT_NE(client.last_error().find("command_timeout_ms"), std::string::npos) << client.last_error();

  ASSERT_TRUE(WaitConnected(client)) << client.last_error();
  EXPECT_EQ(Call(client, {"PING"}).value.text, "PONG");
}

TEST(RedisClient, SubscribeReceivesMessagesAndSubscribesAgainAfterARestart) {
  RedisServer server;
  ASSERT_TRUE(server.Start()) << server.Log();
  Client client(ConfigFor(server.url()));
  std::mutex mu;
  std::vector<std::string> messages;
  std::vector<bool> states;
  client.Subscribe(
      "mcpgw:events",
      [&](std::string_view m) {
        std::lock_guard lock(mu);
        messages.emplace_back(m);
      },
      [&](bool up) {
        std::lock_guard lock(mu);
        states.push_back(up);
      });
  auto count = [&](auto& v) {
    std::lock_guard lock(mu);
    return v.size();
  };
  ASSERT_TRUE(WaitUntil([&] { return count(states) == 1; }));
  EXPECT_EQ(server.Cli("PUBLISH", "mcpgw:events", "first"), "1");
  EXPECT_EQ(server.Cli("PUBLISH", "other", "ignored"), "0");
  ASSERT_TRUE(WaitUntil([&] { return count(messages) == 1; }));

  server.Stop();
  ASSERT_TRUE(WaitUntil([&] { return count(states) == 2; }));
  ASSERT_TRUE(server.Restart()) << server.Log();
  ASSERT_TRUE(WaitUntil([&] { return count(states) == 3; }));
  EXPECT_EQ(server.Cli("PUBLISH", "mcpgw:events", "second"), "1");
  ASSERT_TRUE(WaitUntil([&] { return count(messages) == 2; }));
  std::lock_guard lock(mu);
  EXPECT_EQ(states, (std::vector<bool>{true, false, true}));
  EXPECT_EQ(messages, (std::vector<std::string>{"first", "second"}));
}

TEST(RedisClient, TheDestructorFailsPendingCommandsWithDisconnected) {
  RedisServer server;
  ASSERT_TRUE(server.Start()) << server.Log();
  std::promise<Result> blocked;
  {
    Client client(ConfigFor(server.url()));
    ASSERT_TRUE(WaitConnected(client)) << client.last_error();
    client.Command({"BLPOP", "nothing", "0"}, [&](Result r) { blocked.set_value(std::move(r)); });
    ASSERT_TRUE(WaitUntil([&] { return server.Cli("INFO", "clients").find("blocked_clients:1") != std::string::npos; }));
  }
  auto result = blocked.get_future();
  ASSERT_EQ(result.wait_for(0s), std::future_status::ready);
  EXPECT_EQ(result.get().status, Result::Status::kDisconnected);
}

TEST(RedisClient, TalksTlsToAServerWhoseCertificateItVerifies) {
  RedisServerOptions options;
  options.tls = true;
  options.tls_client_certs = true;
  RedisServer server(options);
  ASSERT_TRUE(server.Start()) << server.Log();
  config::Redis c = ConfigFor(server.tls_url(1));
  c.tls.ca_file = server.ca_file();
  c.tls.cert_file = server.client_cert_file();
  c.tls.key_file = server.client_key_file();
  Client client(c);
  ASSERT_TRUE(WaitConnected(client)) << client.last_error();
  ASSERT_TRUE(Call(client, {"SET", "over", "tls"}).ok());
  EXPECT_EQ(server.Cli("-n", "1", "GET", "over"), "tls");
}

TEST(RedisClient, RefusesATlsServerWithAnUnknownCaOrAnotherName) {
  RedisServerOptions options;
  options.tls = true;
  RedisServer server(options);
  ASSERT_TRUE(server.Start()) << server.Log();
  testing::TestCa other(server.dir(), "other-ca");

  config::Redis unknown_ca = ConfigFor(server.tls_url());
  unknown_ca.tls.ca_file = other.cert_file();
  Client a(unknown_ca);
  ASSERT_TRUE(WaitUntil([&] { return a.state() == State::kDown; }));
  EXPECT_NE(a.last_error().find("certificate verify failed"), std::string::npos) << a.last_error();

  config::Redis wrong_name = ConfigFor(server.tls_url());
  wrong_name.tls.ca_file = server.ca_file();
  wrong_name.tls.server_name = "redis.example.com";
  Client b(wrong_name);
  ASSERT_TRUE(WaitUntil([&] { return b.state() == State::kDown; }));
  EXPECT_NE(b.last_error().find("certificate verify failed"), std::string::npos) << b.last_error();
  EXPECT_EQ(Call(b, {"PING"}).status, Result::Status::kDisconnected);
}

}  // namespace
}  // namespace mcpgw::redis
