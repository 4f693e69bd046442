// Whose address a request comes from: the socket's peer, or, when that peer
// is a trusted proxy (server.trusted_proxies), the address its
// X-Forwarded-For names.
//
// The header is read right to left (each proxy appends the address it
// received from): the answer is the right-most address that is not itself a
// trusted proxy, or the left-most when every one is. Several header lines
// count as one list in order; an entry may carry a port (1.2.3.4:80,
// [2001:db8::1]:443). Reading stops at an entry that is not an address: the
// answer is then the last trusted hop read (the peer, when it is the first
// entry), never anything left of it, so text a client puts before the real
// entries changes nothing. A peer that is not trusted is always the answer,
// whatever it sends.
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
