#include "net/url.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace mcpgw::net {
namespace {

bool IsV4(const std::string& host) {
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool IsV6(const std::string& host) {
  in6_addr addr{};
  return inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

// A DNS name as a URL host: letters, digits, '-' and '.', no empty label.
bool IsHostName(std::string_view host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  });
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::string Url::Origin() const {
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return (tls ? "https://" : "http://") + shown + ":" + std::to_string(port);
}

bool Url::IsLoopbackHost() const {
  if (host == "localhost" || host == "::1") return true;
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

std::variant<Url, std::string> ParseUrl(std::string_view text) {
  if (std::any_of(text.begin(), text.end(), [](char c) { return c <= ' ' || c >= 0x7f; })) {
    return std::string("must not contain spaces, control or non-ASCII characters");
  }
  if (text.find('#') != std::string_view::npos) return std::string("must not have a fragment (#...)");
  Url url;
  const std::string scheme = Lower(text.substr(0, text.find("://")));
  if (text.find("://") == std::string_view::npos || (scheme != "https" && scheme != "http")) {
    return std::string("must be an absolute http:// or https:// URL");
  }
  url.tls = scheme == "https";
  text.remove_prefix(scheme.size() + 3);
  const std::size_t authority_end = std::min(text.find('/'), text.find('?'));
  const std::string_view authority = text.substr(0, authority_end);
  const std::string_view rest = authority_end == std::string_view::npos ? "" : text.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return std::string("must not carry user information (user:password@): put credentials in their own setting");
  }
  std::string_view host = authority;
  std::optional<std::string_view> port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::string("has an unclosed '[' in the host");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return std::string("has characters after the IPv6 host");
    if (!after.empty()) port = after.substr(1);
    if (!IsV6(std::string(host))) return std::string("has an invalid IPv6 address");
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  url.host = Lower(host);
  if (url.host.find(':') == std::string::npos && !IsV4(url.host) && !IsHostName(url.host)) {
    return std::string("has no valid host");
  }
  url.port = url.tls ? 443 : 80;
  if (port) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port->data(), port->data() + port->size(), value);
    if (port->empty() || ec != std::errc() || end != port->data() + port->size() || value == 0 || value > 65535) {
      return std::string("has an invalid port (1-65535)");
    }
    url.port = static_cast<uint16_t>(value);
  }
  // Built by appending: GCC 12 at -O3 warns (-Wrestrict, a false positive) on "/" + rest.
  if (rest.empty() || rest.front() == '?') url.target.push_back('/');
  url.target.append(rest);
  return url;
}

std::string FormEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '*' || c == '-' || c == '.' || c == '_') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

}  // namespace mcpgw::net
