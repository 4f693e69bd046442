// The escape battery: every way out of the root we could think of, each of
// which must be answered with a clear tool error while the canary file
// outside the root is never read (its text appears in no answer) nor
// changed, and nothing is created outside the root.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <chrono>
#include <thread>

#include "filesystem_test_support.h"

namespace mcpgw::filesystem::testing {
namespace {

struct Attempt {
  const char* label;
  const char* tool;
  json arguments;
  const char* expected;  // a part of the error text
};

// Sets up the traps every attempt may use.
void PlantTraps(const TempTree& tree) {
  TempTree::Write(tree.InRoot("file.txt"), "inside");
  std::filesystem::create_directories(tree.InRoot("dir"));
  std::filesystem::create_symlink("/", tree.InRoot("to_root"));
  std::filesystem::create_symlink("../outside", tree.InRoot("to_outside"));
  std::filesystem::create_symlink(tree.outside(), tree.InRoot("abs_outside"));
  std::filesystem::create_symlink(tree.canary(), tree.InRoot("to_canary"));
  std::filesystem::create_symlink("../../outside", tree.InRoot("dir/up"));
  std::filesystem::create_symlink("loop_b", tree.InRoot("loop_a"));
  std::filesystem::create_symlink("loop_a", tree.InRoot("loop_b"));
  std::filesystem::create_symlink("self", tree.InRoot("self"));
  std::filesystem::create_symlink("/proc/self/root", tree.InRoot("magic"));
}

constexpr char kDenied[] = "Access denied - path outside allowed directories";

std::vector<Attempt> Attempts(const TempTree& tree) {
  const std::string host_canary = tree.canary();
  const json edit = {{{"oldText", "CANARY"}, {"newText", "PWNED"}}};
  std::string deep;
  for (int i = 0; i < 3000; ++i) deep += "a/";
  return {
      {"dotdot after the root", "read_text_file", {{"path", "/ws/../outside/canary.txt"}}, kDenied},
      {"dotdot first, relative", "read_text_file", {{"path", "../outside/canary.txt"}}, kDenied},
      {"dotdot in the middle", "read_text_file", {{"path", "dir/../../outside/canary.txt"}}, kDenied},
      {"dotdot in the middle, absolute", "read_text_file", {{"path", "/ws/dir/../../outside/canary.txt"}}, kDenied},
      {"dot then dotdot", "read_text_file", {{"path", "./../outside/canary.txt"}}, kDenied},
      {"dotdot back in and out again", "read_text_file", {{"path", "dir/../dir/../../outside/canary.txt"}}, kDenied},
      {"dotdot at the end", "list_directory", {{"path", "/ws/.."}}, kDenied},
      {"dotdot before the root name", "read_text_file", {{"path", "/../../outside/canary.txt"}}, kDenied},
      {"absolute path of an unknown root", "read_text_file", {{"path", "/outside/canary.txt"}}, kDenied},
      {"the canary's host path", "read_text_file", {{"path", host_canary}}, kDenied},
      {"/etc/passwd", "read_text_file", {{"path", "/etc/passwd"}}, kDenied},
      {"percent-encoded dots are a name", "read_text_file", {{"path", "%2e%2e/outside/canary.txt"}}, "ENOENT"},
      {"two-dot leader is a name", "read_text_file", {{"path", "\u2025/outside/canary.txt"}}, "ENOENT"},
      {"fullwidth dots are a name", "read_text_file", {{"path", "\uFF0E\uFF0E/outside/canary.txt"}}, "ENOENT"},
      {"symlink to /", "read_text_file", {{"path", "to_root" + host_canary}}, kDenied},
      {"relative symlink to outside", "read_text_file", {{"path", "to_outside/canary.txt"}}, kDenied},
      {"absolute symlink to outside", "read_text_file", {{"path", "abs_outside/canary.txt"}}, kDenied},
      {"symlink to the canary", "read_text_file", {{"path", "/ws/to_canary"}}, kDenied},
      {"nested symlink climbing out", "read_text_file", {{"path", "dir/up/canary.txt"}}, kDenied},
      {"magic link /proc/self/root", "read_text_file", {{"path", "magic" + host_canary}}, kDenied},
      {"symlink loop", "read_text_file", {{"path", "loop_a"}}, "ELOOP"},
      {"self-referencing symlink", "read_text_file", {{"path", "self/x"}}, "ELOOP"},
      {"listing through a symlink to /", "list_directory", {{"path", "to_root"}}, kDenied},
      {"sizes through a symlink to outside", "list_directory_with_sizes", {{"path", "to_outside"}}, kDenied},
      {"tree through a symlink to outside", "directory_tree", {{"path", "to_outside"}}, kDenied},
      {"search through a symlink to outside", "search_files", {{"path", "abs_outside"}, {"pattern", "**"}}, kDenied},
      {"stat through a symlink", "get_file_info", {{"path", "to_canary"}}, kDenied},
      {"media read through a symlink", "read_media_file", {{"path", "to_canary"}}, kDenied},
      {"edit through a symlink", "edit_file", {{"path", "to_canary"}, {"edits", edit}}, kDenied},
      {"edit with dotdot", "edit_file", {{"path", "../outside/canary.txt"}, {"edits", edit}}, kDenied},
      {"write with dotdot", "write_file", {{"path", "../outside/new.txt"}, {"content", "x"}}, kDenied},
      {"write over the canary through a symlinked dir", "write_file",
       {{"path", "to_outside/canary.txt"}, {"content", "x"}}, kDenied},
      {"write through an absolute symlinked dir", "write_file", {{"path", "abs_outside/evil.txt"}, {"content", "x"}},
       kDenied},
      {"write via a symlink to /", "write_file", {{"path", "to_root/tmp/evil.txt"}, {"content", "x"}}, kDenied},
      {"write to the root's parent", "write_file", {{"path", "/ws/.."}, {"content", "x"}}, "Invalid path"},
      {"mkdir with dotdot", "create_directory", {{"path", "../outside/newdir"}}, kDenied},
      {"mkdir through a symlink", "create_directory", {{"path", "to_outside/newdir"}}, kDenied},
      {"mkdir of an unknown root", "create_directory", {{"path", "/outside/x"}}, kDenied},
      {"move out with dotdot", "move_file", {{"source", "file.txt"}, {"destination", "../outside/moved.txt"}}, kDenied},
      {"move out through a symlink", "move_file", {{"source", "file.txt"}, {"destination", "abs_outside/m.txt"}},
       kDenied},
      {"move the canary in", "move_file", {{"source", "../outside/canary.txt"}, {"destination", "stolen.txt"}}, kDenied},
      {"move the canary in via a symlink", "move_file",
       {{"source", "to_outside/canary.txt"}, {"destination", "stolen.txt"}}, kDenied},
      {"move to an absolute path outside", "move_file", {{"source", "file.txt"}, {"destination", "/ws/../x"}}, kDenied},
      {"very long path", "read_text_file", {{"path", deep + "x"}}, "ENAMETOOLONG: name too long"},
      {"very long name", "read_text_file", {{"path", std::string(300, 'n')}}, "ENAMETOOLONG: name too long"},
      {"NUL byte in the name", "read_text_file", {{"path", std::string("file.txt\0/../../outside/canary.txt", 35)}},
       "Invalid path - it contains a NUL byte"},
      {"path through a file", "read_text_file", {{"path", "file.txt/../../outside/canary.txt"}}, "ENOTDIR"},
  };
}

TEST(EscapeBatteryTest, EveryAttemptIsAClearToolErrorAndTheCanaryIsNeverTouched) {
  TempTree tree;
  PlantTraps(tree);
  auto tools = MakeTools(tree);
  const std::vector<Attempt> attempts = Attempts(tree);
  ASSERT_GE(attempts.size(), 30u);
  for (const Attempt& attempt : attempts) {
    const json result = CallTool(*tools, attempt.tool, attempt.arguments);
    const std::string text = TextOf(result);
    EXPECT_TRUE(IsError(result)) << attempt.label << ": " << text;
    EXPECT_NE(text.find(attempt.expected), std::string::npos) << attempt.label << ": " << text;
    EXPECT_EQ(result.dump().find("CANARY"), std::string::npos) << attempt.label;
    if (attempt.arguments.dump().find(tree.base()) == std::string::npos) {  // unless the caller wrote it
      EXPECT_EQ(text.find(tree.base()), std::string::npos) << attempt.label << " leaked the host path: " << text;
    }
    EXPECT_TRUE(tree.OutsideUntouched()) << attempt.label;
  }
  // Nothing was moved or created inside either.
  EXPECT_EQ(TempTree::Read(tree.InRoot("file.txt")), "inside");
  EXPECT_FALSE(std::filesystem::exists(tree.InRoot("stolen.txt")));
}

TEST(EscapeBatteryTest, ReadMultipleFilesReportsEachEscapeWithoutReadingIt) {
  TempTree tree;
  PlantTraps(tree);
  auto tools = MakeTools(tree);
  const json result = CallTool(*tools, "read_multiple_files",
                               {{"paths", {"to_canary", "../outside/canary.txt", tree.canary(), "dir/up/canary.txt"}}});
  EXPECT_EQ(TextOf(result).find("CANARY"), std::string::npos);
  EXPECT_EQ(TextOf(result).find(tree.root()), std::string::npos);  // only the caller's own paths are echoed
}

TEST(EscapeBatteryTest, SearchAndTreeWalksNeverEnterSymlinksThatLeaveTheRoot) {
  TempTree tree;
  PlantTraps(tree);
  auto tools = MakeTools(tree);
  const std::string found = TextOf(CallTool(*tools, "search_files", {{"path", "/ws"}, {"pattern", "**/*canary*"}}));
  EXPECT_EQ(found, "No matches found");
  const std::string listing = TextOf(CallTool(*tools, "directory_tree", {{"path", "/ws"}}));
  EXPECT_EQ(listing.find("canary.txt"), std::string::npos);
  EXPECT_TRUE(tree.OutsideUntouched());
}

TEST(EscapeBatteryTest, RouteWithoutSymlinksRefusesEvenOnesThatStayInside) {
  TempTree tree;
  PlantTraps(tree);
  std::filesystem::create_symlink("../file.txt", tree.InRoot("dir/inside_link"));
  auto follows = MakeTools(tree);
  EXPECT_EQ(TextOf(CallTool(*follows, "read_text_file", {{"path", "dir/inside_link"}})), "inside");
  auto strict = MakeTools(tree, {{"no_symlinks", true}});
  const json refused = CallTool(*strict, "read_text_file", {{"path", "dir/inside_link"}});
  EXPECT_TRUE(IsError(refused));
  EXPECT_EQ(TextOf(refused), "Access denied - symbolic links are not followed on this route: dir/inside_link");
}

// A hard link is a second name for the same inode. One made by someone with
// host access is, by the kernel's view, inside the root: reading it reads
// the outside file (documented in ADR 0015). The plugin has no tool that
// creates links, and its atomic writes replace the name with a new inode,
// so even then the file outside is never modified through the plugin.
TEST(EscapeBatteryTest, AHardLinkPlantedFromTheHostIsReadableButWritesNeverReachTheOriginal) {
  TempTree tree;
  if (::link(tree.canary().c_str(), tree.InRoot("hard").c_str()) != 0) {
    GTEST_FAIL() << "the temporary directory does not allow hard links: " << std::strerror(errno);
  }
  auto tools = MakeTools(tree);
  EXPECT_EQ(TextOf(CallTool(*tools, "read_text_file", {{"path", "hard"}})), kCanaryText);
  EXPECT_FALSE(IsError(CallTool(*tools, "write_file", {{"path", "hard"}, {"content", "replaced"}})));
  EXPECT_FALSE(IsError(
      CallTool(*tools, "edit_file", {{"path", "hard"}, {"edits", {{{"oldText", "replaced"}, {"newText", "edited"}}}}})));
  EXPECT_EQ(TempTree::Read(tree.InRoot("hard")), "edited");
  EXPECT_TRUE(tree.OutsideUntouched());
}

// Another thread swaps a directory and a symlink to the outside directory
// (renameat2 RENAME_EXCHANGE, atomic) as fast as it can while reads and
// listings run through the swapped name. Each call resolves its path in one
// openat2, so it sees the directory (and reads "inside") or the symlink
// (and is refused) -- never the canary.
TEST(EscapeBatteryTest, ASymlinkSwappedInByAnotherThreadDuringReadsNeverEscapes) {
  TempTree tree;
  TempTree::Write(tree.InRoot("swap/canary.txt"), "inside");
  TempTree::Write(tree.InRoot("swap/inside-marker"), "");
  std::filesystem::create_symlink(tree.outside(), tree.InRoot("alt"));
  auto tools = MakeTools(tree);
  const std::string swap = tree.InRoot("swap"), alt = tree.InRoot("alt");
  std::atomic<bool> stop{false};
  std::atomic<long> swaps{0};
  std::thread swapper([&] {
    while (!stop.load()) {
      if (::renameat2(AT_FDCWD, swap.c_str(), AT_FDCWD, alt.c_str(), RENAME_EXCHANGE) == 0) ++swaps;
    }
  });
  long inside = 0, refused = 0, escaped = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& [tool, arguments] :
         {std::pair<const char*, json>{"read_text_file", {{"path", "/ws/swap/canary.txt"}}},
          std::pair<const char*, json>{"list_directory_with_sizes", {{"path", "swap"}}},
          std::pair<const char*, json>{"write_file", {{"path", "swap/canary.txt"}, {"content", "inside"}}}}) {
      const json result = CallTool(*tools, tool, arguments);
      if (result.dump().find("CANARY") != std::string::npos) ++escaped;
      const bool listed_outside = std::string_view(tool) == "list_directory_with_sizes" && !IsError(result) &&
                                  TextOf(result).find("inside-marker") == std::string::npos;
      if (listed_outside) ++escaped;
      (IsError(result) ? refused : inside) += 1;
    }
  }
  stop = true;
  swapper.join();
  EXPECT_EQ(escaped, 0);
  EXPECT_TRUE(tree.OutsideUntouched());
  EXPECT_GT(swaps.load(), 100);
  EXPECT_GT(inside, 0);  // the race was real: both outcomes happened
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace mcpgw::filesystem::testing
