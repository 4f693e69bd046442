#include "snapshot.h"

#include <dirent.h>
#include <fcntl.h>
#include <zlib.h>

#include <cstdio>
#include <set>
#include <stdexcept>

#include "change.h"

namespace mcpgw::vector {
namespace {

using nlohmann::json;

constexpr char kFormat[] = "mcpgw-vector/1";

std::string IndexFileName(uint64_t uid, uint64_t sequence) {
  return "index-" + std::to_string(uid) + "-" + std::to_string(sequence) + ".hnsw";
}

std::string Crc32Hex(std::string_view bytes) {
  char text[9];
  std::snprintf(text, sizeof text, "%08lx", crc32_z(0L, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
  return text;
}

IoError Corrupt(const std::string& path, const std::string& why) { return IoError{path + ": " + why, 0}; }

// Saves one collection's index durably under its final name; returns its CRC.
IoStatus SaveIndexFile(const std::string& dir, const Collection& collection, const std::string& name,
                       std::string& crc) {
  const std::string path = dir + "/" + name, temp = path + ".tmp";
  try {
    collection.SaveIndex(temp);
  } catch (const std::exception& e) {
    return IoError{"save index " + temp + ": " + e.what(), EIO};
  }
  std::string bytes;  // hnswlib writes through an ofstream: check what reached the file
  if (IoStatus read = ReadFile(temp, bytes)) return read;
  crc = Crc32Hex(bytes);
  if (IoStatus synced = SyncFileAt(temp)) return synced;
  if (std::rename(temp.c_str(), path.c_str()) != 0) return IoError{"rename " + temp, errno};
  return std::nullopt;
}

void RemoveUnnamedFiles(const std::string& dir, const std::set<std::string>& keep) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;  // tidying only: the next snapshot retries
  std::vector<std::string> stale;
  while (const dirent* entry = ::readdir(d)) {
    const std::string name = entry->d_name;
    const bool ours = name.starts_with("index-") || name.ends_with(".tmp");
    if (ours && keep.count(name) == 0) stale.push_back(name);
  }
  ::closedir(d);
  for (const std::string& name : stale) (void)RemoveFile(dir + "/" + name);
}

}  // namespace

IoStatus WriteSnapshot(const std::string& dir, uint64_t sequence, Collections& collections) {
  std::string text = json{{"format", kFormat}, {"seq", sequence}}.dump() + "\n";
  std::set<std::string> keep{kSnapshotFileName};
  for (auto& [name, collection] : collections) {
    collection->RebuildIfMostlyDeleted();
    const std::string index_name = IndexFileName(collection->uid(), sequence);
    std::string crc;
    if (IoStatus saved = SaveIndexFile(dir, *collection, index_name, crc)) return saved;
    keep.insert(index_name);
    json header{{"collection", name},
                {"uid", collection->uid()},
                {"params", ParamsToJson(collection->params())},
                {"next_label", collection->next_label()},
                {"documents", collection->size()},
                {"index_file", index_name},
                {"index_crc", crc}};
    text += header.dump() + "\n";
    for (const auto& [id, document] : collection->documents()) {
      json line = DocumentToJson(id, document);
      line["label"] = document.label;
      text += line.dump() + "\n";
    }
  }
  if (IoStatus synced = SyncDirectory(dir)) return synced;  // the index renames before the snapshot's
  if (IoStatus written = WriteFileAtomically(dir, dir + "/" + kSnapshotFileName, text)) return written;
  RemoveUnnamedFiles(dir, keep);
  return std::nullopt;
}

IoStatus ReadSnapshot(const std::string& dir, LoadedSnapshot& out) {
  const std::string path = dir + "/" + kSnapshotFileName;
  std::string text;
  bool missing = false;
  if (IoStatus read = ReadFile(path, text, &missing)) return read;
  out = LoadedSnapshot{};
  if (missing) return std::nullopt;
  struct Pending {
    Collection* collection;
    std::string index_file, index_crc;
    uint64_t next_label;
    size_t expected_documents;
  };
  std::vector<Pending> pending;
  size_t line_number = 0;
  try {
    size_t start = 0;
    while (start < text.size()) {
      const size_t end = std::min(text.find('\n', start), text.size());
      const std::string_view line(text.data() + start, end - start);
      start = end + 1;
      ++line_number;
      if (line.empty()) continue;
      const json j = json::parse(line);
      if (line_number == 1) {
        if (j.at("format").get<std::string>() != kFormat) return Corrupt(path, "unknown format");
        out.sequence = j.at("seq").get<uint64_t>();
      } else if (j.contains("collection")) {
        const std::string name = j.at("collection").get<std::string>();
        auto collection = std::make_unique<Collection>(name, j.at("uid").get<uint64_t>(), ParamsFromJson(j.at("params")));
        pending.push_back(Pending{collection.get(), j.at("index_file").get<std::string>(),
                                  j.at("index_crc").get<std::string>(), j.at("next_label").get<uint64_t>(),
                                  j.at("documents").get<size_t>()});
        out.collections[name] = std::move(collection);
      } else {
        if (pending.empty()) return Corrupt(path, "a document before any collection");
        auto [id, document] = DocumentFromJson(j);
        document.label = j.at("label").get<uint64_t>();
        if (document.vector.size() != pending.back().collection->params().dimension) {
          return Corrupt(path, "line " + std::to_string(line_number) + ": vector of the wrong dimension");
        }
        pending.back().collection->Restore(id, std::move(document), pending.back().next_label);
      }
    }
  } catch (const json::exception& e) {
    return Corrupt(path, "line " + std::to_string(line_number) + ": " + e.what());
  }
  for (const Pending& p : pending) {
    if (p.collection->size() != p.expected_documents) return Corrupt(path, "documents missing from a collection");
    const std::string index_path = dir + "/" + p.index_file;
    std::string bytes;
    bool absent = false;
    if (IoStatus read = ReadFile(index_path, bytes, &absent)) return read;
    const bool intact = !absent && Crc32Hex(bytes) == p.index_crc && p.index_file.find('/') == std::string::npos;
    const bool loaded = intact && p.collection->LoadIndexOrRebuild(index_path);
    if (!intact) p.collection->RebuildIndex();
    if (!loaded) ++out.rebuilt_indexes;
  }
  return std::nullopt;
}

}  // namespace mcpgw::vector
