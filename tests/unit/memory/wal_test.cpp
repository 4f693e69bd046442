// The write-ahead log's framing: intact records read back, and the first
// torn or damaged one ends the log.
#include "wal.h"

#include <gtest/gtest.h>

#include "crc32.h"

namespace mcpgw::memory {
namespace {

TEST(Crc32, MatchesTheStandardCheckValue) { EXPECT_EQ(Crc32("123456789"), 0xCBF43926u); }

TEST(WalFraming, RecordIsLengthChecksumPayloadAndNewline) {
  EXPECT_EQ(FrameWalRecord("123456789"), "9 cbf43926 123456789\n");
}

TEST(WalFraming, FramedRecordsScanBackInOrder) {
  const std::string log = FrameWalRecord("{\"a\":1}") + FrameWalRecord("second\nwith newline") + FrameWalRecord("x");
  const WalScan scan = ScanWal(log);
  ASSERT_EQ(scan.records.size(), 3u);
  EXPECT_EQ(scan.records[0].payload, "{\"a\":1}");
  EXPECT_EQ(scan.records[1].payload, "second\nwith newline");
  EXPECT_EQ(scan.records[2].payload, "x");
  EXPECT_EQ(scan.records[1].offset, scan.records[0].end);
  EXPECT_EQ(scan.intact_bytes, log.size());
}

TEST(WalFraming, EveryTornTailIsDetected) {
  const std::string first = FrameWalRecord("first record");
  const std::string log = first + FrameWalRecord("second record");
  for (size_t cut = first.size(); cut < log.size(); ++cut) {
    const WalScan scan = ScanWal(std::string_view(log).substr(0, cut));
    EXPECT_EQ(scan.records.size(), 1u) << "cut at " << cut;
    EXPECT_EQ(scan.intact_bytes, first.size()) << "cut at " << cut;
  }
}

TEST(WalFraming, AnyFlippedByteEndsTheLogAtItsRecord) {
  const std::string first = FrameWalRecord("first record");
  const std::string second = FrameWalRecord("second record");
  const std::string log = first + second + FrameWalRecord("third record");
  for (size_t at = first.size(); at < first.size() + second.size(); ++at) {
    std::string damaged = log;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
    const WalScan scan = ScanWal(damaged);
    EXPECT_EQ(scan.records.size(), 1u) << "flipped byte " << at;
    EXPECT_EQ(scan.intact_bytes, first.size()) << "flipped byte " << at;
  }
}

TEST(WalFraming, GarbageAndImplausibleLengthsAreNotRecords) {
  EXPECT_TRUE(ScanWal("hello world\n").records.empty());
  EXPECT_TRUE(ScanWal("05 00000000 hello\n").records.empty());           // leading zero
  EXPECT_TRUE(ScanWal("99999999999 00000000 x\n").records.empty());      // 11 digits
  EXPECT_TRUE(ScanWal("2000000000 00000000 x\n").records.empty());       // over the maximum
  EXPECT_TRUE(ScanWal(std::string("\0\0\0\0\0\0", 6)).records.empty());  // zero-filled tail
}

}  // namespace
}  // namespace mcpgw::memory
