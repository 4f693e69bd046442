#include "transport/http/origin_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>

namespace mcpgw::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// "http://Host:8080/path" -> "http://host:8080"
std::string OriginOf(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  const auto path = url.find('/', scheme_end + 3);
  return Lower(url.substr(0, path));
}

}  // namespace

std::string HostWithoutPort(std::string_view host) {
  std::string h = Lower(host);
  if (!h.empty() && h[0] == '[') {
    const auto close = h.find(']');
    // "[::1]" or "[::1]:8080"; anything else after the bracket keeps it
    // whole, and so never names a loopback host.
    if (close == std::string::npos || (close + 1 < h.size() && h[close + 1] != ':')) return h;
    return h.substr(0, close + 1);
  }
  const auto colon = h.rfind(':');
  return colon == std::string::npos ? h : h.substr(0, colon);
}

bool IsLoopbackHostName(std::string_view h) {
  if (h == "localhost") return true;
  // Only address literals: "127.evil.example" is a name a rebinding attacker
  // controls, not an address in 127.0.0.0/8.
  const std::string literal(h.size() > 1 && h.front() == '[' && h.back() == ']' ? h.substr(1, h.size() - 2) : h);
  in_addr v4{};
  if (::inet_pton(AF_INET, literal.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return ::inet_pton(AF_INET6, literal.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

OriginPolicy::OriginPolicy(const std::vector<std::string>& allowed_origins, const std::string& public_url,
                           bool loopback_listener)
    : loopback_listener_(loopback_listener) {
  for (const auto& o : allowed_origins) allowed_.insert(OriginOf(o + "/"));
  const std::string own = OriginOf(public_url);
  if (!own.empty()) allowed_.insert(own);
  public_host_ = HostWithoutPort(own.substr(std::min(own.size(), own.find("://") + 3)));
}

std::optional<std::string> OriginPolicy::Check(std::string_view origin, std::string_view host) const {
  if (loopback_listener_ && !host.empty()) {
    const std::string h = HostWithoutPort(host);
    if (!IsLoopbackHostName(h) && h != public_host_) {
      return "Host \"" + std::string(host) + "\" is not allowed on this loopback listener";
    }
  }
  if (origin.empty()) return std::nullopt;
  const std::string o = OriginOf(std::string(origin) + "/");
  if (allowed_.count(o) > 0) return std::nullopt;
  const auto scheme_end = o.find("://");
  if (scheme_end != std::string::npos && (o.rfind("http://", 0) == 0 || o.rfind("https://", 0) == 0) &&
      IsLoopbackHostName(HostWithoutPort(o.substr(scheme_end + 3)))) {
    return std::nullopt;
  }
  return "Origin \"" + std::string(origin) + "\" is not allowed; add it to server.allowed_origins to permit it";
}

}  // namespace mcpgw::http
