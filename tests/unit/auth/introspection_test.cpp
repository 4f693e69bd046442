// Token introspection (RFC 7662) against a real authorization server
// endpoint on a random loopback port: what an answer means, what is cached
// and for how long (never past `exp`), bounded caches, one call for
// concurrent requests, and the token only ever in the request body.
#include "auth/introspection.h"

#include "support/origin_server.h"
#include "support/stderr_capture.h"
#include "support/test_files.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <map>
#include <mutex>

namespace mcpgw::auth {
namespace {

using mcpgw::testing::OriginReply;
using mcpgw::testing::OriginRequest;
using mcpgw::testing::OriginServer;
using mcpgw::testing::StderrCapture;
using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr std::int64_t kNow = 1'800'000'000;
const std::chrono::system_clock::time_point kNowPoint{std::chrono::seconds(kNow)};
constexpr char kAudience[] = "https://gw.example/mcp/memory";

json Active(std::int64_t exp = kNow + 600) {
  return {{"active", true},   {"iss", "https://as.example"}, {"sub", "alice"},       {"aud", {kAudience, "urn:other"}},
          {"scope", "read write"}, {"client_id", "app"},   {"exp", exp},         {"iat", kNow - 10},
          {"jti", "t-1"}};
}

OriginReply Answer(const json& body) { return OriginReply{200, body.dump(), "", "", 0ms}; }

// The `token` parameter of a form body.
std::string TokenOf(const std::string& body) {
  const auto start = body.find("token=");
  return start == std::string::npos ? "" : body.substr(start + 6, body.find('&', start) - start - 6);
}

class IntrospectionTest : public ::testing::Test {
 protected:
  IntrospectionTest()
      : origin_([this](const OriginRequest& request) {
          const std::lock_guard lock(mutex_);
          const auto found = replies_.find(TokenOf(request.body));
          return found != replies_.end() ? found->second : Answer({{"active", false}});
        }) {}

  void Answering(const std::string& token, OriginReply reply) {
    const std::lock_guard lock(mutex_);
    replies_[token] = std::move(reply);
  }

  IntrospectionOptions Options() const {
    IntrospectionOptions options;
    options.endpoint = std::get<net::Url>(net::ParseUrl(origin_.Url("/introspect")));
    options.client_id = "my:client";
    options.client_secret = "s\xc3\xa9" "cret x~";
    options.http.timeout = 2s;
    return options;
  }

  void Create(IntrospectionOptions options) {
    auto created = Introspector::Create(io_.get_executor(), std::move(options));
    ASSERT_TRUE(std::holds_alternative<std::shared_ptr<Introspector>>(created)) << std::get<std::string>(created);
    introspector_ = std::get<std::shared_ptr<Introspector>>(std::move(created));
  }

  Introspector::Outcome Ask(const std::string& token, std::chrono::system_clock::time_point now = kNowPoint) {
    std::optional<Introspector::Outcome> outcome;
    introspector_->Introspect(token, [&](Introspector::Outcome o) { outcome = std::move(o); }, now);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!outcome && std::chrono::steady_clock::now() < deadline) io_.run_one_for(5ms);
    return outcome ? *std::move(outcome) : Failure{FailureReason::kMalformed, "never answered"};
  }

  static std::optional<FailureReason> ReasonOf(const Introspector::Outcome& outcome) {
    if (const auto* failure = std::get_if<Failure>(&outcome)) return failure->reason;
    return std::nullopt;
  }
  static std::string MessageOf(const Introspector::Outcome& outcome) {
    const auto* failure = std::get_if<Failure>(&outcome);
    return failure != nullptr ? failure->message : "";
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
  std::mutex mutex_;
  std::map<std::string, OriginReply> replies_;
  OriginServer origin_;
  std::shared_ptr<Introspector> introspector_;
};

TEST_F(IntrospectionTest, AcceptsAnActiveTokenAndReadsItsClaimsButNotItsAudience) {
  Create(Options());
  Answering("opaque-1", Answer(Active()));
  const auto outcome = Ask("opaque-1");
  ASSERT_EQ(ReasonOf(outcome), std::nullopt) << MessageOf(outcome);
  const Claims& claims = *std::get<std::shared_ptr<const Claims>>(outcome);
  EXPECT_EQ(claims.issuer, "https://as.example");
  EXPECT_EQ(claims.subject, "alice");
  EXPECT_EQ(claims.tenant, "alice");
  EXPECT_EQ(claims.audiences, (std::vector<std::string>{kAudience, "urn:other"}));
  EXPECT_EQ(claims.scopes, (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ(claims.client_id, "app");
  EXPECT_EQ(claims.token_id, "t-1");
  EXPECT_EQ(claims.expires_at.time_since_epoch(), std::chrono::seconds(kNow + 600));
  EXPECT_EQ(claims.issued_at.time_since_epoch(), std::chrono::seconds(kNow - 10));
  EXPECT_TRUE(MatchesAudience(claims, kAudience));
  EXPECT_FALSE(MatchesAudience(claims, "https://gw.example/mcp/git"));

  ASSERT_EQ(origin_.request_count(), 1u);
  const OriginRequest request = origin_.requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/introspect");
  EXPECT_EQ(request.content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(request.body, "token=opaque-1&token_type_hint=access_token");
  // RFC 6749 2.3.1: base64("my%3Aclient" ":" "s%C3%A9cret+x%7E").
  EXPECT_EQ(request.authorization, "Basic bXklM0FjbGllbnQ6cyVDMyVBOWNyZXQreCU3RQ==");
}

TEST_F(IntrospectionTest, TakesTheTenantFromTheConfiguredClaim) {
  IntrospectionOptions options = Options();
  options.tenant_claim = "org";
  Create(options);
  json with_org = Active();
  with_org["org"] = "acme";
  Answering("with-org", Answer(with_org));
  Answering("without-org", Answer(Active()));
  const auto outcome = Ask("with-org");
  ASSERT_EQ(ReasonOf(outcome), std::nullopt) << MessageOf(outcome);
  EXPECT_EQ(std::get<std::shared_ptr<const Claims>>(outcome)->tenant, "acme");
  EXPECT_EQ(ReasonOf(Ask("without-org")), FailureReason::kMissingClaim);
}

TEST_F(IntrospectionTest, RefusesAnInactiveTokenAndRemembersThatBriefly) {
  Create(Options());
  Answering("revoked", Answer({{"active", false}}));
  EXPECT_EQ(ReasonOf(Ask("revoked")), FailureReason::kInactive);
  EXPECT_EQ(ReasonOf(Ask("revoked", kNowPoint + 29s)), FailureReason::kInactive);
  EXPECT_EQ(origin_.request_count(), 1u);
  EXPECT_EQ(ReasonOf(Ask("revoked", kNowPoint + 30s)), FailureReason::kInactive);
  EXPECT_EQ(origin_.request_count(), 2u);
}

TEST_F(IntrospectionTest, RefusesAnActiveAnswerThatIsExpiredOrIncomplete) {
  Create(Options());
  Answering("expired", Answer(Active(kNow - 1)));
  json no_exp = Active();
  no_exp.erase("exp");
  Answering("no-exp", Answer(no_exp));
  json no_sub = Active();
  no_sub.erase("sub");
  Answering("no-sub", Answer(no_sub));
  json bad_aud = Active();
  bad_aud["aud"] = 42;
  Answering("bad-aud", Answer(bad_aud));
  Answering("active-yes", Answer({{"active", "yes"}, {"sub", "a"}, {"exp", kNow + 60}}));
  EXPECT_EQ(ReasonOf(Ask("expired")), FailureReason::kExpired);
  EXPECT_EQ(ReasonOf(Ask("no-exp")), FailureReason::kMissingClaim);
  EXPECT_EQ(ReasonOf(Ask("no-sub")), FailureReason::kMissingClaim);
  EXPECT_EQ(ReasonOf(Ask("bad-aud")), FailureReason::kInvalidClaim);
  EXPECT_EQ(ReasonOf(Ask("active-yes")), FailureReason::kIntrospectionUnavailable);
}

TEST_F(IntrospectionTest, RefusesAnAnswerOfAnotherIssuerWhenOneIsConfigured) {
  IntrospectionOptions options = Options();
  options.issuer = "https://as.example";
  Create(options);
  json other = Active();
  other["iss"] = "https://evil.example";
  json none = Active();
  none.erase("iss");
  Answering("ours", Answer(Active()));
  Answering("other", Answer(other));
  Answering("none", Answer(none));
  EXPECT_EQ(ReasonOf(Ask("ours")), std::nullopt);
  EXPECT_EQ(ReasonOf(Ask("other")), FailureReason::kWrongIssuer);
  EXPECT_EQ(ReasonOf(Ask("none")), FailureReason::kWrongIssuer);
}

TEST_F(IntrospectionTest, CachesAnActiveAnswerUntilItsExpButNeverPastIt) {
  Create(Options());
  Answering("short", Answer(Active(kNow + 100)));
  EXPECT_EQ(ReasonOf(Ask("short")), std::nullopt);
  EXPECT_EQ(ReasonOf(Ask("short", kNowPoint + 99s)), std::nullopt);
  EXPECT_EQ(origin_.request_count(), 1u);
  EXPECT_EQ(ReasonOf(Ask("short", kNowPoint + 100s)), FailureReason::kExpired);
  EXPECT_EQ(origin_.request_count(), 2u);
}

TEST_F(IntrospectionTest, NeverTrustsACachedAnswerLongerThanMaxCache) {
  IntrospectionOptions options = Options();
  options.max_cache = 60s;
  Create(options);
  Answering("long", Answer(Active(kNow + 1000)));
  EXPECT_EQ(ReasonOf(Ask("long")), std::nullopt);
  EXPECT_EQ(ReasonOf(Ask("long", kNowPoint + 59s)), std::nullopt);
  EXPECT_EQ(origin_.request_count(), 1u);
  EXPECT_EQ(ReasonOf(Ask("long", kNowPoint + 60s)), std::nullopt);
  EXPECT_EQ(origin_.request_count(), 2u);
}

TEST_F(IntrospectionTest, NoAnswerIsUnavailableAndNeverCached) {
  IntrospectionOptions options = Options();
  options.http.timeout = 200ms;
  Create(options);
  const std::vector<std::pair<OriginReply, std::string>> cases{
      {OriginReply{200, Active().dump(), "", "", 5s}, "no complete answer within 200 ms"},
      {OriginReply{503, "", "", "", 0ms}, "answered 503"},
      {OriginReply{401, "", "", "", 0ms}, "check auth.introspection.client_id"},
      {OriginReply{200, "<html>", "", "", 0ms}, "not a JSON object"},
  };
  std::size_t requests = 0;
  for (const auto& [reply, expected] : cases) {
    Answering("flaky", reply);
    for (int attempt = 0; attempt < 2; ++attempt) {
      const auto outcome = Ask("flaky");
      EXPECT_EQ(ReasonOf(outcome), FailureReason::kIntrospectionUnavailable) << expected;
      EXPECT_NE(MessageOf(outcome).find(expected), std::string::npos) << MessageOf(outcome);
      ASSERT_TRUE(origin_.WaitForRequests(++requests, 5s)) << expected;  // asked again: nothing was cached
    }
  }
}

TEST_F(IntrospectionTest, BoundsBothCaches) {
  IntrospectionOptions options = Options();
  options.cache_entries = 2;
  Create(options);
  for (const char* token : {"a", "b", "c"}) Answering(token, Answer(Active()));
  for (const char* token : {"a", "b", "c"}) ASSERT_EQ(ReasonOf(Ask(token)), std::nullopt);
  EXPECT_EQ(origin_.request_count(), 3u);
  EXPECT_EQ(ReasonOf(Ask("c")), std::nullopt);  // kept
  EXPECT_EQ(origin_.request_count(), 3u);
  EXPECT_EQ(ReasonOf(Ask("a")), std::nullopt);  // evicted by c
  EXPECT_EQ(origin_.request_count(), 4u);
  for (const char* token : {"x", "y", "z", "x"}) EXPECT_EQ(ReasonOf(Ask(token)), FailureReason::kInactive);
  EXPECT_EQ(origin_.request_count(), 8u);
  EXPECT_EQ(ReasonOf(Ask("c")), std::nullopt);  // refusals do not evict active answers
  EXPECT_EQ(origin_.request_count(), 8u);
}

TEST_F(IntrospectionTest, ConcurrentRequestsForOneTokenShareOneCall) {
  Create(Options());
  Answering("popular", OriginReply{200, Active().dump(), "", "", 100ms});
  std::vector<Introspector::Outcome> outcomes;
  for (int i = 0; i < 5; ++i) {
    introspector_->Introspect("popular", [&](Introspector::Outcome o) { outcomes.push_back(std::move(o)); }, kNowPoint);
  }
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (outcomes.size() < 5 && std::chrono::steady_clock::now() < deadline) io_.run_one_for(5ms);
  ASSERT_EQ(outcomes.size(), 5u);
  for (const auto& outcome : outcomes) EXPECT_EQ(ReasonOf(outcome), std::nullopt);
  EXPECT_EQ(origin_.request_count(), 1u);
}

TEST_F(IntrospectionTest, RefusesATooLargeTokenWithoutAsking) {
  IntrospectionOptions options = Options();
  options.max_token_bytes = 100;
  Create(options);
  EXPECT_EQ(ReasonOf(Ask(std::string(101, 'a'))), FailureReason::kTooLarge);
  EXPECT_EQ(ReasonOf(Ask("")), FailureReason::kMalformed);
  EXPECT_EQ(origin_.request_count(), 0u);
}

TEST_F(IntrospectionTest, TheTokenTravelsOnlyInTheRequestBodyAndIsNeverLoggedOrInAMessage) {
  IntrospectionOptions options = Options();
  // Short enough to time out on the slow answer, long enough that a loaded
  // machine still sends every request before it does.
  options.http.timeout = 1s;
  Create(options);
  StderrCapture log;
  const std::vector<std::pair<std::string, OriginReply>> cases{
      {"tok-active-7f3a", Answer(Active())},
      {"tok-inactive-7f3a", Answer({{"active", false}})},
      {"tok-expired-7f3a", Answer(Active(kNow - 5))},
      {"tok-slow-7f3a", OriginReply{200, "{}", "", "", 5s}},
      {"tok-error-7f3a", OriginReply{500, "tok-error-7f3a", "", "", 0ms}},
      {"tok-garbage-7f3a", OriginReply{200, "tok-garbage-7f3a", "", "", 0ms}},
  };
  std::string messages;
  for (const auto& [token, reply] : cases) {
    Answering(token, reply);
    messages += MessageOf(Ask(token)) + "\n";
  }
  // The origin records a request when it has read it, which may be after
  // the client timed out on it (the slow case).
  ASSERT_TRUE(origin_.WaitForRequests(cases.size(), 10s)) << origin_.request_count() << " requests";
  const std::string logged = log.Text();
  for (const auto& [token, reply] : cases) {
    EXPECT_EQ(messages.find(token), std::string::npos) << token << " in " << messages;
    EXPECT_EQ(logged.find(token), std::string::npos) << token << " logged";
  }
  for (const OriginRequest& request : origin_.requests()) {
    EXPECT_EQ(request.target, "/introspect");
    EXPECT_EQ(request.raw_header.find("7f3a"), std::string::npos) << request.raw_header;
    EXPECT_NE(request.body.find("7f3a"), std::string::npos);
  }
  EXPECT_EQ(origin_.request_count(), cases.size());
}

class MakeIntrospectorTest : public IntrospectionTest {
 protected:
  config::Auth Auth() const {
    config::Auth auth;
    auth.configured = true;
    auth.tenant_claim = "sub";
    auth.introspection.configured = true;
    auth.introspection.endpoint = origin_.Url("/introspect");
    auth.introspection.client_id = "gw";
    return auth;
  }
  static std::string SecretFile(const std::string& name, const std::string& bytes) {
    return mcpgw::testing::WriteTestFile("introspection", name, bytes);
  }
};

TEST_F(MakeIntrospectorTest, ReadsTheClientSecretFromItsFileWithoutTheLineBreak) {
  config::Auth auth = Auth();
  auth.introspection.client_secret_file = SecretFile("secret", "s3cret\n");
  auto made = MakeIntrospector(auth, io_.get_executor());
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<Introspector>>(made)) << std::get<std::string>(made);
  introspector_ = std::get<std::shared_ptr<Introspector>>(std::move(made));
  Answering("t", Answer(Active()));
  EXPECT_EQ(ReasonOf(Ask("t")), std::nullopt);
  EXPECT_EQ(origin_.requests().at(0).authorization, "Basic Z3c6czNjcmV0");  // gw:s3cret
}

TEST_F(MakeIntrospectorTest, NamesTheSettingWhenTheSecretIsMissing) {
  config::Auth auth = Auth();
  auth.introspection.client_secret_env = "MCPGW_TEST_UNSET_INTROSPECTION_SECRET";
  auto unset = MakeIntrospector(auth, io_.get_executor());
  ASSERT_TRUE(std::holds_alternative<std::string>(unset));
  EXPECT_EQ(std::get<std::string>(unset),
            "auth.introspection.client_secret_env: the environment variable MCPGW_TEST_UNSET_INTROSPECTION_SECRET "
            "is not set");
  auth.introspection.client_secret_env.clear();
  auth.introspection.client_secret_file = SecretFile("empty", "\n");
  auto empty = MakeIntrospector(auth, io_.get_executor());
  ASSERT_TRUE(std::holds_alternative<std::string>(empty));
  EXPECT_NE(std::get<std::string>(empty).find("auth.introspection.client_secret_file"), std::string::npos);
  EXPECT_NE(std::get<std::string>(empty).find("is empty"), std::string::npos);
}

}  // namespace
}  // namespace mcpgw::auth
