#include "net/cidr.h"

#include <gtest/gtest.h>

namespace mcpgw::net {
namespace {

std::vector<Cidr> Ranges(std::initializer_list<const char*> texts) {
  std::vector<Cidr> out;
  for (const char* t : texts) {
    auto c = Cidr::Parse(t);
    EXPECT_TRUE(c.has_value()) << t;
    if (c) out.push_back(*c);
  }
  return out;
}

TEST(Cidr, MatchesAddressesInsideTheRangeOnly) {
  const auto ranges = Ranges({"10.0.0.0/8", "192.0.2.7", "fd00::/8"});
  EXPECT_TRUE(InAny(ranges, "10.1.2.3"));
  EXPECT_TRUE(InAny(ranges, "192.0.2.7"));
  EXPECT_FALSE(InAny(ranges, "192.0.2.8"));
  EXPECT_FALSE(InAny(ranges, "11.0.0.1"));
  EXPECT_TRUE(InAny(ranges, "fd12::1"));
  EXPECT_FALSE(InAny(ranges, "fe80::1"));
  EXPECT_TRUE(InAny(ranges, "::ffff:10.9.9.9")) << "an IPv4-mapped peer is its IPv4 address";
  EXPECT_FALSE(InAny(ranges, "not an address"));
  EXPECT_FALSE(InAny(ranges, ""));
}

TEST(Cidr, RefusesHostBitsAndNonsense) {
  for (const char* bad : {"10.0.0.1/8", "10.0.0.0/33", "proxy", "", "10.0.0.0/", "::1/129", "1.2.3.4/-1"}) {
    EXPECT_FALSE(Cidr::Parse(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace mcpgw::net
