// The query filter language: equality, operators, AND, missing keys, errors.
#include <gtest/gtest.h>

#include "metadata_filter.h"

namespace mcpgw::vector {
namespace {

using nlohmann::json;

bool Matches(const json& filter, const json& metadata) {
  auto parsed = MetadataFilter::Parse(filter);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() && parsed->Matches(metadata);
}

const json kDoc = {{"lang", "en"}, {"year", 2021}, {"score", 0.5}, {"draft", false}, {"tags", {"a"}}};

TEST(MetadataFilterTest, AScalarMeansEquality) {
  EXPECT_TRUE(Matches({{"lang", "en"}}, kDoc));
  EXPECT_FALSE(Matches({{"lang", "de"}}, kDoc));
  EXPECT_TRUE(Matches({{"draft", false}}, kDoc));
  EXPECT_FALSE(Matches({{"draft", 0}}, kDoc)) << "a boolean never equals a number";
}

TEST(MetadataFilterTest, NumbersCompareNumericallyAcrossIntegerAndFloat) {
  EXPECT_TRUE(Matches({{"year", 2021.0}}, kDoc));
  EXPECT_TRUE(Matches(json::parse(R"({"year": {"$gte": 2020, "$lt": 2022}})"), kDoc));
  EXPECT_FALSE(Matches(json::parse(R"({"year": {"$gt": 2021}})"), kDoc));
  EXPECT_TRUE(Matches(json::parse(R"({"score": {"$lte": 0.5, "$gt": -1}})"), kDoc));
  EXPECT_TRUE(Matches(json::parse(R"({"year": {"$gt": -5}})"), kDoc));
}

TEST(MetadataFilterTest, StringsCompareByBytes) {
  EXPECT_TRUE(Matches(json::parse(R"({"lang": {"$gt": "de", "$lt": "fr"}})"), kDoc));
  EXPECT_FALSE(Matches(json::parse(R"({"lang": {"$gt": 5}})"), kDoc)) << "different types never compare";
}

TEST(MetadataFilterTest, InAndNotIn) {
  EXPECT_TRUE(Matches(json::parse(R"({"lang": {"$in": ["de", "en"]}})"), kDoc));
  EXPECT_FALSE(Matches(json::parse(R"({"lang": {"$nin": ["de", "en"]}})"), kDoc));
  EXPECT_TRUE(Matches(json::parse(R"({"year": {"$in": [2021.0]}})"), kDoc));
}

TEST(MetadataFilterTest, AllConditionsMustHold) {
  EXPECT_TRUE(Matches(json::parse(R"({"lang": "en", "year": {"$ne": 2000}})"), kDoc));
  EXPECT_FALSE(Matches(json::parse(R"({"lang": "en", "year": {"$ne": 2021}})"), kDoc));
}

TEST(MetadataFilterTest, AMissingKeySatisfiesOnlyNegations) {
  EXPECT_FALSE(Matches({{"author", "x"}}, kDoc));
  EXPECT_FALSE(Matches(json::parse(R"({"author": {"$lt": "z"}})"), kDoc));
  EXPECT_TRUE(Matches(json::parse(R"({"author": {"$ne": "x"}})"), kDoc));
  EXPECT_TRUE(Matches(json::parse(R"({"author": {"$nin": ["x"]}})"), kDoc));
}

TEST(MetadataFilterTest, NestedValuesNeverMatch) {
  EXPECT_FALSE(Matches(json::parse(R"({"tags": {"$eq": "a"}})"), kDoc));
  EXPECT_TRUE(Matches(json::parse(R"({"tags": {"$ne": "a"}})"), kDoc));
}

TEST(MetadataFilterTest, AnEmptyFilterMatchesEverything) {
  auto parsed = MetadataFilter::Parse(json::object());
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->empty());
  EXPECT_TRUE(parsed->Matches(json::object()));
}

TEST(MetadataFilterTest, RejectsUnknownOperatorsAndBadOperandsNamingThem) {
  const auto error = [](const char* filter) {
    auto parsed = MetadataFilter::Parse(json::parse(filter));
    return parsed.ok() ? std::string() : parsed.error().message;
  };
  EXPECT_NE(error(R"({"year": {"$regex": "2."}})").find("unknown operator \"$regex\""), std::string::npos);
  EXPECT_NE(error(R"({"year": {"$in": 5}})").find("filter.year.$in takes an array"), std::string::npos);
  EXPECT_NE(error(R"({"year": {"$gt": [1]}})").find("filter.year.$gt takes a string"), std::string::npos);
  EXPECT_NE(error(R"({"year": null})").find("filter.year must be"), std::string::npos);
  EXPECT_NE(error(R"([1])").find("filter must be an object"), std::string::npos);
}

}  // namespace
}  // namespace mcpgw::vector
