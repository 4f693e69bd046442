// Limits against hostile schemas and instances, and the schemas the gateway
// refuses on purpose: other dialects, remote references, unsafe patterns.
#include "unit/schema/schema_test_support.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>

namespace mcpgw::schema::testing {
namespace {

// {"not": {"not": ... {} ...}} with `levels` subschemas below the root.
json NestedNots(std::size_t levels) {
  json schema = json::object();
  for (std::size_t i = 0; i < levels; ++i) schema = json{{"not", schema}};
  return schema;
}

// [[[...]]] nested `levels` deep.
json NestedArrays(std::size_t levels) {
  json value = json::array();
  for (std::size_t i = 0; i < levels; ++i) value = json::array({value});
  return value;
}

// "p0", "p1", ... (built with append: GCC 12 at -O3 warns wrongly on "p" + s).
std::string PropertyName(int i) {
  std::string name = "p";
  name.append(std::to_string(i));
  return name;
}

const json kRecursiveList = json::parse(R"({"type": "array", "items": {"$ref": "#"}})");

TEST(SchemaDepthBound, AcceptsNestingUpToTheLimitAndRefusesOneMore) {
  EXPECT_EQ(CompileError(NestedNots(64)), "");
  EXPECT_NE(CompileError(NestedNots(65)).find("schema nests deeper than 64 levels"), std::string::npos);
  CompileOptions options;
  options.max_schema_depth = 8;
  EXPECT_EQ(CompileError(NestedNots(8), options), "");
  EXPECT_NE(CompileError(NestedNots(9), options), "");
}

TEST(SchemaDepthBound, AlsoLimitsNestingInsideConstAndEnumValues) {
  EXPECT_EQ(CompileError(json{{"const", NestedArrays(60)}}), "");
  EXPECT_NE(CompileError(json{{"const", NestedArrays(100)}}).find("nested deeper than 64 levels"), std::string::npos);
  EXPECT_NE(CompileError(json{{"enum", json::array({NestedArrays(100)})}}), "");
}

TEST(SubschemaCountBound, RefusesASchemaWithMoreSubschemasThanTheLimit) {
  json schema = {{"type", "object"}};
  for (int i = 0; i < 10'000; ++i) schema["properties"][PropertyName(i)] = {{"type", "string"}};
  EXPECT_NE(CompileError(schema).find("more than 10000 subschemas"), std::string::npos);
  CompileOptions options;
  options.max_subschemas = 20'000;
  EXPECT_EQ(CompileError(schema, options), "");
}

TEST(SubschemaCountBound, DoesNotCountSharedBooleanSchemas) {
  json schema = json::object();
  for (int i = 0; i < 50; ++i) schema["properties"][PropertyName(i)] = false;
  CompileOptions options;
  options.max_subschemas = 1;
  EXPECT_EQ(CompileError(schema, options), "");
}

TEST(ValidationDepthBound, StopsARecursiveRefAgainstATooDeeplyNestedInstance) {
  const CompiledSchema schema = MustCompile(kRecursiveList);
  EXPECT_EQ(Check(schema, NestedArrays(50)), "");
  const std::string error = Check(schema, NestedArrays(500));
  EXPECT_NE(error.find("validation goes deeper than 128 nested schemas"), std::string::npos) << error;
}

TEST(ValidationDepthBound, IsAnErrorEvenWhereFailureWouldMeanValid) {
  // Inside "not" or "anyOf", an unfinished check must not pass for a failed one.
  const json schema = json::parse(R"({
    "$defs": {"list": {"type": "array", "items": {"$ref": "#/$defs/list"}}},
    "anyOf": [{"not": {"$ref": "#/$defs/list"}}, {"type": "string"}]
  })");
  EXPECT_NE(Check(schema, NestedArrays(500)).find("validation goes deeper"), std::string::npos);
}

// A value the gateway's parser could hand over: [[[...]]] `levels` deep,
// parsed rather than built, since nlohmann parses without recursing.
json ParsedNestedArrays(std::size_t levels) {
  return json::parse(std::string(levels, '[') + std::string(levels, ']'));
}

TEST(HostileInstances, AVeryDeepValueIsReportedWithoutRecursingThroughIt) {
  const json deep = ParsedNestedArrays(200'000);
  EXPECT_EQ(Check(json{{"const", 1}}, deep), "/: must be 1, got [[[[[...]]]]]");
  EXPECT_EQ(Check(json{{"enum", {1, 2}}}, deep), "/: must be one of 1, 2; got [[[[[...]]]]]");
  EXPECT_EQ(Check(json{{"type", "object"}}, deep), "/: must be an object, got array");
}

TEST(HostileInstances, UniqueItemsRefusesToCompareValuesNestedTooDeeply) {
  json pair = json::array({ParsedNestedArrays(200'000), ParsedNestedArrays(200'000)});
  EXPECT_EQ(Check(json{{"uniqueItems", true}}, pair),
            "/: is nested more than 128 levels deep, too deep to check \"uniqueItems\"");
  EXPECT_EQ(Check(json{{"uniqueItems", true}}, json::array({ParsedNestedArrays(100), ParsedNestedArrays(101)})), "");
}

TEST(ValidationDepthBound, FollowsItsOption) {
  CompileOptions options;
  options.max_validation_depth = 10;
  const CompiledSchema schema = MustCompile(kRecursiveList, options);
  EXPECT_EQ(Check(schema, NestedArrays(3)), "");
  EXPECT_NE(Check(schema, NestedArrays(20)), "");
}

TEST(RefCycles, RefusesAReferenceLoopThatNeverDescendsIntoTheInstance) {
  EXPECT_NE(CompileError(json::parse(R"({"$ref": "#"})")).find("would never end"), std::string::npos);
  EXPECT_NE(CompileError(json::parse(R"({
    "$defs": {"a": {"allOf": [{"$ref": "#/$defs/b"}]}, "b": {"anyOf": [{"$ref": "#/$defs/a"}]}},
    "$ref": "#/$defs/a"
  })")),
            "");
}

TEST(Dialects, AcceptsDraft07WithOrWithoutTheTrailingHash) {
  for (const char* uri : {"http://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-07/schema"}) {
    json schema = json::parse(R"({"items": [{"type": "string"}], "additionalItems": false})");
    schema["$schema"] = uri;
    EXPECT_EQ(Check(schema, json::array({"a"})), "") << uri;
    EXPECT_EQ(Check(schema, json::array({"a", "b"})), "/1: unexpected item: at most 1 item is allowed") << uri;
  }
}

TEST(Dialects, RefusesAnyOtherSchemaUriByName) {
  EXPECT_EQ(CompileError(json{{"$schema", "http://json-schema.org/draft-04/schema#"}}).rfind(
                "unsupported JSON Schema dialect: \"http://json-schema.org/draft-04/schema#\"", 0),
            0u);
  EXPECT_NE(CompileError(json{{"$schema", "https://json-schema.org/draft/2019-09/schema"}}), "");
  EXPECT_NE(CompileError(json{{"$schema", 7}}), "");
}

TEST(Dialects, RefusesANestedSchemaThatSwitchesDialect) {
  const json schema = json::parse(R"({
    "properties": {"a": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"}}
  })");
  EXPECT_NE(CompileError(schema).find("mixing dialects"), std::string::npos);
}

TEST(References, NeverFetchARemoteSchema) {
  const std::string error = CompileError(json{{"$ref", "https://example.com/schemas/person.json"}});
  EXPECT_NE(error.find("is not local: remote references are never fetched"), std::string::npos) << error;
  EXPECT_NE(CompileError(json{{"$ref", "http://json-schema.org/draft-07/schema#"}}), "");
}

TEST(References, RefuseOnesThatResolveToNothingInTheDocument) {
  for (const char* ref : {"#/$defs/missing", "#nowhere", "other.json", "#/properties/a/items/5", "#/a~2b"}) {
    EXPECT_NE(CompileError(json{{"$ref", ref}, {"properties", {{"a", {{"items", json::array()}}}}}}), "") << ref;
  }
}

TEST(References, FollowEscapedAndPercentEncodedPointers) {
  const json schema = json::parse(R"({
    "$defs": {"a/b": {"type": "integer"}, "c~d": {"type": "string"}, "e%f": {"type": "boolean"}},
    "properties": {
      "slash": {"$ref": "#/$defs/a~1b"},
      "tilde": {"$ref": "#/$defs/c~0d"},
      "percent": {"$ref": "#/$defs/e%25f"}
    }
  })");
  EXPECT_EQ(Check(schema, json{{"slash", 1}, {"tilde", "x"}, {"percent", true}}), "");
  EXPECT_EQ(Check(schema, json{{"percent", 1}}), "/percent: must be a boolean, got number");
}

TEST(References, MayPointAnywhereInsideTheDocument) {
  const json schema = json::parse(R"({
    "properties": {"list": {"type": "array", "items": {"type": "string"}}, "copy": {"$ref": "#/properties/list/items"}}
  })");
  EXPECT_EQ(Check(schema, json{{"copy", 1}}), "/copy: must be a string, got number");
}

TEST(Patterns, RefuseAnInvalidRegularExpression) {
  EXPECT_NE(CompileError(json{{"pattern", "[a-"}}).find("is not a valid regular expression"), std::string::npos);
  EXPECT_NE(CompileError(json{{"patternProperties", {{"(unclosed", json::object()}}}}), "");
}

TEST(Patterns, RefuseBackReferencesWhichNeedBacktracking) {
  EXPECT_NE(CompileError(json{{"pattern", "(a)\\1"}}).find("back-reference"), std::string::npos);
}

TEST(Patterns, RefuseUnicodePropertyClassesThatStdRegexWouldMisread) {
  for (const char* pattern : {"^\\p{L}+$", "^[\\p{L}\\d]+$", "\\P{Lu}"}) {
    EXPECT_NE(CompileError(json{{"pattern", pattern}}).find("Unicode property class"), std::string::npos) << pattern;
  }
  EXPECT_EQ(CompileError(json{{"pattern", "^\\\\p$"}}), "") << "an escaped backslash before p is fine";
}

TEST(Patterns, RefuseOnesThatWouldExpandIntoAHugeAutomaton) {
  EXPECT_NE(CompileError(json{{"pattern", "(a{100}){100}"}}).find("too complex"), std::string::npos);
  EXPECT_NE(CompileError(json{{"pattern", "a{5000}"}}).find("too complex"), std::string::npos);
  EXPECT_NE(CompileError(json{{"pattern", std::string(40, '(') + "a" + std::string(40, ')')}}).find("too complex"),
            std::string::npos);
  EXPECT_EQ(CompileError(json{{"pattern", "^[a-z0-9-]{1,63}(\\.[a-z0-9-]{1,63})*$"}}), "");
}

TEST(Patterns, FailAStringLongerThanTheLimitWithAClearMessage) {
  const std::string error = Check(json{{"pattern", "^a+$"}}, json(std::string(9000, 'a')));
  EXPECT_EQ(error, "/: is too long to be checked against pattern \"^a+$\" (9000 bytes; the limit is 8192)");
  EXPECT_NE(Check(json::parse(R"({"not": {"pattern": "^b"}})"), json(std::string(9000, 'a'))), "")
      << "never valid just because the check could not run";
  EXPECT_EQ(Check(json{{"maxLength", 100000}}, json(std::string(9000, 'a'))), "") << "without a pattern, fine";
  CompileOptions options;
  options.max_pattern_input_bytes = 16;
  EXPECT_NE(Check(MustCompile(json{{"pattern", "a"}}, options), json(std::string(17, 'a'))), "");
}

TEST(Patterns, ApplyTheLengthLimitToPropertyNamesToo) {
  const json schema = {{"patternProperties", {{"^x", {{"type", "string"}}}}}};
  EXPECT_NE(Check(schema, json{{std::string(9000, 'x'), "v"}}).find("is too long"), std::string::npos);
}

TEST(Patterns, TakeLinearTimeOnCatastrophicBacktrackingInput) {
  // Exponential for a backtracking engine; this suite would time out.
  EXPECT_EQ(Check(json{{"pattern", "^(a+)+$"}}, json(std::string(5000, 'a') + "!")),
            "/: does not match pattern \"^(a+)+$\"");
  EXPECT_EQ(Check(json{{"pattern", "^(a|aa)*$"}}, json(std::string(8000, 'a'))), "");
}

void* MatchLongStringsOnThisStack(void* result) {
  auto* ok = static_cast<bool*>(result);
  const CompiledSchema schema = MustCompile(json{{"pattern", "^(a|b)*$"}});
  *ok = Check(schema, json(std::string(8192, 'a'))) == "" && Check(schema, json(std::string(8191, 'a') + "c")) != "";
  return nullptr;
}

TEST(Patterns, MatchTheLongestAllowedStringOnASmallThreadStack) {
  // A backtracking std::regex recurses per character and overflows this.
  pthread_attr_t attributes;
  ASSERT_EQ(pthread_attr_init(&attributes), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attributes, 256 * 1024), 0);
  bool ok = false;
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attributes, MatchLongStringsOnThisStack, &ok), 0);
  ASSERT_EQ(pthread_join(thread, nullptr), 0);
  pthread_attr_destroy(&attributes);
  EXPECT_TRUE(ok);
}

}  // namespace
}  // namespace mcpgw::schema::testing
