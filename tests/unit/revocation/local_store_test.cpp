// The single-replica revocation store: a JSON file in the data directory,
// written before an add or withdrawal is acknowledged and read at start-up.
#include "revocation/local_store.h"

#include "os/file.h"

#include "revocation/entry_codec.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

namespace mcpgw::revocation {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using std::chrono::seconds;
using std::chrono::sys_seconds;

sys_seconds Now() { return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now()); }

class LocalStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<LocalStore> Open() {
    auto opened = LocalStore::Open(path_);
    if (auto* error = std::get_if<std::string>(&opened)) {
      ADD_FAILURE() << *error;
      return nullptr;
    }
    return std::get<std::unique_ptr<LocalStore>>(std::move(opened));
  }
  std::string OpenError() {
    auto opened = LocalStore::Open(path_);
    EXPECT_TRUE(std::holds_alternative<std::string>(opened)) << "opened a bad file";
    auto* error = std::get_if<std::string>(&opened);
    return error ? *error : "";
  }
  void WriteFile(const std::string& text) { std::ofstream(path_) << text; }
  json ReadFile() {
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return json::parse(s.str());
  }
  // Runs a store call and returns what `done` said (done runs synchronously here).
  template <typename F>
  std::pair<bool, std::string> Call(F&& f) {
    std::optional<std::pair<bool, std::string>> said;
    f([&](bool ok, std::string error) { said.emplace(ok, std::move(error)); });
    EXPECT_TRUE(said) << "done was not called";
    return said.value_or(std::pair<bool, std::string>{false, "not called"});
  }

  mcpgw::testing::TempDir dir_;
  std::string path_ = dir_ / "revocations.json";
};

Entry Make(Kind kind, std::string value, sys_seconds now) {
  Entry e;
  e.kind = kind;
  e.value = std::move(value);
  e.reason = "leaked";
  e.by = "ops";
  Complete(e, now);
  return e;
}

TEST_F(LocalStoreTest, AMissingFileIsAnEmptyListAndIsAlwaysFresh) {
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->list().size(), 0u);
  EXPECT_TRUE(store->health().fresh);
  EXPECT_FALSE(fs::exists(path_)) << "opening writes nothing";
}

TEST_F(LocalStoreTest, RevocationsSurviveReopening) {
  const auto now = Now();
  {
    auto store = Open();
    Entry jti = Make(Kind::kJti, "t-1", now);
    jti.until = now + seconds(3600);
    for (const Entry& e : {jti, Make(Kind::kSubject, "alice", now), Make(Kind::kClient, "app", now)}) {
      auto [ok, error] = Call([&](Store::Done done) { store->Add(e, std::move(done)); });
      ASSERT_TRUE(ok) << error;
    }
    auto [ok, error] = Call([&](Store::Done done) { store->Add(Make(Kind::kSubject, "bob", now), std::move(done)); });
    ASSERT_TRUE(ok) << error;
    std::tie(ok, error) = Call([&](Store::Done done) { store->Withdraw(Kind::kSubject, "bob", std::move(done)); });
    ASSERT_TRUE(ok) << error;
  }
  auto reopened = Open();
  ASSERT_TRUE(reopened);
  const std::vector<Entry> entries = reopened->list().Entries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].value, "t-1");
  EXPECT_EQ(entries[0].until, now + seconds(3600));
  EXPECT_EQ(entries[0].reason, "leaked");
  EXPECT_EQ(entries[0].by, "ops");
  EXPECT_EQ(entries[1].value, "alice");
  EXPECT_EQ(entries[1].before, now + seconds(1)) << "up to and including the second of the revocation";
  EXPECT_EQ(entries[2].value, "app");
  EXPECT_FALSE(reopened->list().Find(Kind::kSubject, "bob"));
}

TEST_F(LocalStoreTest, TheFileIsWrittenBeforeDoneAndIsPrivate) {
  auto store = Open();
  bool seen_in_file = false;
  store->Add(Make(Kind::kSubject, "alice", Now()), [&](bool ok, std::string) {
    ASSERT_TRUE(ok);
    const json doc = ReadFile();
    seen_in_file = doc["entries"].size() == 1 && doc["entries"][0]["value"] == "alice";
  });
  EXPECT_TRUE(seen_in_file);
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(LocalStoreTest, ACorruptFileIsAStartUpErrorNamingTheFile) {
  WriteFile("{\"version\": 1, \"entries\": [ {\"kind\": \"jti\", ");
  const std::string error = OpenError();
  EXPECT_NE(error.find(path_), std::string::npos) << error;
  EXPECT_NE(error.find("corrupt"), std::string::npos) << error;
  std::ifstream in(path_);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "{\"version\": 1, \"entries\": [ {\"kind\": \"jti\", ") << "never silently emptied";
}

TEST_F(LocalStoreTest, AnEntryOfAnUnknownKindIsAStartUpErrorNamingTheEntry) {
  WriteFile(R"({"version": 1, "entries": [{"kind": "subject", "value": "a", "before": 5}, {"kind": "token", "value": "x"}]})");
  const std::string error = OpenError();
  EXPECT_NE(error.find(path_), std::string::npos) << error;
  EXPECT_NE(error.find("entry 1"), std::string::npos) << error;
  EXPECT_NE(error.find("\"kind\""), std::string::npos) << error;
}

TEST_F(LocalStoreTest, AnEntryThatWouldRevokeNothingOrOverflowIsAStartUpErrorNotDropped) {
  // Dropping either silently would let its tokens back in.
  for (const std::string entry : {R"({"kind": "subject", "value": "a"})",
                                  R"({"kind": "jti", "value": "t", "until": 9223372036854775807})",
                                  R"({"kind": "client", "value": "c", "before": 1700000000000})"}) {
    WriteFile(R"({"version": 1, "entries": [{"kind": "jti", "value": "ok", "until": 0}, )" + entry + "]}");
    const std::string error = OpenError();
    EXPECT_NE(error.find("entry 1"), std::string::npos) << entry << ": " << error;
  }
}

TEST_F(LocalStoreTest, ExpiredJtiEntriesArePrunedOnLoadAndOnWrite) {
  const auto now = Now();
  const long long expired_until = (now - kJtiGrace - seconds(1)).time_since_epoch().count();
  const long long live_until = (now + seconds(600)).time_since_epoch().count();
  WriteFile(json{{"version", 1},
                 {"entries",
                  {{{"kind", "jti"}, {"value", "gone"}, {"until", expired_until}},
                   {{"kind", "jti"}, {"value", "live"}, {"until", live_until}},
                   {{"kind", "jti"}, {"value", "forever"}, {"until", 0}}}}}
                .dump());
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_FALSE(store->list().Find(Kind::kJti, "gone"));
  EXPECT_TRUE(store->list().Find(Kind::kJti, "live"));
  EXPECT_TRUE(store->list().Find(Kind::kJti, "forever"));
  auto [ok, error] = Call([&](Store::Done done) { store->Add(Make(Kind::kClient, "app", now), std::move(done)); });
  ASSERT_TRUE(ok) << error;
  std::vector<std::string> values;
  const json doc = ReadFile();
  for (const json& e : doc["entries"]) values.push_back(e["value"]);
  EXPECT_EQ(values, (std::vector<std::string>{"forever", "live", "app"}));
}

TEST_F(LocalStoreTest, WithdrawingWhatIsNotRevokedSaysSo) {
  auto store = Open();
  auto [ok, error] = Call([&](Store::Done done) { store->Withdraw(Kind::kJti, "t-9", std::move(done)); });
  EXPECT_FALSE(ok);
  EXPECT_EQ(error, "jti \"t-9\" is not revoked");
}

TEST_F(LocalStoreTest, AnInvalidEntryIsRefusedAndNothingIsWritten) {
  auto store = Open();
  Entry e = Make(Kind::kSubject, "", Now());
  auto [ok, error] = Call([&](Store::Done done) { store->Add(e, std::move(done)); });
  EXPECT_FALSE(ok);
  EXPECT_EQ(error, "the subject to revoke is empty");
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(LocalStoreTest, AFailedWriteLeavesTheListAsItWasAndSaysWhy) {
  path_ = dir_ / "missing-dir/revocations.json";
  auto store = Open();
  ASSERT_TRUE(store);
  auto [ok, error] = Call([&](Store::Done done) { store->Add(Make(Kind::kSubject, "alice", Now()), std::move(done)); });
  EXPECT_FALSE(ok);
  EXPECT_NE(error.find("cannot save the revocation list"), std::string::npos) << error;
  EXPECT_EQ(store->list().size(), 0u) << "what is on disk is what holds";
}

// The store's writes go through os::WriteFileAtomically.
TEST(WriteFileAtomicallyTest, WritesTheWholeFileWithItsModeAndAFailureLeavesNoTemporaryCopy) {
  mcpgw::testing::TempDir dir;
  const std::string path = dir.path() + "/list.json";
  const std::string bytes(300'000, 'x');  // more than one pipe-sized write
  ASSERT_EQ(os::WriteFileAtomically(path, bytes, 0600), "");
  std::ifstream in(path);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), bytes);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));

  // A non-empty directory where the file should go: the rename fails.
  std::filesystem::create_directories(dir.path() + "/taken/child");
  const std::string error = os::WriteFileAtomically(dir.path() + "/taken", "x", 0600);
  EXPECT_EQ(error.rfind("cannot rename to " + dir.path() + "/taken: ", 0), 0u) << error;
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/taken.tmp")) << "the temporary copy is removed";
}

}  // namespace
}  // namespace mcpgw::revocation
