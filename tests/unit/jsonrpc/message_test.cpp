// JSON-RPC framing as MCP uses it.
#include "jsonrpc/message.h"

#include <gtest/gtest.h>

namespace mcpgw::jsonrpc {
namespace {

Message ParseOk(std::string_view body) {
  auto parsed = Parse(body, {});
  EXPECT_TRUE(std::holds_alternative<Message>(parsed)) << body;
  return std::get<Message>(parsed);
}

Failure ParseFails(std::string_view body, Limits limits = {}) {
  auto parsed = Parse(body, limits);
  EXPECT_TRUE(std::holds_alternative<Failure>(parsed)) << body;
  return std::holds_alternative<Failure>(parsed) ? std::get<Failure>(parsed) : Failure{0, "", nullptr};
}

TEST(JsonRpc, ParsesARequestWithAnIntegerOrStringId) {
  Message m = ParseOk(R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":"x"}})");
  EXPECT_EQ(m.kind, Message::Kind::kRequest);
  EXPECT_EQ(m.id, 7);
  EXPECT_EQ(m.method, "tools/list");
  EXPECT_EQ(m.params["cursor"], "x");
  EXPECT_EQ(ParseOk(R"({"jsonrpc":"2.0","id":"a","method":"ping"})").id, "a");
}

TEST(JsonRpc, TreatsAMessageWithoutIdAsANotificationWithEmptyParams) {
  Message m = ParseOk(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  EXPECT_EQ(m.kind, Message::Kind::kNotification);
  EXPECT_TRUE(m.id.is_null());
  EXPECT_TRUE(m.params.is_object() && m.params.empty());
}

TEST(JsonRpc, RecognisesAResponseFromTheClient) {
  EXPECT_EQ(ParseOk(R"({"jsonrpc":"2.0","id":3,"result":{}})").kind, Message::Kind::kResponse);
  EXPECT_EQ(ParseOk(R"({"jsonrpc":"2.0","id":3,"error":{"code":1,"message":"x"}})").kind, Message::Kind::kResponse);
}

TEST(JsonRpc, AnswersMalformedJsonWithParseError) {
  const Failure f = ParseFails(R"({"jsonrpc":"2.0", "id": 1,)");
  EXPECT_EQ(f.code, code::kParseError);
}

TEST(JsonRpc, RefusesBatchesBecauseMcpRemovedThem) {
  const Failure f = ParseFails(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
  EXPECT_EQ(f.code, code::kInvalidRequest);
  EXPECT_NE(f.message.find("Batch"), std::string::npos);
}

TEST(JsonRpc, RefusesWrongShapesWithInvalidRequest) {
  EXPECT_EQ(ParseFails(R"({"id":1,"method":"ping"})").code, code::kInvalidRequest);                   // no jsonrpc
  EXPECT_EQ(ParseFails(R"({"jsonrpc":"1.0","id":1,"method":"ping"})").code, code::kInvalidRequest);   // old version
  EXPECT_EQ(ParseFails(R"({"jsonrpc":"2.0","id":null,"method":"ping"})").code, code::kInvalidRequest);  // null id
  EXPECT_EQ(ParseFails(R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})").code, code::kInvalidRequest);   // float id
  EXPECT_EQ(ParseFails(R"({"jsonrpc":"2.0","id":1,"method":""})").code, code::kInvalidRequest);
  EXPECT_EQ(ParseFails(R"({"jsonrpc":"2.0","id":1,"method":5})").code, code::kInvalidRequest);
  EXPECT_EQ(ParseFails(R"("ping")").code, code::kInvalidRequest);
  EXPECT_EQ(ParseFails(R"({"jsonrpc":"2.0","id":1,"result":{},"error":{}})").code, code::kInvalidRequest);
}

TEST(JsonRpc, KeepsTheIdOfAnInvalidRequestWhenItCanBeRead) {
  EXPECT_EQ(ParseFails(R"({"jsonrpc":"1.0","id":42,"method":"ping"})").id, 42);
}

TEST(JsonRpc, RefusesParamsThatAreNotAnObject) {
  const Failure f = ParseFails(R"({"jsonrpc":"2.0","id":1,"method":"ping","params":[1,2]})");
  EXPECT_EQ(f.code, code::kInvalidParams);
  EXPECT_EQ(f.id, 1);
}

TEST(JsonRpc, RefusesNestingDeeperThanTheLimitBeforeParsing) {
  std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"x","params":{"a":)";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += "}}";
  const Failure f = ParseFails(deep, Limits{64});
  EXPECT_EQ(f.code, code::kInvalidRequest);
  EXPECT_NE(f.message.find("nesting"), std::string::npos);
}

TEST(JsonRpc, CountsDepthIgnoringBracketsInsideStrings) {
  EXPECT_EQ(NestingDepth(R"({"a":"[[[[{{{{\"]]"})"), 1u);
  EXPECT_EQ(NestingDepth(R"({"a":[{"b":[]}]})"), 4u);
}

TEST(JsonRpc, BuildsErrorsWithoutAnIdWhenNoneWasRead) {
  const json e = MakeError(nullptr, code::kParseError, "bad");
  EXPECT_FALSE(e.contains("id"));
  EXPECT_EQ(e["error"]["code"], -32700);
  EXPECT_EQ(MakeError(5, code::kInvalidParams, "x", {{"uri", "u"}})["error"]["data"]["uri"], "u");
}

TEST(JsonRpc, AppendsIdsAsTheirJsonText) {
  for (const json& id : {json(0), json(-42), json(9007199254740993LL), json(18446744073709551615ULL), json("a\"b"),
                         json("7"), json(nullptr)}) {
    std::string out = "x";
    AppendId(out, id);
    EXPECT_EQ(out, "x" + id.dump());
  }
}

TEST(JsonRpc, SerializesBytesThatAreNotUtf8AsReplacementCharacters) {
  const json reply = MakeError(1, code::kInvalidRequest, "Origin \"http://\xff\" is not allowed");
  EXPECT_THROW((void)reply.dump(), json::type_error) << "what the wire must not use";
  EXPECT_EQ(Serialize(reply),
            std::string(R"({"error":{"code":-32600,"message":"Origin \"http://)") + "\xEF\xBF\xBD" +
                R"(\" is not allowed"},"id":1,"jsonrpc":"2.0"})");
  const json fine = MakeResult(2, {{"text", "caf\xC3\xA9"}});
  EXPECT_EQ(Serialize(fine), fine.dump());
}

TEST(JsonRpc, KeysRequestIdsSoThatIntegersAndStringsDiffer) {
  EXPECT_EQ(IdKey(7), "7");
  EXPECT_EQ(IdKey(-7), "-7");
  EXPECT_NE(IdKey(7), IdKey("7"));
  EXPECT_EQ(IdKey("7"), IdKey("7"));
  EXPECT_NE(IdKey("a"), IdKey("b"));
  EXPECT_EQ(IdKey(18446744073709551615ULL), "18446744073709551615");
}

}  // namespace
}  // namespace mcpgw::jsonrpc
