// The in-memory revocation list: what each kind of entry refuses, for how
// long, and that readers keep reading while a writer changes it.
#include "revocation/revocation_list.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace mcpgw::revocation {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr sys_seconds At(long long s) { return sys_seconds(seconds(s)); }
const sys_seconds kNow = At(1'800'000'000);

Principal Token(std::string subject, std::string client, std::string jti, sys_seconds iat) {
  Principal p = NamedPrincipal(std::move(subject), "default", std::move(client));
  p.method = "bearer";
  p.token_id = std::move(jti);
  p.issued_at = iat;
  return p;
}

Entry Jti(std::string value, sys_seconds until) {
  Entry e;
  e.kind = Kind::kJti;
  e.value = std::move(value);
  e.created = kNow;
  e.until = until;
  return e;
}

Entry Before(Kind kind, std::string value, sys_seconds before) {
  Entry e;
  e.kind = kind;
  e.value = std::move(value);
  e.created = before;
  e.before = before;
  return e;
}

TEST(RevocationListTest, AJtiEntryRefusesThatTokenOnly) {
  RevocationList list;
  list.Put(Jti("t-1", kNow + seconds(3600)));
  EXPECT_TRUE(list.IsRevoked(Token("alice", "app", "t-1", kNow - seconds(10)), kNow));
  EXPECT_FALSE(list.IsRevoked(Token("alice", "app", "t-2", kNow - seconds(10)), kNow));
  EXPECT_FALSE(list.IsRevoked(Token("alice", "app", "", kNow - seconds(10)), kNow)) << "a token without jti";
}

TEST(RevocationListTest, AJtiEntryHoldsPastExpiryForTheClockSkewGraceThenLapses) {
  RevocationList list;
  const Entry e = Jti("t-1", kNow);
  list.Put(e);
  const Principal p = Token("alice", "app", "t-1", kNow - seconds(600));
  EXPECT_TRUE(list.IsRevoked(p, kNow + kJtiGrace - seconds(1)));
  EXPECT_FALSE(e.Expired(kNow + kJtiGrace - seconds(1)));
  EXPECT_TRUE(e.Expired(kNow + kJtiGrace));
  EXPECT_FALSE(list.IsRevoked(p, kNow + kJtiGrace));
}

TEST(RevocationListTest, AJtiEntryUntilTheLatestTimeNeverOverflowsIntoExpired) {
  Entry e;
  e.kind = Kind::kJti;
  e.value = "t";
  e.until = sys_seconds(seconds(INT64_MAX));
  EXPECT_FALSE(e.Expired(kNow));
  e.until = kNow - kJtiGrace;
  EXPECT_TRUE(e.Expired(kNow));
}

TEST(RevocationListTest, AJtiEntryWithoutUntilHoldsUntilWithdrawn) {
  RevocationList list;
  const Entry e = Jti("t-1", sys_seconds{});
  list.Put(e);
  EXPECT_FALSE(e.Expired(kNow + std::chrono::hours(24 * 365 * 10)));
  EXPECT_TRUE(list.IsRevoked(Token("alice", "app", "t-1", kNow), kNow + std::chrono::hours(24 * 365)));
}

TEST(RevocationListTest, ASubjectEntryRefusesTokensIssuedStrictlyBeforeItsTime) {
  RevocationList list;
  list.Put(Before(Kind::kSubject, "alice", kNow));
  EXPECT_TRUE(list.IsRevoked(Token("alice", "app", "a", kNow - seconds(1)), kNow));
  EXPECT_FALSE(list.IsRevoked(Token("alice", "app", "b", kNow), kNow)) << "iat == before is not before";
  EXPECT_FALSE(list.IsRevoked(Token("alice", "app", "c", kNow + seconds(1)), kNow + seconds(1)));
  EXPECT_FALSE(list.IsRevoked(Token("bob", "app", "d", kNow - seconds(1)), kNow));
}

TEST(RevocationListTest, AClientEntryRefusesTokensOfThatClientIssuedBeforeItsTime) {
  RevocationList list;
  list.Put(Before(Kind::kClient, "leaky-app", kNow));
  EXPECT_TRUE(list.IsRevoked(Token("alice", "leaky-app", "a", kNow - seconds(1)), kNow));
  EXPECT_TRUE(list.IsRevoked(Token("bob", "leaky-app", "b", kNow - seconds(100)), kNow));
  EXPECT_FALSE(list.IsRevoked(Token("alice", "leaky-app", "c", kNow), kNow));
  EXPECT_FALSE(list.IsRevoked(Token("alice", "other-app", "d", kNow - seconds(1)), kNow));
  EXPECT_FALSE(list.IsRevoked(Token("leaky-app", "", "e", kNow - seconds(1)), kNow)) << "a client id is not a subject";
}

TEST(RevocationListTest, ACredentialWithoutIatCountsAsIssuedAtTheEpoch) {
  RevocationList list;
  list.Put(Before(Kind::kSubject, "ci-key", kNow));
  Principal key = NamedPrincipal("ci-key", "default");
  key.method = "api_key";
  key.token_id = "ci-key";
  EXPECT_TRUE(list.IsRevoked(key, kNow + std::chrono::hours(1000)));
}

TEST(RevocationListTest, WithdrawnEntriesNoLongerRefuse) {
  RevocationList list;
  list.Put(Jti("t-1", kNow + seconds(60)));
  list.Put(Before(Kind::kSubject, "alice", kNow));
  list.Put(Before(Kind::kClient, "app", kNow));
  ASSERT_EQ(list.size(), 3u);
  list.Remove(Kind::kJti, "t-1");
  list.Remove(Kind::kSubject, "alice");
  list.Remove(Kind::kClient, "app");
  list.Remove(Kind::kClient, "never-there");
  EXPECT_EQ(list.size(), 0u);
  EXPECT_FALSE(list.IsRevoked(Token("alice", "app", "t-1", kNow - seconds(1)), kNow));
}

TEST(RevocationListTest, KindsAreSeparateNamespaces) {
  RevocationList list;
  list.Put(Before(Kind::kSubject, "x", kNow));
  EXPECT_FALSE(list.IsRevoked(Token("alice", "x", "x", kNow - seconds(1)), kNow + seconds(1)))
      << "a subject entry says nothing about a jti or client of the same name";
  EXPECT_EQ(list.size(Kind::kSubject), 1u);
  EXPECT_EQ(list.size(Kind::kJti), 0u);
  EXPECT_FALSE(list.Find(Kind::kJti, "x"));
  ASSERT_TRUE(list.Find(Kind::kSubject, "x"));
}

TEST(RevocationListTest, PutReplacesTheEntryOfTheSameKindAndValue) {
  RevocationList list;
  list.Put(Before(Kind::kSubject, "alice", kNow));
  list.Put(Before(Kind::kSubject, "alice", kNow + seconds(100)));
  EXPECT_EQ(list.size(), 1u);
  EXPECT_EQ(list.Find(Kind::kSubject, "alice")->before, kNow + seconds(100));
  EXPECT_TRUE(list.IsRevoked(Token("alice", "", "", kNow + seconds(50)), kNow + seconds(100)));
}

TEST(RevocationListTest, ReplaceInstallsExactlyTheGivenEntriesAndEntriesAreSorted) {
  RevocationList list;
  list.Put(Jti("old", kNow));
  list.Replace({Before(Kind::kClient, "c", kNow), Jti("b", kNow), Jti("a", kNow), Before(Kind::kSubject, "s", kNow)});
  const std::vector<Entry> entries = list.Entries();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].value, "a");
  EXPECT_EQ(entries[1].value, "b");
  EXPECT_EQ(entries[2].value, "s");
  EXPECT_EQ(entries[3].value, "c");
  EXPECT_FALSE(list.Find(Kind::kJti, "old"));
}

TEST(RevocationListTest, ManyChangesFoldIntoTheBaseWithoutLosingAny) {
  RevocationList list;
  for (int i = 0; i < 1000; ++i) list.Put(Jti("t-" + std::to_string(i), sys_seconds{}));
  for (int i = 0; i < 1000; i += 2) list.Remove(Kind::kJti, "t-" + std::to_string(i));
  EXPECT_EQ(list.size(), 500u);
  EXPECT_EQ(list.Entries().size(), 500u);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(list.IsRevoked(Token("s", "", "t-" + std::to_string(i), kNow), kNow), i % 2 == 1) << i;
  }
}

// Four readers check two tokens while a writer adds and withdraws others:
// the entry that never changes is always seen, the one never added never is.
TEST(RevocationListTest, ReadersSeeAConsistentListWhileAWriterChangesIt) {
  RevocationList list;
  list.Put(Jti("always", sys_seconds{}));
  std::atomic<bool> stop{false};
  std::atomic<long> wrong{0}, reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      const Principal always = Token("alice", "app", "always", kNow);
      const Principal never = Token("bob", "app", "never", kNow);
      while (!stop.load(std::memory_order_relaxed)) {
        if (!list.IsRevoked(always, kNow) || list.IsRevoked(never, kNow)) ++wrong;
        ++reads;
      }
    });
  }
  for (int i = 0; i < 5000; ++i) {
    list.Put(Jti("churn-" + std::to_string(i % 300), sys_seconds{}));
    if (i % 3 == 0) list.Remove(Kind::kJti, "churn-" + std::to_string((i / 3) % 300));
    if (i % 1000 == 0) list.Replace({Jti("always", sys_seconds{})});
  }
  while (reads.load() < 1000) std::this_thread::yield();
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_TRUE(list.Find(Kind::kJti, "always"));
}

TEST(RevocationListTest, KindNamesRoundTrip) {
  for (Kind k : {Kind::kJti, Kind::kSubject, Kind::kClient}) EXPECT_EQ(ParseKind(KindName(k)), k);
  EXPECT_FALSE(ParseKind("token"));
  EXPECT_FALSE(ParseKind("JTI"));
}

}  // namespace
}  // namespace mcpgw::revocation
