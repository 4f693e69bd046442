#include "vector_tools.h"

#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "metadata_filter.h"

namespace mcpgw::vector {
namespace {

using nlohmann::json;

constexpr size_t kMaxCollectionNameBytes = 128;
constexpr size_t kMaxDocumentIdBytes = 512;
constexpr uint64_t kDefaultTopK = 5;

json Answer(json structured) {
  std::string text = structured.dump(2, ' ', false, json::error_handler_t::replace);
  return json{{"content", json::array({json{{"type", "text"}, {"text", std::move(text)}}})},
              {"structuredContent", std::move(structured)}};
}

json ToolError(const std::string& message) {
  return json{{"content", json::array({json{{"type", "text"}, {"text", message}}})}, {"isError", true}};
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

Failure NoSuchCollection(const std::string& name) {
  return Rejected("no collection named " + Quoted(name) + " (list_collections shows the ones there are)");
}

json CollectionInfo(const Collection& c) {
  const CollectionParams& p = c.params();
  return json{{"name", c.name()},          {"dimension", p.dimension},
              {"metric", MetricName(p.metric)}, {"M", p.m},
              {"ef_construction", p.ef_construction}, {"ef_search", p.ef_search},
              {"embedder", p.embedder.empty() ? json(nullptr) : json(p.embedder)}, {"documents", c.size()}};
}

// The parameters and identity of a collection, read under the shared lock,
// so embedding can run without holding any lock.
struct CollectionRef {
  uint64_t uid;
  CollectionParams params;
};

Result<CollectionRef> LookUp(TenantStore& tenant, const std::string& name) {
  return tenant.Read([&](const Collections& all) -> Result<CollectionRef> {
    const auto it = all.find(name);
    if (it == all.end()) return NoSuchCollection(name);
    return CollectionRef{it->second->uid(), it->second->params()};
  });
}

// The collection `name` if it is still the one `ref` looked up (not deleted
// and recreated meanwhile).
Result<const Collection*> Same(const Collections& all, const std::string& name, const CollectionRef& ref) {
  const auto it = all.find(name);
  if (it == all.end()) return NoSuchCollection(name);
  if (it->second->uid() != ref.uid) {
    return Rejected("collection " + Quoted(name) + " was deleted and created again meanwhile; repeat the call");
  }
  return static_cast<const Collection*>(it->second.get());
}

Status CheckIdCount(size_t count, const Limits& limits) {
  if (count <= limits.max_batch_documents) return {};
  return Rejected("at most " + std::to_string(limits.max_batch_documents) + " ids per call (limits.max_batch_documents)");
}

// Similarity for callers: cosine similarity, or 1 / (1 + Euclidean distance).
std::pair<double, double> ScoreAndDistance(Metric metric, float raw) {
  if (metric == Metric::kCosine) return {1.0 - raw, raw};
  const double euclidean = std::sqrt(std::max(0.0f, raw));
  return {1.0 / (1.0 + euclidean), euclidean};
}

}  // namespace

Result<json> VectorTools::Call(const std::string& tool, const std::string& tenant_name, const json& args) {
  using Handler = Result<json> (VectorTools::*)(TenantStore&, const json&);
  static const std::map<std::string, Handler> kHandlers{
      {"create_collection", &VectorTools::CreateCollectionTool}, {"list_collections", &VectorTools::ListCollectionsTool},
      {"delete_collection", &VectorTools::DeleteCollectionTool}, {"upsert_documents", &VectorTools::UpsertDocumentsTool},
      {"delete_documents", &VectorTools::DeleteDocumentsTool},   {"query", &VectorTools::QueryTool},
      {"get_documents", &VectorTools::GetDocumentsTool}};
  const auto handler = kHandlers.find(tool);
  if (handler == kHandlers.end()) return Failure{FailureKind::kInternal, "Unknown vector tool: " + tool};
  auto tenant = store_.ForTenant(tenant_name);
  if (!tenant) return tenant.error();
  Result<json> answer = (this->*handler->second)(**tenant, args);
  if (!answer && answer.error().kind == FailureKind::kRejected) return ToolError(answer.error().message);
  return answer;
}

Result<Vector> VectorTools::CallerVector(const json& value, const CollectionParams& params,
                                         const std::string& what) const {
  if (!value.is_array() || value.size() != params.dimension) {
    return Rejected(what + " must be an array of " + std::to_string(params.dimension) +
                    " numbers (the collection's dimension), got " +
                    (value.is_array() ? std::to_string(value.size()) + " numbers" : std::string(value.type_name())));
  }
  Vector v;
  v.reserve(value.size());
  for (const json& x : value) {
    if (!x.is_number()) return Rejected(what + " must contain numbers only");
    v.push_back(x.get<float>());
  }
  if (!PrepareVector(params.metric, v)) {
    return Rejected(what + (params.metric == Metric::kCosine ? " must be finite and not all zeros (cosine metric)"
                                                              : " must contain finite numbers"));
  }
  return v;
}

Result<std::vector<Vector>> VectorTools::EmbedFor(const std::string& collection, const CollectionParams& params,
                                                  const std::vector<std::string>& texts) const {
  if (params.embedder != embedder_.model_id()) {
    const std::string holds = params.embedder.empty() ? "caller-provided vectors of dimension " +
                                                            std::to_string(params.dimension)
                                                      : "vectors of the embedder " + params.embedder;
    return Rejected("collection " + Quoted(collection) + " holds " + holds + ", but the configured embedder is " +
                    embedder_.model_id() + ": pass `vector` instead of relying on the text");
  }
  auto vectors = embedder_.Embed(texts);
  if (!vectors) return Rejected(vectors.error().message);  // the caller can retry, or pass vectors
  for (Vector& v : *vectors) {
    if (!PrepareVector(params.metric, v)) return Rejected("the embedder returned a vector without direction");
  }
  return vectors;
}

Result<json> VectorTools::CreateCollectionTool(TenantStore& tenant, const json& args) {
  const std::string name = args.at("name").get<std::string>();
  if (name.empty() || name.size() > kMaxCollectionNameBytes) {
    return Rejected("name must be 1 to " + std::to_string(kMaxCollectionNameBytes) + " bytes long");
  }
  CollectionParams params;
  params.dimension = args.value("dimension", static_cast<uint64_t>(embedder_.dimension()));
  if (params.dimension == 0 || params.dimension > config_.limits.max_dimension) {
    return Rejected("dimension must be from 1 to " + std::to_string(config_.limits.max_dimension));
  }
  const std::optional<Metric> metric = MetricFromName(args.value("metric", std::string("cosine")));
  if (!metric) return Rejected("metric must be \"cosine\" or \"l2\"");
  params.metric = *metric;
  params.m = args.value("M", config_.hnsw.m);
  params.ef_construction = args.value("ef_construction", config_.hnsw.ef_construction);
  params.ef_search = args.value("ef_search", config_.hnsw.ef_search);
  if (params.m < 2 || params.m > 100 || params.ef_construction < 1 || params.ef_construction > 4096 ||
      params.ef_search < 1 || params.ef_search > 4096) {
    return Rejected("M must be from 2 to 100, ef_construction and ef_search from 1 to 4096");
  }
  // Texts can be embedded only into a collection of the embedder's dimension.
  if (params.dimension == embedder_.dimension()) params.embedder = embedder_.model_id();
  const uint64_t max_collections = config_.limits.max_collections_per_tenant;
  auto committed = tenant.Commit([&](const Collections& all, uint64_t) -> Result<Change> {
    if (all.count(name) > 0) return Rejected("a collection named " + Quoted(name) + " already exists");
    if (all.size() >= max_collections) {
      return Rejected("this tenant already has " + std::to_string(all.size()) +
                      " collections, the most allowed (limits.max_collections_per_tenant); delete one first");
    }
    return Change(CreateCollection{name, params});
  });
  if (!committed) return committed.error();
  return Answer(tenant.Read([&](const Collections& all) { return CollectionInfo(*all.at(name)); }));
}

Result<json> VectorTools::ListCollectionsTool(TenantStore& tenant, const json&) {
  return Answer(tenant.Read([](const Collections& all) {
    json list = json::array();
    for (const auto& [name, collection] : all) list.push_back(CollectionInfo(*collection));
    return json{{"collections", std::move(list)}};
  }));
}

Result<json> VectorTools::DeleteCollectionTool(TenantStore& tenant, const json& args) {
  const std::string name = args.at("name").get<std::string>();
  size_t documents = 0;
  auto committed = tenant.Commit([&](const Collections& all, uint64_t) -> Result<Change> {
    const auto it = all.find(name);
    if (it == all.end()) return NoSuchCollection(name);
    documents = it->second->size();
    return Change(DropCollection{name});
  });
  if (!committed) return committed.error();
  return Answer(json{{"deleted", name}, {"documents", documents}});
}

Result<json> VectorTools::UpsertDocumentsTool(TenantStore& tenant, const json& args) {
  const std::string name = args.at("collection").get<std::string>();
  const json& documents = args.at("documents");
  const Limits& limits = config_.limits;
  if (documents.empty()) return Rejected("documents is empty: nothing to upsert");
  if (documents.size() > limits.max_batch_documents) {
    return Rejected(std::to_string(documents.size()) + " documents in one call; at most " +
                    std::to_string(limits.max_batch_documents) + " are allowed (limits.max_batch_documents): split the batch");
  }
  auto ref = LookUp(tenant, name);
  if (!ref) return ref.error();

  UpsertDocuments upsert{name, {}};
  std::set<std::string> ids;
  std::vector<std::string> texts_to_embed;
  std::vector<size_t> embed_positions;
  for (size_t i = 0; i < documents.size(); ++i) {
    const json& d = documents[i];
    const std::string where = "documents[" + std::to_string(i) + "]";
    Document document;
    const std::string id = d.at("id").get<std::string>();
    document.text = d.at("text").get<std::string>();
    document.metadata = d.value("metadata", json::object());
    if (id.empty() || id.size() > kMaxDocumentIdBytes) {
      return Rejected(where + ".id must be 1 to " + std::to_string(kMaxDocumentIdBytes) + " bytes long");
    }
    if (!ids.insert(id).second) return Rejected(where + ".id " + Quoted(id) + " appears twice in this batch");
    if (document.text.size() > limits.max_text_bytes) {
      return Rejected(where + ".text has " + std::to_string(document.text.size()) + " bytes; at most " +
                      std::to_string(limits.max_text_bytes) + " are allowed (limits.max_text_bytes)");
    }
    if (!document.metadata.is_object()) return Rejected(where + ".metadata must be an object");
    if (document.metadata.dump().size() > limits.max_metadata_bytes) {
      return Rejected(where + ".metadata is larger than " + std::to_string(limits.max_metadata_bytes) +
                      " bytes as JSON (limits.max_metadata_bytes)");
    }
    if (d.contains("vector")) {
      auto v = CallerVector(d["vector"], ref->params, where + ".vector");
      if (!v) return v.error();
      document.vector = std::move(*v);
    } else {
      texts_to_embed.push_back(document.text);
      embed_positions.push_back(i);
    }
    upsert.documents.emplace_back(id, std::move(document));
  }
  if (!texts_to_embed.empty()) {
    auto vectors = EmbedFor(name, ref->params, texts_to_embed);
    if (!vectors) return vectors.error();
    for (size_t k = 0; k < embed_positions.size(); ++k) {
      upsert.documents[embed_positions[k]].second.vector = std::move((*vectors)[k]);
    }
  }

  size_t replaced = 0;
  auto committed = tenant.Commit([&](const Collections& all, uint64_t) -> Result<Change> {
    auto collection = Same(all, name, *ref);
    if (!collection) return collection.error();
    replaced = 0;
    for (const auto& [id, document] : upsert.documents) replaced += (*collection)->Find(id) != nullptr ? 1 : 0;
    const size_t after = (*collection)->size() + upsert.documents.size() - replaced;
    if (after > limits.max_documents_per_collection) {
      return Rejected("collection " + Quoted(name) + " would hold " + std::to_string(after) + " documents; at most " +
                      std::to_string(limits.max_documents_per_collection) +
                      " are allowed (limits.max_documents_per_collection)");
    }
    return Change(std::move(upsert));
  });
  if (!committed) return committed.error();
  const size_t total = documents.size();
  return Answer(json{{"collection", name}, {"upserted", total}, {"created", total - replaced}, {"replaced", replaced}});
}

Result<json> VectorTools::DeleteDocumentsTool(TenantStore& tenant, const json& args) {
  const std::string name = args.at("collection").get<std::string>();
  const auto requested = args.at("ids").get<std::vector<std::string>>();
  if (Status counted = CheckIdCount(requested.size(), config_.limits); !counted) return counted.error();
  json deleted = json::array(), not_found = json::array();
  auto committed = tenant.Commit([&](const Collections& all, uint64_t) -> Result<Change> {
    const auto it = all.find(name);
    if (it == all.end()) return NoSuchCollection(name);
    DeleteDocuments change{name, {}};
    std::set<std::string> seen;
    deleted = json::array(), not_found = json::array();
    for (const std::string& id : requested) {
      if (!seen.insert(id).second) continue;
      if (it->second->Find(id) != nullptr) {
        change.ids.push_back(id);
        deleted.push_back(id);
      } else {
        not_found.push_back(id);
      }
    }
    return Change(std::move(change));
  });
  if (!committed) return committed.error();
  return Answer(json{{"collection", name}, {"deleted", deleted}, {"not_found", not_found}});
}

Result<json> VectorTools::QueryTool(TenantStore& tenant, const json& args) {
  const std::string name = args.at("collection").get<std::string>();
  const uint64_t top_k = args.value("top_k", kDefaultTopK);
  if (top_k < 1 || top_k > config_.limits.max_top_k) {
    return Rejected("top_k must be from 1 to " + std::to_string(config_.limits.max_top_k) + " (limits.max_top_k)");
  }
  const bool by_text = args.contains("text"), by_vector = args.contains("vector");
  if (by_text == by_vector) return Rejected("pass exactly one of `text` and `vector`");
  auto filter = MetadataFilter::Parse(args.value("filter", json()));
  if (!filter) return filter.error();
  auto ref = LookUp(tenant, name);
  if (!ref) return ref.error();
  Vector query;
  if (by_vector) {
    auto v = CallerVector(args["vector"], ref->params, "vector");
    if (!v) return v.error();
    query = std::move(*v);
  } else {
    const std::string text = args["text"].get<std::string>();
    if (text.size() > config_.limits.max_text_bytes) {
      return Rejected("text is longer than " + std::to_string(config_.limits.max_text_bytes) + " bytes");
    }
    auto v = EmbedFor(name, ref->params, {text});
    if (!v) return v.error();
    query = std::move(v->front());
  }
  return tenant.Read([&](const Collections& all) -> Result<json> {
    auto collection = Same(all, name, *ref);
    if (!collection) return collection.error();
    json results = json::array();
    for (const Hit& hit : (*collection)->Search(query, top_k, *filter)) {
      const auto [score, distance] = ScoreAndDistance(ref->params.metric, hit.distance);
      results.push_back(json{{"id", *hit.id},
                             {"score", score},
                             {"distance", distance},
                             {"text", hit.document->text},
                             {"metadata", hit.document->metadata}});
    }
    return Answer(json{{"collection", name}, {"results", std::move(results)}});
  });
}

Result<json> VectorTools::GetDocumentsTool(TenantStore& tenant, const json& args) {
  const std::string name = args.at("collection").get<std::string>();
  const auto ids = args.at("ids").get<std::vector<std::string>>();
  if (Status counted = CheckIdCount(ids.size(), config_.limits); !counted) return counted.error();
  return tenant.Read([&](const Collections& all) -> Result<json> {
    const auto it = all.find(name);
    if (it == all.end()) return NoSuchCollection(name);
    json found = json::array(), not_found = json::array();
    for (const std::string& id : ids) {
      const Document* d = it->second->Find(id);
      if (d == nullptr) {
        not_found.push_back(id);
      } else {
        found.push_back(json{{"id", id}, {"text", d->text}, {"metadata", d->metadata}});
      }
    }
    return Answer(json{{"collection", name}, {"documents", std::move(found)}, {"not_found", std::move(not_found)}});
  });
}

}  // namespace mcpgw::vector
