// Absolute http and https URLs (a strict subset of RFC 3986) for the
// gateway's own outgoing requests: JWKS documents, token introspection.
//
// Decides what a configured URL points at (TLS or not, host, port, request
// target) and whether it may be used at all. Refuses what an outgoing
// request must never carry: user information (a password in a URL ends up
// in every log that prints it), a fragment, whitespace, control or non-ASCII
// characters. Plain http is acceptable only to a loopback host: anything
// else could be read or altered on the way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace mcpgw::net {

struct Url {
  bool tls = false;    // https
  std::string host;    // lowercase name, IPv4 literal, or IPv6 literal without brackets
  uint16_t port = 0;   // explicit, else 443 or 80
  std::string target;  // path and query; at least "/"

  // "https://host:port": how messages name the URL. Never the path or the
  // query, which may hold something secret.
  std::string Origin() const;
  // localhost, 127.0.0.0/8 or ::1.
  bool IsLoopbackHost() const;
  // https, or plain http to a loopback host.
  bool IsSafeToUse() const { return tls || IsLoopbackHost(); }
};

// The URL, or why it is not an absolute http(s) URL we accept.
std::variant<Url, std::string> ParseUrl(std::string_view text);

// application/x-www-form-urlencoded encoding of one name or value (as
// RFC 6749 2.3.1 wants for client credentials too): letters, digits and
// "*-._" stay, a space becomes '+', every other byte %XX.
std::string FormEncode(std::string_view text);

}  // namespace mcpgw::net
