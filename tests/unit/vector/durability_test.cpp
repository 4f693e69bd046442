// What survives a restart: everything acknowledged, through the change log
// alone, through snapshots, past a torn log tail and a damaged index file.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>

#include "change_log.h"
#include "tools_harness.h"

namespace mcpgw::vector {
namespace {

using namespace testing;  // NOLINT: test helpers
using nlohmann::json;

VectorConfig CompactingOften() {
  VectorConfig config;
  config.compact_after_bytes = 4096;
  return config;
}

std::string TenantDir(const ToolsHarness& h) {
  for (const auto& entry : std::filesystem::directory_iterator(h.dir() + "/tenants")) return entry.path();
  return "";
}

// A workload touching every kind of change; returns nothing, checks with Expect below.
void Write(ToolsHarness& h) {
  h.Ok("create_collection", {{"name", "keep"}});
  h.Ok("create_collection", {{"name", "gone"}});
  h.Ok("create_collection", {{"name", "vectors"}, {"dimension", 2}, {"metric", "l2"}});
  for (int batch = 0; batch < 10; ++batch) {
    json docs = json::array();
    for (int i = 0; i < 10; ++i) {
      const int n = batch * 10 + i;
      docs.push_back(Doc("d" + std::to_string(n), "document number " + std::to_string(n) + " about topic" +
                                                      std::to_string(n % 7),
                         {{"n", n}}));
    }
    h.Ok("upsert_documents", {{"collection", "keep"}, {"documents", docs}});
  }
  h.Ok("upsert_documents", {{"collection", "keep"}, {"documents", {Doc("d5", "replaced text five", {{"n", -5}})}}});
  h.Ok("delete_documents", {{"collection", "keep"}, {"ids", {"d7", "d8"}}});
  h.Ok("upsert_documents", {{"collection", "gone"}, {"documents", {Doc("x", "soon deleted")}}});
  h.Ok("delete_collection", {{"name", "gone"}});
  h.Ok("upsert_documents",
       {{"collection", "vectors"}, {"documents", {{{"id", "p"}, {"text", "point"}, {"vector", {3.25, -1.5}}}}}});
}

void ExpectWritten(ToolsHarness& h) {
  const json list = h.Ok("list_collections", json::object())["collections"];
  ASSERT_EQ(list.size(), 2u) << list.dump();
  EXPECT_EQ(list[0]["name"], "keep");
  EXPECT_EQ(list[0]["documents"], 98);
  EXPECT_EQ(list[1]["name"], "vectors");
  EXPECT_EQ(list[1]["metric"], "l2");
  const json got = h.Ok("get_documents", {{"collection", "keep"}, {"ids", {"d5", "d7", "d99", "d0"}}});
  EXPECT_EQ(got["not_found"], json::array({"d7"}));
  EXPECT_EQ(got["documents"][0], (json{{"id", "d5"}, {"text", "replaced text five"}, {"metadata", {{"n", -5}}}}));
  EXPECT_EQ(h.QueryIds({{"collection", "keep"}, {"text", "document number 42 about topic0"}, {"top_k", 1}}),
            (std::vector<std::string>{"d42"}));
  EXPECT_EQ(h.QueryIds({{"collection", "keep"}, {"text", "topic3"}, {"top_k", 3}, {"filter", {{"n", {{"$lt", 20}}}}}}),
            (std::vector<std::string>{"d3", "d17", "d10"}));  // shorter texts share more
  // Exact vectors: a distance of 0 to the stored point.
  const json exact = h.Ok("query", {{"collection", "vectors"}, {"vector", {3.25, -1.5}}})["results"];
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_EQ(exact[0]["distance"], 0.0);
}

TEST(VectorDurabilityTest, ARestartKeepsEverythingFromTheChangeLogAlone) {
  ToolsHarness h;  // the default threshold: no snapshot is written by this workload
  Write(h);
  ASSERT_FALSE(std::filesystem::exists(TenantDir(h) + "/documents.snapshot"));
  h.Restart();
  ExpectWritten(h);
  // Loading compacted the log into a snapshot; a second restart reads that.
  EXPECT_TRUE(std::filesystem::exists(TenantDir(h) + "/documents.snapshot"));
  EXPECT_EQ(std::filesystem::file_size(TenantDir(h) + "/changes.log"), 0u);
  h.Restart();
  ExpectWritten(h);
  EXPECT_EQ(h.log().CountAtLeast(MCPGW_LOG_WARNING), 0u) << h.log().All();
}

TEST(VectorDurabilityTest, ARestartKeepsEverythingAcrossSnapshotsAndTheLogAfterThem) {
  ToolsHarness h(CompactingOften());
  Write(h);
  EXPECT_TRUE(std::filesystem::exists(TenantDir(h) + "/documents.snapshot"));
  h.Restart();
  ExpectWritten(h);
  EXPECT_EQ(h.log().CountAtLeast(MCPGW_LOG_WARNING), 0u) << h.log().All();
  // Only the files of the current snapshot are left.
  size_t index_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(TenantDir(h))) {
    const std::string name = entry.path().filename();
    EXPECT_FALSE(name.ends_with(".tmp")) << name;
    index_files += name.starts_with("index-") ? 1 : 0;
  }
  EXPECT_EQ(index_files, 2u);
}

TEST(VectorDurabilityTest, ATornLogTailIsCutOffAndLoggedAndLaterWritesSurvive) {
  ToolsHarness h;
  Write(h);
  {
    std::ofstream log(TenantDir(h) + "/changes.log", std::ios::binary | std::ios::app);
    log << std::string("\x40\x00\x00\x00garbage", 11);  // a record header promising more than follows
  }
  h.Restart();
  ExpectWritten(h);
  EXPECT_NE(h.log().All().find("dropped 11 bytes"), std::string::npos) << h.log().All();
  h.Ok("upsert_documents", {{"collection", "keep"}, {"documents", {Doc("late", "written after the damage")}}});
  h.Restart();
  EXPECT_EQ(h.Ok("get_documents", {{"collection", "keep"}, {"ids", {"late"}}})["documents"].size(), 1u);
}

TEST(VectorDurabilityTest, ADamagedIndexFileIsRebuiltFromTheStoredDocuments) {
  ToolsHarness h(CompactingOften());
  Write(h);
  h.Restart();
  h.Ok("list_collections", json::object());  // loading compacts: the snapshot now holds everything
  for (const auto& entry : std::filesystem::directory_iterator(TenantDir(h))) {
    if (!entry.path().filename().string().starts_with("index-")) continue;
    std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.write("\xff\xff\xff\xff", 4);
  }
  h.Restart();
  ExpectWritten(h);
  EXPECT_NE(h.log().All().find("rebuilt 2 index(es)"), std::string::npos) << h.log().All();
}

TEST(VectorDurabilityTest, ASecondStoreOnTheSameDirectoryIsRefused) {
  ToolsHarness h;
  h.Ok("create_collection", {{"name", "c"}});
  LogRecorder log;
  VectorStore second(h.dir(), 1 << 20, log.Sink());
  auto tenant = second.ForTenant("tenant-a");
  ASSERT_FALSE(tenant.ok());
  EXPECT_EQ(tenant.error().kind, FailureKind::kUnavailable);
  EXPECT_EQ(tenant.error().message.find(h.dir()), std::string::npos) << "no host path reaches a client";
  EXPECT_NE(log.All().find("another gateway"), std::string::npos);
}

// Lowers RLIMIT_FSIZE so writes past `bytes` fail with EFBIG: a real failing
// write(2), the way ENOSPC fails it.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_ = ::signal(SIGXFSZ, SIG_IGN);
    rlimit lowered = saved_;
    lowered.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lowered);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, previous_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  sighandler_t previous_ = SIG_DFL;
};

TEST(VectorDurabilityTest, AFailedLogWriteIsUnavailableAndChangesNothing) {
  ToolsHarness h;
  h.Ok("create_collection", {{"name", "c"}});
  HashingEmbedder embedder;
  VectorTools tools(h.store(), embedder, VectorConfig());
  Result<json> answer = json();
  {
    FileSizeLimit limit(std::filesystem::file_size(TenantDir(h) + "/changes.log") + 10);
    answer = tools.Call("upsert_documents", "tenant-a", {{"collection", "c"}, {"documents", {Doc("a", "some text")}}});
  }
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().kind, FailureKind::kUnavailable);
  EXPECT_EQ(h.Ok("get_documents", {{"collection", "c"}, {"ids", {"a"}}})["not_found"], json::array({"a"}));
  h.Ok("upsert_documents", {{"collection", "c"}, {"documents", {Doc("b", "after the failure")}}});
  h.Restart();
  const json got = h.Ok("get_documents", {{"collection", "c"}, {"ids", {"a", "b"}}});
  EXPECT_EQ(got["not_found"], json::array({"a"}));
  EXPECT_EQ(got["documents"].size(), 1u);
}

TEST(VectorChangeLogTest, ScanStopsAtTheFirstRecordThatFailsItsChecksum) {
  std::string bytes = FrameChangeRecord("first") + FrameChangeRecord("second") + FrameChangeRecord("third");
  const size_t second_start = FrameChangeRecord("first").size();
  bytes[second_start + kChangeRecordHeaderBytes] ^= 1;  // flip a bit in "second"
  const ChangeLogScan scan = ScanChangeLog(bytes);
  ASSERT_EQ(scan.payloads.size(), 1u);
  EXPECT_EQ(scan.payloads[0], "first");
  EXPECT_EQ(scan.intact_bytes, second_start);
}

}  // namespace
}  // namespace mcpgw::vector
