// The effect of one mutating tool call, as the write-ahead log records it.
//
// A Mutation says what changed, not what was asked: create_entities records
// only the entities that were new, add_observations only the observations
// that were added. Applied to the graph it was planned against, it yields
// exactly the graph the call produced, so replaying the log in sequence
// rebuilds the state every acknowledged call left behind.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "graph_model.h"

namespace mcpgw::memory {

struct CreateEntities {
  std::vector<Entity> entities;  // appended as they are
  bool operator==(const CreateEntities&) const = default;
};
struct CreateRelations {
  std::vector<Relation> relations;  // appended as they are
  bool operator==(const CreateRelations&) const = default;
};
struct AddObservations {
  std::vector<AddedObservations> additions;  // appended to the first entity of each name, in order
  bool operator==(const AddObservations&) const = default;
};
struct DeleteEntities {
  std::vector<std::string> names;  // also removes every relation touching one of them
  bool operator==(const DeleteEntities&) const = default;
};
struct DeleteObservations {
  std::vector<ObservationDeletion> deletions;
  bool operator==(const DeleteObservations&) const = default;
};
struct DeleteRelations {
  std::vector<Relation> relations;
  bool operator==(const DeleteRelations&) const = default;
};

using Mutation =
    std::variant<CreateEntities, CreateRelations, AddObservations, DeleteEntities, DeleteObservations, DeleteRelations>;

// A mutation with its position in the tenant's history (1, 2, 3, ...).
struct SequencedMutation {
  uint64_t sequence = 0;
  Mutation mutation;
};

// True when applying `mutation` cannot change any graph, so there is nothing
// to make durable.
bool ChangesNothing(const Mutation& mutation);

}  // namespace mcpgw::memory
