#include "admin/admin_service.h"

#include "admin/views.h"
#include "audit/audit.h"
#include "limits/charges.h"
#include "revocation/entry_codec.h"

#include <algorithm>

namespace mcpgw::admin {

namespace {

using json = nlohmann::json;

Problem Invalid(std::string message) { return {Status::kInvalidArgument, "invalid_request", std::move(message), ""}; }
Problem NotFound(std::string message) { return {Status::kNotFound, "not_found", std::move(message), ""}; }
Problem Unavailable(std::string message) { return {Status::kUnavailable, "unavailable", std::move(message), ""}; }

bool HasScope(const Principal& p, const std::string& scope) {
  return std::find(p.scopes.begin(), p.scopes.end(), scope) != p.scopes.end();
}

// A jti, subject or client id as an operator typed it: printable, bounded.
std::string CheckText(std::string_view name, std::string_view text, std::size_t max_bytes) {
  if (text.size() > max_bytes) return std::string(name) + " is longer than " + std::to_string(max_bytes) + " bytes";
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return std::string(name) + " must not contain control characters";
  }
  return "";
}

std::string KindList() { return "\"jti\", \"subject\" or \"client\""; }

std::optional<revocation::Kind> ParseKindOr(const std::string& kind, Problem* problem) {
  const auto parsed = revocation::ParseKind(kind);
  if (!parsed) *problem = Invalid("unknown revocation kind \"" + kind + "\": use " + KindList());
  return parsed;
}

json TargetOf(const std::string& kind, const std::string& value) { return {{"kind", kind}, {"value", value}}; }

}  // namespace

bool ReloadReport::ok() const {
  return std::all_of(steps.begin(), steps.end(), [](const ReloadStep& s) { return s.ok; });
}

std::string_view OutcomeName(Status status) {
  switch (status) {
    case Status::kOk:
    case Status::kCreated:
    case Status::kDeleted: return "ok";
    case Status::kInvalidArgument: return "invalid";
    case Status::kNotFound: return "not_found";
    case Status::kUnauthenticated: return "unauthenticated";
    case Status::kForbidden: return "forbidden";
    case Status::kUnavailable: return "unavailable";
    case Status::kFailed: return "failed";
  }
  return "failed";
}

AdminService::AdminService(Dependencies deps) : deps_(std::move(deps)) {
  if (!deps_.clock) deps_.clock = [] { return std::chrono::system_clock::now(); };
}

std::chrono::sys_seconds AdminService::Now() const {
  return std::chrono::time_point_cast<std::chrono::seconds>(deps_.clock());
}

void AdminService::Audit(const Principal& caller, std::string_view action, std::string_view outcome, json target,
                         const std::string& message) const {
  json fields = {{"action", action},       {"outcome", outcome},
                 {"subject", caller.subject}, {"credential_id", caller.credential_id},
                 {"auth_method", caller.method}};
  if (!target.is_null() && !target.empty()) fields["target"] = std::move(target);
  if (!message.empty()) fields["message"] = message;
  audit::Record("admin_action", std::move(fields));
}

Problem AdminService::Refuse(const Principal& caller, std::string_view action, json target, Problem problem) const {
  Audit(caller, action, OutcomeName(problem.status), std::move(target), problem.message);
  return problem;
}

Problem AdminService::Unauthenticated(const pipeline::AdmissionDenial& denial) const {
  // RFC 6750 3.1: no error code when the request carried no credential.
  std::string challenge = denial.credential_presented ? "Bearer error=\"invalid_token\", scope=\"" : "Bearer scope=\"";
  challenge += settings().scope + "\"";
  return {Status::kUnauthenticated, denial.credential_presented ? "invalid_token" : "unauthenticated",
          denial.credential_presented
              ? "the credential is not valid for the admin API (" + settings().audience + "): " + denial.message
              : "authentication required: send Authorization: Bearer <token> for audience " + settings().audience +
                    " with scope " + settings().scope + ", or X-API-Key",
          std::move(challenge)};
}

void AdminService::Authorize(const pipeline::Credentials& credentials, std::string_view action, const json& target,
                             Reply<Principal> done) const {
  if (deps_.admission == nullptr) {
    // The config refuses admin without auth:, so this is a wiring fault.
    return done(Unavailable("the admin API has no authentication configured"));
  }
  deps_.admission->Admit(
      credentials, settings().audience,
      [this, action = std::string(action), target, done = std::move(done)](pipeline::Admission::Outcome outcome) {
        if (const auto* denial = std::get_if<pipeline::AdmissionDenial>(&outcome)) {
          Principal unknown;
          unknown.method = denial->method;
          unknown.credential_id = denial->credential_id;
          // The revocation list (or introspection) cannot answer: the
          // credential may be fine, so a 503 to retry, not a 401 to replace it.
          Problem problem = denial->unavailable ? Unavailable(denial->message) : Unauthenticated(*denial);
          json t = target;
          Audit(unknown, action, OutcomeName(problem.status), std::move(t), denial->reason);
          return done(std::move(problem));
        }
        Principal caller = std::get<Principal>(std::move(outcome));
        if (!HasScope(caller, settings().scope)) {
          Problem problem{Status::kForbidden, "insufficient_scope",
                          "the credential of " + caller.subject + " lacks the admin scope " + settings().scope,
                          "Bearer error=\"insufficient_scope\", scope=\"" + settings().scope + "\""};
          return done(Refuse(caller, action, target, std::move(problem)));
        }
        done(std::move(caller));
      });
}

void AdminService::Revoke(const Principal& caller, RevokeRequest request, Reply<revocation::Entry> done) {
  static constexpr std::string_view kAction = "revoke";
  const json target = TargetOf(request.kind, request.value);
  const auto refuse = [&](Problem p) { done(Refuse(caller, kAction, target, std::move(p))); };
  Problem problem;
  const auto kind = ParseKindOr(request.kind, &problem);
  if (!kind) return refuse(std::move(problem));
  if (request.value.empty()) return refuse(Invalid("\"value\" is required: the " + request.kind + " to revoke"));
  if (auto why = CheckText("\"value\"", request.value, revocation::kMaxValueBytes); !why.empty()) {
    return refuse(Invalid(why));
  }
  if (auto why = CheckText("\"reason\"", request.reason, revocation::kMaxReasonBytes); !why.empty()) {
    return refuse(Invalid(why));
  }
  const auto now = Now();
  revocation::Entry entry;
  entry.kind = *kind;
  entry.value = request.value;
  entry.created = now;
  entry.reason = request.reason;
  entry.by = caller.subject;
  if (*kind == revocation::Kind::kJti) {
    if (request.before) return refuse(Invalid("\"before\" applies to subject and client revocations; a jti takes \"until\""));
    const auto lifetime = std::chrono::seconds(deps_.config->auth.max_token_lifetime_s);
    entry.until = request.until ? std::chrono::sys_seconds(std::chrono::seconds(*request.until)) : now + lifetime;
    if (entry.until <= now) {
      return refuse(Invalid("\"until\" is in the past: a jti revocation is kept until the token's exp"));
    }
  } else {
    if (request.until) {
      return refuse(Invalid("\"until\" applies to jti revocations; a " + request.kind + " revocation takes \"before\""));
    }
    if (request.before && *request.before <= 0) return refuse(Invalid("\"before\" must be a positive Unix time"));
    if (request.before) entry.before = std::chrono::sys_seconds(std::chrono::seconds(*request.before));
  }
  revocation::Complete(entry, now);
  if (std::string why = revocation::Check(entry); !why.empty()) return refuse(Invalid(why));
  if (deps_.revocations == nullptr) return refuse(Unavailable("this gateway has no revocation store"));
  deps_.revocations->Add(entry, [this, caller, target, entry, done](bool ok, std::string error) {
    if (!ok) return done(Refuse(caller, kAction, target, Unavailable("the revocation was not stored: " + error)));
    json t = target;
    t["reason"] = entry.reason;
    // What the revocation covers, as stored (Unix seconds).
    if (entry.until != std::chrono::sys_seconds{}) t["until"] = entry.until.time_since_epoch().count();
    if (entry.before != std::chrono::sys_seconds{}) t["before"] = entry.before.time_since_epoch().count();
    Audit(caller, kAction, "ok", std::move(t));
    done(entry);
  });
}

Result<RevocationListing> AdminService::ListRevocations(const Principal& caller) {
  if (deps_.revocations == nullptr) {
    return Refuse(caller, "list_revocations", nullptr, Unavailable("this gateway has no revocation store"));
  }
  RevocationListing listing{deps_.revocations->list().Entries(), deps_.revocations->health(),
                            deps_.revocations->sync_error()};
  Audit(caller, "list_revocations", "ok", {{"count", listing.entries.size()}});
  return listing;
}

void AdminService::Withdraw(const Principal& caller, std::string kind, std::string value, Reply<std::monostate> done) {
  static constexpr std::string_view kAction = "withdraw";
  const json target = TargetOf(kind, value);
  Problem problem;
  const auto parsed = ParseKindOr(kind, &problem);
  if (!parsed) return done(Refuse(caller, kAction, target, std::move(problem)));
  if (value.empty()) return done(Refuse(caller, kAction, target, Invalid("the " + kind + " to withdraw is missing")));
  if (deps_.revocations == nullptr) {
    return done(Refuse(caller, kAction, target, Unavailable("this gateway has no revocation store")));
  }
  deps_.revocations->Withdraw(
      *parsed, value, [this, caller, target, kind = *parsed, value, done](bool ok, std::string error) {
        if (ok) {
          Audit(caller, kAction, "ok", target);
          return done(std::monostate{});
        }
        // The store says why in words; whether the entry exists it says in
        // its list, which tells "not revoked" apart from a store failure.
        const auto entries = deps_.revocations->list().Entries();
        const bool present = std::any_of(entries.begin(), entries.end(), [&](const revocation::Entry& e) {
          return e.kind == kind && e.value == value;
        });
        done(Refuse(caller, kAction, target,
                    present ? Unavailable("the revocation was not withdrawn: " + error)
                            : NotFound(std::string(revocation::KindName(kind)) + " \"" + value + "\" is not revoked")));
      });
}

void AdminService::PeekLimit(const Principal& caller, std::string policy_name, std::map<std::string, std::string> key,
                             Reply<limits::PolicyState> done) {
  static constexpr std::string_view kAction = "peek_limit";
  json target = {{"policy", policy_name}, {"key", key}};
  const auto refuse = [&](Problem p) { done(Refuse(caller, kAction, target, std::move(p))); };
  std::shared_ptr<const std::vector<config::LimitPolicy>> in_force = deps_.policies ? deps_.policies() : nullptr;
  if (!in_force) in_force = std::make_shared<const std::vector<config::LimitPolicy>>();
  const auto& policies = *in_force;
  const auto policy = std::find_if(policies.begin(), policies.end(),
                                   [&](const config::LimitPolicy& p) { return p.name == policy_name; });
  if (policy == policies.end()) {
    std::string names;
    for (const auto& p : policies) names += (names.empty() ? "" : ", ") + p.name;
    return refuse(NotFound("no rate-limit policy named \"" + policy_name + "\"" +
                           (names.empty() ? std::string(" (none is configured)") : " (configured: " + names + ")")));
  }
  std::string dimensions;
  for (const auto d : policy->by) dimensions += (dimensions.empty() ? "" : ", ") + std::string(config::LimitDimensionName(d));
  const std::string counts_by = "policy \"" + policy_name + "\" counts by " + (dimensions.empty() ? "nothing" : dimensions);
  for (const auto& [name, value] : key) {
    const bool known = std::any_of(policy->by.begin(), policy->by.end(),
                                   [&](config::LimitDimension d) { return config::LimitDimensionName(d) == name; });
    if (!known) return refuse(Invalid("\"" + name + "\" is not a key of this policy: " + counts_by));
  }
  limits::RequestFacts facts;
  for (const auto d : policy->by) {
    const std::string name(config::LimitDimensionName(d));
    const auto it = key.find(name);
    if (it == key.end()) return refuse(Invalid("\"" + name + "\" is missing: " + counts_by + " (an empty value stands for none)"));
    std::string_view* slot = d == config::LimitDimension::kSubject  ? &facts.subject
                             : d == config::LimitDimension::kClient ? &facts.client
                             : d == config::LimitDimension::kTenant ? &facts.tenant
                             : d == config::LimitDimension::kRoute  ? &facts.route
                             : d == config::LimitDimension::kTool   ? &facts.tool
                                                                    : &facts.source;
    *slot = it->second;
  }
  if (deps_.limiter == nullptr) return refuse(Unavailable("this gateway has no rate limiter"));
  limits::Charge charge{&*policy, limits::KeyFor(*policy, facts)};
  deps_.limiter->Peek(std::move(charge), deps_.clock(),
                      [this, caller, target, in_force, policy = &*policy, done](std::optional<limits::PolicyState> state) {
                        if (!state) {
                          return done(Refuse(caller, kAction, target,
                                             Unavailable("the rate-limit store cannot answer now")));
                        }
                        Audit(caller, kAction, "ok", target);
                        if (state->policy.empty()) state->policy = policy->name;
                        done(std::move(*state));
                      });
}

Result<std::vector<PluginStatus>> AdminService::ListPlugins(const Principal& caller) {
  auto plugins = deps_.plugins ? deps_.plugins() : std::vector<PluginStatus>{};
  Audit(caller, "list_plugins", "ok", {{"count", plugins.size()}});
  return plugins;
}

Result<std::vector<RouteStatus>> AdminService::ListRoutes(const Principal& caller) {
  auto routes = deps_.routes ? deps_.routes() : std::vector<RouteStatus>{};
  Audit(caller, "list_routes", "ok", {{"count", routes.size()}});
  return routes;
}

Result<ReloadReport> AdminService::Reload(const Principal& caller) {
  ReloadReport report = deps_.reload ? deps_.reload() : ReloadReport{};
  Audit(caller, "reload", report.ok() ? "ok" : "failed", {{"steps", ReloadStepsJson(report)}});
  return report;
}

}  // namespace mcpgw::admin
