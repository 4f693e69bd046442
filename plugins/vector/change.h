// The changes a tenant's collections go through, as records of its change
// log: one JSON object per record, {"seq": N, "op": ..., ...}. Vectors are
// stored exactly (float32 little endian, base64), so replay never needs the
// embedder: a remote model may be gone or answer differently tomorrow.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "collection.h"

namespace mcpgw::vector {

// The collection's uid is the sequence number of this change.
struct CreateCollection {
  std::string name;
  CollectionParams params;
};
struct DropCollection {
  std::string name;
};
struct UpsertDocuments {
  std::string collection;
  std::vector<std::pair<std::string, Document>> documents;  // labels are assigned when applied
};
struct DeleteDocuments {
  std::string collection;
  std::vector<std::string> ids;
};
using Change = std::variant<CreateCollection, DropCollection, UpsertDocuments, DeleteDocuments>;

struct SequencedChange {
  uint64_t sequence;
  Change change;
};

std::string EncodeChange(uint64_t sequence, const Change& change);
// Nothing when the payload is not a change this version wrote.
std::optional<SequencedChange> DecodeChange(std::string_view payload);

// Vectors as text: base64 of the float32 values, little endian.
std::string EncodeVector(const Vector& v);
std::optional<Vector> DecodeVector(std::string_view text);

// One document as {"id", "text", "metadata", "vector"}; FromJson throws nlohmann::json::exception.
nlohmann::json DocumentToJson(const std::string& id, const Document& document);
std::pair<std::string, Document> DocumentFromJson(const nlohmann::json& j);

// Collection parameters as the JSON fields both the log and the snapshot use.
nlohmann::json ParamsToJson(const CollectionParams& params);
CollectionParams ParamsFromJson(const nlohmann::json& j);  // throws nlohmann::json::exception

}  // namespace mcpgw::vector
