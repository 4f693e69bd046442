#include "net/cidr.h"

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

namespace mcpgw::net {

namespace ip = boost::asio::ip;

std::optional<Cidr> Cidr::Parse(std::string_view text) {
  std::string s(text);
  if (s.find('/') == std::string::npos) s += s.find(':') == std::string::npos ? "/32" : "/128";
  boost::system::error_code ec;
  Cidr out;
  if (s.find(':') == std::string::npos) {
    const ip::network_v4 n = ip::make_network_v4(s, ec);
    if (ec || n.network() != n.address()) return std::nullopt;
    out.network_ = n.address();
    out.prefix_ = n.prefix_length();
  } else {
    const ip::network_v6 n = ip::make_network_v6(s, ec);
    if (ec || n.network() != n.address()) return std::nullopt;
    out.network_ = n.address();
    out.prefix_ = n.prefix_length();
  }
  return out;
}

bool Cidr::Contains(const ip::address& address) const {
  ip::address a = address;
  if (a.is_v6() && a.to_v6().is_v4_mapped() && network_.is_v4()) {
    a = ip::make_address_v4(ip::v4_mapped, a.to_v6());
  }
  if (a.is_v4() != network_.is_v4()) return false;
  if (a.is_v4()) {
    return ip::network_v4(a.to_v4(), prefix_).network() == network_.to_v4();
  }
  return ip::network_v6(a.to_v6(), prefix_).network() == network_.to_v6();
}

bool InAny(const std::vector<Cidr>& ranges, std::string_view address) {
  boost::system::error_code ec;
  const ip::address a = ip::make_address(std::string(address), ec);
  if (ec) return false;
  for (const Cidr& r : ranges) {
    if (r.Contains(a)) return true;
  }
  return false;
}

}  // namespace mcpgw::net
