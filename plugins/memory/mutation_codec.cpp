#include "mutation_codec.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "graph_json.h"

namespace mcpgw::memory {
namespace {

using nlohmann::json;

struct Encoder {
  OrderedJson& out;
  void operator()(const CreateEntities& m) const { Put("create_entities", "entities", ToJson(m.entities)); }
  void operator()(const CreateRelations& m) const { Put("create_relations", "relations", ToJson(m.relations)); }
  void operator()(const AddObservations& m) const { Put("add_observations", "results", ToJson(m.additions)); }
  void operator()(const DeleteEntities& m) const { Put("delete_entities", "entityNames", OrderedJson(m.names)); }
  void operator()(const DeleteObservations& m) const {
    OrderedJson deletions = OrderedJson::array();
    for (const ObservationDeletion& d : m.deletions) deletions.push_back(ToJson(d));
    Put("delete_observations", "deletions", std::move(deletions));
  }
  void operator()(const DeleteRelations& m) const { Put("delete_relations", "relations", ToJson(m.relations)); }

  void Put(const char* op, const char* key, OrderedJson value) const {
    out["op"] = op;
    out[key] = std::move(value);
  }
};

Mutation DecodeBody(const std::string& op, const json& j) {
  if (op == "create_entities") return CreateEntities{ListFromJson<Entity>(j.at("entities"), EntityFromJson)};
  if (op == "create_relations") return CreateRelations{ListFromJson<Relation>(j.at("relations"), RelationFromJson)};
  if (op == "add_observations") {
    return AddObservations{ListFromJson<AddedObservations>(j.at("results"), AddedObservationsFromJson)};
  }
  if (op == "delete_entities") return DeleteEntities{StringsFromJson(j.at("entityNames"))};
  if (op == "delete_observations") {
    return DeleteObservations{ListFromJson<ObservationDeletion>(j.at("deletions"), ObservationDeletionFromJson)};
  }
  if (op == "delete_relations") return DeleteRelations{ListFromJson<Relation>(j.at("relations"), RelationFromJson)};
  throw std::invalid_argument("unknown op " + op);
}

}  // namespace

std::string EncodeMutation(uint64_t sequence, const Mutation& mutation) {
  OrderedJson out{{"seq", sequence}};
  std::visit(Encoder{out}, mutation);
  return out.dump();
}

std::optional<SequencedMutation> DecodeMutation(std::string_view payload) {
  try {
    const json j = json::parse(payload);
    const json& seq = j.at("seq");
    if (!seq.is_number_unsigned()) return std::nullopt;
    return SequencedMutation{seq.get<uint64_t>(), DecodeBody(j.at("op").get<std::string>(), j)};
  } catch (const std::exception&) {
    // A record that passed its checksum but does not decode was not written
    // by this code; the caller treats it like a torn record.
    return std::nullopt;
  }
}

}  // namespace mcpgw::memory
