#include "tool_definitions.h"

#include <string>

namespace mcpgw::vector {
namespace {

using nlohmann::json;

json Described(json schema, const char* description) {
  schema["description"] = description;
  return schema;
}

json Integer(uint64_t min, uint64_t max, const char* description) {
  return json{{"type", "integer"}, {"minimum", min}, {"maximum", max}, {"description", description}};
}

json Object(json properties, json required, bool closed = true) {
  json s{{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
  if (closed) s["additionalProperties"] = false;
  return s;
}

json CollectionName() {
  return json{{"type", "string"}, {"minLength", 1}, {"maxLength", 128}, {"description", "The collection's name"}};
}

json NumberArray(const char* description) {
  return json{{"type", "array"}, {"items", {{"type", "number"}}}, {"minItems", 1}, {"description", description}};
}

json Metadata() {
  return json{{"type", "object"},
              {"description", "Free-form JSON object stored with the document; top-level scalar values can be filtered on"}};
}

json CollectionInfoSchema() {
  return Object({{"name", {{"type", "string"}}},
                 {"dimension", {{"type", "integer"}}},
                 {"metric", {{"type", "string"}, {"enum", {"cosine", "l2"}}}},
                 {"M", {{"type", "integer"}}},
                 {"ef_construction", {{"type", "integer"}}},
                 {"ef_search", {{"type", "integer"}}},
                 {"embedder", {{"type", {"string", "null"}}}},
                 {"documents", {{"type", "integer"}}}},
                {"name", "dimension", "metric", "M", "ef_construction", "ef_search", "embedder", "documents"});
}

json IdList(uint64_t max, const char* description) {
  return json{{"type", "array"},
              {"items", {{"type", "string"}, {"minLength", 1}}},
              {"maxItems", max},
              {"description", description}};
}

json StringList() { return json{{"type", "array"}, {"items", {{"type", "string"}}}}; }

struct Hints {
  bool read_only, destructive, idempotent;
};

json Tool(const char* name, const char* title, const std::string& description, json input, json output, Hints h) {
  return json{{"name", name},
              {"title", title},
              {"description", description},
              {"inputSchema", std::move(input)},
              {"outputSchema", std::move(output)},
              {"annotations",
               {{"title", title},
                {"readOnlyHint", h.read_only},
                {"destructiveHint", h.destructive},
                {"idempotentHint", h.idempotent},
                {"openWorldHint", false}}}};
}

constexpr Hints kReads{true, false, true};
constexpr Hints kCreates{false, false, false};
// upsert_documents replaces documents with the same id: destructive, but
// repeating the same call changes nothing more.
constexpr Hints kReplaces{false, true, true};
constexpr Hints kDeletes{false, true, true};

constexpr char kFilterDescription[] =
    "Metadata filter: an object whose keys are top-level metadata keys, all conditions must hold (AND). A value "
    "is either a string/number/boolean (equality) or an object of operators: $eq, $ne, $in, $nin (arrays), $gt, "
    "$gte, $lt, $lte. Numbers compare numerically, strings by bytes; a missing key only satisfies $ne and $nin. "
    "Example: {\"lang\": \"en\", \"year\": {\"$gte\": 2020}, \"tag\": {\"$in\": [\"a\", \"b\"]}}";

}  // namespace

json VectorToolDefinitions(const VectorConfig& config) {
  const Limits& l = config.limits;
  json tools = json::array();

  tools.push_back(Tool(
      "create_collection", "Create Collection",
      "Create an empty vector collection. Without `dimension` it takes the configured embedder's dimension, so "
      "documents and queries can be given as text; with another dimension, callers must pass vectors.",
      Object({{"name", CollectionName()},
              {"dimension", Integer(1, l.max_dimension, "Vector length; default: the embedder's")},
              {"metric", {{"type", "string"}, {"enum", {"cosine", "l2"}}, {"description", "Distance; default cosine"}}},
              {"M", Integer(2, 100, "HNSW links per node; default from config (16)")},
              {"ef_construction", Integer(1, 4096, "HNSW build-time candidate list; default from config (200)")},
              {"ef_search", Integer(1, 4096, "HNSW query-time candidate list; default from config (64)")}},
             {"name"}),
      CollectionInfoSchema(), kCreates));

  tools.push_back(Tool("list_collections", "List Collections",
                       "List this tenant's collections with their parameters and document counts.",
                       Object(json::object(), json::array()),
                       Object({{"collections", {{"type", "array"}, {"items", CollectionInfoSchema()}}}}, {"collections"}),
                       kReads));

  tools.push_back(Tool("delete_collection", "Delete Collection",
                       "Delete a collection and every document in it.", Object({{"name", CollectionName()}}, {"name"}),
                       Object({{"deleted", {{"type", "string"}}}, {"documents", {{"type", "integer"}}}},
                              {"deleted", "documents"}),
                       kDeletes));

  const json document =
      Object({{"id", json{{"type", "string"}, {"minLength", 1}, {"maxLength", 512}, {"description", "Unique in the collection"}}},
              {"text", json{{"type", "string"}, {"maxLength", l.max_text_bytes}, {"description", "The text; embedded unless `vector` is given"}}},
              {"metadata", Metadata()},
              {"vector", NumberArray("Optional vector of the collection's dimension, used instead of embedding the text")}},
             {"id", "text"});
  tools.push_back(Tool(
      "upsert_documents", "Upsert Documents",
      "Add documents to a collection, replacing any with the same id. The whole batch is stored atomically and "
      "durably before the call returns.",
      Object({{"collection", CollectionName()},
              {"documents", json{{"type", "array"}, {"items", document}, {"minItems", 1}, {"maxItems", l.max_batch_documents}}}},
             {"collection", "documents"}),
      Object({{"collection", {{"type", "string"}}},
              {"upserted", {{"type", "integer"}}},
              {"created", {{"type", "integer"}}},
              {"replaced", {{"type", "integer"}}}},
             {"collection", "upserted", "created", "replaced"}),
      kReplaces));

  tools.push_back(Tool("delete_documents", "Delete Documents", "Delete documents by id; unknown ids are reported, not errors.",
                       Object({{"collection", CollectionName()}, {"ids", IdList(l.max_batch_documents, "Ids to delete")}},
                              {"collection", "ids"}),
                       Object({{"collection", {{"type", "string"}}}, {"deleted", StringList()}, {"not_found", StringList()}},
                              {"collection", "deleted", "not_found"}),
                       kDeletes));

  const json result = Object({{"id", {{"type", "string"}}},
                              {"score", Described({{"type", "number"}}, "Higher is more similar: cosine similarity, or 1/(1+distance) for l2")},
                              {"distance", Described({{"type", "number"}}, "1 - cosine similarity, or Euclidean distance for l2")},
                              {"text", {{"type", "string"}}},
                              {"metadata", {{"type", "object"}}}},
                             {"id", "score", "distance", "text", "metadata"});
  tools.push_back(Tool(
      "query", "Query Collection",
      "Find the documents nearest to a text or a vector (pass exactly one), best first, optionally only those whose "
      "metadata matches a filter. Returns top_k results whenever that many documents match.",
      Object({{"collection", CollectionName()},
              {"text", json{{"type", "string"}, {"description", "Query text, embedded with the configured embedder"}}},
              {"vector", NumberArray("Query vector of the collection's dimension")},
              {"top_k", Integer(1, l.max_top_k, "How many results; default 5")},
              {"filter", json{{"type", "object"}, {"description", kFilterDescription}}}},
             {"collection"}),
      Object({{"collection", {{"type", "string"}}}, {"results", {{"type", "array"}, {"items", result}}}},
             {"collection", "results"}),
      kReads));

  tools.push_back(Tool(
      "get_documents", "Get Documents", "Read documents by id (text and metadata).",
      Object({{"collection", CollectionName()}, {"ids", IdList(l.max_batch_documents, "Ids to read")}}, {"collection", "ids"}),
      Object({{"collection", {{"type", "string"}}},
              {"documents", {{"type", "array"},
                             {"items", Object({{"id", {{"type", "string"}}}, {"text", {{"type", "string"}}}, {"metadata", {{"type", "object"}}}},
                                              {"id", "text", "metadata"})}}},
              {"not_found", StringList()}},
             {"collection", "documents", "not_found"}),
      kReads));
  return tools;
}

}  // namespace mcpgw::vector
