// JwksFetcher against a real JWKS endpoint on a random loopback port: keys
// fetched at start, a rotation picked up on the first unknown kid, refetches
// rate-limited however many tokens ask, the last good keys kept whatever
// the endpoint does, Cache-Control within bounds, and the local keys of the
// issuer kept beside the fetched ones.
#include "auth/jwks_fetcher.h"

#include "support/origin_server.h"
#include "support/stderr_capture.h"
#include "support/test_files.h"
#include "unit/auth/test_signer.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

namespace mcpgw::auth {
namespace {

using testing::GenerateKey;
using mcpgw::testing::JwksDocument;
using testing::Mint;
using mcpgw::testing::OriginReply;
using mcpgw::testing::OriginRequest;
using mcpgw::testing::OriginServer;
using testing::PublicJwk;
using testing::ReasonOf;
using testing::SigningKey;
using mcpgw::testing::StderrCapture;
using namespace std::chrono_literals;

constexpr char kIssuer[] = "https://idp.example";
constexpr char kAudience[] = "https://gw.example/mcp/memory";

std::string Jwks(const std::vector<const SigningKey*>& keys) {
  std::vector<std::string> jwks;
  for (const SigningKey* key : keys) jwks.push_back(PublicJwk(*key).dump());
  return JwksDocument(jwks);
}

OriginReply Serve(std::string body, std::string cache_control = "") {
  return OriginReply{200, std::move(body), std::move(cache_control), "", 0ms};
}

std::string Token(const SigningKey& key) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return Mint(key, {{"iss", kIssuer}, {"sub", "alice"}, {"aud", kAudience}, {"iat", now - 10}, {"exp", now + 600}});
}

// The same key under another kid: a kid the served set does not have.
SigningKey WithKid(const SigningKey& key, std::string kid) {
  SigningKey renamed = key;
  renamed.kid = std::move(kid);
  return renamed;
}

JwksFetcherOptions FastOptions() {
  JwksFetcherOptions options;
  options.refresh = 60s;
  options.min_refetch_interval = 1ms;
  options.first_retry = 20ms;
  options.http.timeout = 2s;
  return options;
}

class JwksFetcherTest : public ::testing::Test {
 protected:
  ~JwksFetcherTest() override {
    if (fetcher_) fetcher_->Stop();
    io_.run_for(20ms);
  }

  // Trusts kIssuer with its keys at `url` (plus `local` keys), and starts fetching.
  void Start(const std::string& url, JwksFetcherOptions options, std::vector<Key> local = {}) {
    LoadedTrust trust;
    TrustedIssuer issuer;
    issuer.policy.issuer = kIssuer;
    issuer.keys = std::make_shared<const KeySet>(std::move(local));
    issuer.keys_from_url = true;
    trust.issuers.push_back(issuer);
    trust.remote.push_back(RemoteJwks{kIssuer, url, std::nullopt});
    auth_ = std::make_unique<BearerAuthenticator>(trust.issuers, 64);
    auto created = JwksFetcher::Create(io_.get_executor(), *auth_, trust, std::move(options));
    ASSERT_TRUE(std::holds_alternative<std::shared_ptr<JwksFetcher>>(created)) << std::get<std::string>(created);
    fetcher_ = std::get<std::shared_ptr<JwksFetcher>>(std::move(created));
    auth_->OnUnknownKid(fetcher_->UnknownKidHook());
    fetcher_->Start();
  }

  // Runs the fetcher's executor on this thread until `done` holds.
  bool RunUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io_.run_one_for(5ms);
    }
    return true;
  }

  // Fetches are never closer than FastOptions' minimum interval.
  void LetTheMinimumIntervalPass() { io_.run_for(5ms); }

  std::optional<FailureReason> Verify(const std::string& token) {
    return ReasonOf(auth_->Authenticate(token, kAudience));
  }
  bool Verifies(const SigningKey& key) { return Verify(Token(key)) == std::nullopt; }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
  std::unique_ptr<BearerAuthenticator> auth_;
  std::shared_ptr<JwksFetcher> fetcher_;
  const SigningKey k1_ = GenerateKey(Algorithm::kEs256, "k1");
  const SigningKey k2_ = GenerateKey(Algorithm::kEs256, "k2");
};

TEST_F(JwksFetcherTest, FetchesAtStartThenVerifiesTokensSignedWithTheServedKey) {
  const std::string body = Jwks({&k1_});
  OriginServer origin([&](const OriginRequest&) { return Serve(body); });
  Start(origin.Url("/jwks"), FastOptions());
  EXPECT_EQ(Verify(Token(k1_)), FailureReason::kUnknownKid);  // nothing fetched yet
  ASSERT_TRUE(RunUntil([&] { return Verifies(k1_); }));
  EXPECT_EQ(Verify(Token(k2_)), FailureReason::kUnknownKid);
  EXPECT_EQ(origin.requests().front().method, "GET");
  EXPECT_EQ(origin.requests().front().target, "/jwks");
}

TEST_F(JwksFetcherTest, PicksUpARotatedKeyAfterTheFirstTokenThatNamesIt) {
  std::string body = Jwks({&k1_});
  std::mutex mutex;
  OriginServer origin([&](const OriginRequest&) {
    const std::lock_guard lock(mutex);
    return Serve(body);
  });
  Start(origin.Url("/jwks"), FastOptions());
  ASSERT_TRUE(RunUntil([&] { return Verifies(k1_); }));
  ASSERT_EQ(origin.request_count(), 1u);
  {
    const std::lock_guard lock(mutex);
    body = Jwks({&k2_});
  }
  LetTheMinimumIntervalPass();
  // The token that names the new kid is refused, and asks for a refetch.
  EXPECT_EQ(Verify(Token(k2_)), FailureReason::kUnknownKid);
  ASSERT_TRUE(RunUntil([&] { return origin.request_count() == 2; }));
  ASSERT_TRUE(RunUntil([&] { return Verify(Token(k1_)) == FailureReason::kUnknownKid; }));
  EXPECT_TRUE(Verifies(k2_));  // the next one is accepted
}

TEST_F(JwksFetcherTest, ABurstOfUnknownKidsCausesOneFetchPerMinimumInterval) {
  const std::string body = Jwks({&k1_});
  OriginServer origin([&](const OriginRequest&) { return Serve(body); });
  JwksFetcherOptions options = FastOptions();
  options.min_refetch_interval = 500ms;
  Start(origin.Url("/jwks"), options);
  ASSERT_TRUE(RunUntil([&] { return Verifies(k1_); }));
  const auto fetched = std::chrono::steady_clock::now();
  const auto burst = [&](const std::string& prefix) {
    for (int i = 0; i < 50; ++i) {
      ASSERT_EQ(Verify(Token(WithKid(k1_, prefix + std::to_string(i)))), FailureReason::kUnknownKid);
    }
  };
  burst("early-");  // within the interval of the first fetch: no fetch
  RunUntil([&] { return std::chrono::steady_clock::now() > fetched + 500ms; });
  EXPECT_EQ(origin.request_count(), 1u);
  burst("a-");
  ASSERT_TRUE(RunUntil([&] { return origin.request_count() == 2; }));
  const auto refetched = std::chrono::steady_clock::now();
  burst("b-");
  RunUntil([&] { return std::chrono::steady_clock::now() > refetched + 300ms; });
  EXPECT_EQ(origin.request_count(), 2u);
  RunUntil([&] { return std::chrono::steady_clock::now() > refetched + 600ms; });
  burst("c-");
  EXPECT_TRUE(RunUntil([&] { return origin.request_count() == 3; }));
}

TEST_F(JwksFetcherTest, KeepsTheLastGoodKeysWhateverTheIssuerAnswersAndWhenItIsGone) {
  const std::string good = Jwks({&k1_});
  const std::vector<std::pair<std::string, OriginReply>> failures{
      {"answered 500", OriginReply{500, "oops", "", "", 0ms}},
      {"JWKS is not a JSON object", Serve("not json")},
      {"JWKS has no usable signing key", Serve(R"({"keys":[]})")},
      {"a symmetric (oct) key is published at a URL",
       Serve(R"({"keys":[{"kty":"oct","kid":"s","alg":"HS256","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI"}]})")},
      {"answered 302 (redirects are not followed)", OriginReply{302, "", "", "/elsewhere", 0ms}},
  };
  std::mutex mutex;
  OriginReply next = Serve(good);
  OriginServer origin([&](const OriginRequest&) {
    const std::lock_guard lock(mutex);
    return next;
  });
  StderrCapture log;
  JwksFetcherOptions options = FastOptions();
  options.first_retry = 10s;  // only the refetches asked for below
  Start(origin.Url("/jwks"), options);
  ASSERT_TRUE(RunUntil([&] { return Verifies(k1_); }));
  std::size_t failed = 0;
  for (const auto& [reason, reply] : failures) {
    {
      const std::lock_guard lock(mutex);
      next = reply;
    }
    LetTheMinimumIntervalPass();
    fetcher_->RequestRefetch(kIssuer);
    ++failed;
    ASSERT_TRUE(RunUntil([&] { return log.Count("jwks_fetch_failed") == failed; })) << reason;
    EXPECT_NE(log.Text().find(reason), std::string::npos) << reason;
    EXPECT_TRUE(Verifies(k1_)) << reason;
  }
  origin.Close();
  LetTheMinimumIntervalPass();
  fetcher_->RequestRefetch(kIssuer);
  ASSERT_TRUE(RunUntil([&] { return log.Count("jwks_fetch_failed") == failed + 1; }));
  EXPECT_NE(log.Text().find("cannot connect"), std::string::npos);
  EXPECT_TRUE(Verifies(k1_));
  EXPECT_NE(log.Text().find(R"("issuer":"https://idp.example")"), std::string::npos);
}

TEST_F(JwksFetcherTest, RefusesAJwksLargerThanTheLimit) {
  const std::string body = Jwks({&k1_}) + std::string(2048, ' ');
  OriginServer origin([&](const OriginRequest&) { return Serve(body); });
  StderrCapture log;
  JwksFetcherOptions options = FastOptions();
  options.http.max_body_bytes = 1024;
  options.first_retry = 10s;
  Start(origin.Url("/jwks"), options);
  ASSERT_TRUE(RunUntil([&] { return log.Count("jwks_fetch_failed") == 1; }));
  EXPECT_NE(log.Text().find("larger than 1024 bytes"), std::string::npos);
  EXPECT_EQ(Verify(Token(k1_)), FailureReason::kUnknownKid);
}

TEST_F(JwksFetcherTest, GivesUpOnAnIssuerSlowerThanTheTimeoutWithoutHoldingUpStartUp) {
  OriginServer origin([&](const OriginRequest&) { return OriginReply{200, Jwks({&k1_}), "", "", 10s}; });
  StderrCapture log;
  JwksFetcherOptions options = FastOptions();
  options.http.timeout = 1s;
  options.first_retry = 10s;
  const auto start = std::chrono::steady_clock::now();
  Start(origin.Url("/jwks"), options);
  // Waiting for the fetch would take the whole timeout; half of it leaves
  // room for a loaded machine under sanitizers.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
  ASSERT_TRUE(RunUntil([&] { return log.Count("jwks_fetch_failed") == 1; }));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_NE(log.Text().find("no complete answer within 1000 ms"), std::string::npos);
  EXPECT_EQ(Verify(Token(k1_)), FailureReason::kUnknownKid);
}

TEST_F(JwksFetcherTest, RetriesWithBackoffUntilTheIssuerAnswers) {
  const std::string body = Jwks({&k1_});
  std::atomic<int> calls{0};
  OriginServer origin([&](const OriginRequest&) {
    return ++calls <= 2 ? OriginReply{503, "", "", "", 0ms} : Serve(body);
  });
  StderrCapture log;
  JwksFetcherOptions options = FastOptions();
  options.min_refetch_interval = 10s;  // no token can ask for these fetches
  Start(origin.Url("/jwks"), options);
  ASSERT_TRUE(RunUntil([&] { return origin.request_count() == 3; }));
  ASSERT_TRUE(RunUntil([&] { return Verifies(k1_); }));
  EXPECT_EQ(log.Count("jwks_fetch_failed"), 2u);
  EXPECT_EQ(log.Count("answered 503"), 2u);
}

TEST_F(JwksFetcherTest, RefreshesAsCacheControlSaysWithinTheMinimumAndTheRefresh) {
  std::mutex mutex;
  std::vector<std::chrono::steady_clock::time_point> arrivals;
  const std::string body = Jwks({&k1_});
  OriginServer origin([&](const OriginRequest&) {
    const std::lock_guard lock(mutex);
    arrivals.push_back(std::chrono::steady_clock::now());
    return Serve(body, "public, max-age=0");
  });
  JwksFetcherOptions options = FastOptions();
  options.min_refetch_interval = 150ms;
  Start(origin.Url("/jwks"), options);
  ASSERT_TRUE(RunUntil([&] { return origin.request_count() == 3; }));
  const std::lock_guard lock(mutex);
  EXPECT_GE(arrivals[2] - arrivals[1], 100ms);  // max-age=0, but never sooner than the minimum
}

TEST_F(JwksFetcherTest, ALongMaxAgeIsCutToTheRefreshInterval) {
  const std::string body = Jwks({&k1_});
  OriginServer origin([&](const OriginRequest&) { return Serve(body, "max-age=86400"); });
  JwksFetcherOptions options = FastOptions();
  options.refresh = 200ms;
  options.min_refetch_interval = 100ms;
  Start(origin.Url("/jwks"), options);
  EXPECT_TRUE(RunUntil([&] { return origin.request_count() == 2; }, 3s));
}

TEST_F(JwksFetcherTest, AnUnchangedDocumentIsNotInstalledAgain) {
  const std::string body = Jwks({&k1_});
  OriginServer origin([&](const OriginRequest&) { return Serve(body); });
  StderrCapture log;
  Start(origin.Url("/jwks"), FastOptions());
  ASSERT_TRUE(RunUntil([&] { return Verifies(k1_); }));
  // Asks until a fourth fetch starts: the answers to the second and the
  // third have then been handled.
  ASSERT_TRUE(RunUntil([&] {
    fetcher_->RequestRefetch(kIssuer);
    return origin.request_count() == 4;
  }));
  EXPECT_EQ(log.Count("jwks_installed"), 1u);
}

TEST_F(JwksFetcherTest, KeepsTheIssuersLocalKeysBesideTheFetchedOnes) {
  const SigningKey local = GenerateKey(Algorithm::kEs256, "pinned");
  std::string body = Jwks({&k1_});
  std::mutex mutex;
  OriginServer origin([&](const OriginRequest&) {
    const std::lock_guard lock(mutex);
    return Serve(body);
  });
  Start(origin.Url("/jwks"), FastOptions(), {testing::VerificationKey(local)});
  EXPECT_TRUE(Verifies(local));  // before any fetch
  ASSERT_TRUE(RunUntil([&] { return Verifies(k1_); }));
  EXPECT_TRUE(Verifies(local));
  {
    const std::lock_guard lock(mutex);
    body = Jwks({&k2_});
  }
  LetTheMinimumIntervalPass();
  EXPECT_EQ(Verify(Token(k2_)), FailureReason::kUnknownKid);
  ASSERT_TRUE(RunUntil([&] { return Verifies(k2_); }));
  EXPECT_TRUE(Verifies(local));
  EXPECT_EQ(Verify(Token(k1_)), FailureReason::kUnknownKid);
}

TEST_F(JwksFetcherTest, FetchesOverHttpsTrustingOnlyTheConfiguredCa) {
  const mcpgw::testing::TestCa ca(mcpgw::testing::TestDir("jwks"), "idp");
  const auto files = ca.Issue("idp", "idp-server", 2, mcpgw::testing::CertificateUse::kServer);
  const std::string body = Jwks({&k1_});
  OriginServer origin([&](const OriginRequest&) { return Serve(body); }, &files);
  JwksFetcherOptions options = FastOptions();
  options.http.ca_file = ca.cert_file();
  Start(origin.Url("/jwks"), options);
  EXPECT_TRUE(RunUntil([&] { return Verifies(k1_); }));
}

TEST_F(JwksFetcherTest, RefusesAnIssuerWhoseCertificateIsNotTrusted) {
  const mcpgw::testing::TestCa ca(mcpgw::testing::TestDir("jwks"), "rogue");
  const auto files = ca.Issue("rogue", "idp-server", 2, mcpgw::testing::CertificateUse::kServer);
  const std::string body = Jwks({&k1_});
  OriginServer origin([&](const OriginRequest&) { return Serve(body); }, &files);
  StderrCapture log;
  JwksFetcherOptions options = FastOptions();
  options.first_retry = 10s;
  Start(origin.Url("/jwks"), options);
  ASSERT_TRUE(RunUntil([&] { return log.Count("jwks_fetch_failed") == 1; }));
  EXPECT_NE(log.Text().find("certificate verify failed"), std::string::npos);
  EXPECT_EQ(Verify(Token(k1_)), FailureReason::kUnknownKid);
  EXPECT_EQ(origin.request_count(), 0u);
}

TEST_F(JwksFetcherTest, FetchesNothingOnceStopped) {
  const std::string body = Jwks({&k1_});
  OriginServer origin([&](const OriginRequest&) { return Serve(body); });
  Start(origin.Url("/jwks"), FastOptions());
  ASSERT_TRUE(RunUntil([&] { return Verifies(k1_); }));
  fetcher_->Stop();
  EXPECT_EQ(Verify(Token(k2_)), FailureReason::kUnknownKid);
  fetcher_->RequestRefetch(kIssuer);
  io_.run_for(200ms);
  EXPECT_EQ(origin.request_count(), 1u);
}

TEST(BearerUnknownKidHook, IsCalledOnlyForAnUnknownKidOfAnIssuerWhoseKeysComeFromAUrl) {
  const SigningKey key = GenerateKey(Algorithm::kEs256, "k1");
  const SigningKey other = GenerateKey(Algorithm::kEs256, "k9");
  auto trusted = [&](const std::string& name, bool from_url) {
    TrustedIssuer issuer;
    issuer.policy.issuer = name;
    issuer.keys = std::make_shared<const KeySet>(std::vector<Key>{testing::VerificationKey(key)});
    issuer.keys_from_url = from_url;
    return issuer;
  };
  BearerAuthenticator auth({trusted(kIssuer, true), trusted("local", false)}, 16);
  std::vector<std::string> asked;
  auth.OnUnknownKid([&](std::string_view issuer) { asked.emplace_back(issuer); });
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const auto token = [&](const SigningKey& k, const std::string& iss) {
    return Mint(k, {{"iss", iss}, {"sub", "a"}, {"aud", kAudience}, {"iat", now}, {"exp", now + 60}});
  };
  EXPECT_EQ(ReasonOf(auth.Authenticate(token(other, "local"), kAudience)), FailureReason::kUnknownKid);
  EXPECT_EQ(ReasonOf(auth.Authenticate(token(key, kIssuer), kAudience)), std::nullopt);
  EXPECT_EQ(ReasonOf(auth.Authenticate(token(key, "local"), kAudience)), std::nullopt);
  EXPECT_TRUE(asked.empty());
  EXPECT_EQ(ReasonOf(auth.Authenticate(token(other, kIssuer), kAudience)), FailureReason::kUnknownKid);
  EXPECT_EQ(asked, std::vector<std::string>{kIssuer});
}

}  // namespace
}  // namespace mcpgw::auth
