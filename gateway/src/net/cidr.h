// Address ranges (CIDR) for the trusted-proxy list, parsed and matched with
// Boost.Asio's network_v4 / network_v6.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::net {

class Cidr {
 public:
  // "10.0.0.0/8", "fd00::/8", or a single address ("192.0.2.7" = /32).
  // nullopt when it is neither; host bits set ("10.0.0.1/8") are refused.
  static std::optional<Cidr> Parse(std::string_view text);

  bool Contains(const boost::asio::ip::address& address) const;

 private:
  boost::asio::ip::address network_;
  unsigned prefix_ = 0;
};

// True when `address` (text) is in any of `ranges`. An unparsable address is in none.
bool InAny(const std::vector<Cidr>& ranges, std::string_view address);

}  // namespace mcpgw::net
