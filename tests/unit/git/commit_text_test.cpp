#include "commit_text.h"

#include <gtest/gtest.h>

namespace mcpgw::git {
namespace {

TEST(CommitTextTest, PythonReprQuotesAndEscapesAsCPython) {
  EXPECT_EQ(PythonRepr("plain"), "'plain'");
  EXPECT_EQ(PythonRepr("line\n"), "'line\\n'");
  EXPECT_EQ(PythonRepr("it's"), "\"it's\"");
  EXPECT_EQ(PythonRepr("it's \"both\""), "'it\\'s \"both\"'");
  EXPECT_EQ(PythonRepr("tab\tback\\slash\x01"), "'tab\\tback\\\\slash\\x01'");
  EXPECT_EQ(PythonRepr("caf\xc3\xa9 \xc2\xa0"), "'caf\xc3\xa9 \\xa0'");
  EXPECT_EQ(PythonRepr("bad \xff byte"), "'bad \xef\xbf\xbd byte'");
}

TEST(CommitTextTest, DatesInTheAuthorsOffset) {
  const git_time when{1705329025, 120, '+'};
  EXPECT_EQ(PythonDateTime(when), "2024-01-15 16:30:25+02:00");
  EXPECT_EQ(GitDefaultDate(when), "Mon Jan 15 16:30:25 2024 +0200");
  const git_time west{1705329025, -330, '-'};
  EXPECT_EQ(PythonDateTime(west), "2024-01-15 09:00:25-05:30");
  EXPECT_EQ(GitDefaultDate(west), "Mon Jan 15 09:00:25 2024 -0530");
}

}  // namespace
}  // namespace mcpgw::git
