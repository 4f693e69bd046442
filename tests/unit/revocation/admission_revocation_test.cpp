// The revocation stage of admission: after a credential is authenticated,
// a revoked one becomes a 401 denial with reason "revoked", and a stale list
// under fail-closed becomes an "unavailable" denial (503 at the front door).
#include "pipeline/admission.h"

#include "crypto/base64.h"
#include "crypto/hmac.h"

#include <gtest/gtest.h>

namespace mcpgw::revocation {
namespace {

using std::chrono::seconds;

constexpr std::string_view kAudience = "https://gw.test/mcp/a";
constexpr std::string_view kKey = "mcpgw_test_key_0123456789abcdef";

// A store whose health the test sets: a stale list needs Redis to be away
// for max_staleness_s, which the Redis store tests show for real.
class SettableStore final : public Store {
 public:
  void Add(Entry entry, Done done) override {
    list_.Put(std::move(entry));
    done(true, "");
  }
  void Withdraw(Kind kind, std::string value, Done done) override {
    list_.Remove(kind, value);
    done(true, "");
  }
  const RevocationList& list() const override { return list_; }
  Health health() const override { return health_; }

  RevocationList list_;
  Health health_;
};

std::unique_ptr<pipeline::Admission> MakeAdmission() {
  config::ApiKey key;
  key.name = "ci-bot";
  key.sha256 = crypto::HexEncode(crypto::Sha256(kKey));
  key.audiences = {std::string(kAudience)};
  key.scopes = {"example:use"};
  return std::make_unique<pipeline::Admission>(
      std::make_unique<auth::BearerAuthenticator>(std::vector<auth::TrustedIssuer>{}, 16),
      std::make_unique<auth::ApiKeys>(std::vector<config::ApiKey>{key}));
}

pipeline::Credentials WithKey() { return {std::nullopt, kKey}; }

Entry Revoke(Kind kind, std::string value) {
  Entry e;
  e.kind = kind;
  e.value = std::move(value);
  e.created = std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
  e.before = e.created;
  return e;
}

TEST(AdmissionRevocationTest, AnApiKeyIsAdmittedWhileNothingIsRevoked) {
  auto admission = MakeAdmission();
  SettableStore store;
  admission->UseRevocations(&store, true);
  auto outcome = admission->Admit(WithKey(), kAudience);
  ASSERT_TRUE(std::holds_alternative<Principal>(outcome));
  EXPECT_EQ(std::get<Principal>(outcome).token_id, "ci-bot");
}

TEST(AdmissionRevocationTest, AnApiKeyRevokedByNameAsJtiIsDeniedAsRevoked) {
  auto admission = MakeAdmission();
  SettableStore store;
  store.list_.Put(Revoke(Kind::kJti, "ci-bot"));
  admission->UseRevocations(&store, true);
  auto outcome = admission->Admit(WithKey(), kAudience);
  ASSERT_TRUE(std::holds_alternative<pipeline::AdmissionDenial>(outcome));
  const auto& d = std::get<pipeline::AdmissionDenial>(outcome);
  EXPECT_EQ(d.reason, "revoked");
  EXPECT_EQ(d.message, "the credential has been revoked");
  EXPECT_TRUE(d.credential_presented);
  EXPECT_FALSE(d.unavailable);
  EXPECT_EQ(d.method, "api_key");
  EXPECT_EQ(d.credential_id, pipeline::CredentialId(kKey));
}

TEST(AdmissionRevocationTest, AnApiKeyWhoseSubjectIsRevokedIsDenied) {
  auto admission = MakeAdmission();
  SettableStore store;
  store.list_.Put(Revoke(Kind::kSubject, "ci-bot"));
  admission->UseRevocations(&store, true);
  auto outcome = admission->Admit(WithKey(), kAudience);
  ASSERT_TRUE(std::holds_alternative<pipeline::AdmissionDenial>(outcome));
  EXPECT_EQ(std::get<pipeline::AdmissionDenial>(outcome).reason, "revoked");
}

TEST(AdmissionRevocationTest, AStaleListFailClosedRefusesAsUnavailableAndFailOpenKeepsTheLastList) {
  auto admission = MakeAdmission();
  SettableStore store;
  store.health_.fresh = false;
  admission->UseRevocations(&store, true);
  auto closed = admission->Admit(WithKey(), kAudience);
  ASSERT_TRUE(std::holds_alternative<pipeline::AdmissionDenial>(closed));
  EXPECT_TRUE(std::get<pipeline::AdmissionDenial>(closed).unavailable);
  EXPECT_EQ(std::get<pipeline::AdmissionDenial>(closed).reason, "revocation_unavailable");

  admission->UseRevocations(&store, false);
  EXPECT_TRUE(std::holds_alternative<Principal>(admission->Admit(WithKey(), kAudience)));
  store.list_.Put(Revoke(Kind::kJti, "ci-bot"));
  auto open = admission->Admit(WithKey(), kAudience);
  ASSERT_TRUE(std::holds_alternative<pipeline::AdmissionDenial>(open));
  EXPECT_EQ(std::get<pipeline::AdmissionDenial>(open).reason, "revoked");
}

TEST(AdmissionRevocationTest, AnUnknownKeyIsStillAnAuthenticationFailureNotARevocation) {
  auto admission = MakeAdmission();
  SettableStore store;
  store.list_.Put(Revoke(Kind::kSubject, "ci-bot"));
  admission->UseRevocations(&store, true);
  auto outcome = admission->Admit({std::nullopt, std::string_view("mcpgw_other")}, kAudience);
  ASSERT_TRUE(std::holds_alternative<pipeline::AdmissionDenial>(outcome));
  EXPECT_NE(std::get<pipeline::AdmissionDenial>(outcome).reason, "revoked");
}

}  // namespace
}  // namespace mcpgw::revocation
