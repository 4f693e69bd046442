// The tools end to end over a real store: results, errors, limits, and
// per-tenant isolation.
#include <gtest/gtest.h>

#include "tools_harness.h"

namespace mcpgw::vector {
namespace {

using namespace testing;  // NOLINT: test helpers
using nlohmann::json;

const json kDocs = json::array({Doc("cat", "cats are small furry pets", {{"lang", "en"}, {"year", 2020}}),
                                Doc("dog", "dogs are loyal pets that bark", {{"lang", "en"}, {"year", 2022}}),
                                Doc("tax", "income tax return deadline", {{"lang", "en"}, {"year", 2023}}),
                                Doc("katze", "Katzen sind kleine Haustiere", {{"lang", "de"}, {"year", 2021}})});

class VectorToolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h.Ok("create_collection", {{"name", "notes"}});
    h.Ok("upsert_documents", {{"collection", "notes"}, {"documents", kDocs}});
  }
  ToolsHarness h;
};

TEST_F(VectorToolsTest, CreateCollectionDefaultsToTheEmbeddersDimensionAndConfiguredHnswParameters) {
  const json info = h.Ok("create_collection", {{"name", "other"}, {"metric", "l2"}, {"M", 8}});
  EXPECT_EQ(info, (json{{"name", "other"}, {"dimension", 384}, {"metric", "l2"}, {"M", 8}, {"ef_construction", 200},
                        {"ef_search", 64}, {"embedder", "builtin-hashing-v1/384"}, {"documents", 0}}));
}

TEST_F(VectorToolsTest, QueryByTextFindsTheLexicallyClosestDocumentsWithScores) {
  const json results = h.Ok("query", {{"collection", "notes"}, {"text", "furry cats"}, {"top_k", 2}})["results"];
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0]["id"], "cat");
  EXPECT_EQ(results[0]["text"], "cats are small furry pets");
  EXPECT_EQ(results[0]["metadata"], (json{{"lang", "en"}, {"year", 2020}}));
  EXPECT_GT(results[0]["score"].get<double>(), results[1]["score"].get<double>());
  EXPECT_NEAR(results[0]["score"].get<double>() + results[0]["distance"].get<double>(), 1.0, 1e-6);
}

TEST_F(VectorToolsTest, QueryFilterKeepsOnlyMatchingDocuments) {
  EXPECT_EQ(h.QueryIds({{"collection", "notes"}, {"text", "cats pets"}, {"filter", {{"lang", "de"}}}}),
            (std::vector<std::string>{"katze"}));
  const auto ids = h.QueryIds({{"collection", "notes"},
                               {"text", "pets"},
                               {"top_k", 10},
                               {"filter", json::parse(R"({"year": {"$gte": 2021}, "lang": {"$ne": "de"}})")}});
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), (std::set<std::string>{"dog", "tax"}));
}

TEST_F(VectorToolsTest, UpsertReplacesByIdAndReportsWhatItDid) {
  const json answer = h.Ok("upsert_documents", {{"collection", "notes"},
                                                {"documents", {Doc("cat", "the tax office"), Doc("new", "fresh text")}}});
  EXPECT_EQ(answer, (json{{"collection", "notes"}, {"upserted", 2}, {"created", 1}, {"replaced", 1}}));
  const json got = h.Ok("get_documents", {{"collection", "notes"}, {"ids", {"cat", "missing"}}});
  EXPECT_EQ(got["documents"], json::array({{{"id", "cat"}, {"text", "the tax office"}, {"metadata", json::object()}}}));
  EXPECT_EQ(got["not_found"], json::array({"missing"}));
  EXPECT_EQ(h.QueryIds({{"collection", "notes"}, {"text", "tax office"}, {"top_k", 1}}), (std::vector<std::string>{"cat"}));
}

TEST_F(VectorToolsTest, DeleteDocumentsRemovesThemFromQueriesAndReportsUnknownIds) {
  const json answer = h.Ok("delete_documents", {{"collection", "notes"}, {"ids", {"cat", "nope", "cat"}}});
  EXPECT_EQ(answer, (json{{"collection", "notes"}, {"deleted", {"cat"}}, {"not_found", {"nope"}}}));
  const auto ids = h.QueryIds({{"collection", "notes"}, {"text", "cats"}, {"top_k", 10}});
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "cat"), 0);
  EXPECT_EQ(ids.size(), 3u);
}

TEST_F(VectorToolsTest, DeleteCollectionRemovesItAndItsDocuments) {
  EXPECT_EQ(h.Ok("delete_collection", {{"name", "notes"}}), (json{{"deleted", "notes"}, {"documents", 4}}));
  EXPECT_EQ(h.Ok("list_collections", json::object())["collections"], json::array());
  EXPECT_NE(h.Refused("query", {{"collection", "notes"}, {"text", "x1"}}).find("no collection named \"notes\""),
            std::string::npos);
  EXPECT_NE(h.Refused("delete_collection", {{"name", "notes"}}).find("no collection"), std::string::npos);
  // The name is free again, and the new collection starts empty.
  h.Ok("create_collection", {{"name", "notes"}});
  EXPECT_EQ(h.Ok("list_collections", json::object())["collections"][0]["documents"], 0);
}

TEST_F(VectorToolsTest, CallerVectorsMustHaveTheCollectionsDimension) {
  h.Ok("create_collection", {{"name", "tiny"}, {"dimension", 3}});
  EXPECT_EQ(h.Ok("list_collections", json::object())["collections"][1]["embedder"], nullptr);
  h.Ok("upsert_documents",
       {{"collection", "tiny"}, {"documents", {{{"id", "a"}, {"text", ""}, {"vector", {1, 0, 0}}}}}});
  const std::string wrong = h.Refused(
      "upsert_documents", {{"collection", "tiny"}, {"documents", {{{"id", "b"}, {"text", ""}, {"vector", {1, 0}}}}}});
  EXPECT_NE(wrong.find("documents[0].vector must be an array of 3 numbers (the collection's dimension), got 2"),
            std::string::npos)
      << wrong;
  EXPECT_NE(h.Refused("query", {{"collection", "tiny"}, {"vector", {0, 0, 0}}}).find("not all zeros"), std::string::npos);
  EXPECT_NE(h.Refused("query", {{"collection", "tiny"}, {"text", "hello"}}).find("pass `vector`"), std::string::npos);
  EXPECT_NE(h.Refused("upsert_documents", {{"collection", "tiny"}, {"documents", {Doc("c", "text only")}}})
                .find("caller-provided vectors of dimension 3"),
            std::string::npos);
  EXPECT_EQ(h.QueryIds({{"collection", "tiny"}, {"vector", {0.5, 0.1, 0}}}), (std::vector<std::string>{"a"}));
}

TEST_F(VectorToolsTest, ClearErrorsForBadRequests) {
  EXPECT_NE(h.Refused("create_collection", {{"name", "notes"}}).find("already exists"), std::string::npos);
  EXPECT_NE(h.Refused("query", {{"collection", "notes"}}).find("exactly one of `text` and `vector`"), std::string::npos);
  EXPECT_NE(h.Refused("query", {{"collection", "notes"}, {"text", "a1"}, {"filter", {{"x", {{"$like", 1}}}}}})
                .find("unknown operator"),
            std::string::npos);
  EXPECT_NE(h.Refused("upsert_documents", {{"collection", "notes"}, {"documents", {Doc("a", "x1"), Doc("a", "y1")}}})
                .find("appears twice"),
            std::string::npos);
  EXPECT_NE(h.Refused("upsert_documents", {{"collection", "notes"}, {"documents", {Doc("a", "?!")}}})
                .find("no letter or digit"),
            std::string::npos);
  // A refused batch stores nothing of it.
  EXPECT_EQ(h.Ok("get_documents", {{"collection", "notes"}, {"ids", {"a"}}})["not_found"], json::array({"a"}));
}

TEST(VectorToolsLimitsTest, ConfiguredLimitsAreEnforcedWithActionableMessages) {
  VectorConfig config;
  config.limits.max_batch_documents = 2;
  config.limits.max_text_bytes = 10;
  config.limits.max_top_k = 3;
  config.limits.max_collections_per_tenant = 1;
  config.limits.max_documents_per_collection = 3;
  config.limits.max_metadata_bytes = 20;
  ToolsHarness h(config);
  h.Ok("create_collection", {{"name", "a"}});
  EXPECT_NE(h.Refused("create_collection", {{"name", "b"}}).find("limits.max_collections_per_tenant"), std::string::npos);
  h.Ok("create_collection", {{"name", "b"}}, "tenant-b");  // the limit is per tenant
  EXPECT_NE(h.Refused("upsert_documents", {{"collection", "a"}, {"documents", {Doc("1", "a1"), Doc("2", "a2"), Doc("3", "a3")}}})
                .find("limits.max_batch_documents"),
            std::string::npos);
  EXPECT_NE(h.Refused("upsert_documents", {{"collection", "a"}, {"documents", {Doc("1", "0123456789a")}}})
                .find("limits.max_text_bytes"),
            std::string::npos);
  EXPECT_NE(h.Refused("upsert_documents",
                      {{"collection", "a"}, {"documents", {Doc("1", "a1", {{"k", std::string(30, 'x')}})}}})
                .find("limits.max_metadata_bytes"),
            std::string::npos);
  h.Ok("upsert_documents", {{"collection", "a"}, {"documents", {Doc("1", "a1"), Doc("2", "a2")}}});
  h.Ok("upsert_documents", {{"collection", "a"}, {"documents", {Doc("2", "b2"), Doc("3", "a3")}}});  // 3 in all
  EXPECT_NE(h.Refused("upsert_documents", {{"collection", "a"}, {"documents", {Doc("4", "a4")}}})
                .find("limits.max_documents_per_collection"),
            std::string::npos);
  EXPECT_NE(h.Refused("query", {{"collection", "a"}, {"text", "a1"}, {"top_k", 4}}).find("limits.max_top_k"),
            std::string::npos);
}

TEST(VectorToolsIsolationTest, TenantsNeverSeeEachOthersCollectionsOrDocuments) {
  ToolsHarness h;
  // The same collection and document names in both tenants.
  for (const char* tenant : {"alice", "bob"}) {
    h.Ok("create_collection", {{"name", "shared-name"}}, tenant);
    h.Ok("upsert_documents",
         {{"collection", "shared-name"}, {"documents", {Doc("doc1", std::string("secret of ") + tenant)}}}, tenant);
  }
  h.Ok("create_collection", {{"name", "alice-only"}}, "alice");
  h.Ok("upsert_documents", {{"collection", "alice-only"}, {"documents", {Doc("x", "alice private text")}}}, "alice");

  const json bob_list = h.Ok("list_collections", json::object(), "bob")["collections"];
  ASSERT_EQ(bob_list.size(), 1u);
  EXPECT_EQ(bob_list[0]["name"], "shared-name");
  EXPECT_EQ(h.Ok("get_documents", {{"collection", "shared-name"}, {"ids", {"doc1"}}}, "bob")["documents"][0]["text"],
            "secret of bob");
  const json found = h.Ok("query", {{"collection", "shared-name"}, {"text", "secret of alice"}, {"top_k", 5}}, "bob");
  ASSERT_EQ(found["results"].size(), 1u);
  EXPECT_EQ(found["results"][0]["text"], "secret of bob");
  EXPECT_NE(h.Refused("query", {{"collection", "alice-only"}, {"text", "alice"}}, "bob").find("no collection"),
            std::string::npos);
  EXPECT_NE(h.Refused("get_documents", {{"collection", "alice-only"}, {"ids", {"x"}}}, "bob").find("no collection"),
            std::string::npos);
  EXPECT_NE(h.Refused("delete_collection", {{"name", "alice-only"}}, "bob").find("no collection"), std::string::npos);
  EXPECT_EQ(h.Ok("delete_documents", {{"collection", "shared-name"}, {"ids", {"doc1"}}}, "bob")["deleted"],
            json::array({"doc1"}));
  // Bob's deletions touched only Bob's data, also after a restart.
  h.Restart();
  EXPECT_EQ(h.Ok("get_documents", {{"collection", "shared-name"}, {"ids", {"doc1"}}}, "alice")["documents"][0]["text"],
            "secret of alice");
  EXPECT_EQ(h.Ok("list_collections", json::object(), "alice")["collections"].size(), 2u);
  EXPECT_EQ(h.Ok("get_documents", {{"collection", "shared-name"}, {"ids", {"doc1"}}}, "bob")["not_found"],
            json::array({"doc1"}));
}

TEST(VectorToolsIsolationTest, TenantNamesThatLookLikePathsStayInsideTheirOwnDirectory) {
  ToolsHarness h;
  const std::string long_name(300, 't');
  for (const std::string& tenant : {std::string("../evil"), std::string("a/b"), std::string("."), long_name}) {
    h.Ok("create_collection", {{"name", "c"}}, tenant);
    h.Ok("upsert_documents", {{"collection", "c"}, {"documents", {Doc("d", tenant + " data1")}}}, tenant);
  }
  size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(h.dir() + "/tenants")) {
    ++entries;
    const std::string name = entry.path().filename();
    EXPECT_TRUE(name.find_first_not_of("0123456789abcdefxs") == std::string::npos) << name;
  }
  EXPECT_EQ(entries, 4u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(h.dir()), std::filesystem::directory_iterator()), 1);
  h.Restart();
  EXPECT_EQ(h.Ok("get_documents", {{"collection", "c"}, {"ids", {"d"}}}, long_name)["documents"][0]["text"],
            long_name + " data1");
}

TEST(VectorToolsIsolationTest, EmptyTenantIsAnInternalFailure) {
  ToolsHarness h;
  HashingEmbedder embedder;
  VectorTools tools(h.store(), embedder, VectorConfig());
  auto answer = tools.Call("list_collections", "", json::object());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().kind, FailureKind::kInternal);
}

}  // namespace
}  // namespace mcpgw::vector
