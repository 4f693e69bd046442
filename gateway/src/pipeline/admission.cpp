#include "pipeline/admission.h"

#include "crypto/base64.h"
#include "crypto/hmac.h"

namespace mcpgw::pipeline {

std::string CredentialId(std::string_view credential) {
  return crypto::HexEncode(crypto::Sha256(credential).substr(0, 6));
}

std::variant<Principal, AdmissionDenial> Admission::Admit(const Credentials& credentials,
                                                           std::string_view audience) const {
  if (credentials.authorization) return AdmitBearer(*credentials.authorization, audience);
  if (credentials.api_key) return AdmitApiKey(*credentials.api_key, audience);
  return AdmissionDenial{"no_credentials", "Authentication required: send Authorization: Bearer <token>", false, "",
                         ""};
}

std::variant<Principal, AdmissionDenial> Admission::AdmitBearer(std::string_view authorization,
                                                                 std::string_view audience) const {
  const std::optional<std::string_view> token = auth::BearerToken(authorization);
  if (!token) {
    return AdmissionDenial{"malformed", "The Authorization header must be: Bearer <token>", true, "bearer",
                           CredentialId(authorization)};
  }
  auto verified = bearer_->Authenticate(*token, audience);
  if (const auto* failure = std::get_if<auth::Failure>(&verified)) {
    return AdmissionDenial{std::string(auth::FailureReasonName(failure->reason)), failure->message, true, "bearer",
                           CredentialId(*token)};
  }
  const auth::Claims& claims = *std::get<std::shared_ptr<const auth::Claims>>(verified);
  Principal p;
  p.subject = claims.subject;
  p.tenant = claims.tenant;
  p.client_id = claims.client_id;
  p.scopes = claims.scopes;
  p.method = "bearer";
  p.audience = audience;
  p.token_id = claims.token_id.value_or("");
  p.credential_id = CredentialId(*token);
  p.expires_at = claims.expires_at;
  return p;
}

std::variant<Principal, AdmissionDenial> Admission::AdmitApiKey(std::string_view key,
                                                                 std::string_view audience) const {
  auto known = api_keys_->Authenticate(key, audience);
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
