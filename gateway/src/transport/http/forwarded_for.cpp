#include "transport/http/forwarded_for.h"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <optional>

namespace mcpgw::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsPort(std::string_view s) {
  return !s.empty() && s.size() <= 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One hop: an IPv4 or IPv6 address, optionally with a port (1.2.3.4:80,
// [2001:db8::1]:443; IPv6 may be bracketed without one).
std::optional<boost::asio::ip::address> ParseHop(std::string_view text) {
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view after = text.substr(close + 1);
    if (!after.empty() && !(after.front() == ':' && IsPort(after.substr(1)))) return std::nullopt;
    text = text.substr(1, close - 1);
  } else if (const auto colon = text.find(':'); colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    if (!IsPort(text.substr(colon + 1))) return std::nullopt;  // one colon: IPv4 and a port
    text = text.substr(0, colon);
  }
  if (text.empty() || text.size() > 45) return std::nullopt;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return address;
}

}  // namespace

std::string SourceAddress(std::string_view peer, const std::vector<std::string_view>& forwarded_for,
                          const std::vector<mcpgw::net::Cidr>& trusted_proxies) {
  if (trusted_proxies.empty() || forwarded_for.empty() || !mcpgw::net::InAny(trusted_proxies, peer)) {
    return std::string(peer);
  }
  std::vector<std::string_view> entries;  // every line's, in order
  for (std::string_view line : forwarded_for) {
    for (;;) {
      const auto comma = line.find(',');
      entries.push_back(Trim(line.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      line.remove_prefix(comma + 1);
    }
  }
  // Right to left: each entry was written by the hop to its right, believed
  // only while that hop is a trusted proxy. What lies left of the first
  // untrusted address is the client's own text and is never read.
  std::string believed(peer);
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    const auto hop = ParseHop(*it);
    if (!hop) return believed;  // not an address: stop at the last hop we trust
    if (!std::any_of(trusted_proxies.begin(), trusted_proxies.end(),
                     [&](const mcpgw::net::Cidr& c) { return c.Contains(*hop); })) {
      return hop->to_string();
    }
    believed = hop->to_string();
  }
  return believed;  // every hop a trusted proxy: the furthest
}

}  // namespace mcpgw::http
