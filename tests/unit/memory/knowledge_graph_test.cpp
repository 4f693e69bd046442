// The nine operations on the in-memory graph, rule by rule, as the
// reference server (@modelcontextprotocol/server-memory) performs them.
#include "knowledge_graph.h"

#include <gtest/gtest.h>

#include "memory_test_support.h"

namespace mcpgw::memory {
namespace {

using testing::MakeEntity;
using testing::MakeRelation;
using testing::Snapshot;

class KnowledgeGraphTest : public ::testing::Test {
 protected:
  std::vector<Entity> Create(std::vector<Entity> entities) {
    auto planned = graph_.PlanCreateEntities(std::move(entities), limits_);
    EXPECT_TRUE(planned.ok()) << planned.error().message;
    graph_.Apply(*planned);
    return std::get<CreateEntities>(*planned).entities;
  }
  std::vector<Relation> Relate(std::vector<Relation> relations) {
    const Mutation planned = graph_.PlanCreateRelations(std::move(relations));
    graph_.Apply(planned);
    return std::get<CreateRelations>(planned).relations;
  }
  Result<Mutation> Observe(const std::vector<ObservationAddition>& additions) {
    auto planned = graph_.PlanAddObservations(additions, limits_);
    if (planned) graph_.Apply(*planned);
    return planned;
  }
  std::vector<std::string> ObservationsOf(const std::string& name) const {
    for (const Entity& e : graph_.entities()) {
      if (e.name == name) return e.observations;
    }
    return {};
  }

  KnowledgeGraph graph_;
  GraphLimits limits_;
};

TEST_F(KnowledgeGraphTest, CreateEntitiesReturnsOnlyNamesNotYetInTheGraph) {
  Create({MakeEntity("Alice", "person")});
  const auto created = Create({MakeEntity("Alice", "robot"), MakeEntity("Bob", "person", {"x"})});
  EXPECT_EQ(created, (std::vector<Entity>{MakeEntity("Bob", "person", {"x"})}));
  EXPECT_EQ(graph_.entities().size(), 2u);
  EXPECT_EQ(graph_.entities()[0].entity_type, "person");
}

TEST_F(KnowledgeGraphTest, CreateEntitiesKeepsSameNameTwiceInOneCallLikeTheReference) {
  // The reference checks new entities against the stored graph only.
  const auto created = Create({MakeEntity("Alice", "person", {"a", "a"}), MakeEntity("Alice", "robot")});
  EXPECT_EQ(created.size(), 2u);
  EXPECT_EQ(graph_.entities().size(), 2u);
  EXPECT_EQ(ObservationsOf("Alice"), (std::vector<std::string>{"a", "a"}));
}

TEST_F(KnowledgeGraphTest, CreateRelationsReturnsOnlyRelationsNotYetInTheGraph) {
  Relate({MakeRelation("A", "B", "knows")});
  const auto created =
      Relate({MakeRelation("A", "B", "knows"), MakeRelation("B", "A", "knows"), MakeRelation("A", "B", "likes")});
  EXPECT_EQ(created, (std::vector<Relation>{MakeRelation("B", "A", "knows"), MakeRelation("A", "B", "likes")}));
  EXPECT_EQ(graph_.relations().size(), 3u);
}

TEST_F(KnowledgeGraphTest, CreateRelationsAcceptsEndpointsThatAreNotEntities) {
  EXPECT_EQ(Relate({MakeRelation("Nobody", "Nowhere", "goes")}).size(), 1u);
}

TEST_F(KnowledgeGraphTest, RelationKeysDoNotConfuseFieldBoundaries) {
  Relate({MakeRelation("ab", "c", "d")});
  EXPECT_EQ(Relate({MakeRelation("a", "bc", "d")}).size(), 1u);
  EXPECT_EQ(Relate({MakeRelation(std::string("a\0", 2), "b", "c")}).size(), 1u);
}

TEST_F(KnowledgeGraphTest, AddObservationsAddsOnlyContentsNewToTheEntity) {
  Create({MakeEntity("Alice", "person", {"likes tea"})});
  auto added = Observe({{"Alice", {"likes tea", "a", "a"}}});
  ASSERT_TRUE(added.ok());
  // Duplicates inside one entry are all added: the reference filters
  // against the entity's observations before pushing any of them.
  EXPECT_EQ(std::get<AddObservations>(*added).additions, (std::vector<AddedObservations>{{"Alice", {"a", "a"}}}));
  EXPECT_EQ(ObservationsOf("Alice"), (std::vector<std::string>{"likes tea", "a", "a"}));
}

TEST_F(KnowledgeGraphTest, AddObservationsLaterEntrySeesWhatAnEarlierEntryAdded) {
  Create({MakeEntity("Alice", "person")});
  auto added = Observe({{"Alice", {"a"}}, {"Alice", {"a", "b"}}});
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(std::get<AddObservations>(*added).additions,
            (std::vector<AddedObservations>{{"Alice", {"a"}}, {"Alice", {"b"}}}));
}

TEST_F(KnowledgeGraphTest, AddObservationsGoToTheFirstEntityOfAName) {
  Create({MakeEntity("Alice", "person"), MakeEntity("Alice", "robot")});
  ASSERT_TRUE(Observe({{"Alice", {"x"}}}).ok());
  EXPECT_EQ(graph_.entities()[0].observations, (std::vector<std::string>{"x"}));
  EXPECT_TRUE(graph_.entities()[1].observations.empty());
}

TEST_F(KnowledgeGraphTest, AddObservationsToUnknownEntityChangesNothing) {
  Create({MakeEntity("Alice", "person")});
  const Graph before = Snapshot(graph_);
  auto added = Observe({{"Alice", {"a"}}, {"Nobody", {"z"}}});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().kind, FailureKind::kRejected);
  EXPECT_EQ(added.error().message, "Entity with name Nobody not found");
  EXPECT_EQ(Snapshot(graph_), before);
}

TEST_F(KnowledgeGraphTest, DeleteEntitiesRemovesEveryRelationTouchingThem) {
  Create({MakeEntity("A", "t"), MakeEntity("B", "t"), MakeEntity("C", "t")});
  Relate({MakeRelation("A", "B", "r"), MakeRelation("C", "A", "r"), MakeRelation("B", "C", "r"),
          MakeRelation("B", "Ghost", "r")});
  graph_.Apply(DeleteEntities{{"A", "Ghost", "Unknown"}});
  EXPECT_EQ(Snapshot(graph_), (Graph{{MakeEntity("B", "t"), MakeEntity("C", "t")}, {MakeRelation("B", "C", "r")}}));
}

TEST_F(KnowledgeGraphTest, DeleteEntitiesRemovesEveryEntityOfTheName) {
  Create({MakeEntity("A", "t"), MakeEntity("A", "u"), MakeEntity("B", "t")});
  graph_.Apply(DeleteEntities{{"A"}});
  EXPECT_EQ(Snapshot(graph_).entities, (std::vector<Entity>{MakeEntity("B", "t")}));
  // The name index follows: A can be created again, and B is still found.
  EXPECT_EQ(Create({MakeEntity("A", "v")}).size(), 1u);
  EXPECT_TRUE(Observe({{"B", {"still here"}}}).ok());
}

TEST_F(KnowledgeGraphTest, DeleteObservationsRemovesEveryCopyAndIgnoresUnknownEntities) {
  Create({MakeEntity("A", "t", {"x", "y", "x", "z"})});
  graph_.Apply(DeleteObservations{{{"A", {"x", "missing"}}, {"Nobody", {"y"}}}});
  EXPECT_EQ(ObservationsOf("A"), (std::vector<std::string>{"y", "z"}));
}

TEST_F(KnowledgeGraphTest, DeleteRelationsRemovesExactMatchesOnly) {
  Relate({MakeRelation("A", "B", "r"), MakeRelation("B", "A", "r"), MakeRelation("A", "B", "s")});
  graph_.Apply(DeleteRelations{{MakeRelation("A", "B", "r"), MakeRelation("X", "Y", "z")}});
  EXPECT_EQ(Snapshot(graph_).relations,
            (std::vector<Relation>{MakeRelation("B", "A", "r"), MakeRelation("A", "B", "s")}));
  // A deleted relation can be created again.
  EXPECT_EQ(Relate({MakeRelation("A", "B", "r")}).size(), 1u);
}

TEST_F(KnowledgeGraphTest, SearchIsCaseInsensitiveOverNameTypeAndObservations) {
  Create({MakeEntity("Alice", "person"), MakeEntity("acme", "Company"), MakeEntity("Bob", "robot", {"Works at ACME"}),
          MakeEntity("Carol", "person", {"nothing"})});
  const Graph found = graph_.SearchNodes("ACME");
  ASSERT_EQ(found.entities.size(), 2u);
  EXPECT_EQ(found.entities[0].name, "acme");
  EXPECT_EQ(found.entities[1].name, "Bob");
  EXPECT_EQ(graph_.SearchNodes("COMPANY").entities.size(), 1u);
  EXPECT_EQ(graph_.SearchNodes("alICE").entities.size(), 1u);
}

TEST_F(KnowledgeGraphTest, SearchFoldsCaseBeyondAscii) {
  Create({MakeEntity("Ärger", "ΣΟΦΊΑ"), MakeEntity("Straße", "x")});
  EXPECT_EQ(graph_.SearchNodes("ärger").entities.size(), 1u);
  EXPECT_EQ(graph_.SearchNodes("σοφία").entities.size(), 1u);
  EXPECT_EQ(graph_.SearchNodes("STRAẞE").entities.size(), 1u);  // U+1E9E lowercases to ß, as in JavaScript
}

TEST_F(KnowledgeGraphTest, SearchIncludesRelationsWithOneMatchingEndpoint) {
  Create({MakeEntity("Alice", "person"), MakeEntity("Bob", "person"), MakeEntity("Zed", "robot")});
  Relate(
      {MakeRelation("Alice", "Zed", "owns"), MakeRelation("Zed", "Bob", "serves"), MakeRelation("Zed", "Zed", "is")});
  const Graph found = graph_.SearchNodes("alice");
  EXPECT_EQ(found.entities.size(), 1u);
  EXPECT_EQ(found.relations, (std::vector<Relation>{MakeRelation("Alice", "Zed", "owns")}));
}

TEST_F(KnowledgeGraphTest, EmptySearchMatchesEverything) {
  Create({MakeEntity("A", "t"), MakeEntity("B", "t")});
  Relate({MakeRelation("A", "B", "r"), MakeRelation("X", "Y", "dangling")});
  const Graph found = graph_.SearchNodes("");
  EXPECT_EQ(found.entities.size(), 2u);
  EXPECT_EQ(found.relations, (std::vector<Relation>{MakeRelation("A", "B", "r")}));
}

TEST_F(KnowledgeGraphTest, OpenNodesIncludesRelationsWithAtLeastOneFoundEndpoint) {
  Create({MakeEntity("A", "t"), MakeEntity("B", "t"), MakeEntity("C", "t")});
  Relate({MakeRelation("A", "B", "r"), MakeRelation("C", "A", "r"), MakeRelation("B", "C", "r"),
          MakeRelation("B", "Ghost", "r")});
  const Graph opened = graph_.OpenNodes({"A", "Ghost"});
  EXPECT_EQ(opened.entities, (std::vector<Entity>{MakeEntity("A", "t")}));
  // Ghost was asked for but is no entity, so B->Ghost does not come along.
  EXPECT_EQ(opened.relations, (std::vector<Relation>{MakeRelation("A", "B", "r"), MakeRelation("C", "A", "r")}));
}

TEST_F(KnowledgeGraphTest, OpenNodesKeepsStorageOrderNotRequestOrder) {
  Create({MakeEntity("A", "t"), MakeEntity("B", "t")});
  const Graph opened = graph_.OpenNodes({"B", "A", "B"});
  EXPECT_EQ(opened.entities, (std::vector<Entity>{MakeEntity("A", "t"), MakeEntity("B", "t")}));
}

TEST_F(KnowledgeGraphTest, CreatingBeyondTheEntityLimitIsRefusedWhole) {
  limits_.max_entities = 3;
  Create({MakeEntity("A", "t"), MakeEntity("B", "t")});
  auto refused = graph_.PlanCreateEntities({MakeEntity("C", "t"), MakeEntity("D", "t")}, limits_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, FailureKind::kRejected);
  EXPECT_NE(refused.error().message.find("at most 3 entities"), std::string::npos) << refused.error().message;
  // Names already present do not count against the limit.
  EXPECT_TRUE(graph_.PlanCreateEntities({MakeEntity("A", "t"), MakeEntity("C", "t")}, limits_).ok());
}

TEST_F(KnowledgeGraphTest, ObservationLongerThanTheLimitIsRefused) {
  limits_.max_observation_bytes = 4;
  EXPECT_TRUE(graph_.PlanCreateEntities({MakeEntity("A", "t", {"1234"})}, limits_).ok());
  auto refused = graph_.PlanCreateEntities({MakeEntity("A", "t", {"12345"})}, limits_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("limit is 4 bytes"), std::string::npos) << refused.error().message;
  Create({MakeEntity("A", "t")});
  auto refused_addition = Observe({{"A", {"12345"}}});
  ASSERT_FALSE(refused_addition.ok());
  EXPECT_EQ(refused_addition.error().kind, FailureKind::kRejected);
  EXPECT_TRUE(ObservationsOf("A").empty());
}

TEST_F(KnowledgeGraphTest, ChangesNothingOnlyForMutationsWithoutEffect) {
  EXPECT_TRUE(ChangesNothing(CreateEntities{}));
  EXPECT_TRUE(ChangesNothing(AddObservations{{{"A", {}}}}));
  EXPECT_FALSE(ChangesNothing(AddObservations{{{"A", {}}, {"A", {"x"}}}}));
  EXPECT_FALSE(ChangesNothing(DeleteEntities{{"A"}}));
  EXPECT_TRUE(ChangesNothing(DeleteRelations{}));
}

}  // namespace
}  // namespace mcpgw::memory
