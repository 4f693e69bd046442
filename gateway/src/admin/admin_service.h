// The admin API's actions, apart from any wire format: who may act, what
// each action does, and the audit line each one leaves.
//
// A caller may act when its credential, admitted for admin.audience by the
// same pipeline::Admission as every route (so the same verification, cache
// and revocation check apply), carries admin.scope. Every action, whether
// it succeeds, fails or is refused, leaves one `admin_action` audit line
// naming the caller by subject and credential_id, never by its credential.
//
// The HTTP adapter (admin/http_endpoint.h) and the gRPC admin service (a
// later issue) only translate to and from these types: validation, defaults
// and messages live here once. Never touches a socket.
#pragma once

#include "config/config.h"
#include "limits/limiter.h"
#include "pipeline/admission.h"
#include "pipeline/principal.h"
#include "revocation/store.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcpgw::admin {

// What became of an action, independent of HTTP or gRPC status codes.
enum class Status {
  kOk,
  kCreated,
  kDeleted,
  kInvalidArgument,   // the request is wrong; the message says how
  kNotFound,          // no such revocation, policy or endpoint
  kUnauthenticated,   // no usable credential for the admin audience
  kForbidden,         // a good credential without admin.scope
  kUnavailable,       // a store (Redis, the revocation file) cannot answer now
  kFailed,            // the action ran and failed (a reload step)
};

struct Problem {
  Status status = Status::kInvalidArgument;
  std::string error;      // a stable code: invalid_request, not_found, invalid_token, insufficient_scope, unavailable
  std::string message;    // for the operator; never holds a credential
  std::string challenge;  // kUnauthenticated / kForbidden: the Bearer challenge (WWW-Authenticate or gRPC metadata)
};

template <class T>
using Result = std::variant<T, Problem>;

template <class T>
const Problem* ProblemOf(const Result<T>& result) {
  return std::get_if<Problem>(&result);
}

// The bodies of the actions.
struct RevokeRequest {
  std::string kind;    // "jti", "subject" or "client"
  std::string value;
  std::optional<int64_t> until;   // unix seconds; jti only (default: now + auth.max_token_lifetime_s)
  std::optional<int64_t> before;  // unix seconds; subject and client only (default: the second after now)
  std::string reason;
};

struct RevocationListing {
  std::vector<revocation::Entry> entries;
  revocation::Health health;
  std::string sync_error;  // why the latest sync failed; "" once one succeeds
};

struct PluginStatus {
  std::string name;
  std::string file;
  std::string version;
  bool loaded = true;
  bool thread_safe = false;
  uint32_t workers = 0;
  std::size_t queue_capacity = 0;
  std::size_t queue_depth = 0;  // calls waiting for a worker now
};

struct RouteStatus {
  std::string name;
  std::string path;
  std::string resource;
  std::string plugin;
  bool plugin_loaded = true;
  std::size_t tools = 0;
};

struct ReloadStep {
  std::string what;     // "tls", "keys"
  bool ok = true;
  std::string error;    // when !ok
  std::string changed;  // what a step that did something says it changed (routes: "added b; removed c"); may be empty
};
struct ReloadReport {
  std::vector<ReloadStep> steps;
  bool ok() const;
};

// What the service reads and acts on. Pointers may be null where the
// gateway has no such thing (the action then answers kUnavailable).
struct Dependencies {
  const config::Config* config = nullptr;
  const pipeline::Admission* admission = nullptr;
  revocation::Store* revocations = nullptr;
  limits::Limiter* limiter = nullptr;
  // The rate-limit policies in force (they change on reload); null or
  // empty without policies.
  std::function<std::shared_ptr<const std::vector<config::LimitPolicy>>()> policies;
  std::function<std::vector<PluginStatus>()> plugins;
  std::function<std::vector<RouteStatus>()> routes;
  std::function<ReloadReport()> reload;
  std::function<std::chrono::system_clock::time_point()> clock;  // default: the system clock
};

// Every reply of the service arrives through a callback: on the calling
// thread, or on a store's thread when the store answers later.
template <class T>
using Reply = std::function<void(Result<T>)>;

class AdminService {
 public:
  explicit AdminService(Dependencies deps);

  // Admits the caller for the admin audience and checks admin.scope. A
  // refusal is audited here (with `action` and `target`); the caller then
  // answers with the Problem.
  void Authorize(const pipeline::Credentials& credentials, std::string_view action, const nlohmann::json& target,
                 Reply<Principal> done) const;

  void Revoke(const Principal& caller, RevokeRequest request, Reply<revocation::Entry> done);
  Result<RevocationListing> ListRevocations(const Principal& caller);
  void Withdraw(const Principal& caller, std::string kind, std::string value, Reply<std::monostate> done);
  // The state of one key of `policy`: `key` maps dimension names (subject,
  // client, tenant, route, tool, source) to values; it must hold exactly
  // the policy's dimensions. Charges nothing.
  void PeekLimit(const Principal& caller, std::string policy, std::map<std::string, std::string> key,
                 Reply<limits::PolicyState> done);
  Result<std::vector<PluginStatus>> ListPlugins(const Principal& caller);
  Result<std::vector<RouteStatus>> ListRoutes(const Principal& caller);
  // Re-reads what SIGHUP re-reads. kFailed (with the report in the audit
  // line) when a step failed; the report itself comes back either way.
  Result<ReloadReport> Reload(const Principal& caller);

  // Audits an action the adapter refused before it reached the service (a
  // body that is not JSON, say) and hands the problem back.
  Problem Refuse(const Principal& caller, std::string_view action, nlohmann::json target, Problem problem) const;

  const config::Admin& settings() const { return deps_.config->admin; }

 private:
  std::chrono::sys_seconds Now() const;
  void Audit(const Principal& caller, std::string_view action, std::string_view outcome, nlohmann::json target,
             const std::string& message = "") const;
  Problem Unauthenticated(const pipeline::AdmissionDenial& denial) const;

  Dependencies deps_;
};

// The outcome name written to the audit line for a status ("ok", "invalid",
// "not_found", "unauthenticated", "forbidden", "unavailable", "failed").
std::string_view OutcomeName(Status status);

}  // namespace mcpgw::admin
