#include "snapshot.h"

#include <fcntl.h>

#include <cerrno>

#include "graph_json.h"
#include "posix_io.h"

namespace mcpgw::memory {
namespace {

bool IsBlank(std::string_view line) { return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos; }

}  // namespace

std::string FormatSnapshot(const KnowledgeGraph& graph, uint64_t sequence) {
  std::string out = OrderedJson{{"type", "snapshot"}, {"seq", sequence}}.dump() + "\n";
  for (const Entity& e : graph.entities()) {
    OrderedJson line{{"type", "entity"}};
    line.update(ToJson(e));
    out += line.dump() + "\n";
  }
  for (const Relation& r : graph.relations()) {
    OrderedJson line{{"type", "relation"}};
    line.update(ToJson(r));
    out += line.dump() + "\n";
  }
  return out;
}

StorageResult<Snapshot> ParseSnapshot(std::string_view text) {
  Snapshot snapshot;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    if (IsBlank(line)) continue;
    try {
      const nlohmann::json item = nlohmann::json::parse(line);
      const std::string type = item.at("type").get<std::string>();
      if (type == "entity") {
        snapshot.entities.push_back(EntityFromJson(item));
      } else if (type == "relation") {
        snapshot.relations.push_back(RelationFromJson(item));
      } else if (type == "snapshot") {
        snapshot.sequence = item.at("seq").get<uint64_t>();
      }
    } catch (const nlohmann::json::exception& e) {
      return StorageError{std::string(kSnapshotFileName) + " line " + std::to_string(line_number) + ": " + e.what(), 0};
    }
  }
  return snapshot;
}

StorageResult<Snapshot> ReadSnapshot(int dir_fd, const std::string& shown_dir) {
  const std::string shown_path = shown_dir + "/" + kSnapshotFileName;
  auto file = OpenFileAt(dir_fd, kSnapshotFileName, O_RDONLY, shown_path);
  if (!file) {
    if (file.error().code == ENOENT) return Snapshot{};
    return file.error();
  }
  auto text = ReadWholeFile(file->get(), shown_path);
  if (!text) return text.error();
  auto snapshot = ParseSnapshot(*text);
  if (!snapshot) return StorageError{shown_dir + "/" + snapshot.error().detail, 0};
  return snapshot;
}

StorageStatus WriteSnapshot(int dir_fd, const KnowledgeGraph& graph, uint64_t sequence, const std::string& shown_dir) {
  return ReplaceFileAtomically(dir_fd, kSnapshotFileName, FormatSnapshot(graph, sequence), shown_dir);
}

}  // namespace mcpgw::memory
