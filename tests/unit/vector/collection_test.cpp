// A collection: upsert, replace, delete, and nearest-neighbour search with
// and without filters, checked against exact (brute-force) answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "collection.h"

namespace mcpgw::vector {
namespace {

using nlohmann::json;

CollectionParams Params(size_t dimension, Metric metric = Metric::kCosine) {
  CollectionParams p;
  p.dimension = dimension;
  p.metric = metric;
  p.m = 16;
  p.ef_construction = 100;
  p.ef_search = 32;
  return p;
}

Document Doc(Vector v, json metadata = json::object(), Metric metric = Metric::kCosine) {
  EXPECT_TRUE(PrepareVector(metric, v));
  return Document{"text", std::move(metadata), std::move(v), 0};
}

Vector RandomVector(std::mt19937& rng, size_t dimension) {
  std::normal_distribution<float> normal;
  Vector v(dimension);
  for (float& x : v) x = normal(rng);
  return v;
}

std::vector<std::string> Ids(const std::vector<Hit>& hits) {
  std::vector<std::string> ids;
  for (const Hit& h : hits) ids.push_back(*h.id);
  return ids;
}

MetadataFilter Filter(const char* text) {
  auto parsed = MetadataFilter::Parse(json::parse(text));
  EXPECT_TRUE(parsed.ok());
  return std::move(*parsed);
}

TEST(VectorCollectionTest, FindsTheNearestDocumentsBestFirst) {
  Collection c("c", 1, Params(3));
  c.Upsert("x", Doc({1, 0, 0}));
  c.Upsert("y", Doc({0, 1, 0}));
  c.Upsert("xy", Doc({1, 1, 0}));
  Vector q{1, 0.1f, 0};
  ASSERT_TRUE(PrepareVector(Metric::kCosine, q));
  const std::vector<Hit> hits = c.Search(q, 2, MetadataFilter());
  EXPECT_EQ(Ids(hits), (std::vector<std::string>{"x", "xy"}));
  EXPECT_NEAR(hits[0].distance, 1 - q[0], 1e-5);
}

TEST(VectorCollectionTest, TopKIsCappedByTheNumberOfDocuments) {
  Collection c("c", 1, Params(2));
  EXPECT_TRUE(c.Search({1, 0}, 5, MetadataFilter()).empty());
  c.Upsert("a", Doc({1, 0}));
  EXPECT_EQ(c.Search({1, 0}, 5, MetadataFilter()).size(), 1u);
}

TEST(VectorCollectionTest, ReplacingADocumentKeepsOneCopyWithTheNewVector) {
  Collection c("c", 1, Params(2));
  c.Upsert("a", Doc({1, 0}, {{"v", 1}}));
  c.Upsert("b", Doc({0, 1}));
  c.Upsert("a", Doc({0, 1}, {{"v", 2}}));
  EXPECT_EQ(c.size(), 2u);
  EXPECT_EQ(c.Find("a")->metadata["v"], 2);
  const std::vector<Hit> hits = c.Search({0, 1}, 5, MetadataFilter());
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_NEAR(hits[0].distance, 0, 1e-5);
  EXPECT_NEAR(hits[1].distance, 0, 1e-5);
}

TEST(VectorCollectionTest, DeletedDocumentsAreNeverFound) {
  Collection c("c", 1, Params(2));
  c.Upsert("a", Doc({1, 0}));
  c.Upsert("b", Doc({0.9f, 0.1f}));
  EXPECT_TRUE(c.Remove("a"));
  EXPECT_FALSE(c.Remove("a"));
  EXPECT_EQ(Ids(c.Search({1, 0}, 5, MetadataFilter())), (std::vector<std::string>{"b"}));
  EXPECT_EQ(c.Find("a"), nullptr);
}

TEST(VectorCollectionTest, L2MetricRanksByEuclideanDistance) {
  Collection c("c", 1, Params(2, Metric::kL2));
  c.Upsert("near", Doc({1, 1}, json::object(), Metric::kL2));
  c.Upsert("far", Doc({10, 10}, json::object(), Metric::kL2));
  const std::vector<Hit> hits = c.Search({2, 2}, 2, MetadataFilter());
  EXPECT_EQ(Ids(hits), (std::vector<std::string>{"near", "far"}));
  EXPECT_NEAR(hits[0].distance, 2.0, 1e-5);  // squared
}

TEST(VectorCollectionTest, PrepareVectorRejectsZeroForCosineAndNonFinite) {
  Vector zero{0, 0};
  EXPECT_FALSE(PrepareVector(Metric::kCosine, zero));
  EXPECT_TRUE(PrepareVector(Metric::kL2, zero));
  Vector nan{std::nanf(""), 1};
  EXPECT_FALSE(PrepareVector(Metric::kL2, nan));
}

class VectorFilteredSearchTest : public ::testing::Test {
 protected:
  // 3000 random documents; every `every`-th has {"kind": "rare"}, the rest
  // {"kind": "common"}; "n" is the document's number.
  void Fill(size_t count) {
    std::mt19937 rng(7);
    for (size_t i = 0; i < count; ++i) {
      const std::string kind = i % 7 == 0 ? "rare" : "common";
      collection_.Upsert("d" + std::to_string(i), Doc(RandomVector(rng, kDim), {{"kind", kind}, {"n", i}}));
    }
  }

  // The exact answer, for comparison.
  std::vector<std::string> BruteForce(const Vector& q, size_t k, const MetadataFilter& filter) {
    std::vector<std::pair<float, std::string>> all;
    for (const auto& [id, d] : collection_.documents()) {
      if (!filter.Matches(d.metadata)) continue;
      float dot = 0;
      for (size_t i = 0; i < kDim; ++i) dot += q[i] * d.vector[i];
      all.emplace_back(1 - dot, id);
    }
    std::sort(all.begin(), all.end());
    std::vector<std::string> ids;
    for (size_t i = 0; i < std::min(k, all.size()); ++i) ids.push_back(all[i].second);
    return ids;
  }

  static constexpr size_t kDim = 24;
  Collection collection_{"c", 1, Params(kDim)};
};

TEST_F(VectorFilteredSearchTest, ReturnsTopKMatchesWhenTheFilterIsSelective) {
  Fill(3000);
  std::mt19937 rng(11);
  Vector q = RandomVector(rng, kDim);
  ASSERT_TRUE(PrepareVector(Metric::kCosine, q));
  const MetadataFilter filter = Filter(R"({"n": {"$lt": 40}})");  // 40 of 3000: ranked exactly
  EXPECT_EQ(Ids(collection_.Search(q, 10, filter)), BruteForce(q, 10, filter));
  const MetadataFilter few = Filter(R"({"n": {"$in": [5, 6, 7]}})");
  EXPECT_EQ(collection_.Search(q, 10, few).size(), 3u);
}

TEST_F(VectorFilteredSearchTest, ReturnsTopKMatchesWhenTheFilterIsBroad) {
  Fill(3000);
  std::mt19937 rng(13);
  const MetadataFilter filter = Filter(R"({"kind": "common"})");  // 6/7 of the documents: HNSW, over-fetched
  for (int round = 0; round < 20; ++round) {
    Vector q = RandomVector(rng, kDim);
    ASSERT_TRUE(PrepareVector(Metric::kCosine, q));
    const std::vector<Hit> hits = collection_.Search(q, 50, filter);
    ASSERT_EQ(hits.size(), 50u);
    for (const Hit& h : hits) EXPECT_EQ(h.document->metadata["kind"], "common");
    EXPECT_TRUE(std::is_sorted(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.distance < b.distance; }));
    // HNSW is approximate; with these parameters it finds nearly all of the true top 50.
    const std::vector<std::string> exact = BruteForce(q, 50, filter);
    const std::vector<std::string> got = Ids(hits);
    size_t overlap = 0;
    for (const std::string& id : got) overlap += std::count(exact.begin(), exact.end(), id);
    EXPECT_GE(overlap, 45u);
  }
}

TEST_F(VectorFilteredSearchTest, StillFindsEverythingAfterMostDocumentsAreDeleted) {
  Fill(600);
  for (size_t i = 0; i < 590; ++i) ASSERT_TRUE(collection_.Remove("d" + std::to_string(i)));
  std::mt19937 rng(17);
  Vector q = RandomVector(rng, kDim);
  ASSERT_TRUE(PrepareVector(Metric::kCosine, q));
  EXPECT_EQ(Ids(collection_.Search(q, 10, MetadataFilter())), BruteForce(q, 10, MetadataFilter()));
  EXPECT_TRUE(collection_.RebuildIfMostlyDeleted());
  EXPECT_EQ(Ids(collection_.Search(q, 10, MetadataFilter())), BruteForce(q, 10, MetadataFilter()));
}

}  // namespace
}  // namespace mcpgw::vector
