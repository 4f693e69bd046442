// The text formats the reference server's answers are made of: globs as
// minimatch({dot: true}) decides them, diffs as the `diff` package lays
// them out, Node's UTF-8 decoding, sizes and dates. Expected values were
// produced by the reference's own libraries (minimatch 10, diff 8).
#include <gtest/gtest.h>

#include "file_format.h"
#include "glob_match.h"
#include "path_addressing.h"
#include "text_edits.h"
#include "unified_diff.h"
#include "utf8_text.h"

namespace mcpgw::filesystem {
namespace {

TEST(GlobMatchTest, AgreesWithMinimatchWithDotTrue) {
  struct Case {
    const char* path;
    const char* pattern;
    bool matches;
  };
  const Case cases[] = {
      {"a", "a/**", false},       {"a/b", "a/**", true},         {"a/b/c.txt", "**/*.txt", true},
      {"c.txt", "**/*.txt", true}, {"x/c.txt", "*.txt", false},  {".git", "*", true},
      {".git/x", "**", true},     {"a", "**/a/**", false},       {"x/a/y", "**/a/**", true},
      {"ab", "a?", true},         {"a/b", "a?b", false},         {"abc", "{abc,x}", true},
      {"b", "[a-c]", true},       {"d", "[!a-c]", true},         {"a.TXT", "*.txt", false},
      {"a", "!b", true},          {"foo", "foo/", false},        {"a/b/c", "a/**/c", true},
      {"a/c", "a/**/c", true},    {"", "*", false},              {"x.js", "*.{js,ts}", true},
      {"*", "\\*", true},         {"node_modules/x/y.js", "node_modules/**", true},
  };
  for (const Case& c : cases) EXPECT_EQ(GlobMatch(c.path, c.pattern), c.matches) << c.path << " ~ " << c.pattern;
}

TEST(GlobMatchTest, ManyDoubleStarsAgainstADeepPathAreDecidedWithoutRetryingEverySkip) {
  // Retrying each "**"'s every skip recursively takes about C(100, 40)
  // steps here; matching segment by segment is 40 x 60.
  std::string stars;
  for (int i = 0; i < 40; ++i) stars += "**/";
  std::string deep;
  for (int i = 0; i < 59; ++i) deep += "d" + std::to_string(i) + "/";
  EXPECT_FALSE(GlobMatch(deep + "x", stars + "zzz"));
  EXPECT_TRUE(GlobMatch(deep + "zzz", stars + "zzz"));
  EXPECT_TRUE(GlobMatch(deep + "x", stars + "d5/**/x"));
  EXPECT_FALSE(GlobMatch(deep + "x", stars + "d5/**/d4/**"));
  EXPECT_TRUE(GlobMatch(deep + "x", stars + "**"));
  EXPECT_TRUE(GlobMatch(std::string(10000, 'a') + "b", std::string(40, '*') + "b"));  // one segment: O(n x m)
}

TEST(GlobMatchTest, RefusesPatternsWhoseBracesExpandPastTheBound) {
  std::string ten, eleven;
  for (int i = 0; i < 10; ++i) ten += "{a,b}";
  eleven = ten + "{a,b}";
  ASSERT_TRUE(std::holds_alternative<Glob>(Glob::Compile(ten)));  // exactly 1024 alternatives
  EXPECT_TRUE(std::get<Glob>(Glob::Compile(ten)).Matches("abababbbba"));
  EXPECT_EQ(std::get<std::string>(Glob::Compile(eleven)),
            "its braces expand to more than 1024 patterns (or 1048576 bytes of them)");
  EXPECT_FALSE(GlobMatch("aaaaaaaaaaa", eleven));  // a refused pattern matches nothing, not a part of its alternatives
  std::string many;  // a million groups: refused at once, without recursing once per group
  for (int i = 0; i < 1000000; ++i) many += "{a,b}";
  EXPECT_TRUE(std::holds_alternative<std::string>(Glob::Compile(many)));
  // Groups that never close are literal text, found in one pass.
  EXPECT_TRUE(GlobMatch(std::string(1 << 20, '{') + "x", std::string(1 << 20, '{') + "x"));
  EXPECT_TRUE(GlobMatch("{a", "{{a,b}"));
}

TEST(UnifiedDiffTest, LaysOutHunksWithFourLinesOfContextLikeTheDiffPackage) {
  std::string a;
  for (int i = 1; i <= 15; ++i) a += "l" + std::to_string(i) + "\n";
  std::string b = a;
  b.replace(b.find("l2\n"), 3, "L2\n");
  b.replace(b.find("l14\n"), 4, "L14\nnew\n");
  EXPECT_EQ(UnifiedDiff("/ws/f.txt", a, b),
            "Index: /ws/f.txt\n===================================================================\n--- "
            "/ws/f.txt\toriginal\n+++ /ws/f.txt\tmodified\n@@ -1,6 +1,6 @@\n l1\n-l2\n+L2\n l3\n l4\n l5\n l6\n@@ "
            "-10,6 +10,7 @@\n l10\n l11\n l12\n l13\n-l14\n+L14\n+new\n l15\n");
}

TEST(UnifiedDiffTest, MarksAMissingFinalNewlineAndEmptyRanges) {
  const std::string header =
      "Index: /ws/f.txt\n===================================================================\n--- "
      "/ws/f.txt\toriginal\n+++ /ws/f.txt\tmodified\n";
  EXPECT_EQ(UnifiedDiff("/ws/f.txt", "x\ny", "x\nz"),
            header + "@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+z\n\\ No newline at end of file\n");
  EXPECT_EQ(UnifiedDiff("/ws/f.txt", "a\nb\nc\n", "a\nc\n"), header + "@@ -1,3 +1,2 @@\n a\n-b\n c\n");
  EXPECT_EQ(UnifiedDiff("/ws/f.txt", "", "new\n"), header + "@@ -0,0 +1,1 @@\n+new\n");
  EXPECT_EQ(UnifiedDiff("/ws/f.txt", "same\n", "same\n"), header);
}

TEST(TextEditsTest, ReplacesTheFirstExactMatchThenFallsBackToWhitespaceInsensitiveLines) {
  EditOutcome exact = ApplyTextEdits("a b a b\r\n", {{"a b", "X"}});
  EXPECT_EQ(exact.original, "a b a b\n");
  EXPECT_EQ(exact.edited, "X a b\n");
  EditOutcome loose = ApplyTextEdits("  if (x) {\n    y();\n  }\n", {{"if (x) {\n  y();\n}", "if (z) {\n    w();\n}"}});
  ASSERT_FALSE(loose.failure);
  EXPECT_EQ(loose.edited, "  if (z) {\n    w();\n}\n");
  EditOutcome missing = ApplyTextEdits("abc", {{"nope", "x"}});
  EXPECT_EQ(missing.failure.value_or(""), "Could not find exact match for edit:\nnope");
  EXPECT_EQ(FencedDiff("has ``` inside\n"), "````diff\nhas ``` inside\n````\n\n");
}

TEST(TextEditsTest, FencesADiffWithOneBacktickMoreThanItsLongestRun) {
  // Trying 3, 4, 5... backticks in turn is quadratic in the run's length.
  const std::string run(200000, '`');
  const std::string fence(200001, '`');
  EXPECT_EQ(FencedDiff("+" + run + "\n"), fence + "diff\n+" + run + "\n" + fence + "\n\n");
  const std::string file_sized(8 << 20, '`');  // quadratically, about a quarter of an hour
  EXPECT_EQ(FencedDiff(file_sized).size(), 2 * (file_sized.size() + 1) + file_sized.size() + 7);
  EXPECT_EQ(FencedDiff("a `` b ``` c\n"), "````diff\na `` b ``` c\n````\n\n");
  EXPECT_EQ(FencedDiff("plain\n"), "```diff\nplain\n```\n\n");
}

TEST(Utf8TextTest, ReplacesEachIllFormedSubpartLikeNode) {
  EXPECT_EQ(DecodeUtf8Lossy("ok \xC3\xA9"), "ok \xC3\xA9");
  EXPECT_EQ(DecodeUtf8Lossy("\xFF"), "\xEF\xBF\xBD");
  EXPECT_EQ(DecodeUtf8Lossy("\xE2\x82"), "\xEF\xBF\xBD");           // truncated: one replacement
  EXPECT_EQ(DecodeUtf8Lossy("\xE2\x82x"), "\xEF\xBF\xBDx");
  EXPECT_EQ(DecodeUtf8Lossy("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(Utf16Length("a\xC3\xA9\xF0\x9F\x98\x80"), 4u);
  EXPECT_EQ(PadEnd("\xC3\xA9", 3), "\xC3\xA9  ");
}

TEST(FileFormatTest, SizesDatesUrlsAndMimeTypesReadLikeTheReference) {
  EXPECT_EQ(FormatSize(0), "0 B");
  EXPECT_EQ(FormatSize(1023), "1023 B");
  EXPECT_EQ(FormatSize(1536), "1.50 KB");
  EXPECT_EQ(FormatSize(5LL << 30), "5.00 GB");
  EXPECT_EQ(FormatJsDate(timespec{1700000000, 0}), "Tue Nov 14 2023 22:13:20 GMT+0000 (Coordinated Universal Time)");
  EXPECT_EQ(FileUrl("/ws/a b#?%\xC3\xA9.bin"), "file:///ws/a%20b%23%3F%25%C3%A9.bin");
  EXPECT_EQ(MediaMimeType("photo.JPG"), "image/jpeg");
  EXPECT_EQ(MediaMimeType(".png"), "application/octet-stream");
  EXPECT_EQ(Base64("hello"), "aGVsbG8=");
  EXPECT_EQ(Base64("hi!"), "aGkh");
}

TEST(PathAddressingTest, PicksTheRootByItsVirtualNameAndLeavesTheRestToTheKernel) {
  const std::vector<std::string> roots = {"ws", "other"};
  EXPECT_EQ(ResolveAddress(roots, "/ws/a/b")->relative, "a/b");
  EXPECT_EQ(ResolveAddress(roots, "//./other//x")->root, 1u);
  EXPECT_EQ(ResolveAddress(roots, "/ws/../other/x")->relative, "../other/x");  // the kernel refuses it
  EXPECT_EQ(ResolveAddress(roots, "a/b")->relative, "a/b");
  EXPECT_EQ(ResolveAddress(roots, "/ws")->relative, "");
  EXPECT_FALSE(ResolveAddress(roots, "/"));
  EXPECT_FALSE(ResolveAddress(roots, "/etc/passwd"));
  EXPECT_FALSE(ResolveAddress(roots, "/../ws/x"));
  EXPECT_EQ(DisplayPath("ws", "a/./b/../c//d/"), "/ws/a/c/d");
}

}  // namespace
}  // namespace mcpgw::filesystem
