// What a caller reads when arguments are rejected: the JSON pointer of the
// offending value and what was expected there, in words a person can act on.
#include "unit/schema/schema_test_support.h"

#include <gtest/gtest.h>

namespace mcpgw::schema::testing {
namespace {

TEST(ErrorMessages, NameTheObjectMissingARequiredProperty) {
  const json schema = json::parse(R"({
    "properties": {"entities": {"type": "array", "items": {"required": ["name"]}}}
  })");
  EXPECT_EQ(Check(schema, json::parse(R"({"entities": [{"x": 1}]})")), "/entities/0: missing required property \"name\"");
}

TEST(ErrorMessages, GiveTheBoundAndTheActualNumber) {
  const json schema = json::parse(R"({"properties": {"count": {"maximum": 10, "minimum": 1}}})");
  EXPECT_EQ(Check(schema, json{{"count", 12}}), "/count: must be <= 10, got 12");
  EXPECT_EQ(Check(schema, json{{"count", 0.5}}), "/count: must be >= 1, got 0.5");
}

TEST(ErrorMessages, NameTheExpectedAndActualType) {
  EXPECT_EQ(Check(json{{"type", "object"}}, json::array()), "/: must be an object, got array");
  EXPECT_EQ(Check(json{{"type", {"string", "null"}}}, json(3)), "/: must be a string or null, got number");
  EXPECT_EQ(Check(json{{"type", {"number", "integer"}}}, json("3")), "/: must be a number, got string");
}

TEST(ErrorMessages, QuoteThePatternThatDidNotMatch) {
  EXPECT_EQ(Check(json::parse(R"({"properties": {"x": {"pattern": "^a+$"}}})"), json{{"x", "b"}}),
            "/x: does not match pattern \"^a+$\"");
}

TEST(ErrorMessages, CountItemsAndProperties) {
  EXPECT_EQ(Check(json::parse(R"({"properties": {"tags": {"maxItems": 3}}})"), json{{"tags", {1, 2, 3, 4, 5}}}),
            "/tags: must have at most 3 items, got 5");
  EXPECT_EQ(Check(json{{"minItems", 1}}, json::array()), "/: must have at least 1 item, got 0");
  EXPECT_EQ(Check(json{{"maxProperties", 1}}, json{{"a", 1}, {"b", 2}}), "/: must have at most 1 property, got 2");
}

TEST(ErrorMessages, PointAtTheUnexpectedPropertyItself) {
  const json schema = json::parse(R"({"properties": {"x": {}}, "additionalProperties": false})");
  EXPECT_EQ(Check(schema, json{{"x", 1}, {"y", 2}}), "/y: unexpected property \"y\"");
}

TEST(ErrorMessages, ListTheAllowedValuesOfAnEnumAndConst) {
  EXPECT_EQ(Check(json{{"enum", {"asc", "desc"}}}, json("up")), "/: must be one of \"asc\", \"desc\"; got \"up\"");
  EXPECT_EQ(Check(json{{"const", "v1"}}, json("v2")), "/: must be \"v1\", got \"v2\"");
}

TEST(ErrorMessages, CutLongValuesShort) {
  const std::string message = Check(json{{"const", "short"}}, json(std::string(500, 'x')));
  EXPECT_LT(message.size(), 120u) << message;
  EXPECT_NE(message.find("..."), std::string::npos);
}

TEST(ErrorMessages, SayHowManyOneOfBranchesMatched) {
  const json schema = json::parse(R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})");
  EXPECT_EQ(Check(schema, json(-1.5)), "/: must match exactly one of the 2 schemas in \"oneOf\", matched none");
  EXPECT_EQ(Check(schema, json(3)), "/: must match exactly one schema in \"oneOf\", but matched both schema 0 and schema 1");
}

TEST(ErrorMessages, ExplainAnyOfAndNot) {
  EXPECT_EQ(Check(json::parse(R"({"anyOf": [{"type": "string"}, {"type": "null"}]})"), json(1)),
            "/: must match at least one of the 2 schemas in \"anyOf\", matched none");
  EXPECT_EQ(Check(json::parse(R"({"not": {"type": "string"}})"), json("s")), "/: must not match the schema in \"not\"");
}

TEST(ErrorMessages, ComeFromThenOrElseAsIfTheyWereWrittenInline) {
  const json schema = json::parse(R"({
    "if": {"properties": {"mode": {"const": "file"}}},
    "then": {"required": ["path"]},
    "else": {"required": ["url"]}
  })");
  EXPECT_EQ(Check(schema, json{{"mode", "file"}}), "/: missing required property \"path\"");
  EXPECT_EQ(Check(schema, json{{"mode", "web"}}), "/: missing required property \"url\"");
}

TEST(ErrorMessages, NameAnInvalidPropertyName) {
  const json schema = json::parse(R"({"propertyNames": {"maxLength": 3}})");
  EXPECT_EQ(Check(schema, json{{"long_name", 1}}),
            "/long_name: invalid property name \"long_name\": must be at most 3 characters long, got 9");
}

TEST(ErrorMessages, SayThatAFalseSchemaAllowsNothing) {
  EXPECT_EQ(Check(json::parse(R"({"properties": {"gone": false}})"), json{{"gone", 1}}),
            "/gone: is not allowed here (the schema is false)");
}

TEST(ErrorMessages, EscapeSlashAndTildeInInstancePaths) {
  const json schema = json::parse(R"({"additionalProperties": {"additionalProperties": {"type": "string"}}})");
  const auto error = MustCompile(schema).Validate(json{{"a/b", {{"c~d", 1}}}});
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->instance_path, "/a~1b/c~0d");
}

TEST(ErrorMessages, UseTheEmptyPointerForTheWholeInstanceButDescribeItAsSlash) {
  const auto error = MustCompile(json{{"type", "string"}}).Validate(json(1));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->instance_path, "");
  EXPECT_EQ(error->message, "must be a string, got number");
  EXPECT_EQ(Describe(*error), "/: must be a string, got number");
}

TEST(ErrorMessages, ReportTheFirstErrorOnly) {
  const json schema = json::parse(R"({"required": ["a", "b"], "properties": {"c": {"type": "string"}}})");
  EXPECT_EQ(Check(schema, json{{"c", 1}}), "/: missing required property \"a\"");
}

TEST(CompileErrors, NameThePlaceInTheSchemaAndTheKeyword) {
  EXPECT_EQ(CompileError(json::parse(R"({"properties": {"a": {"minLength": -1}}})")),
            "invalid schema at \"/properties/a\": \"minLength\" must be a non-negative integer");
  EXPECT_EQ(CompileError(json::parse(R"({"type": "strnig"})")),
            "invalid schema at the root: \"type\" must be a type name (\"object\", \"string\", ...) or an array of them");
  EXPECT_EQ(CompileError(json::parse(R"({"items": {"properties": {"x": 5}}})")),
            "invalid schema at \"/items/properties/x\": a schema must be an object or a boolean");
}

TEST(CompileErrors, RefuseMalformedKeywordValues) {
  for (const char* schema : {
           R"({"required": "name"})", R"({"required": [1]})", R"({"enum": 1})", R"({"multipleOf": 0})",
           R"({"multipleOf": "2"})", R"({"maximum": "10"})", R"({"pattern": 1})", R"({"properties": []})",
           R"({"allOf": []})", R"({"anyOf": {}})", R"({"uniqueItems": 1})", R"({"minItems": 1.5})",
           R"({"dependentRequired": {"a": "b"}})", R"({"$ref": 1})", R"({"$defs": []})", R"({"$id": 1})",
           R"({"$anchor": "1bad"})", R"({"$id": "https://example.com/a#frag"})", R"({"not": "x"})"}) {
    EXPECT_NE(CompileError(json::parse(schema)), "") << schema;
  }
  EXPECT_NE(CompileError(json(1)), "") << "a schema is an object or a boolean";
}

}  // namespace
}  // namespace mcpgw::schema::testing
