// Tenant directory names: one safe path component, reversible, and never
// the same for two tenants.
#include "tenant_directory.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace mcpgw::memory {
namespace {

bool IsSafeComponent(const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.size() > kMaxPlainTenantDirectoryName) return false;
  for (const char c : name) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '%';
    if (!ok) return false;
  }
  return true;
}

TEST(TenantDirectoryName, KeepsSafeCharactersAsTheyAre) {
  EXPECT_EQ(TenantDirectoryName("acme-Corp_42"), "acme-Corp_42");
}

TEST(TenantDirectoryName, PercentEncodesEveryOtherByteInUppercaseHex) {
  EXPECT_EQ(TenantDirectoryName("a b/c:d%e"), "a%20b%2Fc%3Ad%25e");
  EXPECT_EQ(TenantDirectoryName("caf\xC3\xA9"), "caf%C3%A9");
}

TEST(TenantDirectoryName, DotsNeverAppearSoDotDotCannotClimb) {
  EXPECT_EQ(TenantDirectoryName(".."), "%2E%2E");
  EXPECT_EQ(TenantDirectoryName("."), "%2E");
  EXPECT_EQ(TenantDirectoryName(".hidden"), "%2Ehidden");
  EXPECT_EQ(TenantDirectoryName("../../etc"), "%2E%2E%2F%2E%2E%2Fetc");
}

TEST(TenantDirectoryName, NulByteIsEncodedNotTruncated) {
  EXPECT_EQ(TenantDirectoryName(std::string("a\0b", 3)), "a%00b");
  EXPECT_NE(TenantDirectoryName(std::string("a\0b", 3)), TenantDirectoryName("a"));
}

TEST(TenantDirectoryName, LeadingHDashIsEncodedSoPlainNamesNeverLookHashed) {
  const std::string lookalike = "h-" + std::string(64, 'a');
  EXPECT_EQ(TenantDirectoryName(lookalike), "%68-" + std::string(64, 'a'));
  EXPECT_FALSE(IsHashedTenantDirectoryName(TenantDirectoryName(lookalike)));
  EXPECT_EQ(TenantDirectoryName("h"), "h");
  EXPECT_EQ(TenantDirectoryName("hh-"), "hh-");
}

TEST(TenantDirectoryName, LongTenantGetsHashedNameOfItsSha256) {
  EXPECT_EQ(TenantDirectoryName(std::string(201, 'a')),
            "h-a92efd82109373e58f9a2056dee01e807e216ce6075f7051207c0a9f7d666e50");
  // The limit applies to the encoded name: 67 dots encode to 201 bytes.
  EXPECT_EQ(TenantDirectoryName(std::string(67, '.')),
            "h-d40ca1173d0af4f915050bfb948d5d27549ec4133625f2a2700d1fe11ff325e5");
  EXPECT_EQ(TenantDirectoryName(std::string(66, '.')).size(), 198u);
  EXPECT_EQ(TenantDirectoryName(std::string(200, 'a')), std::string(200, 'a'));
}

TEST(TenantDirectoryName, Sha256MatchesTheStandardTestVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TenantDirectoryName, PlainNamesDecodeBackToTheTenant) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
  for (const std::string& tenant :
       {std::string("simple"), std::string(".."), std::string("h-x"), std::string("a\0b", 3), every_byte.substr(0, 66),
        every_byte.substr(66, 66), every_byte.substr(190)}) {
    const std::string name = TenantDirectoryName(tenant);
    ASSERT_FALSE(IsHashedTenantDirectoryName(name)) << name;
    EXPECT_EQ(TenantFromDirectoryName(name), tenant) << name;
  }
}

TEST(TenantDirectoryName, NonCanonicalOrHashedNamesDecodeToNothing) {
  EXPECT_EQ(TenantFromDirectoryName("%41"), std::nullopt);  // "A" is spelled A
  EXPECT_EQ(TenantFromDirectoryName("%2e"), std::nullopt);  // lowercase hex
  EXPECT_EQ(TenantFromDirectoryName("%2"), std::nullopt);
  EXPECT_EQ(TenantFromDirectoryName("a.b"), std::nullopt);
  EXPECT_EQ(TenantFromDirectoryName("h-abc"), std::nullopt);
}

TEST(TenantDirectoryName, EveryNameIsOneSafeComponentAndDistinctTenantsGetDistinctNames) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> length(1, 120), byte(0, 255), pick(0, 9);
  const std::string alphabet("h-.%/aA\0Z", 9);
  std::set<std::string> tenants;
  std::set<std::string> names;
  for (int i = 0; i < 3000; ++i) {
    std::string tenant;
    const int n = length(rng);
    for (int k = 0; k < n; ++k) {
      // Mostly bytes that need care, sometimes any byte.
      tenant +=
          pick(rng) < 7 ? alphabet[static_cast<size_t>(byte(rng)) % alphabet.size()] : static_cast<char>(byte(rng));
    }
    if (!tenants.insert(tenant).second) continue;
    const std::string name = TenantDirectoryName(tenant);
    EXPECT_TRUE(IsSafeComponent(name)) << name;
    EXPECT_TRUE(names.insert(name).second) << "collision on " << name;
  }
}

}  // namespace
}  // namespace mcpgw::memory
