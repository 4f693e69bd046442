#include "pipeline/admission.h"

#include "crypto/base64.h"
#include "crypto/hmac.h"

#include <algorithm>

namespace mcpgw::pipeline {

namespace {

constexpr std::size_t kCredentialIdBytes = 6;  // 12 hex digits

std::string CredentialIdOf(const auth::TokenCache::Digest& digest) {
  return crypto::HexEncode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), kCredentialIdBytes));
}

// A compact JWS has exactly two dots; anything else is opaque to us.
bool IsJwtShaped(std::string_view token) { return std::count(token.begin(), token.end(), '.') == 2; }

// The principal a verified token (or introspection answer) stands for,
// without its credential_id.
Principal PrincipalFromClaims(const auth::Claims& claims, std::string_view method, std::string_view audience) {
  Principal p;
  p.subject = claims.subject;
  p.tenant = claims.tenant;
  p.client_id = claims.client_id;
  p.scopes = claims.scopes;
  p.method = method;
  p.audience = audience;
  p.token_id = claims.token_id.value_or("");
  p.expires_at = claims.expires_at;
  p.issued_at = claims.issued_at;
  return p;
}

}  // namespace

std::string CredentialId(std::string_view credential) {
  return crypto::HexEncode(crypto::Sha256(credential).substr(0, kCredentialIdBytes));
}

std::variant<Principal, AdmissionDenial> Admission::Admit(const Credentials& credentials,
                                                           std::string_view audience) const {
  return Admit(credentials, audience, nullptr);
}

std::variant<Principal, AdmissionDenial> Admission::Admit(const Credentials& credentials, std::string_view audience,
                                                           auth::LastVerifiedToken* last) const {
  if (credentials.authorization) return CheckRevocation(AdmitBearer(*credentials.authorization, audience, last));
  if (credentials.api_key) return CheckRevocation(AdmitApiKey(*credentials.api_key, audience));
  return AdmissionDenial{"no_credentials", "Authentication required: send Authorization: Bearer <token>", false, "",
                         ""};
}

std::variant<Principal, AdmissionDenial> Admission::AdmitBearer(std::string_view authorization,
                                                                 std::string_view audience,
                                                                 auth::LastVerifiedToken* last) const {
  const std::optional<std::string_view> token = auth::BearerToken(authorization);
  if (!token) {
    return AdmissionDenial{"malformed", "The Authorization header must be: Bearer <token>", true, "bearer",
                           CredentialId(authorization)};
  }
  auth::TokenCache::Digest digest{};
  auto verified = bearer_->Authenticate(*token, audience, &digest, last, std::chrono::system_clock::now());
  if (const auto* failure = std::get_if<auth::Failure>(&verified)) {
    // The digest is there unless the token was refused for its size.
    return AdmissionDenial{std::string(auth::FailureReasonName(failure->reason)), failure->message, true, "bearer",
                           failure->reason == auth::FailureReason::kTooLarge ? CredentialId(*token)
                                                                             : CredentialIdOf(digest)};
  }
  Principal p = PrincipalFromClaims(*std::get<std::shared_ptr<const auth::Claims>>(verified), "bearer", audience);
  p.credential_id = CredentialIdOf(digest);
  return p;
}


bool Admission::NeedsIntrospection(const Credentials& credentials) const {
  if (!introspector_ || !credentials.authorization) return false;
  const std::optional<std::string_view> token = auth::BearerToken(*credentials.authorization);
  return token && !IsJwtShaped(*token);
}

void Admission::Admit(const Credentials& credentials, std::string_view audience,
                      std::function<void(Outcome)> done) const {
  if (!NeedsIntrospection(credentials)) return done(Admit(credentials, audience));
  const std::string_view token = *auth::BearerToken(*credentials.authorization);
  introspector_->Introspect(
      token, [this, done = std::move(done), audience = std::string(audience), credential_id = CredentialId(token)](
                 auth::Introspector::Outcome answer) {
        if (const auto* failure = std::get_if<auth::Failure>(&answer)) {
          AdmissionDenial d{std::string(auth::FailureReasonName(failure->reason)), failure->message, true,
                            "introspection", credential_id};
          if (failure->reason == auth::FailureReason::kIntrospectionUnavailable) {
            // Nothing is known about the token: not a 401 (the client would
            // drop a token that may be good), but a retryable 503.
            d.message = "Service unavailable: the authorization server cannot check this token right now; retry shortly";
            d.unavailable = true;
          }
          return done(std::move(d));
        }
        const auth::Claims& claims = *std::get<std::shared_ptr<const auth::Claims>>(answer);
        if (!auth::MatchesAudience(claims, audience)) {
          return done(AdmissionDenial{"wrong_audience", "the token is not meant for this resource", true,
                                      "introspection", credential_id});
        }
        Principal p = PrincipalFromClaims(claims, "introspection", audience);
        p.credential_id = credential_id;
        done(CheckRevocation(std::move(p)));
      });
}

Admission::Outcome Admission::CheckRevocation(Outcome outcome) const {
  const Principal* p = std::get_if<Principal>(&outcome);
  if (p == nullptr || revocations_ == nullptr) return outcome;
  if (revocations_fail_closed_ && !revocations_->health().fresh) {
    AdmissionDenial d{"revocation_unavailable",
                      "Service unavailable: the revocation list cannot be checked right now; retry shortly", true,
                      p->method, p->credential_id};
    d.unavailable = true;
    return d;
  }
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  if (revocations_->list().IsRevoked(*p, now)) {
    return AdmissionDenial{"revoked", "the credential has been revoked", true, p->method, p->credential_id};
  }
  return outcome;
}

std::variant<Principal, AdmissionDenial> Admission::AdmitApiKey(std::string_view key,
                                                                 std::string_view audience) const {
  const std::shared_ptr<const auth::ApiKeys> api_keys = api_keys_.load();
  auto known = api_keys->Authenticate(key, audience);
  if (const auto* failure = std::get_if<auth::Failure>(&known)) {
    return AdmissionDenial{std::string(auth::FailureReasonName(failure->reason)), failure->message, true, "api_key",
                           CredentialId(key)};
  }
  const config::ApiKey& k = *std::get<const config::ApiKey*>(known);
  Principal p;
  p.subject = k.name;
  p.tenant = k.tenant;
  p.scopes = k.scopes;
  p.method = "api_key";
  p.audience = audience;
  p.token_id = k.name;
  p.credential_id = CredentialId(key);
  return p;
}

}  // namespace mcpgw::pipeline
