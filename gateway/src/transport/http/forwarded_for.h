// Whose address a request comes from: the socket's peer, or, when that peer
// is a trusted proxy (server.trusted_proxies), the address its
// X-Forwarded-For names.
//
// The header is read right to left (each proxy appends the address it
// received from): the answer is the right-most address that is not itself a
// trusted proxy, or the left-most when every one is. Several header lines
// count as one list in order. An entry that is not an IP address (IPv6 may
// be bracketed) makes the whole header untrustworthy: the peer is used. A
// peer that is not trusted is always the answer, whatever it sends.
#pragma once

#include "net/cidr.h"

#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::http {

// `forwarded_for`: the X-Forwarded-For header lines, in order.
std::string SourceAddress(std::string_view peer, const std::vector<std::string_view>& forwarded_for,
                          const std::vector<mcpgw::net::Cidr>& trusted_proxies);

}  // namespace mcpgw::http
