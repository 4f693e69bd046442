// The OpenAI-compatible embeddings client against a real HTTP(S) server on
// loopback (support/origin_server.h, Boost.Beast) whose handler implements
// POST /v1/embeddings. The service itself is a fake, because no real
// embedding service can run here: it answers each text with a vector that is
// a function of the text, as a real one would answer with the model's.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "openai_embedder.h"
#include "support/origin_server.h"
#include "support/test_files.h"
#include "vector_config.h"

namespace mcpgw::vector {
namespace {

using mcpgw::testing::CertificateUse;
using mcpgw::testing::OriginReply;
using mcpgw::testing::OriginRequest;
using mcpgw::testing::OriginServer;
using mcpgw::testing::TestCa;
using nlohmann::json;
using namespace std::chrono_literals;

// The vector the fake service returns for `text`.
std::vector<float> VectorFor(const std::string& text, size_t dimension) {
  std::vector<float> v(dimension, 0.0f);
  for (size_t i = 0; i < text.size(); ++i) v[i % dimension] += static_cast<float>(static_cast<unsigned char>(text[i]));
  return v;
}

enum class Mode { kOk, kReversedOrder, kUnauthorized, kWrongDimension, kSlow };

// The fake /v1/embeddings: OpenAI's request and answer shapes.
mcpgw::testing::OriginHandler Embeddings(size_t dimension, Mode mode = Mode::kOk) {
  return [=](const OriginRequest& request) {
    OriginReply reply;
    if (request.method != "POST" || request.target != "/v1/embeddings") {
      reply.status = 404;
      return reply;
    }
    if (mode == Mode::kUnauthorized) {
      reply.status = 401;
      reply.body = R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}})";
      return reply;
    }
    const json body = json::parse(request.body);
    json data = json::array();
    for (size_t i = 0; i < body["input"].size(); ++i) {
      const size_t d = mode == Mode::kWrongDimension ? dimension + 1 : dimension;
      data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", VectorFor(body["input"][i], d)}});
    }
    if (mode == Mode::kReversedOrder) std::reverse(data.begin(), data.end());
    reply.body = json{{"object", "list"}, {"data", data}, {"model", body["model"]}}.dump();
    if (mode == Mode::kSlow) reply.delay = 3000ms;
    return reply;
  };
}

RemoteEmbedderConfig Config(const std::string& url, uint64_t batch_size = 64) {
  RemoteEmbedderConfig c;
  c.url = url;
  c.model = "test-model";
  c.api_key = "sk-test-123";
  c.timeout_ms = 5000;
  c.batch_size = batch_size;
  return c;
}

TEST(OpenAiEmbedderTest, SendsModelInputAndKeyAndReturnsOneVectorPerTextInOrder) {
  OriginServer server(Embeddings(4));
  OpenAiEmbedder embedder(Config(server.Url("/v1/embeddings"), 2), 4);
  const std::vector<std::string> texts{"alpha", "beta", "gamma", "delta", "épsilon"};
  auto vectors = embedder.Embed(texts);
  ASSERT_TRUE(vectors.ok()) << vectors.error().message;
  ASSERT_EQ(vectors->size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) EXPECT_EQ((*vectors)[i], VectorFor(texts[i], 4));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);  // batches of 2, 2 and 1
  EXPECT_EQ(requests[0].authorization, "Bearer sk-test-123");
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(json::parse(requests[0].body), (json{{"model", "test-model"}, {"input", {"alpha", "beta"}}}));
  EXPECT_EQ(json::parse(requests[2].body)["input"], json::array({"épsilon"}));
  EXPECT_EQ(embedder.model_id(), "openai:test-model/4");
}

TEST(OpenAiEmbedderTest, OrdersTheAnswerByIndex) {
  OriginServer server(Embeddings(3, Mode::kReversedOrder));
  auto vectors = OpenAiEmbedder(Config(server.Url("/v1/embeddings")), 3).Embed({"one", "two", "three"});
  ASSERT_TRUE(vectors.ok()) << vectors.error().message;
  EXPECT_EQ((*vectors)[0], VectorFor("one", 3));
  EXPECT_EQ((*vectors)[2], VectorFor("three", 3));
}

TEST(OpenAiEmbedderTest, NoKeyConfiguredMeansNoAuthorizationHeader) {
  OriginServer server(Embeddings(3));
  RemoteEmbedderConfig config = Config(server.Url("/v1/embeddings"));
  config.api_key.clear();
  ASSERT_TRUE(OpenAiEmbedder(config, 3).Embed({"x"}).ok());
  EXPECT_EQ(server.requests().at(0).authorization, "");
}

TEST(OpenAiEmbedderTest, AnHttpErrorIsUnavailableWithTheServicesMessageButNotTheKey) {
  OriginServer server(Embeddings(3, Mode::kUnauthorized));
  auto vectors = OpenAiEmbedder(Config(server.Url("/v1/embeddings")), 3).Embed({"x"});
  ASSERT_FALSE(vectors.ok());
  EXPECT_EQ(vectors.error().kind, FailureKind::kUnavailable);
  EXPECT_EQ(vectors.error().message, "the embedding service answered HTTP 401: Incorrect API key provided");
}

TEST(OpenAiEmbedderTest, VectorsOfAnotherDimensionAreRefused) {
  OriginServer server(Embeddings(3, Mode::kWrongDimension));
  auto vectors = OpenAiEmbedder(Config(server.Url("/v1/embeddings")), 3).Embed({"x"});
  ASSERT_FALSE(vectors.ok());
  EXPECT_NE(vectors.error().message.find("vectors of dimension 4, but embedder.dimension is 3"), std::string::npos)
      << vectors.error().message;
}

TEST(OpenAiEmbedderTest, ASlowServiceTimesOut) {
  OriginServer server(Embeddings(3, Mode::kSlow));
  RemoteEmbedderConfig config = Config(server.Url("/v1/embeddings"));
  config.timeout_ms = 300;
  const auto start = std::chrono::steady_clock::now();
  auto vectors = OpenAiEmbedder(config, 3).Embed({"x"});
  ASSERT_FALSE(vectors.ok());
  EXPECT_NE(vectors.error().message.find("timed out"), std::string::npos) << vectors.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(OpenAiEmbedderTest, ARefusedConnectionIsUnavailable) {
  OriginServer server(Embeddings(3));
  const std::string url = server.Url("/v1/embeddings");
  server.Close();
  auto vectors = OpenAiEmbedder(Config(url), 3).Embed({"x"});
  ASSERT_FALSE(vectors.ok());
  EXPECT_EQ(vectors.error().kind, FailureKind::kUnavailable);
}

class OpenAiEmbedderTlsTest : public ::testing::Test {
 protected:
  TestCa ca_{mcpgw::testing::TestDir("vector"), "vector"};
};

TEST_F(OpenAiEmbedderTlsTest, HttpsWorksWithTheServicesCaAsCaFile) {
  const auto files = ca_.Issue("embeddings", "embeddings", 2, CertificateUse::kServer);
  OriginServer server(Embeddings(3), &files);
  RemoteEmbedderConfig config = Config(server.Url("/v1/embeddings"));
  ASSERT_TRUE(config.url.starts_with("https://"));
  config.ca_file = ca_.cert_file();
  auto vectors = OpenAiEmbedder(config, 3).Embed({"secure"});
  ASSERT_TRUE(vectors.ok()) << vectors.error().message;
  EXPECT_EQ((*vectors)[0], VectorFor("secure", 3));
}

TEST_F(OpenAiEmbedderTlsTest, HttpsRefusesACertificateTheSystemDoesNotTrust) {
  const auto files = ca_.Issue("untrusted", "embeddings", 3, CertificateUse::kServer);
  OriginServer server(Embeddings(3), &files);
  auto vectors = OpenAiEmbedder(Config(server.Url("/v1/embeddings")), 3).Embed({"x"});
  ASSERT_FALSE(vectors.ok());
  EXPECT_NE(vectors.error().message.find("TLS handshake failed"), std::string::npos) << vectors.error().message;
  EXPECT_EQ(server.request_count(), 0u) << "the key was never sent";
}

TEST_F(OpenAiEmbedderTlsTest, HttpsRefusesACertificateForAnotherName) {
  const auto files = ca_.Issue("other", "embeddings", 4, CertificateUse::kServer, "DNS:other.test");
  OriginServer server(Embeddings(3), &files);
  RemoteEmbedderConfig config = Config(server.Url("/v1/embeddings"));
  config.ca_file = ca_.cert_file();
  auto vectors = OpenAiEmbedder(config, 3).Embed({"x"});
  ASSERT_FALSE(vectors.ok());
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(OpenAiEmbedderConfigTest, TheKeyComesFromAFileOrAnEnvironmentVariableNeverFromConfigText) {
  const std::string key_file = ::testing::TempDir() + "/vector-embeddings-key-" + std::to_string(::getpid());
  {
    std::FILE* f = std::fopen(key_file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("sk-from-file\n", f);
    std::fclose(f);
  }
  json config = {{"embedder", {{"type", "openai"}, {"url", "http://127.0.0.1:1/v1/embeddings"}, {"model", "m"},
                               {"dimension", 8}, {"api_key_file", key_file}}}};
  auto parsed = ParseVectorConfig(config);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->embedder.openai.api_key, "sk-from-file");
  std::remove(key_file.c_str());

  ::setenv("VECTOR_TEST_EMBEDDINGS_KEY", "sk-from-env", 1);
  config["embedder"].erase("api_key_file");
  config["embedder"]["api_key_env"] = "VECTOR_TEST_EMBEDDINGS_KEY";
  parsed = ParseVectorConfig(config);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->embedder.openai.api_key, "sk-from-env");

  config["embedder"]["api_key"] = "sk-inline";
  parsed = ParseVectorConfig(config);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("unknown key \"embedder.api_key\""), std::string::npos)
      << parsed.error().message;
  config["embedder"].erase("api_key");
  config["embedder"]["api_key_env"] = "VECTOR_TEST_UNSET_VARIABLE";
  EXPECT_FALSE(ParseVectorConfig(config).ok());
  config["embedder"]["api_key_env"] = "VECTOR_TEST_EMBEDDINGS_KEY";
  config["embedder"]["ca_file"] = "/nonexistent/ca.pem";
  EXPECT_NE(ParseVectorConfig(config).error().message.find("cannot read embedder.ca_file"), std::string::npos);
  config["embedder"].erase("ca_file");
  config["embedder"].erase("dimension");
  config["embedder"].erase("api_key_env");
  EXPECT_NE(ParseVectorConfig(config).error().message.find("embedder.dimension is required"), std::string::npos);
}

}  // namespace
}  // namespace mcpgw::vector
