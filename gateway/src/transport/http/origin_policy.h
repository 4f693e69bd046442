// Decides whether a browser-originated request may reach the MCP endpoint:
// the defence against DNS rebinding that the Streamable HTTP spec requires.
//
// A request without an Origin header (every non-browser client) passes the
// Origin check. One with an Origin passes only if that origin is a loopback
// origin, the gateway's own public origin, or configured. On a loopback
// listener the Host header must also name a loopback host or the public
// host, so a rebinding page cannot reach it under a foreign name.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::http {

class OriginPolicy {
 public:
  OriginPolicy(const std::vector<std::string>& allowed_origins, const std::string& public_url, bool loopback_listener);

  // Returns why the request is refused, or nullopt.
  std::optional<std::string> Check(std::string_view origin, std::string_view host) const;

 private:
  std::set<std::string> allowed_;
  std::string public_host_;
  bool loopback_listener_;
};

// Lowercases and strips a trailing ":port" (IPv6 literals keep brackets).
std::string HostWithoutPort(std::string_view host);
// "localhost" or a loopback address literal (127.0.0.0/8, ::1), never a
// name that merely starts like one.
bool IsLoopbackHostName(std::string_view host_without_port);

}  // namespace mcpgw::http
