// The graph's JSON shapes, exactly as the reference server writes them.
//
// Output uses ordered_json so keys keep the reference's order (name,
// entityType, observations; from, to, relationType): the text a tool returns
// is JSON.stringify(x, null, 2), byte for byte, and dump(2) of these values
// produces it. Input accepts any key order and ignores unknown keys, as zod
// does; a wrong shape throws nlohmann::json::exception.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "graph_model.h"

namespace mcpgw::memory {

using OrderedJson = nlohmann::ordered_json;

OrderedJson ToJson(const Entity& entity);
OrderedJson ToJson(const Relation& relation);
OrderedJson ToJson(const AddedObservations& added);
OrderedJson ToJson(const ObservationDeletion& deletion);
OrderedJson ToJson(const std::vector<Entity>& entities);
OrderedJson ToJson(const std::vector<Relation>& relations);
OrderedJson ToJson(const std::vector<AddedObservations>& added);
// {"entities": [...], "relations": [...]}
OrderedJson GraphToJson(const std::vector<Entity>& entities, const std::vector<Relation>& relations);

// JSON.stringify(value, null, 2).
std::string PrettyJson(const OrderedJson& value);

Entity EntityFromJson(const nlohmann::json& j);
Relation RelationFromJson(const nlohmann::json& j);
ObservationAddition ObservationAdditionFromJson(const nlohmann::json& j);
AddedObservations AddedObservationsFromJson(const nlohmann::json& j);
ObservationDeletion ObservationDeletionFromJson(const nlohmann::json& j);

// Each element of the JSON array `j` through `from_json`.
template <typename T, typename FromJson>
std::vector<T> ListFromJson(const nlohmann::json& j, FromJson from_json) {
  std::vector<T> out;
  out.reserve(j.size());
  for (const nlohmann::json& item : j.get_ref<const nlohmann::json::array_t&>()) out.push_back(from_json(item));
  return out;
}

std::vector<std::string> StringsFromJson(const nlohmann::json& j);

}  // namespace mcpgw::memory
