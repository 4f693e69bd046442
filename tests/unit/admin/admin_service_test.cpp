// AdminService: only a credential for the admin audience holding the admin
// scope may act (exact challenges otherwise); revocations get their defaults
// and refusals here; a limit is peeked under the same key the limiter
// charges; every action, refused or not, leaves one audit line without the
// credential.
//
// The revocation store and the limiter are small in-test FAKES of the
// in-tree interfaces revocation::Store and limits::Limiter, so that each
// test controls what the store answers; the real stores are tested in their
// own suites and under the real binary in tests/integration/admin_test.cpp.
#include "admin/admin_service.h"

#include "admin/views.h"
#include "audit/audit.h"
#include "crypto/base64.h"
#include "crypto/hmac.h"
#include "limits/charges.h"
#include "unit/auth/test_signer.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace mcpgw::admin {
namespace {

using json = nlohmann::json;
using std::chrono::sys_seconds;

constexpr char kIssuer[] = "https://idp.example";
constexpr char kAdminAudience[] = "urn:mcp-gateway:admin";
constexpr char kRoute[] = "https://gw.example/mcp/memory";
constexpr int64_t kNow = 1'800'000'000;
// A test credential (not a secret anywhere): only its SHA-256 is configured.
constexpr char kApiKey[] = "mcpgw_admin-unit-test-key-0123456789abcdefghijklmnop";

// FAKE of revocation::Store: holds entries in the real RevocationList; a
// test can make the next write fail.
class FakeStore : public revocation::Store {
 public:
  void Add(revocation::Entry entry, Done done) override {
    if (!fail_with.empty()) return done(false, fail_with);
    list_.Put(std::move(entry));
    done(true, "");
  }
  void Withdraw(revocation::Kind kind, std::string value, Done done) override {
    if (!fail_with.empty()) return done(false, fail_with);
    const auto entries = list_.Entries();
    const bool present = std::any_of(entries.begin(), entries.end(),
                                     [&](const revocation::Entry& e) { return e.kind == kind && e.value == value; });
    if (!present) return done(false, "not revoked");
    list_.Remove(kind, value);
    done(true, "");
  }
  const revocation::RevocationList& list() const override { return list_; }
  revocation::Health health() const override { return health_state; }

  std::string fail_with;
  revocation::Health health_state;

 private:
  revocation::RevocationList list_;
};

// FAKE of limits::Limiter: answers Peek with a fixed state and records the
// keys asked; Decide (charging) must never be called by the admin API.
class FakeLimiter : public limits::Limiter {
 public:
  void Decide(std::vector<limits::Charge>, limits::Clock::time_point, std::function<void(limits::Decision)>) override {
    ++decisions;
  }
  void Peek(limits::Charge charge, limits::Clock::time_point, std::function<void(std::optional<limits::PolicyState>)> done) override {
    peeked.push_back(charge.key);
    limits::PolicyState s;
    s.policy = charge.policy->name;
    s.limit = charge.policy->limit;
    s.window = std::chrono::seconds(charge.policy->window_s);
    s.used = 3;
    s.remaining = s.limit - 3;
    done(s);
  }
  int decisions = 0;
  std::vector<std::string> peeked;
};

config::Config MakeConfig() {
  config::Config c;
  c.admin.enabled = true;
  c.auth.max_token_lifetime_s = 3600;
  config::ApiKey key;
  key.name = "ops-bot";
  key.sha256 = crypto::HexEncode(crypto::Sha256(kApiKey));
  key.audiences = {kAdminAudience};
  key.scopes = {"mcpgw:admin"};
  c.auth.api_keys.push_back(key);
  config::LimitPolicy policy;
  policy.name = "per-subject-tool";
  policy.by = {config::LimitDimension::kSubject, config::LimitDimension::kTool};
  policy.limit = 10;
  policy.window_s = 60;
  c.rate_limits.policies.push_back(policy);
  return c;
}

class AdminServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    audit_path_ = (std::filesystem::temp_directory_path() /
                   ("mcpgw-admin-audit-" + std::to_string(::getpid()) + "-" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl"))
                      .string();
    std::filesystem::remove(audit_path_);
    ASSERT_EQ(audit::Open(audit_path_), "");

    auth::JwtPolicy policy;
    policy.issuer = kIssuer;
    auto bearer = std::make_unique<auth::BearerAuthenticator>(
        std::vector<auth::TrustedIssuer>{
            {policy, std::make_shared<const auth::KeySet>(std::vector<auth::Key>{auth::testing::VerificationKey(key_)})}},
        64);
    admission_ = std::make_unique<pipeline::Admission>(std::move(bearer),
                                                       std::make_unique<auth::ApiKeys>(config_.auth.api_keys));
    Dependencies deps;
    deps.config = &config_;
    deps.admission = admission_.get();
    deps.revocations = &store_;
    deps.limiter = &limiter_;
    deps.policies = [this] {
      return std::make_shared<const std::vector<config::LimitPolicy>>(config_.rate_limits.policies);
    };
    deps.plugins = [] { return std::vector<PluginStatus>{{"memory", "memory.so", "1.0.0", true, true, 4, 256, 0}}; };
    deps.routes = [] { return std::vector<RouteStatus>{{"memory", "/mcp/memory", kRoute, "memory", true, 9}}; };
    deps.reload = [this] { return reload_; };
    deps.clock = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(kNow)); };
    service_ = std::make_unique<AdminService>(std::move(deps));
  }
  void TearDown() override {
    ASSERT_EQ(audit::Open(""), "");
    std::filesystem::remove(audit_path_);
  }

  std::string Token(const std::string& audience, const std::string& scope) {
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    return auth::testing::Mint(key_, {{"iss", kIssuer}, {"sub", "alice"}, {"aud", audience}, {"iat", now - 5},
                                      {"exp", now + 300}, {"jti", "t-1"}, {"scope", scope}});
  }

  Result<Principal> Authorize(const pipeline::Credentials& credentials, const std::string& action = "list_routes") {
    std::optional<Result<Principal>> out;
    service_->Authorize(credentials, action, nullptr, [&](Result<Principal> r) { out = std::move(r); });
    EXPECT_TRUE(out.has_value());
    return std::move(*out);
  }

  Principal Admin() {
    Principal p = NamedPrincipal("alice", "alice", "", {"mcpgw:admin"});
    p.method = "bearer";
    p.credential_id = "0123456789ab";
    return p;
  }

  Result<revocation::Entry> Revoke(RevokeRequest request) {
    std::optional<Result<revocation::Entry>> out;
    service_->Revoke(Admin(), std::move(request), [&](Result<revocation::Entry> r) { out = std::move(r); });
    EXPECT_TRUE(out.has_value());
    return std::move(*out);
  }

  Result<limits::PolicyState> Peek(const std::string& policy, std::map<std::string, std::string> key) {
    std::optional<Result<limits::PolicyState>> out;
    service_->PeekLimit(Admin(), policy, std::move(key), [&](Result<limits::PolicyState> r) { out = std::move(r); });
    EXPECT_TRUE(out.has_value());
    return std::move(*out);
  }

  Result<std::monostate> Withdraw(const std::string& kind, const std::string& value) {
    std::optional<Result<std::monostate>> out;
    service_->Withdraw(Admin(), kind, value, [&](Result<std::monostate> r) { out = std::move(r); });
    EXPECT_TRUE(out.has_value());
    return std::move(*out);
  }

  std::vector<json> AuditLines() {
    audit::Flush();
    std::ifstream in(audit_path_);
    std::vector<json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
  }
  std::string AuditText() {
    audit::Flush();
    std::ifstream in(audit_path_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  template <class T>
  static Status StatusOf(const Result<T>& r) {
    return ProblemOf(r) ? ProblemOf(r)->status : Status::kOk;
  }

  auth::testing::SigningKey key_ = auth::testing::GenerateKey(auth::Algorithm::kEs256, "k1");
  config::Config config_ = MakeConfig();
  std::unique_ptr<pipeline::Admission> admission_;
  FakeStore store_;
  FakeLimiter limiter_;
  ReloadReport reload_;
  std::unique_ptr<AdminService> service_;
  std::string audit_path_;
};

TEST_F(AdminServiceTest, RefusesACallerWithoutCredentialsWithTheBareChallengeAndAuditsIt) {
  const auto r = Authorize({});
  ASSERT_EQ(StatusOf(r), Status::kUnauthenticated);
  EXPECT_EQ(ProblemOf(r)->challenge, R"(Bearer scope="mcpgw:admin")");
  EXPECT_EQ(ProblemOf(r)->error, "unauthenticated");
  const auto lines = AuditLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["event"], "admin_action");
  EXPECT_EQ(lines[0]["action"], "list_routes");
  EXPECT_EQ(lines[0]["outcome"], "unauthenticated");
}

TEST_F(AdminServiceTest, RefusesARouteTokenAsInvalidForTheAdminAudienceWithoutLoggingIt) {
  const std::string token = Token(kRoute, "mcpgw:admin");
  const std::string header = "Bearer " + token;
  const auto r = Authorize({header, std::nullopt});
  ASSERT_EQ(StatusOf(r), Status::kUnauthenticated);
  EXPECT_EQ(ProblemOf(r)->challenge, R"(Bearer error="invalid_token", scope="mcpgw:admin")");
  EXPECT_EQ(ProblemOf(r)->error, "invalid_token");
  EXPECT_EQ(ProblemOf(r)->message.find(token), std::string::npos);
  const std::string audit_text = AuditText();
  EXPECT_NE(audit_text.find(R"("outcome":"unauthenticated")"), std::string::npos) << audit_text;
  EXPECT_EQ(audit_text.find(token), std::string::npos);
}

TEST_F(AdminServiceTest, RefusesTheAdminAudienceWithoutTheScopeAsForbidden) {
  const std::string header = "Bearer " + Token(kAdminAudience, "mcpgw:read");
  const auto r = Authorize({header, std::nullopt}, "reload");
  ASSERT_EQ(StatusOf(r), Status::kForbidden);
  EXPECT_EQ(ProblemOf(r)->challenge, R"(Bearer error="insufficient_scope", scope="mcpgw:admin")");
  const auto lines = AuditLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["outcome"], "forbidden");
  EXPECT_EQ(lines[0]["subject"], "alice");
  EXPECT_EQ(lines[0]["action"], "reload");
  EXPECT_EQ(lines[0]["credential_id"].get<std::string>().size(), 12u);
}

TEST_F(AdminServiceTest, AStaleRevocationListAnswersUnavailableNotUnauthenticated) {
  // Fail closed while the list cannot be trusted; the credential itself may
  // be fine, so the caller is told to retry, not to replace it.
  store_.health_state.fresh = false;
  admission_->UseRevocations(&store_, /*fail_closed=*/true);
  const auto r = Authorize({std::nullopt, std::string_view(kApiKey)});
  ASSERT_EQ(StatusOf(r), Status::kUnavailable);
  EXPECT_EQ(ProblemOf(r)->error, "unavailable");
  EXPECT_EQ(ProblemOf(r)->challenge, "");
  ASSERT_EQ(AuditLines().size(), 1u);
  EXPECT_EQ(AuditLines()[0]["outcome"], "unavailable");
}

TEST_F(AdminServiceTest, AdmitsAnAdminTokenAndAnAdminApiKey) {
  const std::string header = "Bearer " + Token(kAdminAudience, "mcpgw:read mcpgw:admin");
  const auto token = Authorize({header, std::nullopt});
  ASSERT_EQ(StatusOf(token), Status::kOk);
  EXPECT_EQ(std::get<Principal>(token).subject, "alice");
  const auto key = Authorize({std::nullopt, std::string_view(kApiKey)});
  ASSERT_EQ(StatusOf(key), Status::kOk);
  EXPECT_EQ(std::get<Principal>(key).subject, "ops-bot");
  EXPECT_TRUE(AuditLines().empty()) << "admission alone is no action";
}

TEST_F(AdminServiceTest, AJtiRevocationIsKeptForTheLongestTokenLifetimeByDefault) {
  const auto r = Revoke({"jti", "t-1", std::nullopt, std::nullopt, "leaked in a ticket"});
  ASSERT_EQ(StatusOf(r), Status::kOk);
  const auto& e = std::get<revocation::Entry>(r);
  EXPECT_EQ(e.until, sys_seconds(std::chrono::seconds(kNow + 3600)));
  EXPECT_EQ(e.created, sys_seconds(std::chrono::seconds(kNow)));
  EXPECT_EQ(e.by, "alice");
  EXPECT_EQ(store_.list().size(), 1u);
  const auto lines = AuditLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["action"], "revoke");
  EXPECT_EQ(lines[0]["outcome"], "ok");
  EXPECT_EQ(lines[0]["target"],
            json({{"kind", "jti"}, {"value", "t-1"}, {"reason", "leaked in a ticket"}, {"until", kNow + 3600}}));
}

TEST_F(AdminServiceTest, ASubjectRevocationCoversTokensIssuedUpToAndIncludingThisSecondByDefault) {
  const auto r = Revoke({"subject", "bob", std::nullopt, std::nullopt, ""});
  ASSERT_EQ(StatusOf(r), Status::kOk);
  // iat has whole seconds: a token minted earlier in this second is refused.
  EXPECT_EQ(std::get<revocation::Entry>(r).before, sys_seconds(std::chrono::seconds(kNow + 1)));
  EXPECT_EQ(AuditLines().at(0)["target"]["before"], kNow + 1) << "the audit line says what the revocation covers";
  const auto explicit_before = Revoke({"client", "cli-1", std::nullopt, kNow - 60, ""});
  ASSERT_EQ(StatusOf(explicit_before), Status::kOk);
  EXPECT_EQ(std::get<revocation::Entry>(explicit_before).before, sys_seconds(std::chrono::seconds(kNow - 60)));
}

TEST_F(AdminServiceTest, RefusesMalformedRevocationsWithAMessageAndStoresNothing) {
  const std::vector<std::pair<RevokeRequest, std::string>> cases = {
      {{"token", "x", {}, {}, ""}, R"(unknown revocation kind "token": use "jti", "subject" or "client")"},
      {{"jti", "", {}, {}, ""}, R"("value" is required: the jti to revoke)"},
      {{"jti", "x", {}, kNow, ""}, R"("before" applies to subject and client revocations; a jti takes "until")"},
      {{"subject", "x", kNow + 5, {}, ""}, R"("until" applies to jti revocations; a subject revocation takes "before")"},
      {{"jti", "x", kNow - 1, {}, ""}, R"("until" is in the past: a jti revocation is kept until the token's exp)"},
      {{"jti", "a\nb", {}, {}, ""}, R"("value" must not contain control characters)"},
      // Milliseconds, or a number that would overflow the expiry arithmetic.
      {{"jti", "x", 1'800'000'000'000, {}, ""},
       R"("until" is out of range: give Unix seconds (not milliseconds), at most 253402300799 (the end of 9999))"},
      {{"jti", "x", INT64_MAX, {}, ""},
       R"("until" is out of range: give Unix seconds (not milliseconds), at most 253402300799 (the end of 9999))"},
      {{"subject", "x", {}, 1'700'000'000'000, ""},
       R"("before" is out of range: give Unix seconds (not milliseconds), at most 253402300799 (the end of 9999))"},
  };
  for (const auto& [request, message] : cases) {
    const auto r = Revoke(request);
    ASSERT_EQ(StatusOf(r), Status::kInvalidArgument) << message;
    EXPECT_EQ(ProblemOf(r)->message, message);
    EXPECT_EQ(ProblemOf(r)->error, "invalid_request");
  }
  EXPECT_EQ(store_.list().size(), 0u);
  const auto lines = AuditLines();
  ASSERT_EQ(lines.size(), cases.size());
  for (const auto& line : lines) EXPECT_EQ(line["outcome"], "invalid");
}

TEST_F(AdminServiceTest, AStoreThatCannotWriteAnswersUnavailable) {
  store_.fail_with = "Redis is unreachable";
  const auto r = Revoke({"jti", "t-9", {}, {}, ""});
  ASSERT_EQ(StatusOf(r), Status::kUnavailable);
  EXPECT_EQ(ProblemOf(r)->message, "the revocation was not stored: Redis is unreachable");
}

TEST_F(AdminServiceTest, WithdrawsWhatIsRevokedAndAnswersNotFoundOtherwise) {
  ASSERT_EQ(StatusOf(Revoke({"subject", "bob", {}, {}, ""})), Status::kOk);
  const auto missing = Withdraw("subject", "carol");
  ASSERT_EQ(StatusOf(missing), Status::kNotFound);
  EXPECT_EQ(ProblemOf(missing)->message, R"(subject "carol" is not revoked)");
  store_.fail_with = "fsync failed";
  EXPECT_EQ(StatusOf(Withdraw("subject", "bob")), Status::kUnavailable) << "present but not withdrawn";
  store_.fail_with.clear();
  EXPECT_EQ(StatusOf(Withdraw("subject", "bob")), Status::kOk);
  EXPECT_EQ(store_.list().size(), 0u);
  EXPECT_EQ(StatusOf(Withdraw("kid", "bob")), Status::kInvalidArgument);
}

TEST_F(AdminServiceTest, PeeksALimitUnderTheKeyTheLimiterChargesAndChargesNothing) {
  const auto r = Peek("per-subject-tool", {{"subject", "alice"}, {"tool", "echo"}});
  ASSERT_EQ(StatusOf(r), Status::kOk);
  EXPECT_EQ(std::get<limits::PolicyState>(r).used, 3u);
  limits::RequestFacts facts;
  facts.subject = "alice";
  facts.tool = "echo";
  ASSERT_EQ(limiter_.peeked.size(), 1u);
  EXPECT_EQ(limiter_.peeked[0], limits::KeyFor(config_.rate_limits.policies[0], facts));
  EXPECT_EQ(limiter_.decisions, 0);
}

TEST_F(AdminServiceTest, RefusesAPeekAtAnUnknownPolicyOrWithTheWrongKeys) {
  const auto unknown = Peek("nope", {});
  ASSERT_EQ(StatusOf(unknown), Status::kNotFound);
  EXPECT_EQ(ProblemOf(unknown)->message, R"(no rate-limit policy named "nope" (configured: per-subject-tool))");
  const auto missing = Peek("per-subject-tool", {{"subject", "alice"}});
  ASSERT_EQ(StatusOf(missing), Status::kInvalidArgument);
  EXPECT_EQ(ProblemOf(missing)->message,
            R"("tool" is missing: policy "per-subject-tool" counts by subject, tool (an empty value stands for none))");
  const auto extra = Peek("per-subject-tool", {{"subject", "a"}, {"tool", "b"}, {"tenant", "c"}});
  ASSERT_EQ(StatusOf(extra), Status::kInvalidArgument);
  EXPECT_EQ(ProblemOf(extra)->message,
            R"("tenant" is not a key of this policy: policy "per-subject-tool" counts by subject, tool)");
  EXPECT_TRUE(limiter_.peeked.empty());
}

TEST_F(AdminServiceTest, ListsPluginsRoutesAndRevocationsAndAuditsEachListing) {
  ASSERT_EQ(StatusOf(Revoke({"client", "c1", {}, {}, ""})), Status::kOk);
  const auto revocations = service_->ListRevocations(Admin());
  ASSERT_EQ(StatusOf(revocations), Status::kOk);
  EXPECT_EQ(std::get<RevocationListing>(revocations).entries.size(), 1u);
  const auto plugins = service_->ListPlugins(Admin());
  ASSERT_EQ(StatusOf(plugins), Status::kOk);
  EXPECT_EQ(std::get<std::vector<PluginStatus>>(plugins)[0].version, "1.0.0");
  const auto routes = service_->ListRoutes(Admin());
  EXPECT_EQ(std::get<std::vector<RouteStatus>>(routes)[0].tools, 9u);
  std::vector<std::string> actions;
  for (const auto& line : AuditLines()) actions.push_back(line["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"revoke", "list_revocations", "list_plugins", "list_routes"}));
}

TEST_F(AdminServiceTest, AFailedReloadStepIsReportedAndAuditedAsFailed) {
  reload_.steps = {{"tls", false, "cannot read /etc/gw/cert.pem", ""}, {"keys", true, "", ""}};
  const auto r = service_->Reload(Admin());
  ASSERT_EQ(StatusOf(r), Status::kOk);
  EXPECT_FALSE(std::get<ReloadReport>(r).ok());
  const auto lines = AuditLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["outcome"], "failed");
  EXPECT_EQ(lines[0]["target"]["steps"][0]["error"], "cannot read /etc/gw/cert.pem");
}

// The routes step says what it added, removed or re-pointed: in the answer
// of both doors (admin/views.h) and in the audit line.
TEST_F(AdminServiceTest, AReloadStepSaysWhatItChangedInTheAnswerAndTheAuditLine) {
  reload_.steps = {{"config", true, "", ""}, {"routes", true, "", "added b (/mcp/b, plugin example); removed c"}};
  const auto r = service_->Reload(Admin());
  ASSERT_EQ(StatusOf(r), Status::kOk);
  const json expected_steps = {{{"what", "config"}, {"ok", true}},
                               {{"what", "routes"}, {"ok", true}, {"changed", "added b (/mcp/b, plugin example); removed c"}}};
  EXPECT_EQ(ReloadJson(std::get<ReloadReport>(r)), (json{{"ok", true}, {"steps", expected_steps}}));
  const auto lines = AuditLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["outcome"], "ok");
  EXPECT_EQ(lines[0]["target"]["steps"], expected_steps);
}

TEST(AdminViewsTest, AFailedReloadNamesTheFailedAndTheAppliedSteps) {
  ReloadReport report;
  report.steps = {{"tls", true, "", ""}, {"keys", false, "cannot read jwks.json", ""}, {"limits", true, "", "2 policies"}};
  const json body = ReloadJson(report);
  EXPECT_EQ(body["ok"], false);
  EXPECT_EQ(body["message"], "reload step(s) failed: keys; each keeps what it had; applied: tls, limits");
  EXPECT_EQ(body["steps"][1]["error"], "cannot read jwks.json");
}

}  // namespace
}  // namespace mcpgw::admin
