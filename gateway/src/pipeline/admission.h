// The admission phase of the pipeline (ADR 0010): who is asking, decided
// from the credentials and the route alone, before sessions are looked up or
// the body is parsed. Every front door admits a request first.
//
//   authenticate (bearer JWT, header only) -> audience (exact, per route)
//   [-> revocation, issue 4]
//
// The credential is not kept: what comes out is a Principal or a denial.
#pragma once

#include "auth/bearer_authenticator.h"
#include "pipeline/principal.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace mcpgw::pipeline {

struct Credentials {
  std::optional<std::string_view> authorization;  // the Authorization header, when one was sent
};

// Always a 401: the front door adds the challenge.
struct AdmissionDenial {
  std::string reason;   // bounded: "no_credentials" or an auth::FailureReason name
  std::string message;  // safe to show the caller; never contains the credential
  bool credential_presented = false;  // the challenge then says error="invalid_token"
};

class Admission {
 public:
  explicit Admission(std::unique_ptr<auth::BearerAuthenticator> bearer) : bearer_(std::move(bearer)) {}

  std::variant<Principal, AdmissionDenial> Admit(const Credentials& credentials, std::string_view audience) const;

 private:
  std::unique_ptr<auth::BearerAuthenticator> bearer_;
};

}  // namespace mcpgw::pipeline
