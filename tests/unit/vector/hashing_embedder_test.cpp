// The built-in embedder: deterministic, unit length, and lexically sensible.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "hashing_embedder.h"

namespace mcpgw::vector {
namespace {

double Cosine(const Vector& a, const Vector& b) {
  double dot = 0;
  for (size_t i = 0; i < a.size(); ++i) dot += static_cast<double>(a[i]) * b[i];
  return dot;  // both are unit length
}

double Norm(const Vector& v) { return std::sqrt(std::inner_product(v.begin(), v.end(), v.begin(), 0.0)); }

TEST(HashingEmbedderTest, SameTextGivesTheSameVectorAcrossInstances) {
  const Vector a = HashingEmbedder().EmbedOne("The quick brown fox jumps over the lazy dog");
  const Vector b = HashingEmbedder().EmbedOne("The quick brown fox jumps over the lazy dog");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), kDefaultHashingDimension);
}

TEST(HashingEmbedderTest, FixedTextHasAStableFingerprint) {
  // Guards against an accidental change of the feature hashing, which would
  // silently make every stored collection incomparable with new queries.
  const Vector v = HashingEmbedder(16).EmbedOne("hello world");
  ASSERT_EQ(v.size(), 16u);
  std::string signs;
  for (const float x : v) signs += x > 0 ? '+' : x < 0 ? '-' : '0';
  EXPECT_EQ(signs, "-----0+-0+0++-0-");
  EXPECT_NEAR(v[0], -0.299602, 1e-5);
  EXPECT_NEAR(Norm(v), 1.0, 1e-5);
}

TEST(HashingEmbedderTest, VectorsAreUnitLength) {
  for (const char* text : {"a1", "short", "Ein längerer deutscher Satz über Häuser", "日本語のテキスト", "x y z 1 2 3"}) {
    EXPECT_NEAR(Norm(HashingEmbedder().EmbedOne(text)), 1.0, 1e-5) << text;
  }
}

TEST(HashingEmbedderTest, CaseAndPunctuationDoNotMatter) {
  const HashingEmbedder e;
  EXPECT_NEAR(Cosine(e.EmbedOne("Hello, World!"), e.EmbedOne("hello world")), 1.0, 1e-5);
  EXPECT_NEAR(Cosine(e.EmbedOne("ÉCOLE Мир"), e.EmbedOne("école мир")), 1.0, 1e-5);
}

TEST(HashingEmbedderTest, SimilarTextsAreCloserThanUnrelatedOnes) {
  const HashingEmbedder e;
  const Vector cats = e.EmbedOne("cats are small furry pets that like to sleep");
  const Vector kittens = e.EmbedOne("a cat is a furry pet and sleeps a lot");
  const Vector finance = e.EmbedOne("quarterly revenue grew by eight percent");
  EXPECT_GT(Cosine(cats, kittens), Cosine(cats, finance) + 0.1);
  EXPECT_GT(Cosine(cats, kittens), 3 * Cosine(cats, finance));
}

TEST(HashingEmbedderTest, TyposStayClose) {
  const HashingEmbedder e;
  const Vector right = e.EmbedOne("configuration of the authentication server");
  const Vector typo = e.EmbedOne("configuraton of the authentcation sever");
  const Vector other = e.EmbedOne("recipe for a chocolate cake");
  EXPECT_GT(Cosine(right, typo), 0.5);
  EXPECT_LT(Cosine(right, other), 0.2);
}

TEST(HashingEmbedderTest, WordOrderCountsThroughBigrams) {
  const HashingEmbedder e;
  const double same = Cosine(e.EmbedOne("dog bites man"), e.EmbedOne("dog bites man"));
  const double swapped = Cosine(e.EmbedOne("dog bites man"), e.EmbedOne("man bites dog"));
  EXPECT_LT(swapped, same - 0.05);
  EXPECT_GT(swapped, 0.5);
}

TEST(HashingEmbedderTest, RejectsTextWithoutLettersOrDigits) {
  const HashingEmbedder e;
  auto result = e.Embed({"fine", "  ?!  "});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, FailureKind::kRejected);
  EXPECT_NE(result.error().message.find("text #2"), std::string::npos) << result.error().message;
}

TEST(HashingEmbedderTest, MalformedUtf8IsEmbeddedNotRejected) {
  const Vector v = HashingEmbedder().EmbedOne(std::string("abc\xff\xfe def", 9));
  EXPECT_NEAR(Norm(v), 1.0, 1e-5);
}

TEST(HashingEmbedderTest, ModelIdNamesTheDimension) {
  EXPECT_EQ(HashingEmbedder(512).model_id(), "builtin-hashing-v1/512");
  EXPECT_EQ(HashingEmbedder(512).EmbedOne("x1").size(), 512u);
}

}  // namespace
}  // namespace mcpgw::vector
