#include "redis/resp.h"

#include <charconv>

#include <hiredis/hiredis.h>

#include <new>

namespace mcpgw::redis {
namespace {

Value Convert(const redisReply& r) {
  Value v;
  switch (r.type) {
    case REDIS_REPLY_INTEGER:
      v.type = Value::Type::kInteger;
      v.integer = r.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      v.type = r.type == REDIS_REPLY_STRING   ? Value::Type::kString
               : r.type == REDIS_REPLY_STATUS ? Value::Type::kStatus
                                              : Value::Type::kError;
      v.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ARRAY:
      v.type = Value::Type::kArray;
      v.elements.reserve(r.elements);
      for (std::size_t i = 0; i < r.elements; ++i) v.elements.push_back(Convert(*r.element[i]));
      break;
    default:
      v.type = Value::Type::kNil;
  }
  return v;
}

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};

void AppendHeader(std::string& out, char kind, std::size_t n) {
  char digits[24];
  out += kind;
  out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
  out += "\r\n";
}

}  // namespace

// Encoded here rather than by redisFormatCommandArgv, which prints every
// length with sprintf and copies the result once more: on the rate-limit
// path that was a third of the cost of sending a decision (ADR 0020).
void AppendArrayHeader(std::string& out, std::size_t n) { AppendHeader(out, '*', n); }

void AppendBulk(std::string& out, std::string_view arg) {
  AppendHeader(out, '$', arg.size());
  out += arg;
  out += "\r\n";
}

std::string FormatCommand(const std::vector<std::string>& args) {
  std::size_t size = 16;
  for (const auto& a : args) size += a.size() + 24;
  std::string bytes;
  bytes.reserve(size);
  AppendArrayHeader(bytes, args.size());
  for (const auto& a : args) AppendBulk(bytes, a);
  return bytes;
}

void ReplyReader::Free::operator()(redisReader* r) const { redisReaderFree(r); }

ReplyReader::ReplyReader() : reader_(redisReaderCreate()) {
  if (!reader_) throw std::bad_alloc();
}

ReplyReader::~ReplyReader() = default;

bool ReplyReader::Feed(const char* data, std::size_t size) {
  if (redisReaderFeed(reader_.get(), data, size) != REDIS_OK) {
    error_ = reader_->errstr;
    return false;
  }
  return true;
}

std::optional<Value> ReplyReader::Next() {
  void* raw = nullptr;
  if (redisReaderGetReply(reader_.get(), &raw) != REDIS_OK) {
    error_ = reader_->errstr[0] ? reader_->errstr : "protocol error";
    return std::nullopt;
  }
  if (raw == nullptr) return std::nullopt;
  std::unique_ptr<redisReply, ReplyFree> reply(static_cast<redisReply*>(raw));
  return Convert(*reply);
}

}  // namespace mcpgw::redis
