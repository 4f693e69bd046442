// One tenant's durable graph: what is acknowledged survives a restart, and
// no torn write, damaged byte or interrupted compaction corrupts the store.
#include "durable_graph.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "mutation_codec.h"
#include "storage_test_support.h"
#include "wal.h"

namespace mcpgw::memory {
namespace {

using namespace testing;  // NOLINT: test helpers

class DurableGraphTest : public ::testing::Test {
 protected:
  std::unique_ptr<DurableGraph> Open() {
    auto graph = DurableGraph::Open(dir_.path(), options_, log_.Sink());
    EXPECT_TRUE(graph.ok()) << graph.error().message;
    return graph ? std::move(*graph) : nullptr;
  }
  std::string WalPath() const { return dir_ / kWalFileName; }
  std::string SnapshotPath() const { return dir_ / "snapshot.jsonl"; }
  size_t WalSize() const { return ReadFile(WalPath()).size(); }
  bool Logged(mcpgw_log_level level, const std::string& text) const {
    for (const auto& line : log_.lines()) {
      if (line.level == level && line.message.find(text) != std::string::npos) return true;
    }
    return false;
  }

  TempDirectory dir_;
  StoreOptions options_;
  LogRecorder log_;
};

TEST_F(DurableGraphTest, RestartLosesNothingAcknowledged) {
  Graph before;
  {
    auto graph = Open();
    RunWorkload(*graph);
    before = Contents(*graph);
  }
  EXPECT_EQ(Contents(*Open()), before);  // replayed from the WAL
  EXPECT_EQ(Contents(*Open()), before);  // read from the snapshot the first reload wrote
  EXPECT_EQ(log_.CountAtLeast(MCPGW_LOG_WARNING), 0u);
}

TEST_F(DurableGraphTest, CommitIsInTheWalBeforeItReturns) {
  auto graph = Open();
  ASSERT_TRUE(CommitCreate(*graph, {MakeEntity("Alice", "person")}).ok());
  const std::string wal = ReadFile(WalPath());
  const WalScan scan = ScanWal(wal);
  ASSERT_EQ(scan.records.size(), 1u);
  auto entry = DecodeMutation(scan.records[0].payload);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->sequence, 1u);
  EXPECT_EQ(entry->mutation, Mutation(CreateEntities{{MakeEntity("Alice", "person")}}));
}

TEST_F(DurableGraphTest, RefusedOrIneffectiveCommitWritesNothing) {
  auto graph = Open();
  ASSERT_TRUE(CommitCreate(*graph, {MakeEntity("Alice", "person", {"x"})}).ok());
  const size_t wal_size = WalSize();
  const Graph before = Contents(*graph);
  auto refused = CommitObservations(*graph, {{"Alice", {"y"}}, {"Nobody", {"z"}}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, FailureKind::kRejected);
  EXPECT_TRUE(CommitCreate(*graph, {MakeEntity("Alice", "robot")}).ok());  // already there: no effect
  EXPECT_TRUE(CommitObservations(*graph, {{"Alice", {"x"}}}).ok());        // already there: no effect
  EXPECT_EQ(WalSize(), wal_size);
  EXPECT_EQ(Contents(*graph), before);
}

TEST_F(DurableGraphTest, TornWalTailIsDroppedOnLoad) {
  Graph before;
  {
    auto graph = Open();
    RunWorkload(*graph);
    before = Contents(*graph);
  }
  const std::string torn = FrameWalRecord(EncodeMutation(9, CreateEntities{{MakeEntity("Torn", "t")}}));
  WriteFile(WalPath(), ReadFile(WalPath()) + torn.substr(0, torn.size() / 2));
  {
    auto graph = Open();
    EXPECT_EQ(Contents(*graph), before);
    EXPECT_TRUE(Logged(MCPGW_LOG_WARNING, "dropped " + std::to_string(torn.size() / 2) + " bytes")) << "no warning";
    ASSERT_TRUE(CommitCreate(*graph, {MakeEntity("After", "t")}).ok());
    before = Contents(*graph);
  }
  EXPECT_EQ(Contents(*Open()), before);  // the record written after the cut is not lost behind it
}

TEST_F(DurableGraphTest, CorruptByteInTheMiddleOfTheWalDropsThatRecordAndAllAfterIt) {
  Graph after_four;
  {
    auto graph = Open();
    for (int i = 1; i <= 8; ++i) {
      ASSERT_TRUE(CommitCreate(*graph, {MakeEntity("e" + std::to_string(i), "t")}).ok());
      if (i == 4) after_four = Contents(*graph);
    }
  }
  std::string wal = ReadFile(WalPath());
  const WalScan scan = ScanWal(wal);
  ASSERT_EQ(scan.records.size(), 8u);
  const WalRecord& fifth = scan.records[4];
  wal[fifth.offset + (fifth.end - fifth.offset) / 2] ^= 0x20;
  WriteFile(WalPath(), wal);

  auto graph = Open();
  EXPECT_EQ(Contents(*graph), after_four);
  EXPECT_TRUE(Logged(MCPGW_LOG_WARNING, "from offset " + std::to_string(fifth.offset)));
  EXPECT_EQ(log_.CountAtLeast(MCPGW_LOG_ERROR), 0u);
}

TEST_F(DurableGraphTest, RecordWithAGapInSequenceNumbersEndsTheReplay) {
  {
    auto graph = Open();
    ASSERT_TRUE(CommitCreate(*graph, {MakeEntity("one", "t")}).ok());
  }
  WriteFile(WalPath(),
            ReadFile(WalPath()) + FrameWalRecord(EncodeMutation(3, CreateEntities{{MakeEntity("three", "t")}})));
  EXPECT_EQ(Contents(*Open()).entities, (std::vector<Entity>{MakeEntity("one", "t")}));
  EXPECT_TRUE(Logged(MCPGW_LOG_WARNING, "dropped"));
}

TEST_F(DurableGraphTest, CrashBetweenSnapshotRenameAndWalTruncateAppliesEachChangeOnce) {
  std::string wal_before_compaction;
  Graph before;
  {
    auto graph = Open();
    RunWorkload(*graph);
    before = Contents(*graph);
    wal_before_compaction = ReadFile(WalPath());
    ASSERT_TRUE(graph->Compact().ok());
    EXPECT_EQ(WalSize(), 0u);
  }
  // As if the process died after the rename, before the truncation.
  WriteFile(WalPath(), wal_before_compaction);
  {
    auto graph = Open();
    EXPECT_EQ(Contents(*graph), before);  // no entity or observation twice
    EXPECT_EQ(log_.CountAtLeast(MCPGW_LOG_WARNING), 0u);
    ASSERT_TRUE(CommitObservations(*graph, {{"Bob", {"new"}}}).ok());
    before = Contents(*graph);
  }
  EXPECT_EQ(Contents(*Open()), before);
}

TEST_F(DurableGraphTest, TemporarySnapshotOfACrashedCompactionIsIgnored) {
  Graph before;
  {
    auto graph = Open();
    RunWorkload(*graph);
    before = Contents(*graph);
  }
  WriteFile(dir_ / "snapshot.jsonl.tmp", "{\"type\":\"entity\",\"name\":\"half-writ");
  EXPECT_EQ(Contents(*Open()), before);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "snapshot.jsonl.tmp"));
}

TEST_F(DurableGraphTest, WalPastTheThresholdIsCompactedIntoTheSnapshot) {
  options_.compact_after_bytes = 4096;
  Graph before;
  {
    auto graph = Open();
    for (int i = 0; i < 300; ++i) {
      ASSERT_TRUE(CommitCreate(*graph, {MakeEntity("entity-" + std::to_string(i), "t", {"observation"})}).ok());
      ASSERT_LE(WalSize(), 4096u) << "after commit " << i;
    }
    before = Contents(*graph);
  }
  EXPECT_TRUE(ReadFile(SnapshotPath()).find("entity-100") != std::string::npos);
  EXPECT_EQ(Contents(*Open()), before);
}

TEST_F(DurableGraphTest, LoadCompactsTheWalIntoASnapshotStampedWithTheLastSequence) {
  {
    auto graph = Open();
    RunWorkload(*graph);
  }
  EXPECT_GT(WalSize(), 0u);
  Open();
  EXPECT_EQ(WalSize(), 0u);
  const std::string snapshot = ReadFile(SnapshotPath());
  EXPECT_EQ(snapshot.substr(0, snapshot.find('\n')), "{\"type\":\"snapshot\",\"seq\":8}");
}

TEST_F(DurableGraphTest, SnapshotLinesAreTheReferenceServersFormat) {
  {
    auto graph = Open();
    ASSERT_TRUE(CommitCreate(*graph, {MakeEntity("Alice", "person", {"x"})}).ok());
    ASSERT_TRUE(CommitRelations(*graph, {MakeRelation("Alice", "Bob", "knows")}).ok());
    ASSERT_TRUE(graph->Compact().ok());
  }
  EXPECT_EQ(ReadFile(SnapshotPath()),
            "{\"type\":\"snapshot\",\"seq\":2}\n"
            "{\"type\":\"entity\",\"name\":\"Alice\",\"entityType\":\"person\",\"observations\":[\"x\"]}\n"
            "{\"type\":\"relation\",\"from\":\"Alice\",\"to\":\"Bob\",\"relationType\":\"knows\"}\n");
}

TEST_F(DurableGraphTest, ReferenceServersMemoryFileLoadsAsASnapshot) {
  WriteFile(SnapshotPath(),
            "{\"type\":\"entity\",\"name\":\"Alice\",\"entityType\":\"person\",\"observations\":[\"x\"]}\n\n"
            "{\"type\":\"relation\",\"from\":\"Alice\",\"to\":\"Bob\",\"relationType\":\"knows\"}");
  EXPECT_EQ(Contents(*Open()),
            (Graph{{MakeEntity("Alice", "person", {"x"})}, {MakeRelation("Alice", "Bob", "knows")}}));
}

TEST_F(DurableGraphTest, CorruptSnapshotIsAnInternalErrorNotAnEmptyGraph) {
  WriteFile(SnapshotPath(), "{\"type\":\"entity\",\"name\":\"Alice\"}\n");
  auto graph = DurableGraph::Open(dir_.path(), options_, log_.Sink());
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.error().kind, FailureKind::kInternal);
  EXPECT_EQ(graph.error().message.find(dir_.path()), std::string::npos) << "a host path reached the client";
  EXPECT_TRUE(Logged(MCPGW_LOG_ERROR, "snapshot.jsonl line 1"));
  EXPECT_EQ(ReadFile(SnapshotPath()), "{\"type\":\"entity\",\"name\":\"Alice\"}\n");  // left for an operator
}

TEST_F(DurableGraphTest, FailedWalWriteIsUnavailableAndChangesNothing) {
  auto graph = Open();
  RunWorkload(*graph);
  const Graph before = Contents(*graph);
  const size_t wal_size = WalSize();
  {
    FileSizeLimit limit(wal_size + 10);  // the next record gets 10 bytes in, then EFBIG
    auto failed = CommitCreate(*graph, {MakeEntity("Eve", "person", {"does not fit"})});
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().kind, FailureKind::kUnavailable);
    EXPECT_EQ(failed.error().message, "Could not save the change to the knowledge graph (File too large)");
    auto failed_too = CommitMutation(*graph, DeleteEntities{{"Alice"}});
    ASSERT_FALSE(failed_too.ok());
  }
  EXPECT_EQ(Contents(*graph), before);
  EXPECT_EQ(WalSize(), wal_size);  // the partial record was cut off
  EXPECT_TRUE(Logged(MCPGW_LOG_ERROR, "cannot append"));
  ASSERT_TRUE(CommitCreate(*graph, {MakeEntity("Eve", "person")}).ok());
  const Graph after = Contents(*graph);
  graph.reset();
  EXPECT_EQ(Contents(*Open()), after);
}

TEST_F(DurableGraphTest, FailedCompactionKeepsTheChangeDurableInTheWal) {
  options_.compact_after_bytes = 4096;
  {
    auto graph = Open();
    for (int i = 0; i < 40; ++i) {
      ASSERT_TRUE(CommitCreate(*graph, {MakeEntity("bulk-" + std::to_string(i), "t", {std::string(1000, 'x')})}).ok());
    }
  }
  auto graph = Open();  // compacts at load: a 40 KB snapshot, an empty WAL
  ASSERT_EQ(WalSize(), 0u);
  {
    FileSizeLimit limit(20000);  // room for the WAL record, not for a new snapshot
    ASSERT_TRUE(CommitCreate(*graph, {MakeEntity("big", "t", {std::string(5000, 'y')})}).ok());
  }
  EXPECT_TRUE(Logged(MCPGW_LOG_WARNING, "compaction"));
  EXPECT_GT(WalSize(), 4096u);
  const Graph after = Contents(*graph);
  graph.reset();
  EXPECT_EQ(Contents(*Open()), after);
}

TEST_F(DurableGraphTest, SecondOpenOfTheSameDirectoryIsRefusedWhileTheFirstIsOpen) {
  auto first = Open();
  auto second = DurableGraph::Open(dir_.path(), options_, log_.Sink());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, FailureKind::kUnavailable);
  first.reset();
  EXPECT_TRUE(DurableGraph::Open(dir_.path(), options_, log_.Sink()).ok());
}

TEST_F(DurableGraphTest, ConcurrentCommitsAndReadsLoseNothing) {
  auto graph = Open();
  constexpr int kWriters = 4, kPerWriter = 100;
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0};
  std::thread reader([&] {
    while (writing) {
      const size_t n = graph->Read([](const KnowledgeGraph& g) { return g.SearchNodes("w").entities.size(); });
      if (n > kWriters * kPerWriter) ++failures;
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        if (!CommitCreate(*graph, {MakeEntity("w" + std::to_string(w) + "-" + std::to_string(i), "t")}).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  writing = false;
  reader.join();
  EXPECT_EQ(failures, 0);
  const Graph before = Contents(*graph);
  EXPECT_EQ(before.entities.size(), size_t{kWriters * kPerWriter});
  graph.reset();
  EXPECT_EQ(Contents(*Open()), before);
}

}  // namespace
}  // namespace mcpgw::memory
