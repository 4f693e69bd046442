// What the gRPC front door reads off a call besides its messages: the
// caller's address, keyed like the HTTP door's source (no port).
#include "transport/grpc/metadata.h"

#include <gtest/gtest.h>

namespace mcpgw::rpc {
namespace {

TEST(PeerAddress, IsTheAddressWithoutTheConnectionsPort) {
  EXPECT_EQ(PeerAddress("ipv4:203.0.113.9:51234"), "203.0.113.9");
  EXPECT_EQ(PeerAddress("ipv4:127.0.0.1:1"), "127.0.0.1");
  EXPECT_EQ(PeerAddress("ipv6:[2001:db8::1]:51234"), "2001:db8::1");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:443"), "::1");
  // gRPC 1.51 percent-encodes the brackets (and a zone's %).
  EXPECT_EQ(PeerAddress("ipv6:%5B::1%5D:39704"), "::1");
  EXPECT_EQ(PeerAddress("ipv6:%5Bfe80::1%25eth0%5D:80"), "fe80::1%eth0");
  EXPECT_EQ(PeerAddress("ipv6:[fe80::1%eth0]:80"), "fe80::1%eth0");
  EXPECT_EQ(PeerAddress("unix:/run/mcp.sock"), "unix:/run/mcp.sock");
  EXPECT_EQ(PeerAddress("ipv6:[broken"), "ipv6:[broken");
}

}  // namespace
}  // namespace mcpgw::rpc
