#include "tool_definitions.h"

#include <string>

namespace mcpgw::memory {
namespace {

using nlohmann::json;

json String(const char* description = nullptr) {
  json s{{"type", "string"}};
  if (description != nullptr) s["description"] = description;
  return s;
}

json ArrayOf(json items, const char* description = nullptr) {
  json s{{"type", "array"}, {"items", std::move(items)}};
  if (description != nullptr) s["description"] = description;
  return s;
}

// zod objects become closed objects in output schemas only (as the SDK emits them).
enum class Shape { kInput, kOutput };

json Object(json properties, json required, Shape shape) {
  json s{{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
  if (shape == Shape::kOutput) s["additionalProperties"] = false;
  return s;
}

json EntitySchema(Shape shape) {
  return Object({{"name", String("The name of the entity")},
                 {"entityType", String("The type of the entity")},
                 {"observations", ArrayOf(String(), "An array of observation contents associated with the entity")}},
                {"name", "entityType", "observations"}, shape);
}

json RelationSchema(Shape shape) {
  return Object({{"from", String("The name of the entity where the relation starts")},
                 {"to", String("The name of the entity where the relation ends")},
                 {"relationType", String("The type of the relation")}},
                {"from", "to", "relationType"}, shape);
}

json GraphSchema() {
  return Object(
      {{"entities", ArrayOf(EntitySchema(Shape::kOutput))}, {"relations", ArrayOf(RelationSchema(Shape::kOutput))}},
      {"entities", "relations"}, Shape::kOutput);
}

json SuccessSchema() {
  return Object({{"success", {{"type", "boolean"}}}, {"message", String()}}, {"success", "message"}, Shape::kOutput);
}

struct Hints {
  bool read_only, destructive, idempotent;
};

json Tool(const char* name, const char* title, const char* description, json input, json output, Hints hints) {
  return json{{"name", name},
              {"title", title},
              {"description", description},
              {"inputSchema", std::move(input)},
              {"outputSchema", std::move(output)},
              {"annotations",
               {{"readOnlyHint", hints.read_only},
                {"destructiveHint", hints.destructive},
                {"idempotentHint", hints.idempotent},
                {"openWorldHint", false}}}};
}

constexpr Hints kCreates{false, false, false};
constexpr Hints kDeletes{false, true, true};
constexpr Hints kReads{true, false, true};

}  // namespace

json MemoryToolDefinitions() {
  const auto input = [](const char* key, json schema) {
    return Object({{key, std::move(schema)}}, {key}, Shape::kInput);
  };
  const auto output = [](const char* key, json schema) {
    return Object({{key, std::move(schema)}}, {key}, Shape::kOutput);
  };
  json tools = json::array();
  tools.push_back(Tool("create_entities", "Create Entities", "Create multiple new entities in the knowledge graph",
                       input("entities", ArrayOf(EntitySchema(Shape::kInput))),
                       output("entities", ArrayOf(EntitySchema(Shape::kOutput))), kCreates));
  tools.push_back(Tool("create_relations", "Create Relations",
                       "Create multiple new relations between entities in the knowledge graph. Relations should be in "
                       "active voice",
                       input("relations", ArrayOf(RelationSchema(Shape::kInput))),
                       output("relations", ArrayOf(RelationSchema(Shape::kOutput))), kCreates));
  tools.push_back(Tool(
      "add_observations", "Add Observations", "Add new observations to existing entities in the knowledge graph",
      input("observations", ArrayOf(Object({{"entityName", String("The name of the entity to add the observations to")},
                                            {"contents", ArrayOf(String(), "An array of observation contents to add")}},
                                           {"entityName", "contents"}, Shape::kInput))),
      output("results", ArrayOf(Object({{"entityName", String()}, {"addedObservations", ArrayOf(String())}},
                                       {"entityName", "addedObservations"}, Shape::kOutput))),
      kCreates));
  tools.push_back(Tool("delete_entities", "Delete Entities",
                       "Delete multiple entities and their associated relations from the knowledge graph",
                       input("entityNames", ArrayOf(String(), "An array of entity names to delete")), SuccessSchema(),
                       kDeletes));
  tools.push_back(Tool(
      "delete_observations", "Delete Observations", "Delete specific observations from entities in the knowledge graph",
      input("deletions", ArrayOf(Object({{"entityName", String("The name of the entity containing the observations")},
                                         {"observations", ArrayOf(String(), "An array of observations to delete")}},
                                        {"entityName", "observations"}, Shape::kInput))),
      SuccessSchema(), kDeletes));
  tools.push_back(Tool("delete_relations", "Delete Relations", "Delete multiple relations from the knowledge graph",
                       input("relations", ArrayOf(RelationSchema(Shape::kInput), "An array of relations to delete")),
                       SuccessSchema(), kDeletes));
  tools.push_back(Tool("read_graph", "Read Graph", "Read the entire knowledge graph",
                       json{{"type", "object"}, {"properties", json::object()}}, GraphSchema(), kReads));
  tools.push_back(
      Tool("search_nodes", "Search Nodes", "Search for nodes in the knowledge graph based on a query",
           input("query", String("The search query to match against entity names, types, and observation content")),
           GraphSchema(), kReads));
  tools.push_back(Tool("open_nodes", "Open Nodes", "Open specific nodes in the knowledge graph by their names",
                       input("names", ArrayOf(String(), "An array of entity names to retrieve")), GraphSchema(),
                       kReads));
  return tools;
}

json GraphResourceDefinition() {
  return json{{"uri", kGraphResourceUri},
              {"name", "knowledge-graph"},
              {"title", "Knowledge Graph"},
              {"description", "The full knowledge graph with all entities and relations"},
              {"mimeType", "application/json"}};
}

}  // namespace mcpgw::memory
