// Where the Redis client connects: the parsed form of the `redis.url`
// setting (redis://host[:port][/db], rediss://host[:port][/db] for TLS,
// unix:///path/to/redis.sock[?db=N]).
//
// Decides only what the URL names. It never carries credentials: a URL with
// user information is refused, the password comes from a file or the
// environment.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace mcpgw::redis {

struct Endpoint {
  enum class Kind { kTcp, kTls, kUnix };
  Kind kind = Kind::kTcp;
  std::string host;  // kTcp, kTls: a name, an IPv4 literal or an IPv6 literal without brackets
  uint16_t port = 6379;
  std::string path;  // kUnix: the socket
  int db = 0;        // SELECTed after connecting (0..15)

  // How logs name the endpoint: "redis://host:port/db" or "unix:///path?db=N".
  std::string Describe() const;
};

// The endpoint, or why `url` is not one.
std::variant<Endpoint, std::string> ParseEndpoint(std::string_view url);

}  // namespace mcpgw::redis
