#include "pipeline/admission.h"

namespace mcpgw::pipeline {

std::variant<Principal, AdmissionDenial> Admission::Admit(const Credentials& credentials,
                                                           std::string_view audience) const {
  if (!credentials.authorization) {
    return AdmissionDenial{"no_credentials", "Authentication required: send Authorization: Bearer <token>", false};
  }
  const std::optional<std::string_view> token = auth::BearerToken(*credentials.authorization);
  if (!token) {
    return AdmissionDenial{"malformed", "The Authorization header must be: Bearer <token>", true};
  }
  auto verified = bearer_->Authenticate(*token, audience);
  if (const auto* failure = std::get_if<auth::Failure>(&verified)) {
    return AdmissionDenial{std::string(auth::FailureReasonName(failure->reason)), failure->message, true};
  }
  const auth::Claims& claims = *std::get<std::shared_ptr<const auth::Claims>>(verified);
  return Principal{claims.subject, claims.tenant, claims.client_id, claims.scopes};
}

}  // namespace mcpgw::pipeline
