// Helpers for the storage tests: a workload touching every mutation kind,
// and a temporary cap on file sizes to make writes fail for real.
#pragma once

#include <signal.h>
#include <sys/resource.h>

#include "durable_graph.h"
#include "memory_test_support.h"

namespace mcpgw::memory::testing {

inline Result<Mutation> CommitCreate(DurableGraph& graph, std::vector<Entity> entities) {
  return graph.Commit([&](const KnowledgeGraph& g, const GraphLimits& limits) {
    return g.PlanCreateEntities(std::move(entities), limits);
  });
}

inline Result<Mutation> CommitMutation(DurableGraph& graph, Mutation mutation) {
  return graph.Commit(
      [&](const KnowledgeGraph&, const GraphLimits&) -> Result<Mutation> { return std::move(mutation); });
}

inline Result<Mutation> CommitObservations(DurableGraph& graph, std::vector<ObservationAddition> additions) {
  return graph.Commit(
      [&](const KnowledgeGraph& g, const GraphLimits& limits) { return g.PlanAddObservations(additions, limits); });
}

inline Result<Mutation> CommitRelations(DurableGraph& graph, std::vector<Relation> relations) {
  return graph.Commit([&](const KnowledgeGraph& g, const GraphLimits&) -> Result<Mutation> {
    return g.PlanCreateRelations(std::move(relations));
  });
}

inline Graph Contents(const DurableGraph& graph) {
  return graph.Read([](const KnowledgeGraph& g) { return Snapshot(g); });
}

// Every kind of mutation, with duplicates that replaying twice would expose.
inline void RunWorkload(DurableGraph& graph) {
  auto check = [](const Result<Mutation>& r) { ASSERT_TRUE(r.ok()) << r.error().message; };
  check(CommitCreate(graph, {MakeEntity("Alice", "person", {"likes tea"}), MakeEntity("Bob", "person"),
                             MakeEntity("Carol", "robot", {"line\nbreak", std::string("nul\0byte", 8)})}));
  check(CommitRelations(graph, {MakeRelation("Alice", "Bob", "knows"), MakeRelation("Bob", "Carol", "owns"),
                                MakeRelation("Carol", "Ghost", "haunts")}));
  check(CommitObservations(graph, {{"Alice", {"a", "a"}}, {"Bob", {"b"}}}));
  check(CommitMutation(graph, DeleteObservations{{{"Alice", {"likes tea"}}}}));
  check(CommitMutation(graph, DeleteRelations{{MakeRelation("Alice", "Bob", "knows")}}));
  check(CommitMutation(graph, DeleteEntities{{"Ghost"}}));
  check(CommitCreate(graph, {MakeEntity("Dave", "person", {"é ☃ 😀"})}));
  check(CommitObservations(graph, {{"Dave", {"more"}}}));
}

// Lowers RLIMIT_FSIZE for this process so writes past `bytes` fail with
// EFBIG: a real failing write(2), the way ENOSPC would fail it.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    rlimit lowered = saved_;
    lowered.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lowered);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, previous_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  sighandler_t previous_handler_ = SIG_DFL;
};

}  // namespace mcpgw::memory::testing
