#include "mutation.h"

#include <algorithm>

namespace mcpgw::memory {

bool ChangesNothing(const Mutation& mutation) {
  struct Visitor {
    bool operator()(const CreateEntities& m) const { return m.entities.empty(); }
    bool operator()(const CreateRelations& m) const { return m.relations.empty(); }
    bool operator()(const AddObservations& m) const {
      return std::all_of(m.additions.begin(), m.additions.end(),
                         [](const AddedObservations& a) { return a.added_observations.empty(); });
    }
    bool operator()(const DeleteEntities& m) const { return m.names.empty(); }
    bool operator()(const DeleteObservations& m) const {
      return std::all_of(m.deletions.begin(), m.deletions.end(),
                         [](const ObservationDeletion& d) { return d.observations.empty(); });
    }
    bool operator()(const DeleteRelations& m) const { return m.relations.empty(); }
  };
  return std::visit(Visitor{}, mutation);
}

}  // namespace mcpgw::memory
