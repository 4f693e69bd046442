// ConfinedRoot alone: what the kernel lets through openat2 beneath a root.
#include <fcntl.h>
#include <gtest/gtest.h>

#include "confined_root.h"
#include "file_ops.h"
#include "filesystem_test_support.h"

namespace mcpgw::filesystem::testing {
namespace {

class ConfinedRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TempTree::Write(tree_.InRoot("d/f.txt"), "f");
    std::filesystem::create_symlink("d/f.txt", tree_.InRoot("inside_link"));
    std::filesystem::create_symlink("../outside", tree_.InRoot("out"));
  }
  ConfinedRoot Open(bool no_symlinks = false) {
    auto root = ConfinedRoot::Open(tree_.root(), no_symlinks);
    if (!root) throw std::runtime_error("cannot open the root");
    return std::move(*root);
  }
  TempTree tree_;
};

TEST_F(ConfinedRootTest, OpensPathsBelowTheRootAndFollowsSymlinksThatStayInside) {
  const ConfinedRoot root = Open();
  EXPECT_TRUE(root.OpenBeneath("d/f.txt", O_RDONLY));
  EXPECT_TRUE(root.OpenBeneath("d/../d/./f.txt", O_RDONLY));
  EXPECT_TRUE(root.OpenBeneath("inside_link", O_RDONLY));
  EXPECT_TRUE(root.OpenBeneath("", O_PATH | O_DIRECTORY));
}

TEST_F(ConfinedRootTest, RefusesEveryWayOutAsAnEscape) {
  const ConfinedRoot root = Open();
  for (const char* path : {"..", "../outside/canary.txt", "d/../..", "/etc/passwd", "out/canary.txt"}) {
    auto opened = root.OpenBeneath(path, O_RDONLY);
    ASSERT_FALSE(opened) << path;
    EXPECT_EQ(opened.error().code, kEscapesRoot) << path;
  }
}

TEST_F(ConfinedRootTest, NoSymlinksModeRefusesAnySymlink) {
  const ConfinedRoot root = Open(true);
  auto opened = root.OpenBeneath("inside_link", O_RDONLY);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, kSymlinkRefused);
  EXPECT_TRUE(root.OpenBeneath("d/f.txt", O_RDONLY));
}

TEST_F(ConfinedRootTest, OpenParentWantsAPlainLastName) {
  const ConfinedRoot root = Open();
  auto parent = root.OpenParent("d/new.txt/");
  ASSERT_TRUE(parent);
  EXPECT_EQ(parent->name, "new.txt");
  for (const char* path : {"", ".", "d/..", "d/.", "/"}) {
    auto refused = root.OpenParent(path);
    ASSERT_FALSE(refused) << path;
    EXPECT_EQ(refused.error().code, kNotAPlainName) << path;
  }
  EXPECT_EQ(root.OpenParent("out/x").error().code, kEscapesRoot);
}

TEST_F(ConfinedRootTest, AtomicWriteToADirectoryIsRefusedWithoutLeavingATemporaryFile) {
  const ConfinedRoot root = Open();
  std::filesystem::create_directories(tree_.InRoot("d/sub"));
  auto written = WriteFileAtomically(root, "d/sub", "x");  // a directory is in the way
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, EISDIR);
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(tree_.InRoot("d"))) ++entries;
  EXPECT_EQ(entries, 2u);  // f.txt and sub
}

TEST_F(ConfinedRootTest, ReadsRefuseFifosWithoutBlocking) {
  ASSERT_EQ(::mkfifo(tree_.InRoot("fifo").c_str(), 0600), 0);
  const ConfinedRoot root = Open();
  auto read = ReadWholeFile(root, "fifo", 1024);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, kNotRegularFile);
}

}  // namespace
}  // namespace mcpgw::filesystem::testing
