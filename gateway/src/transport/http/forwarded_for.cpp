#include "transport/http/forwarded_for.h"

#include <boost/asio/ip/address.hpp>

#include <optional>

namespace mcpgw::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<boost::asio::ip::address> ParseAddress(std::string_view text) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
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
  std::vector<boost::asio::ip::address> hops;
  for (std::string_view line : forwarded_for) {
    while (true) {
      const auto comma = line.find(',');
      const auto entry = ParseAddress(Trim(line.substr(0, comma)));
      if (!entry) return std::string(peer);  // malformed: believe none of it
      hops.push_back(*entry);
      if (comma == std::string_view::npos) break;
      line.remove_prefix(comma + 1);
    }
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    const bool trusted = std::any_of(trusted_proxies.begin(), trusted_proxies.end(),
                                     [&](const mcpgw::net::Cidr& c) { return c.Contains(*it); });
    if (!trusted) return it->to_string();
  }
  return hops.front().to_string();
}

}  // namespace mcpgw::http
