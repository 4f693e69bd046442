// The audit log writes whole JSON lines to its file, escapes what callers
// pass, and keeps lines from concurrent writers apart.
#include "audit/audit.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace mcpgw::audit {
namespace {

std::vector<nlohmann::json> Lines(const std::string& path) {
  Flush();
  std::ifstream in(path);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("mcpgw-audit-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl"))
                .string();
    std::filesystem::remove(path_);
    ASSERT_EQ(Open(path_), "");
  }
  void TearDown() override {
    ASSERT_EQ(Open(""), "");
    std::filesystem::remove(path_);
  }
  std::string path_;
};

TEST_F(AuditTest, AToolCallLineIsValidJsonWhateverTheSubjectHolds) {
  const std::string subject = "eve\"},\"outcome\":\"ok\n\\\x01";
  ToolCall("memory", "read_graph", subject, "acme", "0123456789ab", "forbidden", 1.25);
  const auto lines = Lines(path_);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["log"], "audit");
  EXPECT_EQ(lines[0]["event"], "tool_call");
  EXPECT_EQ(lines[0]["subject"], subject);
  EXPECT_EQ(lines[0]["outcome"], "forbidden") << "a subject cannot forge another field";
  EXPECT_DOUBLE_EQ(lines[0]["duration_ms"].get<double>(), 1.25);
  EXPECT_EQ(lines[0]["ts"].get<std::string>().size(), std::string("2026-11-23T09:39:12.345Z").size());
}

// Milliseconds with three decimals, as %.3f would print them; a value too
// long to print is null, never a broken line.
TEST_F(AuditTest, AToolCallsDurationHasThreeDecimalsAndAnAbsurdOneIsNull) {
  ToolCall("memory", "read_graph", "alice", "", "", "ok", 0.0125);
  ToolCall("memory", "read_graph", "alice", "", "", "ok", 1500.5);
  ToolCall("memory", "read_graph", "alice", "", "", "ok", 1e300);
  Flush();
  std::ifstream in(path_);
  std::vector<std::string> raw;
  for (std::string line; std::getline(in, line);) raw.push_back(line);
  ASSERT_EQ(raw.size(), 3u);
  EXPECT_NE(raw[0].find(R"("duration_ms":0.013})"), std::string::npos) << raw[0];
  EXPECT_NE(raw[1].find(R"("duration_ms":1500.500})"), std::string::npos) << raw[1];
  EXPECT_NE(raw[2].find(R"("duration_ms":null})"), std::string::npos) << raw[2];
  for (const std::string& line : raw) EXPECT_TRUE(nlohmann::json::accept(line)) << line;
}

TEST_F(AuditTest, TheFileIsPrivateAndLinesOfManyThreadsStayWhole) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 500; ++i) Record("auth_refused", {{"reason", "expired"}, {"n", t * 1000 + i}});
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Lines(path_).size(), 2000u);
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(AuditOpen, NamesAFileItCannotOpen) {
  EXPECT_NE(Open("/nonexistent-dir/audit.jsonl").find("cannot open the audit log /nonexistent-dir/audit.jsonl"),
            std::string::npos);
}

}  // namespace
}  // namespace mcpgw::audit
