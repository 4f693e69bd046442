// The route table a reload swaps (ADR 0019): how a new configuration's
// routes are matched against the backends serving now, what the reload
// report says changed, and that a snapshot taken before a swap keeps its
// backends. Also the plugin event fan-out, which a reload edits while plugin
// threads raise events, and what retiring a backend does to its sessions.
#include "mcp/backend.h"
#include "mcp/route_table.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace mcpgw::mcp {
namespace {

config::Route MakeRoute(const std::string& name, const std::string& path, const std::string& plugin = "example") {
  return {name, path, "https://gw.test" + path, plugin, "", {}};
}

class RouteTableTest : public ::testing::Test {
 protected:
  // Planning reads only a backend's route: no plugin is needed.
  std::shared_ptr<Backend> Serving(const config::Route& route) {
    return std::make_shared<Backend>(route, nullptr, codec_, nullptr);
  }

  std::shared_ptr<const session::SessionIdCodec> codec_ =
      std::make_shared<session::SessionIdCodec>(std::string(32, 'k'), std::chrono::hours(1));
};

TEST_F(RouteTableTest, KeepsAnUnchangedRouteEvenWhenItsScopesChange) {
  const Routes current({Serving(MakeRoute("a", "/mcp/a"))});
  std::vector<config::Route> next{MakeRoute("a", "/mcp/a")};
  next[0].scopes.configured = true;
  next[0].scopes.call = std::vector<std::string>{"a:call"};
  const RoutePlan plan = PlanRoutes(current, next);
  ASSERT_EQ(plan.entries.size(), 1u);
  EXPECT_TRUE(plan.entries[0].keep);
  EXPECT_EQ(plan.entries[0].current, current.Named("a"));
  EXPECT_TRUE(plan.removed.empty());
  EXPECT_FALSE(plan.changes());
  EXPECT_EQ(plan.Summary(), "");
}

TEST_F(RouteTableTest, NamesWhatWasAddedRemovedAndRepointed) {
  config::Route instructed = MakeRoute("e", "/mcp/e");
  const Routes current({Serving(MakeRoute("a", "/mcp/a")), Serving(MakeRoute("c", "/mcp/c")),
                        Serving(MakeRoute("d", "/mcp/d")), Serving(MakeRoute("p", "/mcp/p")), Serving(instructed)});
  instructed.instructions = "new words";
  const std::vector<config::Route> next{MakeRoute("a", "/mcp/a"), MakeRoute("b", "/mcp/b", "memory"),
                                        MakeRoute("d", "/mcp/d2"), MakeRoute("p", "/mcp/p", "memory"), instructed};
  const RoutePlan plan = PlanRoutes(current, next);
  ASSERT_EQ(plan.entries.size(), 5u);
  EXPECT_TRUE(plan.entries[0].keep);
  EXPECT_FALSE(plan.entries[1].keep);
  EXPECT_EQ(plan.entries[1].current, nullptr) << "a new name has no backend yet";
  EXPECT_FALSE(plan.entries[2].keep);
  EXPECT_EQ(plan.entries[2].current, current.Named("d"));
  EXPECT_FALSE(plan.entries[3].keep) << "another plugin needs another backend";
  EXPECT_FALSE(plan.entries[4].keep) << "initialize answers with the instructions";
  ASSERT_EQ(plan.removed.size(), 1u);
  EXPECT_EQ(plan.removed[0]->name(), "c");
  EXPECT_TRUE(plan.changes());
  EXPECT_EQ(plan.Summary(),
            "added b (/mcp/b, plugin memory); removed c; re-pointed d (path /mcp/d -> /mcp/d2, resource "
            "https://gw.test/mcp/d -> https://gw.test/mcp/d2), p (plugin example -> memory), e (instructions)");
}

TEST_F(RouteTableTest, ARenamedRouteIsOneRemovedAndOneAdded) {
  const Routes current({Serving(MakeRoute("a", "/mcp/a"))});
  const std::vector<config::Route> next{MakeRoute("b", "/mcp/a")};
  const RoutePlan plan = PlanRoutes(current, next);
  EXPECT_EQ(plan.Summary(), "added b (/mcp/a, plugin example); removed a");
}

TEST_F(RouteTableTest, ASnapshotTakenBeforeAReplaceKeepsServingItsBackends) {
  RouteTable table({Serving(MakeRoute("a", "/mcp/a")), Serving(MakeRoute("c", "/mcp/c"))});
  const std::shared_ptr<const Routes> before = table.Current();
  std::weak_ptr<Backend> removed = before->AtPath("/mcp/c");
  table.Replace({before->Named("a"), Serving(MakeRoute("b", "/mcp/b"))});

  EXPECT_EQ(table.Current()->AtPath("/mcp/c"), nullptr);
  EXPECT_EQ(table.Current()->Named("b")->path(), "/mcp/b");
  EXPECT_EQ(table.Current()->Named("a"), before->Named("a")) << "a kept route is the same backend";
  ASSERT_NE(before->AtPath("/mcp/c"), nullptr);
  EXPECT_EQ(before->AtPath("/mcp/c")->name(), "c");
  EXPECT_FALSE(removed.expired());
}

// Records what a session's server channel was sent and whether it was closed
// (a test double for a transport).
class RecordingChannel final : public ServerChannel {
 public:
  void Send(const json&) override { ++sent; }
  void Close() override { closed = true; }
  std::atomic<int> sent{0};
  std::atomic<bool> closed{false};
};

TEST_F(RouteTableTest, RetiringABackendEndsItsSessionsAndItsSuccessorRefusesTheirIds) {
  const Principal alice = NamedPrincipal("alice", "acme");
  auto old_backend = Serving(MakeRoute("d", "/mcp/d"));
  const auto session = old_backend->sessions().Create("2025-11-25", 0, alice);
  auto channel = std::make_shared<RecordingChannel>();
  session->set_channel(channel);
  const auto deleted = old_backend->sessions().Create("2025-11-25", 0, alice);
  ASSERT_TRUE(old_backend->sessions().End(deleted->id(), alice));
  auto successor = Serving(MakeRoute("d", "/mcp/d2"));
  // A request that raced the reload got the session onto the successor.
  ASSERT_TRUE(successor->sessions().Find(session->id(), alice).session);

  old_backend->Retire(successor.get());

  EXPECT_TRUE(channel->closed);
  EXPECT_EQ(old_backend->sessions().size(), 0u);
  EXPECT_FALSE(old_backend->sessions().Find(session->id(), alice).session);
  for (const auto& id : {session->id(), deleted->id()}) {
    const auto found = successor->sessions().Find(id, alice);
    EXPECT_FALSE(found.session) << id;
    EXPECT_TRUE(found.ended) << id;
  }
  EXPECT_TRUE(successor->sessions().Find(successor->sessions().Create("2025-11-25", 0, alice)->id(), alice).session)
      << "the successor's own sessions are served";
}

TEST_F(RouteTableTest, APluginEventReachesTheBackendsRegisteredWhenItArrives) {
  const Principal alice = NamedPrincipal("alice", "acme");
  PluginEventFanout fanout;
  auto a = Serving(MakeRoute("a", "/mcp/a"));
  auto b = Serving(MakeRoute("b", "/mcp/b"));
  auto channel_a = std::make_shared<RecordingChannel>();
  auto channel_b = std::make_shared<RecordingChannel>();
  for (const auto& [backend, channel] : {std::pair{a, channel_a}, std::pair{b, channel_b}}) {
    auto s = backend->sessions().Create("2025-11-25", 0, alice);
    s->Subscribe("mem://x");
    s->set_channel(channel);
  }
  fanout.Add(a);
  fanout.Add(b);
  fanout.ResourceUpdated("mem://x");
  EXPECT_EQ(channel_a->sent, 1);
  EXPECT_EQ(channel_b->sent, 1);
  fanout.Remove(b.get());
  fanout.ResourceUpdated("mem://x");
  EXPECT_EQ(channel_a->sent, 2);
  EXPECT_EQ(channel_b->sent, 1) << "a removed backend hears nothing more";
}

// Events on plugin threads while a reload adds and drops backends: every
// backend an event reaches is alive until it has been told (the fan-out
// holds it), so nothing here touches freed memory (run under ASan to see).
TEST_F(RouteTableTest, PluginEventsWhileBackendsAreAddedAndRemovedReachOnlyLiveBackends) {
  PluginEventFanout fanout;
  auto steady = Serving(MakeRoute("a", "/mcp/a"));
  fanout.Add(steady);
  std::atomic<bool> done{false};
  std::thread events([&] {
    while (!done) fanout.ResourceUpdated("mem://x");
  });
  for (int i = 0; i < 2000; ++i) {
    auto transient = Serving(MakeRoute("t", "/mcp/t"));
    fanout.Add(transient);
    fanout.Remove(transient.get());
  }  // each transient backend is freed here unless an event still holds it
  done = true;
  events.join();
}

}  // namespace
}  // namespace mcpgw::mcp
