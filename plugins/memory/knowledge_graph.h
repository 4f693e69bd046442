// The knowledge graph in memory and the reference server's nine operations
// on it. Pure: no I/O, no locking (the caller serialises writers).
//
// Mutating operations come in two steps so the store can make a change
// durable before it becomes visible: Plan* looks at the graph and returns
// the Mutation a tool call would cause (or why it is refused) without
// changing anything; Apply performs a planned (or replayed) Mutation.
// Deletions need no planning: their request is their effect.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph_model.h"
#include "mutation.h"
#include "result.h"

namespace mcpgw::memory {

// Per-tenant limits that keep one tenant from exhausting the gateway.
struct GraphLimits {
  size_t max_entities = 100000;
  size_t max_observation_bytes = 65536;
};

class KnowledgeGraph {
 public:
  KnowledgeGraph() = default;
  KnowledgeGraph(std::vector<Entity> entities, std::vector<Relation> relations);

  // create_entities: the requested entities whose name is not in the graph
  // yet (checked against the graph only, as the reference does).
  Result<Mutation> PlanCreateEntities(std::vector<Entity> requested, const GraphLimits& limits) const;
  // create_relations: the requested relations not in the graph yet.
  Mutation PlanCreateRelations(std::vector<Relation> requested) const;
  // add_observations: per request entry, the contents new to the entity.
  // Refused as a whole, changing nothing, if any entity does not exist.
  Result<Mutation> PlanAddObservations(const std::vector<ObservationAddition>& requested,
                                       const GraphLimits& limits) const;

  // Performs a mutation. Never fails: entities a mutation names but the
  // graph lacks are skipped, as in the reference.
  void Apply(const Mutation& mutation);

  // read_graph, search_nodes, open_nodes.
  const std::vector<Entity>& entities() const { return entities_; }
  const std::vector<Relation>& relations() const { return relations_; }
  // Entities whose name, type or any observation contains `query`, ignoring
  // case, and the relations with at least one endpoint among them.
  Graph SearchNodes(std::string_view query) const;
  // Entities with one of `names`, and the relations with at least one
  // endpoint among the entities found.
  Graph OpenNodes(const std::vector<std::string>& names) const;

 private:
  void ApplyEach(const CreateEntities& m);
  void ApplyEach(const CreateRelations& m);
  void ApplyEach(const AddObservations& m);
  void ApplyEach(const DeleteEntities& m);
  void ApplyEach(const DeleteObservations& m);
  void ApplyEach(const DeleteRelations& m);
  void IndexEntity(size_t index);
  void RebuildIndexes();
  Graph WithTouchingRelations(std::vector<Entity> selected) const;

  std::vector<Entity> entities_;
  std::vector<Relation> relations_;
  std::unordered_map<std::string, size_t> first_entity_;    // name -> index of the first entity so named
  std::unordered_map<std::string, size_t> relation_count_;  // RelationKey -> how many equal relations
};

}  // namespace mcpgw::memory
