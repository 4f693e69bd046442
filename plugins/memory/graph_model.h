// The knowledge graph's data, shaped like the reference server's
// (@modelcontextprotocol/server-memory): entities with observations, and
// typed relations between entity names.
#pragma once

#include <string>
#include <vector>

namespace mcpgw::memory {

// A node. Names are what relations and tools refer to. Like the reference,
// the graph may hold two entities with one name when a single
// create_entities call brought both; tools then act on the first.
struct Entity {
  std::string name;
  std::string entity_type;
  std::vector<std::string> observations;

  bool operator==(const Entity&) const = default;
};

// A directed, typed edge between two entity names. The endpoints need not
// exist: the reference accepts such relations, and so do we.
struct Relation {
  std::string from;
  std::string to;
  std::string relation_type;

  bool operator==(const Relation&) const = default;
};

// A whole graph or the part of one a query selected, in storage order.
struct Graph {
  std::vector<Entity> entities;
  std::vector<Relation> relations;

  bool operator==(const Graph&) const = default;
};

// add_observations input: contents to add to the first entity named so.
struct ObservationAddition {
  std::string entity_name;
  std::vector<std::string> contents;
};

// add_observations result: the contents that were new to the entity.
struct AddedObservations {
  std::string entity_name;
  std::vector<std::string> added_observations;

  bool operator==(const AddedObservations&) const = default;
};

// delete_observations input: observations to remove from the first entity
// named so; an unknown entity is ignored, as in the reference.
struct ObservationDeletion {
  std::string entity_name;
  std::vector<std::string> observations;

  bool operator==(const ObservationDeletion&) const = default;
};

}  // namespace mcpgw::memory
