#include "knowledge_graph.h"

#include <algorithm>
#include <optional>
#include <unordered_set>
#include <utility>

#include "unicode_lowercase.h"

namespace mcpgw::memory {
namespace {

// One string per distinct (from, to, relationType): lengths first, so no
// choice of names (they may contain any byte, NUL too) makes two keys equal.
std::string RelationKey(const Relation& r) {
  std::string key;
  key.reserve(r.from.size() + r.to.size() + r.relation_type.size() + 24);
  key += std::to_string(r.from.size()) + ':' + r.from;
  key += std::to_string(r.to.size()) + ':' + r.to;
  key += r.relation_type;
  return key;
}

Failure Rejected(std::string message) { return Failure{FailureKind::kRejected, std::move(message)}; }

// The first observation over the limit, as a refusal, or nothing.
std::optional<Failure> CheckObservationSizes(const std::vector<std::string>& observations,
                                             const std::string& entity_name, const GraphLimits& limits) {
  for (const std::string& o : observations) {
    if (o.size() > limits.max_observation_bytes) {
      return Rejected("Observation for entity " + entity_name + " is " + std::to_string(o.size()) +
                      " bytes long; the limit is " + std::to_string(limits.max_observation_bytes) + " bytes");
    }
  }
  return std::nullopt;
}

}  // namespace

KnowledgeGraph::KnowledgeGraph(std::vector<Entity> entities, std::vector<Relation> relations)
    : entities_(std::move(entities)), relations_(std::move(relations)) {
  RebuildIndexes();
}

Result<Mutation> KnowledgeGraph::PlanCreateEntities(std::vector<Entity> requested, const GraphLimits& limits) const {
  for (const Entity& e : requested) {
    if (auto refusal = CheckObservationSizes(e.observations, e.name, limits)) return *refusal;
  }
  CreateEntities fresh;
  for (Entity& e : requested) {
    if (!first_entity_.contains(e.name)) fresh.entities.push_back(std::move(e));
  }
  if (entities_.size() + fresh.entities.size() > limits.max_entities) {
    return Rejected("Cannot create " + std::to_string(fresh.entities.size()) + " entities: the knowledge graph holds " +
                    std::to_string(entities_.size()) + " of at most " + std::to_string(limits.max_entities) +
                    " entities");
  }
  return Mutation(std::move(fresh));
}

Mutation KnowledgeGraph::PlanCreateRelations(std::vector<Relation> requested) const {
  CreateRelations fresh;
  for (Relation& r : requested) {
    if (!relation_count_.contains(RelationKey(r))) fresh.relations.push_back(std::move(r));
  }
  return fresh;
}

Result<Mutation> KnowledgeGraph::PlanAddObservations(const std::vector<ObservationAddition>& requested,
                                                     const GraphLimits& limits) const {
  // Observations each entity holds once the entries planned so far are
  // applied: a later entry for the same entity sees an earlier one's
  // additions, while duplicates inside one entry are all added (reference).
  std::unordered_map<size_t, std::unordered_set<std::string>> held;
  AddObservations plan;
  for (const ObservationAddition& request : requested) {
    const auto found = first_entity_.find(request.entity_name);
    if (found == first_entity_.end()) return Rejected("Entity with name " + request.entity_name + " not found");
    if (auto refusal = CheckObservationSizes(request.contents, request.entity_name, limits)) return *refusal;
    auto [it, inserted] = held.try_emplace(found->second);
    if (inserted) {
      const std::vector<std::string>& current = entities_[found->second].observations;
      it->second.insert(current.begin(), current.end());
    }
    AddedObservations added{request.entity_name, {}};
    for (const std::string& content : request.contents) {
      if (!it->second.contains(content)) added.added_observations.push_back(content);
    }
    it->second.insert(added.added_observations.begin(), added.added_observations.end());
    plan.additions.push_back(std::move(added));
  }
  return Mutation(std::move(plan));
}

void KnowledgeGraph::Apply(const Mutation& mutation) {
  std::visit([this](const auto& m) { ApplyEach(m); }, mutation);
}

void KnowledgeGraph::ApplyEach(const CreateEntities& m) {
  for (const Entity& e : m.entities) {
    entities_.push_back(e);
    IndexEntity(entities_.size() - 1);
  }
}

void KnowledgeGraph::ApplyEach(const CreateRelations& m) {
  for (const Relation& r : m.relations) {
    relations_.push_back(r);
    ++relation_count_[RelationKey(r)];
  }
}

void KnowledgeGraph::ApplyEach(const AddObservations& m) {
  for (const AddedObservations& a : m.additions) {
    const auto found = first_entity_.find(a.entity_name);
    if (found == first_entity_.end()) continue;
    std::vector<std::string>& observations = entities_[found->second].observations;
    observations.insert(observations.end(), a.added_observations.begin(), a.added_observations.end());
  }
}

void KnowledgeGraph::ApplyEach(const DeleteEntities& m) {
  const std::unordered_set<std::string> names(m.names.begin(), m.names.end());
  std::erase_if(entities_, [&](const Entity& e) { return names.contains(e.name); });
  std::erase_if(relations_, [&](const Relation& r) { return names.contains(r.from) || names.contains(r.to); });
  RebuildIndexes();
}

void KnowledgeGraph::ApplyEach(const DeleteObservations& m) {
  for (const ObservationDeletion& d : m.deletions) {
    const auto found = first_entity_.find(d.entity_name);
    if (found == first_entity_.end()) continue;
    const std::unordered_set<std::string> doomed(d.observations.begin(), d.observations.end());
    std::erase_if(entities_[found->second].observations, [&](const std::string& o) { return doomed.contains(o); });
  }
}

void KnowledgeGraph::ApplyEach(const DeleteRelations& m) {
  std::unordered_set<std::string> doomed;
  for (const Relation& r : m.relations) doomed.insert(RelationKey(r));
  std::erase_if(relations_, [&](const Relation& r) { return doomed.contains(RelationKey(r)); });
  for (const std::string& key : doomed) relation_count_.erase(key);
}

Graph KnowledgeGraph::SearchNodes(std::string_view query) const {
  const std::string needle = ToLowercase(query);
  const auto matches = [&](const std::string& text) { return ToLowercase(text).find(needle) != std::string::npos; };
  std::vector<Entity> selected;
  for (const Entity& e : entities_) {
    if (matches(e.name) || matches(e.entity_type) ||
        std::any_of(e.observations.begin(), e.observations.end(), matches)) {
      selected.push_back(e);
    }
  }
  return WithTouchingRelations(std::move(selected));
}

Graph KnowledgeGraph::OpenNodes(const std::vector<std::string>& names) const {
  const std::unordered_set<std::string> wanted(names.begin(), names.end());
  std::vector<Entity> selected;
  for (const Entity& e : entities_) {
    if (wanted.contains(e.name)) selected.push_back(e);
  }
  return WithTouchingRelations(std::move(selected));
}

Graph KnowledgeGraph::WithTouchingRelations(std::vector<Entity> selected) const {
  std::unordered_set<std::string> names;
  for (const Entity& e : selected) names.insert(e.name);
  Graph out{std::move(selected), {}};
  for (const Relation& r : relations_) {
    if (names.contains(r.from) || names.contains(r.to)) out.relations.push_back(r);
  }
  return out;
}

void KnowledgeGraph::IndexEntity(size_t index) { first_entity_.try_emplace(entities_[index].name, index); }

void KnowledgeGraph::RebuildIndexes() {
  first_entity_.clear();
  for (size_t i = 0; i < entities_.size(); ++i) IndexEntity(i);
  relation_count_.clear();
  for (const Relation& r : relations_) ++relation_count_[RelationKey(r)];
}

}  // namespace mcpgw::memory
