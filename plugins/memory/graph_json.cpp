#include "graph_json.h"

namespace mcpgw::memory {

OrderedJson ToJson(const Entity& entity) {
  return OrderedJson{{"name", entity.name}, {"entityType", entity.entity_type}, {"observations", entity.observations}};
}

OrderedJson ToJson(const Relation& relation) {
  return OrderedJson{{"from", relation.from}, {"to", relation.to}, {"relationType", relation.relation_type}};
}

OrderedJson ToJson(const AddedObservations& added) {
  return OrderedJson{{"entityName", added.entity_name}, {"addedObservations", added.added_observations}};
}

OrderedJson ToJson(const ObservationDeletion& deletion) {
  return OrderedJson{{"entityName", deletion.entity_name}, {"observations", deletion.observations}};
}

namespace {
template <typename T>
OrderedJson ArrayToJson(const std::vector<T>& items) {
  OrderedJson out = OrderedJson::array();
  for (const T& item : items) out.push_back(ToJson(item));
  return out;
}
}  // namespace

OrderedJson ToJson(const std::vector<Entity>& entities) { return ArrayToJson(entities); }
OrderedJson ToJson(const std::vector<Relation>& relations) { return ArrayToJson(relations); }
OrderedJson ToJson(const std::vector<AddedObservations>& added) { return ArrayToJson(added); }

OrderedJson GraphToJson(const std::vector<Entity>& entities, const std::vector<Relation>& relations) {
  return OrderedJson{{"entities", ToJson(entities)}, {"relations", ToJson(relations)}};
}

std::string PrettyJson(const OrderedJson& value) { return value.dump(2); }

std::vector<std::string> StringsFromJson(const nlohmann::json& j) {
  return ListFromJson<std::string>(j, [](const nlohmann::json& s) { return s.get<std::string>(); });
}

Entity EntityFromJson(const nlohmann::json& j) {
  return Entity{j.at("name").get<std::string>(), j.at("entityType").get<std::string>(),
                StringsFromJson(j.at("observations"))};
}

Relation RelationFromJson(const nlohmann::json& j) {
  return Relation{j.at("from").get<std::string>(), j.at("to").get<std::string>(),
                  j.at("relationType").get<std::string>()};
}

ObservationAddition ObservationAdditionFromJson(const nlohmann::json& j) {
  return ObservationAddition{j.at("entityName").get<std::string>(), StringsFromJson(j.at("contents"))};
}

AddedObservations AddedObservationsFromJson(const nlohmann::json& j) {
  return AddedObservations{j.at("entityName").get<std::string>(), StringsFromJson(j.at("addedObservations"))};
}

ObservationDeletion ObservationDeletionFromJson(const nlohmann::json& j) {
  return ObservationDeletion{j.at("entityName").get<std::string>(), StringsFromJson(j.at("observations"))};
}

}  // namespace mcpgw::memory
