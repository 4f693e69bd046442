// The gRPC door's direct JSON mapping of its hot messages gives exactly what
// protobuf's own JSON mapping gives (which the other messages use), for
// every content shape a tools/call result has, and falls back to it (with
// its error) for anything else.
#include "transport/grpc/json_message.h"

#include "mcpgw/mcp/v1/mcp.pb.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <gtest/gtest.h>

namespace mcpgw::rpc {
namespace {

using json = nlohmann::json;
namespace v1 = ::mcpgw::mcp::v1;

// What protobuf's own mapping makes of `value` (empty when it refuses).
std::optional<v1::CallToolResponse> Reference(const json& value) {
  v1::CallToolResponse out;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(value.dump(), &out, options).ok()) return std::nullopt;
  return out;
}

TEST(GrpcJson, AToolsCallResultMapsAsProtobufsOwnMappingDoes) {
  const std::vector<json> results{
      {{"content", {{{"type", "text"}, {"text", "hello"}}}}},
      {{"content", {{{"type", "image"}, {"data", "aGVsbG8="}, {"mimeType", "image/png"}}}}, {"isError", false}},
      {{"content",
        {{{"type", "resource"},
          {"resource", {{"uri", "file:///a"}, {"mimeType", "text/plain"}, {"blob", "AAEC"}, {"_meta", {{"k", 1}}}}}}}}},
      {{"content", {{{"type", "resource_link"}, {"uri", "x:1"}, {"name", "n"}, {"title", "t"}, {"description", "d"},
                     {"annotations", {{"audience", {"user"}}, {"priority", 0.5}}}}}},
       {"structuredContent", {{"n", 3}, {"f", 1.25}, {"big", 1e20}, {"neg", -7}, {"none", nullptr},
                              {"list", {1, "two", false, {{"x", {}}}}}}},
       {"isError", true},
       {"_meta", {{"io.modelcontextprotocol/related", "r"}}},
       {"resultType", "complete"},
       {"unknownKey", {1, 2}}},
      json::object(),
  };
  for (const json& result : results) {
    v1::CallToolResponse direct;
    ASSERT_EQ(FromJson(result, &direct), "") << result;
    const auto reference = Reference(result);
    ASSERT_TRUE(reference.has_value()) << result;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(direct, *reference))
        << result << "\ndirect: " << direct.DebugString() << "\nreference: " << reference->DebugString();
  }
}

TEST(GrpcJson, WhatTheDirectMappingDoesNotTakeGoesThroughProtobufsMapping) {
  // Proto field names, nulls and url-safe base64 are protobuf's to judge.
  for (const json& result : {json{{"is_error", true}, {"structured_content", {{"a", 1}}}},
                             json{{"structuredContent", nullptr}, {"content", {{{"type", "text"}, {"text", "x"}}}}},
                             json{{"content", {{{"type", "image"}, {"data", "-_8"}}}}}}) {
    v1::CallToolResponse direct;
    ASSERT_EQ(FromJson(result, &direct), "") << result;
    const auto reference = Reference(result);
    ASSERT_TRUE(reference.has_value());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(direct, *reference)) << result;
  }
  // A wrong type is refused with protobuf's message.
  v1::CallToolResponse refused;
  EXPECT_NE(FromJson({{"structuredContent", 5}}, &refused), "");
  EXPECT_NE(FromJson({{"content", "text"}}, &refused), "");
}

TEST(GrpcJson, ACallToolRequestBecomesTheParamsProtobufsPrinterWouldGive) {
  v1::CallToolRequest request;
  request.set_route("memory");
  request.set_name("search");
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  R"({"query":"ada","limit":3,"ratio":0.5,"big":1e+20,"flags":[true,null,"x"],"nested":{"a":{}}})",
                  request.mutable_arguments())
                  .ok());
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(R"({"io.modelcontextprotocol/protocolVersion":"2026-07-28"})",
                                                          request.mutable_meta())
                  .ok());
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(request, &text, options).ok());
  EXPECT_EQ(ToJson(request), json::parse(text));
  EXPECT_EQ(ToJson(v1::CallToolRequest()), json::object());
  EXPECT_TRUE(ToJson(request)["arguments"]["limit"].is_number_integer()) << "3 stays an integer for schema checks";
}

}  // namespace
}  // namespace mcpgw::rpc
