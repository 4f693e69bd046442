// Shared pieces of the memory plugin's unit tests: a private temporary
// directory per test, a log recorder, and short ways to build graph data.
#pragma once

#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "graph_model.h"
#include "knowledge_graph.h"
#include "log_sink.h"

namespace mcpgw::memory::testing {

using TempDirectory = mcpgw::testing::TempDir;

// Collects what the store logs, for assertions on level and content.
class LogRecorder {
 public:
  struct Line {
    mcpgw_log_level level;
    std::string message;
  };

  LogSink Sink() {
    return [this](mcpgw_log_level level, std::string_view message) {
      std::lock_guard lock(mutex_);
      lines_.push_back(Line{level, std::string(message)});
    };
  }
  std::vector<Line> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  size_t CountAtLeast(mcpgw_log_level level) const {
    size_t n = 0;
    for (const Line& line : lines()) n += line.level >= level ? 1 : 0;
    return n;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Line> lines_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteFile(const std::string& path, std::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

inline mode_t PermissionsOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

inline Entity MakeEntity(std::string name, std::string type, std::vector<std::string> observations = {}) {
  return Entity{std::move(name), std::move(type), std::move(observations)};
}

inline Relation MakeRelation(std::string from, std::string to, std::string type) {
  return Relation{std::move(from), std::move(to), std::move(type)};
}

inline Graph Snapshot(const KnowledgeGraph& graph) { return Graph{graph.entities(), graph.relations()}; }

inline std::string Describe(const Graph& graph) {
  std::ostringstream out;
  for (const Entity& e : graph.entities) {
    out << "entity " << e.name << " (" << e.entity_type << "):";
    for (const std::string& o : e.observations) out << " [" << o << "]";
    out << "\n";
  }
  for (const Relation& r : graph.relations)
    out << "relation " << r.from << " -" << r.relation_type << "-> " << r.to << "\n";
  return out.str();
}

}  // namespace mcpgw::memory::testing

namespace mcpgw::memory {
// So gtest prints graphs readably when an equality fails.
inline void PrintTo(const Graph& graph, std::ostream* out) { *out << "\n" << testing::Describe(graph); }
}  // namespace mcpgw::memory
