// Every tool against a real directory tree: the reference server's texts
// and shapes, the read-only mode, size limits, atomic writes and error
// texts that name the caller's path and never the host's.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "filesystem_test_support.h"
#include "tool_definitions.h"

namespace mcpgw::filesystem::testing {
namespace {

class FilesystemToolsTest : public ::testing::Test {
 protected:
  void SetUp() override { tools_ = MakeTools(tree_); }
  json Call(const std::string& name, const json& arguments) { return CallTool(*tools_, name, arguments); }
  std::string Ok(const std::string& name, const json& arguments) {
    const json result = Call(name, arguments);
    EXPECT_FALSE(IsError(result)) << TextOf(result);
    return TextOf(result);
  }
  std::string Refused(const std::string& name, const json& arguments) {
    const json result = Call(name, arguments);
    EXPECT_TRUE(IsError(result)) << result.dump();
    const std::string text = TextOf(result);
    EXPECT_EQ(text.find(tree_.base()), std::string::npos) << "host path leaked: " << text;
    return text;
  }
  // The bytes on disk after a file of `content` had `old_text` replaced.
  std::string BytesAfterEdit(const std::string& name, const std::string& content, const std::string& old_text,
                             const std::string& new_text) {
    TempTree::Write(tree_.InRoot(name), content);
    Ok("edit_file", {{"path", name}, {"edits", {{{"oldText", old_text}, {"newText", new_text}}}}});
    return TempTree::Read(tree_.InRoot(name));
  }
  // edit_file on a file of `content` refused with `message`, dry run or
  // not: the file keeps its bytes and nothing appears beside it.
  void ExpectEditRefused(const std::string& name, const std::string& content, const json& edits,
                         const std::string& message) {
    TempTree::Write(tree_.InRoot(name), content);
    EXPECT_EQ(Refused("edit_file", {{"path", name}, {"edits", edits}}), message);
    EXPECT_EQ(Refused("edit_file", {{"path", "/ws/" + name}, {"edits", edits}, {"dryRun", true}}),
              std::string(message).replace(message.find(name), 0, "/ws/"));
    EXPECT_EQ(TempTree::Read(tree_.InRoot(name)), content);
    EXPECT_EQ(RootEntries(), std::vector<std::string>{name});
  }
  std::vector<std::string> RootEntries() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(tree_.root())) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  TempTree tree_;
  std::unique_ptr<FilesystemTools> tools_;
};

TEST_F(FilesystemToolsTest, ReadTextFileAnswersTextAndStructuredContent) {
  TempTree::Write(tree_.InRoot("a.txt"), "hello\n");
  const json result = Call("read_text_file", {{"path", "/ws/a.txt"}});
  EXPECT_EQ(result, TextAnswer("hello\n"));
  EXPECT_EQ(Ok("read_text_file", {{"path", "a.txt"}}), "hello\n");  // relative to the first root
  EXPECT_EQ(Ok("read_file", {{"path", "/ws/./a.txt"}}), "hello\n");
}

TEST_F(FilesystemToolsTest, HeadAndTailCountLinesAsTheReferenceDoes) {
  TempTree::Write(tree_.InRoot("l.txt"), "a\nb\r\nc\n");
  EXPECT_EQ(Ok("read_text_file", {{"path", "l.txt"}, {"head", 2}}), "a\nb\r");
  EXPECT_EQ(Ok("read_text_file", {{"path", "l.txt"}, {"head", 9}}), "a\nb\r\nc");
  EXPECT_EQ(Ok("read_text_file", {{"path", "l.txt"}, {"tail", 2}}), "c\n");
  EXPECT_EQ(Ok("read_text_file", {{"path", "l.txt"}, {"tail", 9}}), "a\nb\nc\n");
  EXPECT_EQ(Ok("read_text_file", {{"path", "l.txt"}, {"tail", 0}}), "a\nb\r\nc\n");  // 0 means "not given"
  EXPECT_EQ(Refused("read_text_file", {{"path", "l.txt"}, {"head", 1}, {"tail", 1}}),
            "Cannot specify both head and tail parameters simultaneously");
}

TEST_F(FilesystemToolsTest, TailOfAFileLargerThanTheReadLimitReadsOnlyItsEnd) {
  tools_ = MakeTools(tree_, {{"max_read_bytes", 100000}});
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i) + "\n";
  TempTree::Write(tree_.InRoot("big.log"), big);
  EXPECT_EQ(Ok("read_text_file", {{"path", "big.log"}, {"tail", 3}}), "line 19998\nline 19999\n");
  EXPECT_EQ(Ok("read_text_file", {{"path", "big.log"}, {"head", 2}}), "line 0\nline 1");
  EXPECT_EQ(Refused("read_text_file", {{"path", "big.log"}}),
            "File too large to read: big.log (this route reads at most 100000 bytes)");
}

TEST_F(FilesystemToolsTest, InvalidUtf8IsReadAsReplacementCharacters) {
  TempTree::Write(tree_.InRoot("bin.txt"), std::string("a\xFF" "b", 3));
  EXPECT_EQ(Ok("read_text_file", {{"path", "bin.txt"}}), "a\xEF\xBF\xBD" "b");
}

TEST_F(FilesystemToolsTest, ReadMediaFileAnswersImagesAsImagesAndOtherFilesAsResources) {
  TempTree::Write(tree_.InRoot("p.png"), "PNG");
  TempTree::Write(tree_.InRoot("d/x y.bin"), "hi!");
  const json image = Call("read_media_file", {{"path", "/ws/p.png"}});
  const json item = {{"type", "image"}, {"data", "UE5H"}, {"mimeType", "image/png"}};
  EXPECT_EQ(image.at("content"), json::array({item}));
  EXPECT_EQ(image.at("structuredContent"), json({{"content", json::array({item})}}));
  const json other = Call("read_media_file", {{"path", "d/x y.bin"}});
  EXPECT_EQ(other.at("content").at(0),
            json({{"type", "resource"},
                  {"resource", {{"uri", "file:///ws/d/x%20y.bin"}, {"mimeType", "application/octet-stream"}, {"blob", "aGkh"}}}}));
}

TEST_F(FilesystemToolsTest, ReadMultipleFilesReportsEachFailureInline) {
  TempTree::Write(tree_.InRoot("a.txt"), "A");
  EXPECT_EQ(Ok("read_multiple_files", {{"paths", {"/ws/a.txt", "/ws/missing.txt", "/etc/passwd"}}}),
            "/ws/a.txt:\nA\n\n---\n/ws/missing.txt: Error - ENOENT: no such file or directory, open "
            "'/ws/missing.txt'\n---\n/etc/passwd: Error - Access denied - path outside allowed directories: "
            "/etc/passwd not in /ws");
}

TEST_F(FilesystemToolsTest, WriteFileReplacesAtomicallyKeepingPermissionsAndLeavingNoTemporaryFile) {
  EXPECT_EQ(Ok("write_file", {{"path", "/ws/new.txt"}, {"content", "one"}}), "Successfully wrote to /ws/new.txt");
  ::chmod(tree_.InRoot("new.txt").c_str(), 0600);
  EXPECT_EQ(Ok("write_file", {{"path", "new.txt"}, {"content", "two"}}), "Successfully wrote to new.txt");
  EXPECT_EQ(TempTree::Read(tree_.InRoot("new.txt")), "two");
  struct stat info {};
  ASSERT_EQ(::stat(tree_.InRoot("new.txt").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(RootEntries(), std::vector<std::string>{"new.txt"});
}

TEST_F(FilesystemToolsTest, WritesAboveTheLimitAreRefusedAndChangeNothing) {
  tools_ = MakeTools(tree_, {{"max_write_bytes", 4}});
  TempTree::Write(tree_.InRoot("f.txt"), "keep");
  EXPECT_EQ(Refused("write_file", {{"path", "f.txt"}, {"content", "12345"}}),
            "Content too large to write to f.txt: 5 bytes (this route writes at most 4 bytes)");
  EXPECT_NE(Refused("edit_file", {{"path", "f.txt"}, {"edits", {{{"oldText", "keep"}, {"newText", "longer"}}}}})
                .find("too large to write"),
            std::string::npos);
  EXPECT_EQ(TempTree::Read(tree_.InRoot("f.txt")), "keep");
  EXPECT_EQ(RootEntries(), std::vector<std::string>{"f.txt"});
}

TEST_F(FilesystemToolsTest, WriteFileRefusesToReplaceOrFollowASymlink) {
  TempTree::Write(tree_.InRoot("real.txt"), "real");
  std::filesystem::create_symlink("real.txt", tree_.InRoot("link.txt"));
  EXPECT_EQ(Refused("write_file", {{"path", "/ws/link.txt"}, {"content", "x"}}),
            "Refused - /ws/link.txt is a symbolic link; write to the file it points to instead");
  EXPECT_EQ(TempTree::Read(tree_.InRoot("real.txt")), "real");
  EXPECT_TRUE(std::filesystem::is_symlink(tree_.InRoot("link.txt")));
}

TEST_F(FilesystemToolsTest, EditFileDryRunShowsTheDiffAndChangesNothing) {
  TempTree::Write(tree_.InRoot("e.txt"), "one\ntwo\n");
  const json edits = {{{"oldText", "two"}, {"newText", "TWO"}}};
  const std::string expected =
      "```diff\nIndex: /ws/e.txt\n===================================================================\n--- "
      "/ws/e.txt\toriginal\n+++ /ws/e.txt\tmodified\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n```\n\n";
  EXPECT_EQ(Ok("edit_file", {{"path", "e.txt"}, {"edits", edits}, {"dryRun", true}}), expected);
  EXPECT_EQ(TempTree::Read(tree_.InRoot("e.txt")), "one\ntwo\n");
  EXPECT_EQ(Ok("edit_file", {{"path", "/ws/e.txt"}, {"edits", edits}}), expected);
  EXPECT_EQ(TempTree::Read(tree_.InRoot("e.txt")), "one\nTWO\n");
  EXPECT_EQ(Refused("edit_file", {{"path", "e.txt"}, {"edits", {{{"oldText", "zzz"}, {"newText", "y"}}}}}),
            "Could not find exact match for edit:\nzzz");
  EXPECT_EQ(RootEntries(), std::vector<std::string>{"e.txt"});
}

TEST_F(FilesystemToolsTest, EditFileRefusesAFileThatIsNotUtf8AndWritesNothing) {
  ExpectEditRefused("l1.txt", "caf\xE9\nline\n", {{{"oldText", "line"}, {"newText", "LINE"}}},
                    "Refused - l1.txt is not valid UTF-8 text; edit_file would change bytes it was not asked to "
                    "change, so nothing was written");
}

TEST_F(FilesystemToolsTest, EditFileWritesACrlfFileBackWithCrlfLineEndings) {
  TempTree::Write(tree_.InRoot("w.txt"), "one\r\ntwo\r\nthree\r\n");
  // Matching is on "\n" text; newText's line endings follow the file's.
  const json edits = {{{"oldText", "two\nthree"}, {"newText", "2\nand 3"}}};
  const std::string diff = Ok("edit_file", {{"path", "w.txt"}, {"edits", edits}, {"dryRun", true}});
  EXPECT_NE(diff.find("@@ -1,3 +1,3 @@\n one\n-two\n-three\n+2\n+and 3\n```"), std::string::npos) << diff;
  EXPECT_EQ(TempTree::Read(tree_.InRoot("w.txt")), "one\r\ntwo\r\nthree\r\n");
  EXPECT_EQ(Ok("edit_file", {{"path", "w.txt"}, {"edits", edits}}), diff);
  EXPECT_EQ(TempTree::Read(tree_.InRoot("w.txt")), "one\r\n2\r\nand 3\r\n");
  // A carriage return that ends no line is kept as it is, in either kind of file.
  EXPECT_EQ(BytesAfterEdit("cr.txt", "a\rb\r\r\nc\r\n", "c", "C"), "a\rb\r\r\nC\r\n");
  EXPECT_EQ(BytesAfterEdit("lf.txt", "a\rb\nc\n", "c", "C\r\nD"), "a\rb\nC\nD\n");
}

TEST_F(FilesystemToolsTest, EditFileRefusesMixedLineEndingsAndWritesNothing) {
  ExpectEditRefused("m.txt", "a\r\nb\nc\r\n", {{{"oldText", "c"}, {"newText", "C"}}},
                    "Refused - m.txt mixes CRLF and LF line endings; edit_file would change bytes it was not asked "
                    "to change, so nothing was written");
  ExpectEditRefused("m.txt", "a\nb\r\nc\n", {{{"oldText", "c"}, {"newText", "C"}}},
                    "Refused - m.txt mixes CRLF and LF line endings; edit_file would change bytes it was not asked "
                    "to change, so nothing was written");
}

TEST_F(FilesystemToolsTest, EditFileKeepsAByteOrderMarkAsItIs) {
  // Matched up to whitespace on the first line: the mark is no part of its indentation.
  EXPECT_EQ(BytesAfterEdit("bom.txt", "\xEF\xBB\xBF  first\r\nsecond\r\n", "first  ", "1st"),
            "\xEF\xBB\xBF  1st\r\nsecond\r\n");
  EXPECT_EQ(BytesAfterEdit("bom-lf.txt", "\xEF\xBB\xBFx\n", "x", "y"), "\xEF\xBB\xBFy\n");
}

TEST_F(FilesystemToolsTest, CreateDirectoryMakesParentsAndSucceedsWhenItExists) {
  EXPECT_EQ(Ok("create_directory", {{"path", "/ws/a/b/c"}}), "Successfully created directory /ws/a/b/c");
  EXPECT_TRUE(std::filesystem::is_directory(tree_.InRoot("a/b/c")));
  EXPECT_EQ(Ok("create_directory", {{"path", "a/b"}}), "Successfully created directory a/b");
  TempTree::Write(tree_.InRoot("file"), "");
  EXPECT_EQ(Refused("create_directory", {{"path", "file/sub"}}), "ENOTDIR: not a directory, mkdir 'file/sub'");
}

TEST_F(FilesystemToolsTest, MoveFileRenamesButNeverReplaces) {
  TempTree::Write(tree_.InRoot("a.txt"), "A");
  TempTree::Write(tree_.InRoot("b.txt"), "B");
  EXPECT_EQ(Refused("move_file", {{"source", "a.txt"}, {"destination", "/ws/b.txt"}}),
            "Destination already exists: /ws/b.txt");
  EXPECT_EQ(TempTree::Read(tree_.InRoot("b.txt")), "B");
  EXPECT_EQ(Ok("move_file", {{"source", "/ws/a.txt"}, {"destination", "/ws/c.txt"}}),
            "Successfully moved /ws/a.txt to /ws/c.txt");
  EXPECT_EQ(TempTree::Read(tree_.InRoot("c.txt")), "A");
  EXPECT_EQ(Refused("move_file", {{"source", "gone.txt"}, {"destination", "d.txt"}}),
            "ENOENT: no such file or directory, rename 'gone.txt' -> 'd.txt'");
  EXPECT_EQ(Refused("move_file", {{"source", "/ws"}, {"destination", "/ws/x"}}),
            "Invalid path - it must end in a file or directory name (not '.' or '..'): /ws");
}

TEST_F(FilesystemToolsTest, ListingsMarkDirectoriesAndShowSizes) {
  TempTree::Write(tree_.InRoot("b.txt"), std::string(1536, 'x'));
  TempTree::Write(tree_.InRoot("A.md"), "12");
  std::filesystem::create_directories(tree_.InRoot("dir"));
  EXPECT_EQ(Ok("list_directory", {{"path", "/ws"}}), "[FILE] A.md\n[FILE] b.txt\n[DIR] dir");
  // Names padded to 30, sizes to 10 (UTF-16 units), as padEnd/padStart do.
  EXPECT_EQ(Ok("list_directory_with_sizes", {{"path", "/ws"}}),
            "[FILE] A.md" + std::string(26, ' ') + " " + std::string(7, ' ') + "2 B\n" +
            "[FILE] b.txt" + std::string(25, ' ') + " " + std::string(3, ' ') + "1.50 KB\n" +
            "[DIR] dir" + std::string(27, ' ') + " \n" +
            "\nTotal: 2 files, 1 directories\nCombined size: 1.50 KB");
  const std::string by_size = Ok("list_directory_with_sizes", {{"path", "/ws"}, {"sortBy", "size"}});
  EXPECT_LT(by_size.find("b.txt"), by_size.find("A.md"));
  EXPECT_EQ(Ok("list_directory", {{"path", "/ws/dir"}}), "");
  EXPECT_EQ(Refused("list_directory", {{"path", "/ws/b.txt"}}), "ENOTDIR: not a directory, scandir '/ws/b.txt'");
}

TEST_F(FilesystemToolsTest, ListingsRefuseADirectoryOfMoreEntriesThanTheCap) {
  // The cap is 100000, fixed; the config field lets this test lower it.
  auto parsed = ParseFilesystemConfig({{"roots", {{{"name", "ws"}, {"path", tree_.root()}}}}});
  FilesystemConfig config = std::get<FilesystemConfig>(std::move(parsed));
  config.max_listed_entries = 3;
  tools_ = std::get<std::unique_ptr<FilesystemTools>>(FilesystemTools::Create(std::move(config)));
  for (const char* name : {"a", "b", "c", "d"}) TempTree::Write(tree_.InRoot(std::string("big/") + name), "");
  for (const char* name : {"x", "y", "z"}) TempTree::Write(tree_.InRoot(std::string("small/") + name), "");
  const std::string huge = "Directory /ws/big has more than 3 entries; this route lists at most 3 entries of a directory";
  EXPECT_EQ(Refused("list_directory", {{"path", "/ws/big"}}), huge);
  EXPECT_EQ(Refused("list_directory_with_sizes", {{"path", "/ws/big"}}), huge);
  EXPECT_EQ(Refused("directory_tree", {{"path", "/ws"}}), huge);
  EXPECT_EQ(Refused("directory_tree", {{"path", "/ws"}, {"excludePatterns", {"big"}}}),
            "Directory tree of /ws has more than 3 entries; narrow it with excludePatterns or a subdirectory");
  EXPECT_EQ(Refused("search_files", {{"path", "/ws/big"}, {"pattern", "*"}}),
            "Search below /ws/big visited more than 3 entries; narrow it with excludePatterns or a subdirectory");
  EXPECT_EQ(Ok("list_directory", {{"path", "/ws/small"}}), "[FILE] x\n[FILE] y\n[FILE] z");
  EXPECT_EQ(Ok("search_files", {{"path", "/ws/small"}, {"pattern", "*"}}), "/ws/small/x\n/ws/small/y\n/ws/small/z");
}

TEST_F(FilesystemToolsTest, DirectoryTreeIsIndentedJsonWithoutExcludedEntries) {
  TempTree::Write(tree_.InRoot("src/main.cpp"), "");
  TempTree::Write(tree_.InRoot("node_modules/x/index.js"), "");
  std::filesystem::create_directories(tree_.InRoot("empty"));
  EXPECT_EQ(Ok("directory_tree", {{"path", "/ws"}, {"excludePatterns", {"node_modules"}}}),
            "[\n  {\n    \"name\": \"empty\",\n    \"type\": \"directory\",\n    \"children\": []\n  },\n  {\n    "
            "\"name\": \"src\",\n    \"type\": \"directory\",\n    \"children\": [\n      {\n        \"name\": "
            "\"main.cpp\",\n        \"type\": \"file\"\n      }\n    ]\n  }\n]");
}

TEST_F(FilesystemToolsTest, SearchFilesMatchesRelativePathsAndAnswersAbsoluteOnes) {
  TempTree::Write(tree_.InRoot("a.txt"), "");
  TempTree::Write(tree_.InRoot("sub/b.txt"), "");
  TempTree::Write(tree_.InRoot("skip/c.txt"), "");
  std::filesystem::create_symlink(tree_.outside(), tree_.InRoot("escape"));
  EXPECT_EQ(Ok("search_files", {{"path", "/ws"}, {"pattern", "**/*.txt"}, {"excludePatterns", {"skip"}}}),
            "/ws/a.txt\n/ws/sub/b.txt");
  EXPECT_EQ(Ok("search_files", {{"path", "sub"}, {"pattern", "*.txt"}}), "/ws/sub/b.txt");
  EXPECT_EQ(Ok("search_files", {{"path", "/ws"}, {"pattern", "**/canary*"}}), "No matches found");
}

TEST_F(FilesystemToolsTest, SearchAndTreeRefuseAPatternWhoseBracesExpandPastTheBound) {
  TempTree::Write(tree_.InRoot("a.txt"), "");
  std::string groups;
  for (int i = 0; i < 20; ++i) groups += "{a,b}";
  const std::string expected =
      "Invalid pattern - its braces expand to more than 1024 patterns (or 1048576 bytes of them): \"" + groups + "\"";
  EXPECT_EQ(Refused("search_files", {{"path", "/ws"}, {"pattern", groups}}), expected);
  EXPECT_EQ(Refused("search_files", {{"path", "/ws"}, {"pattern", "*"}, {"excludePatterns", {groups}}}), expected);
  EXPECT_EQ(Refused("directory_tree", {{"path", "/ws"}, {"excludePatterns", {groups}}}), expected);
  EXPECT_EQ(Ok("search_files", {{"path", "/ws"}, {"pattern", "{a,b}.{txt,md}"}}), "/ws/a.txt");
}

TEST_F(FilesystemToolsTest, GetFileInfoListsTheReferencesFields) {
  TempTree::Write(tree_.InRoot("i.txt"), "12345");
  ::chmod(tree_.InRoot("i.txt").c_str(), 0640);
  const std::string text = Ok("get_file_info", {{"path", "/ws/i.txt"}});
  EXPECT_EQ(text.rfind("size: 5\ncreated: ", 0), 0u) << text;
  EXPECT_NE(text.find("GMT+0000 (Coordinated Universal Time)\nmodified: "), std::string::npos);
  EXPECT_NE(text.find("\nisDirectory: false\nisFile: true\npermissions: 640"), std::string::npos) << text;
}

TEST_F(FilesystemToolsTest, ListAllowedDirectoriesShowsVirtualRootsNeverHostPaths) {
  tools_ = MakeTools(tree_, {{"roots", {{{"name", "ws"}, {"path", tree_.root()}}, {{"name", "out"}, {"path", tree_.outside()}}}}});
  EXPECT_EQ(Ok("list_allowed_directories", json::object()), "Allowed directories:\n/ws\n/out");
  EXPECT_EQ(Ok("read_text_file", {{"path", "/out/canary.txt"}}), kCanaryText);  // a second root is reachable by name
}

TEST_F(FilesystemToolsTest, ReadOnlyRouteNeitherListsNorRunsMutatingTools) {
  tools_ = MakeTools(tree_, {{"read_only", true}});
  std::vector<std::string> listed;
  const json tools = tools_->ListTools();
  for (const json& tool : tools.at("tools")) listed.push_back(tool.at("name"));
  EXPECT_EQ(listed.size(), 10u);
  for (const char* name : {"write_file", "edit_file", "create_directory", "move_file"}) {
    EXPECT_EQ(std::find(listed.begin(), listed.end(), name), listed.end()) << name;
    EXPECT_EQ(Refused(name, {{"path", "x"}, {"content", ""}, {"edits", json::array()}, {"source", "a"}, {"destination", "b"}}),
              std::string(name) + " is not available: this route is read-only");
  }
  EXPECT_TRUE(RootEntries().empty());
}

TEST_F(FilesystemToolsTest, EveryToolHasSchemasTitleAndTruthfulAnnotations) {
  for (const json& tool : FilesystemToolDefinitions()) {
    const std::string name = tool.at("name");
    EXPECT_EQ(tool.at("inputSchema").at("type"), "object") << name;
    EXPECT_EQ(tool.at("outputSchema").at("type"), "object") << name;
    EXPECT_FALSE(tool.at("title").get<std::string>().empty());
    EXPECT_EQ(tool.at("annotations").at("readOnlyHint").get<bool>(), !IsMutatingTool(name)) << name;
    EXPECT_FALSE(tool.at("annotations").at("openWorldHint").get<bool>());
  }
  EXPECT_EQ(FilesystemToolDefinitions().size(), 14u);
}

TEST_F(FilesystemToolsTest, ErrorsNameTheCallersPathNeverTheHostPath) {
  EXPECT_EQ(Refused("read_text_file", {{"path", "/ws/nope.txt"}}),
            "ENOENT: no such file or directory, open '/ws/nope.txt'");
  EXPECT_EQ(Refused("read_text_file", {{"path", "nope/x.txt"}}),
            "ENOENT: no such file or directory, open 'nope/x.txt'");
  std::filesystem::create_directories(tree_.InRoot("d"));
  EXPECT_EQ(Refused("read_text_file", {{"path", "/ws/d"}}), "EISDIR: illegal operation on a directory, read '/ws/d'");
  EXPECT_EQ(Refused("get_file_info", {{"path", "/ws/nope"}}), "ENOENT: no such file or directory, stat '/ws/nope'");
  EXPECT_EQ(Refused("write_file", {{"path", "/ws/no/dir/f"}, {"content", ""}}),
            "ENOENT: no such file or directory, open '/ws/no/dir/f'");
  EXPECT_EQ(Refused("read_text_file", {{"path", "/ws/../outside/canary.txt"}}),
            "Access denied - path outside allowed directories: /ws/../outside/canary.txt not in /ws");
}

TEST_F(FilesystemToolsTest, UnknownToolIsNotAnswered) { EXPECT_FALSE(tools_->Call("delete_file", json::object())); }

TEST(FilesystemConfigTest, RefusesUnusableConfigsWithAReason) {
  const auto error = [](const json& config) {
    auto parsed = ParseFilesystemConfig(config);
    return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : std::string();
  };
  EXPECT_EQ(error(json::object()), "filesystem: roots must list at least one {name, path}");
  EXPECT_EQ(error({{"roots", {{{"name", "a"}, {"path", "rel"}}}}}), "filesystem: roots[0].path must be an absolute path");
  EXPECT_NE(error({{"roots", {{{"name", "a/b"}, {"path", "/x"}}}}}).find("roots[0].name must be"), std::string::npos);
  EXPECT_EQ(error({{"roots", {{{"name", "a"}, {"path", "/x"}}, {{"name", "a"}, {"path", "/y"}}}}}),
            "filesystem: root name \"a\" is used twice");
  EXPECT_EQ(error({{"roots", {{{"name", "a"}, {"path", "/x"}}}}, {"max_read_bytes", 0}}),
            "filesystem: max_read_bytes must be an integer >= 1");
  EXPECT_EQ(error({{"roots", {{{"name", "a"}, {"path", "/x"}}}}, {"writable", true}}),
            "filesystem: unknown key \"writable\"");
  EXPECT_EQ(error({{"roots", {{{"name", "a"}, {"path", "/x"}}}}, {"read_only", true}}), "");
}

TEST(FilesystemConfigTest, CreateFailsWhenARootIsNotADirectory) {
  TempTree tree;
  auto parsed = ParseFilesystemConfig({{"roots", {{{"name", "a"}, {"path", tree.canary()}}}}});
  auto tools = FilesystemTools::Create(std::get<FilesystemConfig>(std::move(parsed)));
  ASSERT_TRUE(std::holds_alternative<std::string>(tools));
  EXPECT_NE(std::get<std::string>(tools).find("root \"a\" cannot be opened as a directory: ENOTDIR"), std::string::npos)
      << std::get<std::string>(tools);
}

}  // namespace
}  // namespace mcpgw::filesystem::testing
