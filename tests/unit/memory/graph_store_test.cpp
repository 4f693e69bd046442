// Tenants: each has its own graph in its own directory, and nothing one
// tenant does is visible to another.
#include "graph_store.h"

#include <gtest/gtest.h>

#include "storage_test_support.h"
#include "tenant_directory.h"

namespace mcpgw::memory {
namespace {

using namespace testing;  // NOLINT: test helpers

class GraphStoreTest : public ::testing::Test {
 protected:
  std::shared_ptr<DurableGraph> Tenant(const std::string& tenant) {
    auto graph = store_->ForTenant(tenant);
    EXPECT_TRUE(graph.ok()) << graph.error().message;
    return graph ? *graph : nullptr;
  }
  std::string TenantDir(const std::string& tenant) const { return dir_ / "tenants/" + TenantDirectoryName(tenant); }

  TempDirectory dir_;
  LogRecorder log_;
  // Like a gateway restart: the graphs in memory are gone, the files stay.
  void Restart() {
    store_.reset();
    store_ = std::make_unique<GraphStore>(dir_.path(), StoreOptions{}, log_.Sink());
  }
  std::unique_ptr<GraphStore> store_ = std::make_unique<GraphStore>(dir_.path(), StoreOptions{}, log_.Sink());
};

TEST_F(GraphStoreTest, TenantsDoNotSeeEachOthersGraphs) {
  ASSERT_TRUE(CommitCreate(*Tenant("tenant-a"), {MakeEntity("Secret", "a-only", {"a's data"})}).ok());
  ASSERT_TRUE(CommitCreate(*Tenant("tenant-b"), {MakeEntity("Public", "b-only")}).ok());
  const auto b = Tenant("tenant-b");
  EXPECT_EQ(Contents(*b).entities, (std::vector<Entity>{MakeEntity("Public", "b-only")}));
  EXPECT_TRUE(b->Read([](const KnowledgeGraph& g) { return g.SearchNodes("secret").entities.empty(); }));
  ASSERT_TRUE(CommitMutation(*b, DeleteEntities{{"Secret"}}).ok());
  EXPECT_EQ(Contents(*Tenant("tenant-a")).entities.size(), 1u);
  EXPECT_EQ(ReadFile(TenantDir("tenant-b") + "/wal.log").find("a's data"), std::string::npos);
  EXPECT_NE(ReadFile(TenantDir("tenant-a") + "/wal.log").find("a's data"), std::string::npos);
}

TEST_F(GraphStoreTest, TenantsSurviveARestartSeparately) {
  ASSERT_TRUE(CommitCreate(*Tenant("a"), {MakeEntity("A", "t")}).ok());
  ASSERT_TRUE(CommitCreate(*Tenant("b"), {MakeEntity("B", "t")}).ok());
  Restart();
  EXPECT_EQ(Contents(*Tenant("a")).entities, (std::vector<Entity>{MakeEntity("A", "t")}));
  EXPECT_EQ(Contents(*Tenant("b")).entities, (std::vector<Entity>{MakeEntity("B", "t")}));
}

TEST_F(GraphStoreTest, HostileTenantNamesStayInsideTheirOwnDirectory) {
  for (const std::string& tenant : {std::string(".."), std::string("../.."), std::string("/etc"),
                                    std::string("a\0b", 3), std::string("a"), std::string(300, '/')}) {
    ASSERT_TRUE(CommitCreate(*Tenant(tenant), {MakeEntity("owner", tenant)}).ok());
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "wal.log"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "tenants/wal.log"));
  size_t directories = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "tenants")) {
    EXPECT_TRUE(entry.is_directory()) << entry.path();
    ++directories;
  }
  EXPECT_EQ(directories, 6u);
  // "a\0b" is not "a": each has exactly its own entity.
  EXPECT_EQ(Contents(*Tenant(std::string("a\0b", 3))).entities.size(), 1u);
  EXPECT_EQ(Contents(*Tenant("a")).entities[0].entity_type, "a");
}

TEST_F(GraphStoreTest, EmptyTenantIsAnInternalError) {
  auto graph = store_->ForTenant("");
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.error().kind, FailureKind::kInternal);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "tenants"));
}

TEST_F(GraphStoreTest, LongTenantDirectoryRecordsTheFullName) {
  const std::string tenant(250, 'x');
  ASSERT_TRUE(CommitCreate(*Tenant(tenant), {MakeEntity("A", "t")}).ok());
  EXPECT_EQ(TenantDirectoryName(tenant).size(), 66u);
  EXPECT_EQ(ReadFile(TenantDir(tenant) + "/tenant"), tenant);
}

TEST_F(GraphStoreTest, HashedDirectoryNamingAnotherTenantIsRefused) {
  const std::string tenant(250, 'x');
  std::filesystem::create_directories(TenantDir(tenant));
  WriteFile(TenantDir(tenant) + "/tenant", "someone else");
  auto graph = store_->ForTenant(tenant);
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.error().kind, FailureKind::kInternal);
  EXPECT_FALSE(std::filesystem::exists(TenantDir(tenant) + "/wal.log"));
  EXPECT_EQ(log_.CountAtLeast(MCPGW_LOG_CRITICAL), 1u);
}

TEST_F(GraphStoreTest, FilesAndDirectoriesArePrivateToTheGatewayUser) {
  ASSERT_TRUE(CommitCreate(*Tenant(std::string(250, 'x')), {MakeEntity("A", "t")}).ok());
  const std::string tenant_dir = TenantDir(std::string(250, 'x'));
  ASSERT_TRUE(Tenant(std::string(250, 'x'))->Compact().ok());
  EXPECT_EQ(PermissionsOf(dir_ / "tenants"), 0700u);
  EXPECT_EQ(PermissionsOf(tenant_dir), 0700u);
  EXPECT_EQ(PermissionsOf(tenant_dir + "/wal.log"), 0600u);
  EXPECT_EQ(PermissionsOf(tenant_dir + "/snapshot.jsonl"), 0600u);
  EXPECT_EQ(PermissionsOf(tenant_dir + "/tenant"), 0600u);
}

TEST_F(GraphStoreTest, FailedLoadIsRetriedOnTheNextCall) {
  std::filesystem::create_directories(TenantDir("t"));
  WriteFile(TenantDir("t") + "/snapshot.jsonl", "not json\n");
  ASSERT_FALSE(store_->ForTenant("t").ok());
  WriteFile(TenantDir("t") + "/snapshot.jsonl", "");
  EXPECT_TRUE(store_->ForTenant("t").ok());
}

TEST_F(GraphStoreTest, SameTenantIsLoadedOnce) { EXPECT_EQ(Tenant("t").get(), Tenant("t").get()); }

}  // namespace
}  // namespace mcpgw::memory
