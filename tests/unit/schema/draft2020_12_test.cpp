// JSON Schema 2020-12, the default dialect, where it differs from draft-07
// (Debian's copy of the official suite has no 2020-12 tests), and the JSON
// semantics every dialect shares.
#include "unit/schema/schema_test_support.h"

#include <gtest/gtest.h>

namespace mcpgw::schema::testing {
namespace {

TEST(Draft2020_12, IsTheDialectOfASchemaWithoutSchemaKeyword) {
  // prefixItems means nothing in draft-07; here it checks the first element.
  EXPECT_NE(Check(json{{"prefixItems", {{{"type", "integer"}}}}}, json::array({"a"})), "");
  EXPECT_EQ(Check(json{{"prefixItems", {{{"type", "integer"}}}}}, json::array({"a"}), Draft07()), "")
      << "draft-07 ignores prefixItems";
}

TEST(Draft2020_12, AcceptsItsMetaSchemaUriWithOrWithoutHash) {
  for (const char* uri : {"https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2020-12/schema#"}) {
    EXPECT_EQ(CompileError(json{{"$schema", uri}, {"type", "string"}}), "") << uri;
  }
}

TEST(Draft2020_12, PrefixItemsCheckEachPositionAndItemsChecksTheRest) {
  const CompiledSchema schema = MustCompile(json::parse(R"({
    "prefixItems": [{"type": "string"}, {"type": "integer"}],
    "items": {"type": "boolean"}
  })"));
  EXPECT_EQ(Check(schema, json::parse(R"(["a", 1, true, false])")), "");
  EXPECT_EQ(Check(schema, json::parse(R"(["a"])")), "") << "a shorter array is fine";
  EXPECT_EQ(Check(schema, json::parse(R"([1, 1])")), "/0: must be a string, got number");
  EXPECT_EQ(Check(schema, json::parse(R"(["a", 1, "x"])")), "/2: must be a boolean, got string");
}

TEST(Draft2020_12, ItemsFalseAfterPrefixItemsForbidsExtraElements) {
  const CompiledSchema schema = MustCompile(json::parse(R"({"prefixItems": [{}, {}], "items": false})"));
  EXPECT_EQ(Check(schema, json::parse("[1, 2]")), "");
  EXPECT_EQ(Check(schema, json::parse("[1, 2, 3]")), "/2: unexpected item: at most 2 items are allowed");
}

TEST(Draft2020_12, RefusesArrayFormItemsAndPointsToPrefixItems) {
  EXPECT_NE(CompileError(json::parse(R"({"items": [{"type": "string"}]})")).find("prefixItems"), std::string::npos);
}

TEST(Draft2020_12, RefResolvesIntoDefs) {
  const CompiledSchema schema = MustCompile(json::parse(R"({
    "$defs": {"name": {"type": "string", "minLength": 1}},
    "properties": {"first": {"$ref": "#/$defs/name"}, "last": {"$ref": "#/$defs/name"}}
  })"));
  EXPECT_EQ(Check(schema, json{{"first", "Ada"}, {"last", "Lovelace"}}), "");
  EXPECT_EQ(Check(schema, json{{"first", "Ada"}, {"last", ""}}), "/last: must be at least 1 character long, got 0");
}

TEST(Draft2020_12, RefAppliesTogetherWithItsSiblingKeywords) {
  const json schema = json::parse(R"({
    "$defs": {"short": {"maxLength": 3}},
    "properties": {"code": {"$ref": "#/$defs/short", "pattern": "^[A-Z]+$"}}
  })");
  EXPECT_EQ(Check(schema, json{{"code", "abc"}}), "/code: does not match pattern \"^[A-Z]+$\"");
  EXPECT_EQ(Check(schema, json{{"code", "ABCD"}}), "/code: must be at most 3 characters long, got 4");
  // draft-07 ignores every keyword beside "$ref".
  json draft07 = schema;
  draft07["definitions"] = draft07["$defs"];
  draft07["properties"]["code"]["$ref"] = "#/definitions/short";
  EXPECT_EQ(Check(MustCompile(draft07, Draft07()), json{{"code", "abc"}}), "");
}

TEST(Draft2020_12, AnchorNamesALocationForRef) {
  const CompiledSchema schema = MustCompile(json::parse(R"({
    "$defs": {"id": {"$anchor": "identifier", "type": "string", "pattern": "^[a-z_]+$"}},
    "properties": {"user": {"$ref": "#identifier"}}
  })"));
  EXPECT_EQ(Check(schema, json{{"user", "ada_l"}}), "");
  EXPECT_EQ(Check(schema, json{{"user", "Ada"}}), "/user: does not match pattern \"^[a-z_]+$\"");
}

TEST(Draft2020_12, EmbeddedIdSetsTheBaseOfRelativeRefs) {
  const CompiledSchema schema = MustCompile(json::parse(R"({
    "$id": "https://example.com/tool/input",
    "properties": {"when": {"$ref": "time"}},
    "$defs": {"time": {"$id": "time", "type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"}}
  })"));
  EXPECT_EQ(Check(schema, json{{"when", "09:30"}}), "");
  EXPECT_EQ(Check(schema, json{{"when", "9.30"}}), "/when: does not match pattern \"^[0-9]{2}:[0-9]{2}$\"");
}

TEST(Draft2020_12, RecursiveRefValidatesATreeOfAnyDepthWithinTheBounds) {
  const CompiledSchema schema = MustCompile(json::parse(R"({
    "type": "object",
    "properties": {"value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#"}}},
    "required": ["value"]
  })"));
  const json tree = json::parse(R"({"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}, {"value": 4}]})");
  EXPECT_EQ(Check(schema, tree), "");
  json broken = tree;
  broken["children"][0]["children"][0]["value"] = "three";
  EXPECT_EQ(Check(schema, broken), "/children/0/children/0/value: must be an integer, got string");
}

TEST(Draft2020_12, DependentRequiredRequiresTheListedProperties) {
  const json schema = json::parse(R"({"dependentRequired": {"credit_card": ["billing_address"]}})");
  EXPECT_EQ(Check(schema, json{{"name", "x"}}), "");
  EXPECT_EQ(Check(schema, json{{"credit_card", "1234"}, {"billing_address", "here"}}), "");
  EXPECT_EQ(Check(schema, json{{"credit_card", "1234"}}),
            "/: missing property \"billing_address\", required when \"credit_card\" is present");
}

TEST(Draft2020_12, DependentSchemasApplyOnlyWhenThePropertyIsPresent) {
  const json schema = json::parse(R"({
    "dependentSchemas": {"limit": {"properties": {"offset": {"type": "integer", "minimum": 0}}, "required": ["offset"]}}
  })");
  EXPECT_EQ(Check(schema, json{{"offset", "anything"}}), "");
  EXPECT_EQ(Check(schema, json{{"limit", 10}, {"offset", 0}}), "");
  EXPECT_EQ(Check(schema, json{{"limit", 10}}), "/: missing required property \"offset\"");
  EXPECT_EQ(Check(schema, json{{"limit", 10}, {"offset", -1}}), "/offset: must be >= 0, got -1");
}

TEST(Draft2020_12, KeepsDraft07DependenciesMeaningful) {
  const json schema = json::parse(R"({"dependencies": {"a": ["b"], "c": {"required": ["d"]}}})");
  EXPECT_EQ(Check(schema, json{{"a", 1}}), "/: missing property \"b\", required when \"a\" is present");
  EXPECT_EQ(Check(schema, json{{"c", 1}}), "/: missing required property \"d\"");
}

TEST(Draft2020_12, ExclusiveBoundsAreNumbers) {
  const json schema = json::parse(R"({"exclusiveMinimum": 0, "exclusiveMaximum": 1.5})");
  EXPECT_EQ(Check(schema, json(0.5)), "");
  EXPECT_EQ(Check(schema, json(0)), "/: must be > 0, got 0");
  EXPECT_EQ(Check(schema, json(1.5)), "/: must be < 1.5, got 1.5");
  // The draft-04 boolean form is not a number.
  EXPECT_NE(CompileError(json::parse(R"({"minimum": 0, "exclusiveMinimum": true})")).find("must be a number"),
            std::string::npos);
}

TEST(Draft2020_12, MinContainsAndMaxContainsCountTheMatchingItems) {
  const CompiledSchema schema =
      MustCompile(json::parse(R"({"contains": {"type": "string"}, "minContains": 2, "maxContains": 3})"));
  EXPECT_EQ(Check(schema, json::parse(R"(["a", 1, "b"])")), "");
  EXPECT_EQ(Check(schema, json::parse(R"(["a", 1])")),
            "/: must contain at least 2 items matching the \"contains\" schema, got 1");
  EXPECT_EQ(Check(schema, json::parse(R"(["a", "b", "c", "d"])")),
            "/: must contain at most 3 items matching the \"contains\" schema, got 4");
  EXPECT_EQ(Check(json::parse(R"({"contains": {"type": "string"}, "minContains": 0})"), json::array()), "");
}

TEST(Draft2020_12, UnevaluatedPropertiesSeesPropertiesEvaluatedInAllOfBranches) {
  const CompiledSchema schema = MustCompile(json::parse(R"({
    "allOf": [{"properties": {"name": {"type": "string"}}}],
    "properties": {"age": {"type": "integer"}},
    "unevaluatedProperties": false
  })"));
  EXPECT_EQ(Check(schema, json{{"name", "Ada"}, {"age", 36}}), "");
  EXPECT_EQ(Check(schema, json{{"name", "Ada"}, {"nickname", "A"}}), "/nickname: unexpected property \"nickname\"");
}

TEST(Draft2020_12, UnevaluatedPropertiesCountsOnlyTheBranchesThatMatched) {
  const CompiledSchema schema = MustCompile(json::parse(R"({
    "anyOf": [
      {"properties": {"kind": {"const": "file"}, "path": {"type": "string"}}, "required": ["kind"]},
      {"properties": {"kind": {"const": "url"}, "href": {"type": "string"}}, "required": ["kind"]}
    ],
    "unevaluatedProperties": false
  })"));
  EXPECT_EQ(Check(schema, json{{"kind", "file"}, {"path", "/tmp/x"}}), "");
  EXPECT_EQ(Check(schema, json{{"kind", "file"}, {"href", "http://x"}}), "/href: unexpected property \"href\"");
}

TEST(Draft2020_12, UnevaluatedItemsSeesPrefixItemsReachedThroughRef) {
  const CompiledSchema schema = MustCompile(json::parse(R"({
    "$defs": {"pair": {"prefixItems": [{"type": "string"}, {"type": "integer"}]}},
    "$ref": "#/$defs/pair",
    "unevaluatedItems": false
  })"));
  EXPECT_EQ(Check(schema, json::parse(R"(["a", 1])")), "");
  EXPECT_EQ(Check(schema, json::parse(R"(["a", 1, 2])")), "/2: unexpected item (not allowed by \"unevaluatedItems\")");
}

TEST(Draft2020_12, RefusesDynamicRefRatherThanIgnoringIt) {
  EXPECT_NE(CompileError(json::parse(R"({"$dynamicAnchor": "node", "items": {"$dynamicRef": "#node"}})"))
                .find("unsupported keyword: $dynamicRef"),
            std::string::npos);
}

TEST(JsonSemantics, IntegerIsAnyNumberWithoutFractionalPart) {
  const json schema = {{"type", "integer"}};
  EXPECT_EQ(Check(schema, json(1)), "");
  EXPECT_EQ(Check(schema, json(1.0)), "");
  EXPECT_EQ(Check(schema, json(-0.0)), "");
  EXPECT_EQ(Check(schema, json(1.5)), "/: must be an integer, got number");
}

TEST(JsonSemantics, ConstAndEnumCompareNumbersByValueButNeverBooleansWithNumbers) {
  EXPECT_EQ(Check(json{{"const", 1}}, json(1.0)), "");
  EXPECT_EQ(Check(json::parse(R"({"enum": [[1, 2]]})"), json::parse("[1.0, 2.0]")), "");
  EXPECT_EQ(Check(json{{"const", json::array({false})}}, json::parse("[0]")), "/: must be [false], got [0]");
  EXPECT_EQ(Check(json{{"const", json{{"a", 1}}}}, json::parse(R"({"a": 1.0})")), "");
}

TEST(JsonSemantics, UniqueItemsTreatsOneAndOnePointZeroAsEqualInShortAndLongArrays) {
  const json schema = {{"uniqueItems", true}};
  EXPECT_EQ(Check(schema, json::parse("[1, 1.0]")), "/: must not contain duplicates, but items 0 and 1 are equal");
  json long_array = json::array();
  for (int i = 0; i < 100; ++i) long_array.push_back(json{{"id", i}});
  EXPECT_EQ(Check(schema, long_array), "");
  long_array.push_back(json{{"id", 42.0}});
  EXPECT_EQ(Check(schema, long_array), "/: must not contain duplicates, but items 42 and 100 are equal");
}

TEST(JsonSemantics, UniqueItemsSortsMixedTypesWithoutConfusingThem) {
  json mixed = json::parse(R"([null, true, false, 0, 1, "1", [1], {"1": 1}, [], {}, "", 0.5, -1, [true], [[1]]])");
  for (int i = 0; i < 40; ++i) mixed.push_back(std::string(static_cast<std::size_t>(i) + 1, 's'));
  EXPECT_EQ(Check(json{{"uniqueItems", true}}, mixed), "");
  mixed.push_back(json::parse("[1.0]"));
  EXPECT_EQ(Check(json{{"uniqueItems", true}}, mixed), "/: must not contain duplicates, but items 6 and 55 are equal");
}

TEST(JsonSemantics, StringLengthCountsCodePointsNotBytes) {
  const json schema = {{"minLength", 2}, {"maxLength", 2}};
  EXPECT_EQ(Check(schema, json("\xc3\xa9\xc3\xa9")), "") << "two e-acute are 4 bytes, 2 code points";
  EXPECT_EQ(Check(schema, json("\xf0\x9f\x90\xb2")), "/: must be at least 2 characters long, got 1");
}

TEST(JsonSemantics, PatternsMatchCodePointsAndSearchAnywhereUnlessAnchored) {
  EXPECT_EQ(Check(json{{"pattern", "^.$"}}, json("\xc3\xa9")), "");
  EXPECT_EQ(Check(json{{"pattern", "b+"}}, json("aaabbbccc")), "");
  EXPECT_EQ(Check(json{{"pattern", "^b+"}}, json("aaabbb")), "/: does not match pattern \"^b+\"");
  EXPECT_EQ(Check(json{{"pattern", "^a|b$"}}, json("xxb")), "") << "only the first branch is anchored";
  EXPECT_EQ(Check(json{{"pattern", "x(?=y)"}}, json("axy")), "");
}

TEST(JsonSemantics, MultipleOfToleratesBinaryRoundingOnly) {
  EXPECT_EQ(Check(json{{"multipleOf", 0.0001}}, json(0.0075)), "");
  EXPECT_EQ(Check(json{{"multipleOf", 0.01}}, json(19.99)), "");
  EXPECT_EQ(Check(json{{"multipleOf", 0.0001}}, json(0.00751)), "/: must be a multiple of 0.0001, got 0.00751");
  EXPECT_EQ(Check(json{{"multipleOf", 3}}, json(9007199254740993LL)), "") << "exact for large integers";
  EXPECT_EQ(Check(json{{"multipleOf", 0.5}}, json(1e308)), "") << "no overflow to infinity";
}

TEST(JsonSemantics, NumericBoundsCompareAcrossIntegerAndFloatingPointExactly) {
  EXPECT_EQ(Check(json{{"maximum", 9007199254740992LL}}, json(9007199254740993LL)),
            "/: must be <= 9007199254740992, got 9007199254740993");
  EXPECT_EQ(Check(json{{"minimum", 0.5}}, json(0)), "/: must be >= 0.5, got 0");
  EXPECT_EQ(Check(json{{"maximum", 18446744073709551615ULL}}, json(18446744073709551615ULL)), "");
  EXPECT_EQ(Check(json{{"minimum", -1}}, json(18446744073709551615ULL)), "");
}

TEST(Annotations, AreIgnoredIncludingUnknownKeywords) {
  const CompiledSchema schema = MustCompile(json::parse(R"({
    "title": "t", "description": "d", "default": 1, "examples": [1], "deprecated": true,
    "readOnly": true, "writeOnly": false, "$comment": "c", "format": "email",
    "contentMediaType": "application/json", "contentEncoding": "base64", "x-mcp-header": "X-Thing",
    "properties": {"when": {"type": "string", "format": "date-time", "x-mcp-header": "X-When"}}
  })"));
  EXPECT_EQ(Check(schema, json{{"when", "not a date"}}), "");
}

}  // namespace
}  // namespace mcpgw::schema::testing
