#include "change.h"

#include <bit>
#include <cstring>

namespace mcpgw::vector {
namespace {

using nlohmann::json;

static_assert(std::endian::native == std::endian::little, "vectors are stored as little-endian float32");

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string Base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t group = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) group |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(group >> 18) & 63];
    out += kAlphabet[(group >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(group >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[group & 63] : '=';
  }
  return out;
}

std::optional<std::string> FromBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const size_t padding = (text[i + 3] == '=') + (text[i + 2] == '=');
    if (padding > 0 && i + 4 != text.size()) return std::nullopt;
    uint32_t group = 0;
    for (size_t k = 0; k < 4; ++k) {
      const int v = k >= 4 - padding ? 0 : Sextet(text[i + k]);
      if (v < 0) return std::nullopt;
      group = (group << 6) | static_cast<uint32_t>(v);
    }
    out += static_cast<char>((group >> 16) & 0xFF);
    if (padding < 2) out += static_cast<char>((group >> 8) & 0xFF);
    if (padding < 1) out += static_cast<char>(group & 0xFF);
  }
  return out;
}

}  // namespace

json DocumentToJson(const std::string& id, const Document& d) {
  return json{{"id", id}, {"text", d.text}, {"metadata", d.metadata}, {"vector", EncodeVector(d.vector)}};
}

std::pair<std::string, Document> DocumentFromJson(const json& j) {
  Document d;
  d.text = j.at("text").get<std::string>();
  d.metadata = j.at("metadata");
  std::optional<Vector> v = DecodeVector(j.at("vector").get_ref<const std::string&>());
  if (!v) throw json::other_error::create(501, "a stored vector is not valid base64 float32", &j);
  d.vector = std::move(*v);
  return {j.at("id").get<std::string>(), std::move(d)};
}

std::string EncodeVector(const Vector& v) {
  return Base64(std::string_view(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float)));
}

std::optional<Vector> DecodeVector(std::string_view text) {
  std::optional<std::string> bytes = FromBase64(text);
  if (!bytes || bytes->size() % sizeof(float) != 0) return std::nullopt;
  Vector v(bytes->size() / sizeof(float));
  std::memcpy(v.data(), bytes->data(), bytes->size());
  return v;
}

json ParamsToJson(const CollectionParams& p) {
  return json{{"dimension", p.dimension}, {"metric", MetricName(p.metric)},   {"M", p.m},
              {"ef_construction", p.ef_construction}, {"ef_search", p.ef_search}, {"embedder", p.embedder}};
}

CollectionParams ParamsFromJson(const json& j) {
  CollectionParams p;
  p.dimension = j.at("dimension").get<size_t>();
  const std::optional<Metric> metric = MetricFromName(j.at("metric").get<std::string>());
  if (!metric) throw json::other_error::create(501, "unknown metric", &j);
  p.metric = *metric;
  p.m = j.at("M").get<size_t>();
  p.ef_construction = j.at("ef_construction").get<size_t>();
  p.ef_search = j.at("ef_search").get<size_t>();
  p.embedder = j.at("embedder").get<std::string>();
  return p;
}

std::string EncodeChange(uint64_t sequence, const Change& change) {
  json out{{"seq", sequence}};
  std::visit(
      [&out](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, CreateCollection>) {
          out["op"] = "create_collection";
          out["name"] = c.name;
          out["params"] = ParamsToJson(c.params);
        } else if constexpr (std::is_same_v<T, DropCollection>) {
          out["op"] = "delete_collection";
          out["name"] = c.name;
        } else if constexpr (std::is_same_v<T, UpsertDocuments>) {
          out["op"] = "upsert";
          out["collection"] = c.collection;
          json docs = json::array();
          for (const auto& [id, d] : c.documents) docs.push_back(DocumentToJson(id, d));
          out["documents"] = std::move(docs);
        } else {
          out["op"] = "delete";
          out["collection"] = c.collection;
          out["ids"] = c.ids;
        }
      },
      change);
  return out.dump();
}

std::optional<SequencedChange> DecodeChange(std::string_view payload) {
  try {
    const json j = json::parse(payload);
    const uint64_t seq = j.at("seq").get<uint64_t>();
    const std::string op = j.at("op").get<std::string>();
    if (op == "create_collection") {
      return SequencedChange{seq, CreateCollection{j.at("name").get<std::string>(), ParamsFromJson(j.at("params"))}};
    }
    if (op == "delete_collection") return SequencedChange{seq, DropCollection{j.at("name").get<std::string>()}};
    if (op == "upsert") {
      UpsertDocuments upsert{j.at("collection").get<std::string>(), {}};
      for (const json& d : j.at("documents")) upsert.documents.push_back(DocumentFromJson(d));
      return SequencedChange{seq, std::move(upsert)};
    }
    if (op == "delete") {
      return SequencedChange{
          seq, DeleteDocuments{j.at("collection").get<std::string>(), j.at("ids").get<std::vector<std::string>>()}};
    }
  } catch (const json::exception&) {
  }
  return std::nullopt;
}

}  // namespace mcpgw::vector
