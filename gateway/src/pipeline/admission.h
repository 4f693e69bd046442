// The admission phase of the pipeline (ADR 0010): who is asking, decided
// from the credentials and the route alone, before sessions are looked up or
// the body is parsed. Every front door admits a request first.
//
//   authenticate (bearer JWT from the Authorization header, an opaque bearer
//   token through RFC 7662 introspection, or X-API-Key)
//   -> audience (exact, per route) -> revocation (the in-memory list)
//
// The credential is not kept: what comes out is a Principal or a denial,
// and either names the credential only by credential_id (12 hex digits of
// its SHA-256).
#pragma once

#include "auth/api_keys.h"
#include "auth/bearer_authenticator.h"
#include "auth/introspection.h"
#include "pipeline/principal.h"
#include "revocation/store.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace mcpgw::pipeline {

// At most one of them: the front door refuses a request that sends both
// (400) before admission.
struct Credentials {
  std::optional<std::string_view> authorization;  // the Authorization header
  std::optional<std::string_view> api_key;        // the X-API-Key header
};

// Always a 401: the front door adds the challenge.
struct AdmissionDenial {
  std::string reason;   // bounded: "no_credentials" or an auth::FailureReason name
  std::string message;  // safe to show the caller; never contains the credential
  bool credential_presented = false;  // the challenge then says error="invalid_token"
  std::string method;                 // "bearer" or "api_key"; empty without a credential
  std::string credential_id;          // 12 hex digits of the credential's SHA-256, for the audit log
  // The revocation list cannot be trusted (Redis unreachable for longer than
  // revocation.max_staleness_s, fail-closed): a 503, not a 401.
  bool unavailable = false;
};

class Admission {
 public:
  using Outcome = std::variant<Principal, AdmissionDenial>;

  // `introspector` may be null: opaque tokens are then refused as malformed.
  Admission(std::unique_ptr<auth::BearerAuthenticator> bearer, std::unique_ptr<auth::ApiKeys> api_keys,
            std::shared_ptr<auth::Introspector> introspector = nullptr)
      : bearer_(std::move(bearer)), api_keys_(std::move(api_keys)), introspector_(std::move(introspector)) {}

  // The API keys from now on (SIGHUP reload); a request being admitted
  // finishes with the set it started with.
  void ReplaceApiKeys(std::unique_ptr<auth::ApiKeys> api_keys) {
    api_keys_.store(std::shared_ptr<const auth::ApiKeys>(std::move(api_keys)));
  }

  // Decides on the calling thread: JWTs (verified here), API keys, and no
  // credential. An opaque bearer token, when introspection is configured,
  // needs Admit with a callback instead (NeedsIntrospection says which).
  Outcome Admit(const Credentials& credentials, std::string_view audience) const;
  // The same for a caller that keeps its connection's last verified token
  // (`last`, may be null): a keep-alive client repeating its token skips
  // the token's hash and the shared cache.
  Outcome Admit(const Credentials& credentials, std::string_view audience, auth::LastVerifiedToken* last) const;

  // True when `credentials` hold an opaque bearer token that only the
  // introspection endpoint can judge.
  bool NeedsIntrospection(const Credentials& credentials) const;

  // Calls `done` exactly once: on this thread when the answer is known (or
  // cached), else on the introspector's thread. Copies what it keeps.
  void Admit(const Credentials& credentials, std::string_view audience, std::function<void(Outcome)> done) const;

  auth::TokenCache::Totals token_cache_totals() const { return bearer_->cache_totals(); }

  // The revocation stage alone, for a principal admitted earlier and kept
  // (the stdio front door admits once at start and re-checks every request):
  // the denial, or nullopt when it may go on.
  std::optional<AdmissionDenial> Recheck(const Principal& principal) const {
    Outcome outcome = CheckRevocation(principal);
    if (auto* denial = std::get_if<AdmissionDenial>(&outcome)) return std::move(*denial);
    return std::nullopt;
  }

  // After authentication, every admitted credential is checked against this
  // store's in-memory list (no network). `fail_closed`: while the store is
  // not fresh, credentials are refused as unavailable. Call before serving.
  void UseRevocations(const revocation::Store* store, bool fail_closed) {
    revocations_ = store;
    revocations_fail_closed_ = fail_closed;
  }

 private:
  std::variant<Principal, AdmissionDenial> AdmitBearer(std::string_view authorization, std::string_view audience,
                                                       auth::LastVerifiedToken* last) const;
  std::variant<Principal, AdmissionDenial> AdmitApiKey(std::string_view key, std::string_view audience) const;
  // The revocation stage: a revoked credential becomes a 401 denial.
  Outcome CheckRevocation(Outcome outcome) const;

  std::unique_ptr<auth::BearerAuthenticator> bearer_;
  std::atomic<std::shared_ptr<const auth::ApiKeys>> api_keys_;
  std::shared_ptr<auth::Introspector> introspector_;
  const revocation::Store* revocations_ = nullptr;
  bool revocations_fail_closed_ = true;
};

// The first 12 hex digits of the SHA-256 of a credential: how logs, audit
// lines and revocation name it.
std::string CredentialId(std::string_view credential);

}  // namespace mcpgw::pipeline
