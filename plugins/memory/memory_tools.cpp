#include "memory_tools.h"

#include <map>
#include <utility>

#include "graph_json.h"
#include "tool_definitions.h"

namespace mcpgw::memory {
namespace {

using nlohmann::json;

json TextContent(std::string text) { return json::array({json{{"type", "text"}, {"text", std::move(text)}}}); }

// A result whose text is `value` pretty-printed and whose structuredContent
// is `structured`.
json StructuredResult(const OrderedJson& value, json structured) {
  return json{{"content", TextContent(PrettyJson(value))}, {"structuredContent", std::move(structured)}};
}

json SuccessResult(const std::string& message) {
  return json{{"content", TextContent(message)}, {"structuredContent", {{"success", true}, {"message", message}}}};
}

json GraphResult(const Graph& graph) {
  const OrderedJson value = GraphToJson(graph.entities, graph.relations);
  return StructuredResult(value, json(value));
}

// The answer to a mutating tool, given what Commit returned and how to
// describe the applied mutation.
template <typename Describe>
Result<ToolAnswer> Committed(const Result<Mutation>& committed, Describe describe) {
  if (!committed) {
    if (committed.error().kind != FailureKind::kRejected) return committed.error();
    return ToolAnswer{json{{"content", TextContent(committed.error().message)}, {"isError", true}}, false};
  }
  return ToolAnswer{describe(*committed), true};
}

using Handler = Result<ToolAnswer> (*)(DurableGraph& graph, const json& args);

Result<ToolAnswer> CreateEntitiesTool(DurableGraph& graph, const json& args) {
  std::vector<Entity> requested = ListFromJson<Entity>(args.at("entities"), EntityFromJson);
  return Committed(graph.Commit([&](const KnowledgeGraph& g, const GraphLimits& limits) {
    return g.PlanCreateEntities(std::move(requested), limits);
  }),
                   [](const Mutation& m) {
                     const OrderedJson created = ToJson(std::get<CreateEntities>(m).entities);
                     return StructuredResult(created, json{{"entities", json(created)}});
                   });
}

Result<ToolAnswer> CreateRelationsTool(DurableGraph& graph, const json& args) {
  std::vector<Relation> requested = ListFromJson<Relation>(args.at("relations"), RelationFromJson);
  return Committed(graph.Commit([&](const KnowledgeGraph& g, const GraphLimits&) -> Result<Mutation> {
    return g.PlanCreateRelations(std::move(requested));
  }),
                   [](const Mutation& m) {
                     const OrderedJson created = ToJson(std::get<CreateRelations>(m).relations);
                     return StructuredResult(created, json{{"relations", json(created)}});
                   });
}

Result<ToolAnswer> AddObservationsTool(DurableGraph& graph, const json& args) {
  const std::vector<ObservationAddition> requested =
      ListFromJson<ObservationAddition>(args.at("observations"), ObservationAdditionFromJson);
  return Committed(graph.Commit([&](const KnowledgeGraph& g, const GraphLimits& limits) {
    return g.PlanAddObservations(requested, limits);
  }),
                   [](const Mutation& m) {
                     const OrderedJson results = ToJson(std::get<AddObservations>(m).additions);
                     return StructuredResult(results, json{{"results", json(results)}});
                   });
}

// The deletions: the request is the mutation, and the answer a fixed message.
template <typename Deletion>
Result<ToolAnswer> Delete(DurableGraph& graph, Deletion deletion, const char* message) {
  return Committed(graph.Commit([&](const KnowledgeGraph&, const GraphLimits&) -> Result<Mutation> {
    return Mutation(std::move(deletion));
  }),
                   [&](const Mutation&) { return SuccessResult(message); });
}

Result<ToolAnswer> DeleteEntitiesTool(DurableGraph& graph, const json& args) {
  return Delete(graph, DeleteEntities{StringsFromJson(args.at("entityNames"))}, "Entities deleted successfully");
}

Result<ToolAnswer> DeleteObservationsTool(DurableGraph& graph, const json& args) {
  return Delete(
      graph, DeleteObservations{ListFromJson<ObservationDeletion>(args.at("deletions"), ObservationDeletionFromJson)},
      "Observations deleted successfully");
}

Result<ToolAnswer> DeleteRelationsTool(DurableGraph& graph, const json& args) {
  return Delete(graph, DeleteRelations{ListFromJson<Relation>(args.at("relations"), RelationFromJson)},
                "Relations deleted successfully");
}

// read_graph's CallToolResult as text. Agents read the whole graph often
// (the reference's suggested prompt does it at the start of every
// conversation), so the graph keeps it ready until the next change.
std::string ReadGraphAnswer(const KnowledgeGraph& g) {
  const OrderedJson value = GraphToJson(g.entities(), g.relations());
  const OrderedJson text = OrderedJson::array({OrderedJson{{"type", "text"}, {"text", PrettyJson(value)}}});
  return OrderedJson{{"content", text}, {"structuredContent", value}}.dump();
}

std::optional<ToolAnswer> ReadGraphTool(const DurableGraph& graph, bool wait) {
  auto view = graph.CachedView(&ReadGraphAnswer, wait);
  if (!view) return std::nullopt;
  return ToolAnswer{json(), false, std::move(view)};
}

// The other read-only tools: pure functions of the graph, run under its
// shared lock (taken at once in a no-wait call, or waited for otherwise).
using ReadHandler = ToolAnswer (*)(const KnowledgeGraph& graph, const json& args);

ToolAnswer SearchNodesTool(const KnowledgeGraph& g, const json& args) {
  return ToolAnswer{GraphResult(g.SearchNodes(args.at("query").get<std::string>())), false};
}

ToolAnswer OpenNodesTool(const KnowledgeGraph& g, const json& args) {
  return ToolAnswer{GraphResult(g.OpenNodes(StringsFromJson(args.at("names")))), false};
}

const std::map<std::string, ReadHandler, std::less<>>& ReadHandlers() {
  static const std::map<std::string, ReadHandler, std::less<>> handlers{
      {"search_nodes", &SearchNodesTool},
      {"open_nodes", &OpenNodesTool},
  };
  return handlers;
}

const std::map<std::string, Handler, std::less<>>& Handlers() {
  static const std::map<std::string, Handler, std::less<>> handlers{
      {"create_entities", &CreateEntitiesTool},
      {"create_relations", &CreateRelationsTool},
      {"add_observations", &AddObservationsTool},
      {"delete_entities", &DeleteEntitiesTool},
      {"delete_observations", &DeleteObservationsTool},
      {"delete_relations", &DeleteRelationsTool},
  };
  return handlers;
}

}  // namespace

Result<ToolAnswer> MemoryTools::Call(const std::string& tool, const std::string& tenant, const json& arguments) {
  const bool read_graph = tool == "read_graph";
  const auto reader = ReadHandlers().find(tool);
  const auto handler = Handlers().find(tool);
  if (!read_graph && reader == ReadHandlers().end() && handler == Handlers().end()) {
    return Failure{FailureKind::kInternal, "Unknown memory tool: " + tool};
  }
  auto graph = store_.ForTenant(tenant);
  if (!graph) return graph.error();
  if (read_graph) return *ReadGraphTool(**graph, true);
  if (reader != ReadHandlers().end()) {
    return (*graph)->Read([&](const KnowledgeGraph& g) { return reader->second(g, arguments); });
  }
  return handler->second(**graph, arguments);
}

std::optional<Result<ToolAnswer>> MemoryTools::TryCallWithoutWaiting(const std::string& tool, const std::string& tenant,
                                                                     const json& arguments) {
  const bool read_graph = tool == "read_graph";
  const auto reader = ReadHandlers().find(tool);
  if (!read_graph && reader == ReadHandlers().end()) return std::nullopt;  // writes fsync
  const std::shared_ptr<DurableGraph> graph = store_.LoadedWithoutWaiting(tenant);
  if (!graph) return std::nullopt;  // the first use loads from disk
  if (read_graph) {
    auto answer = ReadGraphTool(*graph, false);
    if (!answer) return std::nullopt;  // a commit holds the graph
    return Result<ToolAnswer>(std::move(*answer));
  }
  auto answer = graph->TryRead([&](const KnowledgeGraph& g) { return reader->second(g, arguments); });
  if (!answer) return std::nullopt;  // a commit holds the graph
  return Result<ToolAnswer>(std::move(*answer));
}

Result<json> MemoryTools::ReadGraphResource(const std::string& tenant) {
  auto graph = store_.ForTenant(tenant);
  if (!graph) return graph.error();
  std::string text =
      (*graph)->Read([](const KnowledgeGraph& g) { return PrettyJson(GraphToJson(g.entities(), g.relations())); });
  return json{
      {"contents",
       json::array({json{{"uri", kGraphResourceUri}, {"mimeType", "application/json"}, {"text", std::move(text)}}})}};
}

}  // namespace mcpgw::memory
