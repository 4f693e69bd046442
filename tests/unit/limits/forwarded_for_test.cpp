// The source address of a request: X-Forwarded-For believed from trusted
// proxies only, read right to left, ignored when malformed.
#include "transport/http/forwarded_for.h"

#include <gtest/gtest.h>

namespace mcpgw::http {
namespace {

std::vector<mcpgw::net::Cidr> Trust(std::initializer_list<const char*> ranges) {
  std::vector<mcpgw::net::Cidr> out;
  for (const char* r : ranges) out.push_back(*mcpgw::net::Cidr::Parse(r));
  return out;
}

TEST(SourceAddress, IsThePeerWhenNoProxyIsTrusted) {
  EXPECT_EQ(SourceAddress("10.0.0.5", {"203.0.113.9"}, {}), "10.0.0.5");
}

TEST(SourceAddress, IsThePeerWhenThePeerIsNotATrustedProxy) {
  EXPECT_EQ(SourceAddress("192.0.2.1", {"203.0.113.9"}, Trust({"10.0.0.0/8"})), "192.0.2.1");
}

TEST(SourceAddress, IsTheRightMostAddressNotItselfATrustedProxy) {
  const auto trusted = Trust({"10.0.0.0/8"});
  EXPECT_EQ(SourceAddress("10.0.0.5", {"203.0.113.9"}, trusted), "203.0.113.9");
  // A client-supplied left part is not believed past the first untrusted hop.
  EXPECT_EQ(SourceAddress("10.0.0.5", {"1.1.1.1, 203.0.113.9, 10.1.2.3"}, trusted), "203.0.113.9");
  // Several header lines are one list, in order.
  EXPECT_EQ(SourceAddress("10.0.0.5", {"1.1.1.1", "198.51.100.7 ,10.9.9.9"}, trusted), "198.51.100.7");
  EXPECT_EQ(SourceAddress("10.0.0.5", {"[2001:db8::1]"}, trusted), "2001:db8::1");
  // Every hop trusted: the left-most.
  EXPECT_EQ(SourceAddress("10.0.0.5", {"10.0.0.7, 10.0.0.8"}, trusted), "10.0.0.7");
}

TEST(SourceAddress, NeverReadsTheClientsTextLeftOfTheHopItBelieves) {
  const auto trusted = Trust({"127.0.0.1", "10.0.0.0/8"});
  // The proxy appended 203.0.113.9 to whatever the client sent.
  EXPECT_EQ(SourceAddress("127.0.0.1", {"bogus, 203.0.113.9"}, trusted), "203.0.113.9");
  EXPECT_EQ(SourceAddress("127.0.0.1", {"bogus", "203.0.113.9"}, trusted), "203.0.113.9");
  // Junk reached through trusted hops only: the last trusted hop read.
  EXPECT_EQ(SourceAddress("127.0.0.1", {"bogus, 10.0.0.7"}, trusted), "10.0.0.7");
}

TEST(SourceAddress, ReadsAnEntryWithAPort) {
  const auto trusted = Trust({"127.0.0.1"});
  EXPECT_EQ(SourceAddress("127.0.0.1", {"203.0.113.9:5678"}, trusted), "203.0.113.9");
  EXPECT_EQ(SourceAddress("127.0.0.1", {"[2001:db8::1]:443"}, trusted), "2001:db8::1");
  EXPECT_EQ(SourceAddress("127.0.0.1", {"2001:db8::1"}, trusted), "2001:db8::1");
  EXPECT_EQ(SourceAddress("127.0.0.1", {"[2001:db8::1]x"}, trusted), "127.0.0.1");
}

TEST(SourceAddress, IgnoresAMalformedHeader) {
  const auto trusted = Trust({"127.0.0.1"});
  EXPECT_EQ(SourceAddress("127.0.0.1", {"203.0.113.9, not-an-address"}, trusted), "127.0.0.1");
  EXPECT_EQ(SourceAddress("127.0.0.1", {"203.0.113.9:4x3"}, trusted), "127.0.0.1");
  EXPECT_EQ(SourceAddress("127.0.0.1", {""}, trusted), "127.0.0.1");
  EXPECT_EQ(SourceAddress("127.0.0.1", {"203.0.113.9,"}, trusted), "127.0.0.1");
}

}  // namespace
}  // namespace mcpgw::http
