// RESP encoding of commands, checked byte for byte and against hiredis's own
// encoder (redisFormatCommandArgv, which the gateway no longer uses on the
// request path), and decoding of replies fed in arbitrary pieces.
#include "redis/resp.h"

#include <hiredis/hiredis.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mcpgw::redis {
namespace {

std::string HiredisFormat(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  char* out = nullptr;
  const int n = redisFormatCommandArgv(&out, static_cast<int>(args.size()), argv.data(), lengths.data());
  EXPECT_GT(n, 0);
  std::string bytes(out, static_cast<std::size_t>(n));
  redisFreeCommand(out);
  return bytes;
}

TEST(RespFormat, EncodesAMultiBulkOfTheArguments) {
  EXPECT_EQ(FormatCommand({"SET", "k", "value"}), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n");
  EXPECT_EQ(FormatCommand({"PING"}), "*1\r\n$4\r\nPING\r\n");
}

TEST(RespFormat, IsBinarySafeAndMatchesHiredis) {
  const std::string binary("a\r\nb\0c", 6);
  const std::vector<std::vector<std::string>> commands{
      {"SET", "key", binary},
      {"EVALSHA", std::string(40, 'f'), "2", "k1", "k2", "", "1000000000"},
      {"SET", "big", std::string(100'000, 'x')},
      {"MGET"},
  };
  for (const auto& c : commands) EXPECT_EQ(FormatCommand(c), HiredisFormat(c)) << c[0];
  static constexpr char kExpected[] = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$6\r\na\r\nb\0c\r\n";
  EXPECT_EQ(FormatCommand({"SET", "key", binary}), std::string(kExpected, sizeof kExpected - 1));
}

TEST(RespReader, DecodesRepliesFedByteByByte) {
  const std::string stream = "*3\r\n:0\r\n:12\r\n$-1\r\n+OK\r\n-NOSCRIPT No matching script\r\n";
  ReplyReader reader;
  std::vector<Value> replies;
  for (char c : stream) {
    ASSERT_TRUE(reader.Feed(&c, 1));
    while (auto v = reader.Next()) replies.push_back(std::move(*v));
  }
  ASSERT_EQ(replies.size(), 3u);
  ASSERT_EQ(replies[0].type, Value::Type::kArray);
  ASSERT_EQ(replies[0].elements.size(), 3u);
  EXPECT_EQ(replies[0].elements[1].integer, 12);
  EXPECT_EQ(replies[0].elements[2].type, Value::Type::kNil);
  EXPECT_EQ(replies[1].type, Value::Type::kStatus);
  EXPECT_EQ(replies[1].text, "OK");
  EXPECT_TRUE(replies[2].is_error());
  EXPECT_EQ(replies[2].text, "NOSCRIPT No matching script");
}

TEST(RespReader, RefusesAProtocolError) {
  ReplyReader reader;
  const std::string junk = "?what\r\n";
  reader.Feed(junk.data(), junk.size());
  EXPECT_FALSE(reader.Next().has_value());
  EXPECT_FALSE(reader.error().empty());
}

}  // namespace
}  // namespace mcpgw::redis
