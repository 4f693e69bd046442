#include "redis/endpoint.h"

#include <sys/un.h>

#include <charconv>
#include <string>

namespace mcpgw::redis {
namespace {

bool ParseNumber(std::string_view text, unsigned max, unsigned* out) {
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v > max) return false;
  *out = v;
  return true;
}

std::variant<Endpoint, std::string> ParseUnix(std::string_view rest) {
  Endpoint e;
  e.kind = Endpoint::Kind::kUnix;
  const auto q = rest.find('?');
  e.path = std::string(rest.substr(0, q));
  if (e.path.empty() || e.path[0] != '/') return "a unix URL names an absolute socket path: unix:///run/redis/redis.sock";
  if (e.path.size() >= sizeof(sockaddr_un::sun_path)) {
    return "the socket path is " + std::to_string(e.path.size()) + " bytes long; a unix socket path holds at most " +
           std::to_string(sizeof(sockaddr_un::sun_path) - 1);
  }
  if (q != std::string_view::npos) {
    const std::string_view query = rest.substr(q + 1);
    unsigned db = 0;
    if (!query.starts_with("db=") || !ParseNumber(query.substr(3), 15, &db)) {
      return "the only query a unix URL takes is db=<0..15>";
    }
    e.db = static_cast<int>(db);
  }
  return e;
}

}  // namespace

std::string Endpoint::Describe() const {
  if (kind == Kind::kUnix) return "unix://" + path + "?db=" + std::to_string(db);
  const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return std::string(kind == Kind::kTls ? "rediss://" : "redis://") + shown_host + ":" + std::to_string(port) + "/" +
         std::to_string(db);
}

std::variant<Endpoint, std::string> ParseEndpoint(std::string_view url) {
  if (url.starts_with("unix://")) return ParseUnix(url.substr(7));
  Endpoint e;
  std::string_view rest;
  if (url.starts_with("redis://")) {
    rest = url.substr(8);
  } else if (url.starts_with("rediss://")) {
    e.kind = Endpoint::Kind::kTls;
    rest = url.substr(9);
  } else {
    return "must start with redis://, rediss:// (TLS) or unix://";
  }
  if (rest.find('@') != std::string_view::npos) {
    return "must not hold credentials: give username and password_file or password_env instead";
  }
  const auto slash = rest.find('/');
  std::string_view hostport = rest.substr(0, slash);
  if (slash != std::string_view::npos && slash + 1 < rest.size()) {  // "host:6379/" is database 0
    unsigned db = 0;
    if (!ParseNumber(rest.substr(slash + 1), 15, &db)) return "the path is the database number, 0 to 15 (redis://host:6379/0)";
    e.db = static_cast<int>(db);
  }
  std::string_view port;
  if (hostport.starts_with('[')) {
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) return "has an unclosed [ in the host";
    e.host = std::string(hostport.substr(1, close - 1));
    const std::string_view after = hostport.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return "has something other than :port after the IPv6 address";
    if (!after.empty()) port = after.substr(1);
  } else {
    const auto colon = hostport.find(':');
    e.host = std::string(hostport.substr(0, colon));
    if (colon != std::string_view::npos) port = hostport.substr(colon + 1);
  }
  if (e.host.empty()) return "names no host";
  if (hostport.find(':') != std::string_view::npos && !hostport.starts_with('[') && port.empty()) return "has an empty port";
  if (!port.empty()) {
    unsigned p = 0;
    if (!ParseNumber(port, 65535, &p) || p == 0) return "has a port that is not a number from 1 to 65535";
    e.port = static_cast<uint16_t>(p);
  }
  return e;
}

}  // namespace mcpgw::redis
