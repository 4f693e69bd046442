#include "admin/http_endpoint.h"

#include "admin/views.h"
#include "jsonrpc/message.h"

#include "revocation/entry_codec.h"
#include "schema/uri.h"

#include <algorithm>
#include <cstdint>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mcpgw::admin {

namespace {

using json = nlohmann::json;
namespace bhttp = http::bhttp;

constexpr std::string_view kPrefix = "/admin/v1/";
constexpr std::string_view kApiKeyHeader = "X-API-Key";
constexpr char kEndpoints[] =
    "/admin/v1/revocations, /admin/v1/revocations/<kind>/<value>, /admin/v1/limits/<policy>, /admin/v1/plugins, "
    "/admin/v1/routes, /admin/v1/reload";

// One resource of the API, as the path names it.
struct Route {
  enum Kind { kRevocations, kRevocation, kLimit, kPlugins, kRoutes, kReload } kind;
  const char* allow;     // the methods it takes, for 405 and Allow
  std::string first;     // kRevocation: the kind; kLimit: the policy (decoded)
  std::string second;    // kRevocation: the value (decoded)
};

bhttp::status HttpStatus(Status s) {
  switch (s) {
    case Status::kOk: return bhttp::status::ok;
    case Status::kCreated: return bhttp::status::created;
    case Status::kDeleted: return bhttp::status::no_content;
    case Status::kInvalidArgument: return bhttp::status::bad_request;
    case Status::kNotFound: return bhttp::status::not_found;
    case Status::kUnauthenticated: return bhttp::status::unauthorized;
    case Status::kForbidden: return bhttp::status::forbidden;
    case Status::kUnavailable: return bhttp::status::service_unavailable;
    case Status::kFailed: return bhttp::status::internal_server_error;
  }
  return bhttp::status::internal_server_error;
}

// Sends `body` (or nothing for 204) as JSON.
void Send(const std::shared_ptr<http::Exchange>& ex, bhttp::status status, const json& body,
          const std::vector<std::pair<bhttp::field, std::string>>& headers = {}) {
  http::Response res{status, ex->request().version()};
  res.set(bhttp::field::cache_control, "no-store");
  for (const auto& [field, value] : headers) res.set(field, value);
  // No body for 204, nor for HEAD: a body there would break the framing of
  // the connection's next response.
  if (status != bhttp::status::no_content && ex->request().method() != bhttp::verb::head) {
    res.set(bhttp::field::content_type, "application/json");
    res.body() = jsonrpc::Serialize(body) + "\n";
  }
  res.prepare_payload();
  ex->Respond(std::move(res));
}

void SendError(const std::shared_ptr<http::Exchange>& ex, bhttp::status status, std::string_view error,
               std::string_view message, const std::vector<std::pair<bhttp::field, std::string>>& headers = {}) {
  Send(ex, status, json{{"error", error}, {"message", message}}, headers);
}

void SendProblem(const std::shared_ptr<http::Exchange>& ex, const Problem& p) {
  std::vector<std::pair<bhttp::field, std::string>> headers;
  if (!p.challenge.empty()) headers.emplace_back(bhttp::field::www_authenticate, p.challenge);
  SendError(ex, HttpStatus(p.status), p.error, p.message, headers);
}

// Percent-decodes a path segment; in a query, '+' is also a space.
std::optional<std::string> Decode(std::string_view text, bool query) {
  std::string s(text);
  if (query) std::replace(s.begin(), s.end(), '+', ' ');
  return schema::detail::PercentDecode(s);
}

// The resource `path` names; nullopt when none (or a segment is badly escaped).
std::optional<Route> Match(std::string_view path) {
  if (path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const std::string_view rest = path.substr(kPrefix.size());
  if (rest == "revocations") return Route{Route::kRevocations, "GET, POST", "", ""};
  if (rest == "plugins") return Route{Route::kPlugins, "GET", "", ""};
  if (rest == "routes") return Route{Route::kRoutes, "GET", "", ""};
  if (rest == "reload") return Route{Route::kReload, "POST", "", ""};
  constexpr std::string_view kRevocations = "revocations/", kLimits = "limits/";
  if (rest.substr(0, kRevocations.size()) == kRevocations) {
    const std::string_view tail = rest.substr(kRevocations.size());
    const std::size_t slash = tail.find('/');
    auto kind = Decode(tail.substr(0, slash), false);
    auto value = Decode(slash == std::string_view::npos ? std::string_view() : tail.substr(slash + 1), false);
    if (!kind || !value || kind->empty()) return std::nullopt;
    return Route{Route::kRevocation, "DELETE", std::move(*kind), std::move(*value)};
  }
  if (rest.substr(0, kLimits.size()) == kLimits) {
    const std::string_view tail = rest.substr(kLimits.size());
    auto policy = Decode(tail, false);
    if (!policy || policy->empty() || tail.find('/') != std::string_view::npos) return std::nullopt;
    return Route{Route::kLimit, "GET", std::move(*policy), ""};
  }
  return std::nullopt;
}

bool MethodAllowed(const Route& route, bhttp::verb method) {
  switch (route.kind) {
    case Route::kRevocations: return method == bhttp::verb::get || method == bhttp::verb::post;
    case Route::kRevocation: return method == bhttp::verb::delete_;
    case Route::kReload: return method == bhttp::verb::post;
    default: return method == bhttp::verb::get;
  }
}

// The audit name of what the request asks, and what it is about.
std::pair<std::string, json> ActionOf(const Route& route, bhttp::verb method) {
  switch (route.kind) {
    case Route::kRevocations:
      return {method == bhttp::verb::post ? "revoke" : "list_revocations", nullptr};
    case Route::kRevocation: return {"withdraw", json{{"kind", route.first}, {"value", route.second}}};
    case Route::kLimit: return {"peek_limit", json{{"policy", route.first}}};
    case Route::kPlugins: return {"list_plugins", nullptr};
    case Route::kRoutes: return {"list_routes", nullptr};
    case Route::kReload: return {"reload", nullptr};
  }
  return {"unknown", nullptr};
}

// The query's name=value pairs; a problem for a malformed or repeated one.
std::variant<std::map<std::string, std::string>, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto name = Decode(pair.substr(0, eq), true);
    auto value = Decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) return std::string("the query has a malformed %-escape");
    if (!out.emplace(std::move(*name), std::move(*value)).second) {
      return "\"" + std::string(pair.substr(0, eq)) + "\" appears twice in the query";
    }
  }
  return out;
}

// The revoke body, strictly: known fields of the right types only.
std::variant<RevokeRequest, std::string> ParseRevoke(const std::string& body) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return std::string("the body is not valid JSON");
  if (!j.is_object()) return std::string("the body must be a JSON object such as {\"kind\":\"jti\",\"value\":\"...\"}");
  RevokeRequest r;
  for (const auto& [name, v] : j.items()) {
    if (name == "kind" || name == "value" || name == "reason") {
      if (!v.is_string()) return "\"" + name + "\" must be a string";
      (name == "kind" ? r.kind : name == "value" ? r.value : r.reason) = v.get<std::string>();
    } else if (name == "until" || name == "before") {
      if (!v.is_number_integer()) return "\"" + name + "\" must be an integer (Unix seconds)";
      // An unsigned number past int64 would wrap to a negative time.
      const int64_t t = v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX : v.get<int64_t>();
      (name == "until" ? r.until : r.before) = t;
    } else {
      return "unknown field \"" + name + "\": use kind, value, until, before and reason";
    }
  }
  if (!j.contains("kind")) return std::string("\"kind\" is required: \"jti\", \"subject\" or \"client\"");
  if (!j.contains("value")) return "\"value\" is required: the " + r.kind + " to revoke";
  return r;
}

bool IsJson(const http::Request& req) {
  const auto it = req.find(bhttp::field::content_type);
  if (it == req.end()) return false;
  std::string type(it->value().substr(0, it->value().find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  return type == "application/json";
}

// Runs the authorized request.
void Serve(AdminService& service, const std::shared_ptr<http::Exchange>& ex, const Principal& caller,
           const Route& route, const std::string& action, const json& target, const std::string& query) {
  const http::Request& req = ex->request();
  const auto refuse = [&](Problem p) { SendProblem(ex, service.Refuse(caller, action, target, std::move(p))); };
  switch (route.kind) {
    case Route::kRevocations: {
      if (req.method() == bhttp::verb::get) {
        auto listed = service.ListRevocations(caller);
        if (const Problem* p = ProblemOf(listed)) return SendProblem(ex, *p);
        return Send(ex, bhttp::status::ok, RevocationsJson(std::get<RevocationListing>(listed)));
      }
      // Wrong shapes of an otherwise valid request: audited like any other
      // invalid request, answered with their own HTTP status.
      const auto refuse_as = [&](bhttp::status status, const char* error, std::string message) {
        service.Refuse(caller, action, target, {Status::kInvalidArgument, error, message, ""});
        SendError(ex, status, error, message);
      };
      if (req.body().size() > kMaxAdminBodyBytes) {
        return refuse_as(bhttp::status::payload_too_large, "payload_too_large",
                         "the body is larger than " + std::to_string(kMaxAdminBodyBytes) + " bytes");
      }
      if (!IsJson(req)) {
        return refuse_as(bhttp::status::unsupported_media_type, "unsupported_media_type",
                         "send the body as Content-Type: application/json");
      }
      auto parsed = ParseRevoke(req.body());
      if (const auto* why = std::get_if<std::string>(&parsed)) {
        return refuse({Status::kInvalidArgument, "invalid_request", *why, ""});
      }
      return service.Revoke(caller, std::get<RevokeRequest>(std::move(parsed)), [ex](Result<revocation::Entry> r) {
        if (const Problem* p = ProblemOf(r)) return SendProblem(ex, *p);
        Send(ex, bhttp::status::created, revocation::EntryToJson(std::get<revocation::Entry>(r)));
      });
    }
    case Route::kRevocation:
      return service.Withdraw(caller, route.first, route.second, [ex](Result<std::monostate> r) {
        if (const Problem* p = ProblemOf(r)) return SendProblem(ex, *p);
        Send(ex, bhttp::status::no_content, nullptr);
      });
    case Route::kLimit: {
      auto parsed = ParseQuery(query);
      if (const auto* why = std::get_if<std::string>(&parsed)) {
        return refuse({Status::kInvalidArgument, "invalid_request", *why, ""});
      }
      auto key = std::get<std::map<std::string, std::string>>(std::move(parsed));
      return service.PeekLimit(caller, route.first, key, [ex, key](Result<limits::PolicyState> r) {
        if (const Problem* p = ProblemOf(r)) return SendProblem(ex, *p);
        Send(ex, bhttp::status::ok, StateJson(std::get<limits::PolicyState>(r), key));
      });
    }
    case Route::kPlugins: {
      auto listed = service.ListPlugins(caller);
      if (const Problem* p = ProblemOf(listed)) return SendProblem(ex, *p);
      return Send(ex, bhttp::status::ok, PluginsJson(std::get<std::vector<PluginStatus>>(listed)));
    }
    case Route::kRoutes: {
      auto listed = service.ListRoutes(caller);
      if (const Problem* p = ProblemOf(listed)) return SendProblem(ex, *p);
      return Send(ex, bhttp::status::ok, RoutesJson(std::get<std::vector<RouteStatus>>(listed)));
    }
    case Route::kReload: {
      auto reloaded = service.Reload(caller);
      if (const Problem* p = ProblemOf(reloaded)) return SendProblem(ex, *p);
      const auto& report = std::get<ReloadReport>(reloaded);
      return Send(ex, report.ok() ? bhttp::status::ok : bhttp::status::internal_server_error, ReloadJson(report));
    }
  }
}

}  // namespace

void HttpEndpoint::Handle(const std::shared_ptr<http::Exchange>& ex) {
  const http::Request& req = ex->request();
  const std::string_view target(req.target().data(), req.target().size());
  const std::size_t q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);

  std::optional<Route> route = Match(path);
  if (!route) return SendError(ex, bhttp::status::not_found, "not_found", std::string("no such admin endpoint; the API has ") + kEndpoints);
  if (!MethodAllowed(*route, req.method())) {
    return SendError(ex, bhttp::status::method_not_allowed, "method_not_allowed",
                     std::string(req.method_string()) + " is not allowed on " + std::string(path) + ": use " +
                         route->allow,
                     {{bhttp::field::allow, route->allow}});
  }
  const std::size_t authorizations = req.count(bhttp::field::authorization);
  const std::size_t api_keys = req.count(kApiKeyHeader);
  auto [action, audit_target] = ActionOf(*route, req.method());
  if (authorizations + api_keys > 1 || query.find("access_token=") != std::string_view::npos ||
      query.find("api_key=") != std::string_view::npos) {
    // Audited like every refusal (who is unknown: the credential is not read),
    // a credential leaked into a URL above all.
    return SendProblem(ex, service_.Refuse({}, action, audit_target,
                                           {Status::kInvalidArgument, "invalid_request",
                                            "send exactly one credential, in the Authorization or X-API-Key header; a "
                                            "credential in the URL is refused (and should now be considered leaked)",
                                            ""}));
  }
  // The credential views point into the request, which the exchange keeps
  // alive until the callback has run.
  pipeline::Credentials credentials;
  if (const auto it = req.find(bhttp::field::authorization); it != req.end()) {
    credentials.authorization = std::string_view(it->value().data(), it->value().size());
  } else if (const auto key = req.find(kApiKeyHeader); key != req.end()) {
    credentials.api_key = std::string_view(key->value().data(), key->value().size());
  }
  service_.Authorize(credentials, action, audit_target,
                     [this, ex, route = std::move(*route), action = action, audit_target = audit_target,
                      query = std::string(query)](Result<Principal> authorized) {
                       if (const Problem* p = ProblemOf(authorized)) return SendProblem(ex, *p);
                       Serve(service_, ex, std::get<Principal>(authorized), route, action, audit_target, query);
                     });
}

http::RefusalAnswer HttpEndpoint::Refuse(const http::Refusal& refusal) {
  std::string error = "invalid_request", message(refusal.message);
  if (refusal.reason == "unsupported_coding") {
    error = "unsupported_coding";
  } else if (refusal.reason == "body_too_large") {
    error = "payload_too_large";
    message = "the body is larger than " + std::to_string(kMaxAdminBodyBytes) + " bytes";
  } else if (refusal.reason == "header_too_large") {
    error = "request_header_fields_too_large";
  }
  const std::string_view path = refusal.target.substr(0, refusal.target.find('?'));
  const bhttp::verb method = bhttp::string_to_verb(refusal.method);
  if (const auto route = path.empty() ? std::nullopt : Match(path); route && MethodAllowed(*route, method)) {
    // Who is unknown: the credential is not read.
    const auto [action, target] = ActionOf(*route, method);
    service_.Refuse({}, action, target, {Status::kInvalidArgument, error, message, ""});
  }
  return {"application/json", jsonrpc::Serialize(json{{"error", error}, {"message", message}}) + "\n"};
}

}  // namespace mcpgw::admin
