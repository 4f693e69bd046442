#include "date_filter.h"

#include <gtest/gtest.h>

namespace mcpgw::git {
namespace {

constexpr time_t kNow = 1705329025;  // 2024-01-15T14:30:25Z

TEST(DateFilterTest, ReadsIso8601WithAndWithoutOffsets) {
  EXPECT_EQ(ParseGitDate("2024-01-15T14:30:25Z", kNow), 1705329025);
  EXPECT_EQ(ParseGitDate("2024-01-15T16:30:25+02:00", kNow), 1705329025);
  EXPECT_EQ(ParseGitDate("2024-01-15 16:30:25.123 +0200", kNow), std::nullopt);  // a space before the zone is not ISO
  EXPECT_EQ(ParseGitDate("2024-01-15T16:30:25.123+0200", kNow), 1705329025);
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  EXPECT_EQ(ParseGitDate("2024-01-15", kNow), 1705276800);
  EXPECT_EQ(ParseGitDate("2024-01-15T14:30", kNow), 1705329000);
}

TEST(DateFilterTest, ReadsRelativeAndNamedDates) {
  EXPECT_EQ(ParseGitDate("2 weeks ago", kNow), kNow - 14 * 86400);
  EXPECT_EQ(ParseGitDate("3.days.ago", kNow), kNow - 3 * 86400);
  EXPECT_EQ(ParseGitDate("1 hour ago", kNow), kNow - 3600);
  EXPECT_EQ(ParseGitDate("yesterday", kNow), kNow - 86400);
  EXPECT_EQ(ParseGitDate("now", kNow), kNow);
  EXPECT_EQ(ParseGitDate("@1705329025", kNow), 1705329025);
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  EXPECT_EQ(ParseGitDate("Jan 15 2024", kNow), 1705276800);
  EXPECT_EQ(ParseGitDate("15 January 2024", kNow), 1705276800);
  EXPECT_EQ(ParseGitDate("January 15, 2024 14:30:25", kNow), 1705329025);
}

TEST(DateFilterTest, RefusesWhatItCannotRead) {
  for (const char* text : {"", "soon", "2024-13-01", "2024-01-15T25:00", "15 2024", "2 fortnights ago", "-1 day ago"}) {
    EXPECT_EQ(ParseGitDate(text, kNow), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace mcpgw::git
