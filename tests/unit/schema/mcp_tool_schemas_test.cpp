// Input schemas of real MCP tools: the reference "memory" server's nine
// tools as it lists them, and the same shapes as zod-to-json-schema emits
// them (draft-07, "additionalProperties": false), the way many TypeScript
// servers publish theirs.
#include "unit/schema/schema_test_support.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace mcpgw::schema::testing {
namespace {

const json kCreateEntities = json::parse(R"({
  "type": "object",
  "properties": {
    "entities": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "name": {"type": "string", "description": "The name of the entity"},
          "entityType": {"type": "string", "description": "The type of the entity"},
          "observations": {"type": "array", "items": {"type": "string"},
                           "description": "An array of observation contents associated with the entity"}
        },
        "required": ["name", "entityType", "observations"]
      }
    }
  },
  "required": ["entities"]
})");

const json kRelation = json::parse(R"({
  "type": "object",
  "properties": {
    "from": {"type": "string", "description": "The name of the entity where the relation starts"},
    "to": {"type": "string", "description": "The name of the entity where the relation ends"},
    "relationType": {"type": "string", "description": "The type of the relation"}
  },
  "required": ["from", "to", "relationType"]
})");

json ObjectWith(const std::string& name, const json& property) {
  return {{"type", "object"}, {"properties", {{name, property}}}, {"required", {name}}};
}

json ArrayOf(const json& items) { return {{"type", "array"}, {"items", items}}; }

// The other eight tools of the memory server.
std::map<std::string, json> MemoryTools() {
  const json strings = ArrayOf({{"type", "string"}});
  return {
      {"create_entities", kCreateEntities},
      {"create_relations", ObjectWith("relations", ArrayOf(kRelation))},
      {"add_observations", ObjectWith("observations", ArrayOf(json::parse(R"({
         "type": "object",
         "properties": {"entityName": {"type": "string"}, "contents": {"type": "array", "items": {"type": "string"}}},
         "required": ["entityName", "contents"]})")))},
      {"delete_entities", ObjectWith("entityNames", strings)},
      {"delete_observations", ObjectWith("deletions", ArrayOf(json::parse(R"({
         "type": "object",
         "properties": {"entityName": {"type": "string"}, "observations": {"type": "array", "items": {"type": "string"}}},
         "required": ["entityName", "observations"]})")))},
      {"delete_relations", ObjectWith("relations", ArrayOf(kRelation))},
      {"read_graph", json::parse(R"({"type": "object", "properties": {}})")},
      {"search_nodes", ObjectWith("query", {{"type", "string"}})},
      {"open_nodes", ObjectWith("names", strings)},
  };
}

const json kThreeEntities = json::parse(R"({"entities": [
  {"name": "Alice", "entityType": "person", "observations": ["works at Acme", "likes tea"]},
  {"name": "Acme", "entityType": "organization", "observations": ["founded 1999"]},
  {"name": "Bob", "entityType": "person", "observations": []}
]})");

TEST(MemoryServerTools, AllCompile) {
  for (const auto& [name, schema] : MemoryTools()) EXPECT_EQ(CompileError(schema), "") << name;
}

TEST(MemoryServerTools, AcceptWellFormedArguments) {
  const std::map<std::string, json> tools = MemoryTools();
  const std::map<std::string, json> arguments = {
      {"create_entities", kThreeEntities},
      {"create_relations", json::parse(R"({"relations": [{"from": "Alice", "to": "Acme", "relationType": "works_at"}]})")},
      {"add_observations", json::parse(R"({"observations": [{"entityName": "Bob", "contents": ["plays chess"]}]})")},
      {"delete_entities", json::parse(R"({"entityNames": ["Bob"]})")},
      {"delete_observations", json::parse(R"({"deletions": [{"entityName": "Alice", "observations": ["likes tea"]}]})")},
      {"delete_relations", json::parse(R"({"relations": [{"from": "Alice", "to": "Acme", "relationType": "works_at"}]})")},
      {"read_graph", json::object()},
      {"search_nodes", json::parse(R"({"query": "chess"})")},
      {"open_nodes", json::parse(R"({"names": ["Alice", "Acme"]})")},
  };
  for (const auto& [name, args] : arguments) EXPECT_EQ(Check(tools.at(name), args), "") << name;
}

TEST(MemoryServerTools, RejectAnEntityWithoutAName) {
  json args = kThreeEntities;
  args["entities"][1].erase("name");
  EXPECT_EQ(Check(kCreateEntities, args), "/entities/1: missing required property \"name\"");
}

TEST(MemoryServerTools, RejectAnObservationThatIsNotAString) {
  json args = kThreeEntities;
  args["entities"][0]["observations"][1] = 42;
  EXPECT_EQ(Check(kCreateEntities, args), "/entities/0/observations/1: must be a string, got number");
}

TEST(MemoryServerTools, RejectEntitiesThatAreNotAnArray) {
  EXPECT_EQ(Check(kCreateEntities, json{{"entities", {{"name", "Alice"}}}}), "/entities: must be an array, got object");
  EXPECT_EQ(Check(kCreateEntities, json::object()), "/: missing required property \"entities\"");
  EXPECT_EQ(Check(kCreateEntities, json::array()), "/: must be an object, got array");
}

TEST(MemoryServerTools, ToleratePropertiesTheSchemaDoesNotMention) {
  json args = kThreeEntities;
  args["entities"][0]["extra"] = true;
  EXPECT_EQ(Check(kCreateEntities, args), "") << "no additionalProperties: false in the memory server's schema";
}

// create_entities as zod-to-json-schema renders it.
const json kZodCreateEntities = json::parse(R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "entities": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "name": {"type": "string", "minLength": 1},
          "entityType": {"type": "string"},
          "observations": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["name", "entityType", "observations"],
        "additionalProperties": false
      },
      "minItems": 1
    }
  },
  "required": ["entities"],
  "additionalProperties": false
})");

TEST(ZodGeneratedSchemas, AcceptTheSameArguments) { EXPECT_EQ(Check(kZodCreateEntities, kThreeEntities), ""); }

TEST(ZodGeneratedSchemas, RejectUnknownPropertiesWherever) {
  json args = kThreeEntities;
  args["entities"][2]["nickname"] = "B";
  EXPECT_EQ(Check(kZodCreateEntities, args), "/entities/2/nickname: unexpected property \"nickname\"");
  EXPECT_EQ(Check(kZodCreateEntities, json{{"entities", kThreeEntities["entities"]}, {"dryRun", true}}),
            "/dryRun: unexpected property \"dryRun\"");
}

TEST(ZodGeneratedSchemas, RejectAnEmptyListAndAnEmptyName) {
  EXPECT_EQ(Check(kZodCreateEntities, json{{"entities", json::array()}}), "/entities: must have at least 1 item, got 0");
  json args = kThreeEntities;
  args["entities"][0]["name"] = "";
  EXPECT_EQ(Check(kZodCreateEntities, args), "/entities/0/name: must be at least 1 character long, got 0");
}

TEST(ZodGeneratedSchemas, ResolveDefinitionsReferences) {
  // zod-to-json-schema moves a reused type to "definitions" and refers to it.
  const json schema = json::parse(R"({
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {"created": {"type": "array", "items": {"$ref": "#/definitions/Relation"}},
                   "deleted": {"type": "array", "items": {"$ref": "#/definitions/Relation"}}},
    "definitions": {"Relation": {"type": "object", "properties": {"from": {"type": "string"}, "to": {"type": "string"}},
                                 "required": ["from", "to"], "additionalProperties": false}}
  })");
  EXPECT_EQ(Check(schema, json::parse(R"({"created": [{"from": "a", "to": "b"}], "deleted": []})")), "");
  EXPECT_EQ(Check(schema, json::parse(R"({"deleted": [{"from": "a"}]})")), "/deleted/0: missing required property \"to\"");
}

}  // namespace
}  // namespace mcpgw::schema::testing
