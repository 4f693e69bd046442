// RESP, the Redis wire format: commands encoded here (a multi-bulk is a few
// length prefixes), replies decoded with hiredis's incremental reader and
// copied into owned Values, so no hiredis type leaves this unit.
#pragma once

#include "redis/client.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct redisReader;

namespace mcpgw::redis {

// One command as RESP bytes (a multi-bulk of the arguments, binary safe).
std::string FormatCommand(const std::vector<std::string>& args);
// The pieces of one: "*<n>\r\n", then one bulk string per argument.
void AppendArrayHeader(std::string& out, std::size_t n);
void AppendBulk(std::string& out, std::string_view arg);

// Decodes replies from a byte stream fed in arbitrary pieces.
class ReplyReader {
 public:
  ReplyReader();
  ~ReplyReader();
  ReplyReader(const ReplyReader&) = delete;
  ReplyReader& operator=(const ReplyReader&) = delete;

  // Adds received bytes. False on a protocol error (see error()).
  bool Feed(const char* data, std::size_t size);
  // The next complete reply, if any. Sets error() and returns nothing on a
  // protocol error: the connection cannot be trusted any more.
  std::optional<Value> Next();
  const std::string& error() const { return error_; }

 private:
  struct Free {
    void operator()(redisReader* r) const;
  };
  std::unique_ptr<redisReader, Free> reader_;
  std::string error_;
};

}  // namespace mcpgw::redis
