// ScanResult: what the core learns about a plugin's result without parsing
// it into a tree.
#include "mcp/result_scan.h"

#include <gtest/gtest.h>

namespace mcpgw::mcp {
namespace {

TEST(ResultScan, RecognisesAToolResultAndItsErrorFlag) {
  const ResultShape ok = ScanResult(R"({"content":[{"type":"text","text":"x"}],"structuredContent":{"isError":true}})");
  EXPECT_TRUE(ok.object);
  EXPECT_TRUE(ok.content_array);
  EXPECT_FALSE(ok.is_error);  // only the top-level flag counts
  EXPECT_TRUE(ScanResult(R"({"isError":true,"content":[]})").is_error);
}

TEST(ResultScan, RefusesAnythingButOneWellFormedObject) {
  for (const char* bad : {"", "[]", "1", "\"x\"", "{", "{\"a\":1}}", "{\"a\":}", "{} {}", "null"}) {
    EXPECT_FALSE(ScanResult(bad).object) << bad;
  }
}

TEST(ResultScan, RefusesTextThatIsNotUtf8OrNotJsonInside) {
  EXPECT_FALSE(ScanResult("{\"content\":[{\"type\":\"text\",\"text\":\"\xff\xfe\"}]}").object);
  EXPECT_FALSE(ScanResult(R"({"content":[{"text":"unterminated}]})").object);
  EXPECT_FALSE(ScanResult(R"({"content":[01]})").object);
  EXPECT_FALSE(ScanResult(R"({"content":[],})").object);
}

TEST(ResultScan, ReadsARepeatedKeyAsItsLastValueLikeJsonParsersDo) {
  EXPECT_FALSE(ScanResult(R"({"isError":true,"content":[],"isError":false})").is_error);
  EXPECT_TRUE(ScanResult(R"({"isError":false,"content":[],"isError":true})").is_error);
}

TEST(ResultScan, NoticesKeysTheCoreWouldAdd) {
  EXPECT_TRUE(ScanResult(R"({"content":[],"_meta":{}})").reserved_keys);
  EXPECT_TRUE(ScanResult(R"({"content":[],"ttlMs":5})").reserved_keys);
  EXPECT_FALSE(ScanResult(R"({"content":[{"_meta":{}}]})").reserved_keys);
}

TEST(ResultScan, RequiresContentToBeAnArrayAtTheTopLevel) {
  EXPECT_FALSE(ScanResult(R"({"content":"text"})").content_array);
  EXPECT_FALSE(ScanResult(R"({"x":{"content":[]}})").content_array);
}

}  // namespace
}  // namespace mcpgw::mcp
