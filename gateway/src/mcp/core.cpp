#include "mcp/core.h"

#include "audit/audit.h"
#include "auth/challenge.h"
#include "jsonrpc/message.h"
#include "log/log.h"
#include "mcp/backend.h"
#include "mcp/pagination.h"
#include "mcp/request_meta.h"
#include "mcp/result_scan.h"
#include "metrics/metrics.h"
#include "pipeline/rate_limit.h"

#include <algorithm>

namespace mcpgw::mcp {
namespace {

using json = nlohmann::json;
namespace code = jsonrpc::code;


// How long clients may cache list results (stateless era). The lists are
// also invalidated by list_changed notifications.
constexpr int64_t kListTtlMs = 60'000;

bool IsSession(const pipeline::Request& r) { return r.era == Era::kSession; }

std::optional<std::string> StringParam(const json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

uint8_t CapabilityBits(const json& caps) {
  uint8_t bits = 0;
  if (!caps.is_object()) return bits;
  if (caps.contains("sampling")) bits |= session::kCapabilitySampling;
  if (caps.contains("elicitation")) bits |= session::kCapabilityElicitation;
  if (caps.contains("roots")) bits |= session::kCapabilityRoots;
  return bits;
}

// The tool definitions of `all` that `granted` may call on a route with
// `policy`; nullopt when that is every one of them (no copy).
std::optional<json> ToolsTheCallerMayCall(const json& all, const auth::ScopePolicy& policy,
                                          const std::vector<std::string>& granted) {
  const auto may = [&](const json& tool) { return policy.MayCall(tool.value("name", ""), granted); };
  if (std::all_of(all.begin(), all.end(), may)) return std::nullopt;
  json allowed = json::array();
  for (const json& tool : all) {
    if (may(tool)) allowed.push_back(tool);
  }
  return allowed;
}

// Parses the plugin's JSON result, which must be one object.
std::optional<json> ParseResult(const std::string& body) {
  json result = json::parse(body, nullptr, false);
  if (result.is_discarded() || !result.is_object()) return std::nullopt;
  return result;
}

}  // namespace

Core::Core(pipeline::Pipeline pipeline, CoreOptions options, timing::TimeoutList& timeouts,
           metrics::Metrics* metrics)
    : pipeline_(std::move(pipeline)), options_(std::move(options)), timeouts_(timeouts), metrics_(metrics) {}

json Core::ServerInfo(const Backend& backend) const {
  return {{"name", options_.server_name + "/" + backend.name()},
          {"title", "MCP gateway: " + backend.name()},
          {"version", options_.server_version}};
}

std::shared_ptr<Cancellable> Core::Handle(pipeline::Request request, std::shared_ptr<Responder> responder) {
  if (request.deadline == pipeline::Clock::time_point::max()) {
    request.deadline = request.received + options_.request_timeout;
  }
  auto ex = std::make_shared<Exchange>(std::move(request), std::move(responder), metrics_);
  pipeline::Request& r = ex->request();

  if (r.is_notification()) {
    HandleNotification(ex);
    return ex;
  }
  ++in_flight_;
  ex->set_on_finish([this] { --in_flight_; });
  if (r.session) r.session->Track(r.id, ex);

  if (r.era == Era::kStateless) {
    // Every stateless request carries its version and capabilities.
    if (auto missing = MissingMetaField(r.params)) {
      Fail(ex, code::kInvalidParams, *missing, nullptr, 400);
      return ex;
    }
    if (const std::string version = MetaProtocolVersion(r.params); !IsSupported(version)) {
      ex->Finish(Reply{UnsupportedVersionError(r.id, version), 400}, "unsupported_version");
      return ex;
    }
  }

  if (r.method == "tools/call") {
    ex->audited = options_.audit_tool_calls;
    const auto name = StringParam(r.params, "name");
    if (name) {
      ex->tool_label = "unknown";
      const auto tools = r.backend->tools().Current();
      if (const Tool* tool = tools->Find(*name)) {
        r.tool = tool;
        ex->tool_label = tool->name;
        ex->Hold(tools);  // keep the tool set alive while the call runs
      }
    }
  }

  // The continuation holds the exchange, so it lives while a stage waits.
  pipeline_.Run(r, [this, ex](std::optional<pipeline::Denial> denial) { Continue(ex, std::move(denial)); });
  return ex;
}

void Core::Continue(const Ptr& ex, std::optional<pipeline::Denial> denial) {
  if (ex->finished()) return;  // cancelled while a stage waited
  ex->PipelineDone();
  if (denial) return Deny(ex, *denial);
  if (ex->request().method == "subscriptions/listen") {
    ex->request().deadline = pipeline::Clock::time_point::max();  // open until the client leaves
  } else {
    ex->ArmDeadline(timeouts_);
  }
  Dispatch(ex);
}

void Core::Deny(const Ptr& ex, const pipeline::Denial& denial) {
  const pipeline::Request& r = ex->request();
  switch (denial.kind) {
    case pipeline::DenialKind::kInvalidArguments: {
      // A tool input error is a tool result the model can learn from.
      json result{{"content", json::array({{{"type", "text"}, {"text", denial.message}}})}, {"isError", true}};
      return Succeed(ex, std::move(result), false);
    }
    case pipeline::DenialKind::kForbidden: {
      const std::string_view tool = r.method == "tools/call" ? std::string_view(ex->tool_label) : "";
      if (metrics_) metrics_->RecordAuthorizationDenied(r.backend->name(), r.method, tool);
      audit::Record("authz_denied", {{"route", r.backend->name()},
                                     {"method", r.method},
                                     {"tool", tool},
                                     {"subject", r.principal.subject},
                                     {"credential_id", r.principal.credential_id},
                                     {"required", denial.scopes}});
      Reply reply{jsonrpc::MakeError(r.id, code::kInvalidRequest, denial.message), 403};
      reply.headers.emplace_back("WWW-Authenticate",
                                 auth::InsufficientScopeChallenge(r.backend->resource(), denial.scopes));
      return ex->Finish(std::move(reply), "forbidden");
    }
    case pipeline::DenialKind::kRateLimited: {
      // The same error on every front door; HTTP adds the status and headers
      // (draft-ietf-httpapi-ratelimit-headers, structured-field lists).
      json limits = json::array();
      for (const pipeline::LimitState& s : denial.limits) {
        limits.push_back({{"policy", s.policy},
                          {"limit", s.limit},
                          {"windowSeconds", s.window_s},
                          {"remaining", s.remaining},
                          {"resetSeconds", s.reset_s}});
      }
      json data{{"retryAfter", denial.retry_after.count()}, {"policy", denial.policy}, {"limits", std::move(limits)}};
      Reply reply{jsonrpc::MakeError(r.id, pipeline::kRateLimitedCode, denial.message, std::move(data)), 429};
      reply.headers.emplace_back("Retry-After", std::to_string(denial.retry_after.count()));
      for (auto& header : RateLimitHeaders(denial.limits)) reply.headers.push_back(std::move(header));
      return ex->Finish(std::move(reply), "rate_limited");
    }
    case pipeline::DenialKind::kUnavailable: {
      const int64_t retry = std::max<int64_t>(1, denial.retry_after.count());
      json data{{"retryAfter", retry}};
      if (!denial.policy.empty()) data["policy"] = denial.policy;
      Reply reply{jsonrpc::MakeError(r.id, code::kInternalError, denial.message, std::move(data)), 503};
      reply.headers.emplace_back("Retry-After", std::to_string(retry));
      return ex->Finish(std::move(reply), "unavailable");
    }
    case pipeline::DenialKind::kUnauthenticated:
      break;
  }
  Fail(ex, code::kInvalidRequest, denial.message);
}

void Core::Dispatch(const Ptr& ex) {
  const pipeline::Request& r = ex->request();
  const std::string& m = r.method;
  const bool session = IsSession(r);
  if (m == "initialize" && session) return Initialize(ex);
  if (m == "ping" && session) return Succeed(ex, json::object(), false);
  if (m == "logging/setLevel" && session) return SetLogLevel(ex);
  if (m == "server/discover") return Discover(ex);
  if (m == "tools/list") return ListTools(ex);
  if (m == "tools/call") return CallTool(ex);
  const bool resources = r.backend->plugin().Offers(plugin::Operation::kListResources);
  if (m == "resources/list" && resources) return ListFromPlugin(ex, plugin::Operation::kListResources, "resources");
  if (m == "resources/templates/list" && resources) {
    return ListFromPlugin(ex, plugin::Operation::kListResourceTemplates, "resourceTemplates");
  }
  if (m == "resources/read" && resources) return ReadResource(ex);
  if (m == "resources/subscribe" && resources && session) return Subscribe(ex, true);
  if (m == "resources/unsubscribe" && resources && session) return Subscribe(ex, false);
  const bool prompts = r.backend->plugin().Offers(plugin::Operation::kListPrompts);
  if (m == "prompts/list" && prompts) return ListFromPlugin(ex, plugin::Operation::kListPrompts, "prompts");
  if (m == "prompts/get" && prompts) return GetPrompt(ex);
  if (m == "completion/complete") return Complete(ex);
  if (m == "subscriptions/listen" && !session) return Listen(ex);
  Fail(ex, code::kMethodNotFound, "Method not found: " + m, nullptr, session ? 200 : 404);
}

void Core::Initialize(const Ptr& ex) {
  const pipeline::Request& r = ex->request();
  const auto requested = StringParam(r.params, "protocolVersion");
  if (!requested) return Fail(ex, code::kInvalidParams, "initialize needs params.protocolVersion (a string)");
  const json caps = r.params.value("capabilities", json::object());
  const std::string version = NegotiateSessionVersion(*requested);
  auto session = r.backend->sessions().Create(version, CapabilityBits(caps), r.principal);
  json result{{"protocolVersion", version},
              {"capabilities", r.backend->Capabilities()},
              {"serverInfo", ServerInfo(*r.backend)}};
  if (!r.backend->instructions().empty()) result["instructions"] = r.backend->instructions();
  log::Info("session_started", {{"route", r.backend->name()}, {"protocol_version", version}});
  Reply reply{jsonrpc::MakeResult(r.id, std::move(result))};
  reply.new_session = std::move(session);
  ex->Finish(std::move(reply), "ok");
}

void Core::Discover(const Ptr& ex) {
  const Backend& b = *ex->request().backend;
  json versions = json::array();
  for (std::string_view v : SupportedVersions()) versions.push_back(v);
  json result{{"supportedVersions", versions}, {"capabilities", b.Capabilities()}};
  if (!b.instructions().empty()) result["instructions"] = b.instructions();
  Succeed(ex, std::move(result), true);
}

void Core::SetLogLevel(const Ptr& ex) {
  const pipeline::Request& r = ex->request();
  const auto name = StringParam(r.params, "level");
  const auto level = name ? ParseLogLevel(*name) : std::nullopt;
  if (!level) {
    return Fail(ex, code::kInvalidParams,
                "logging/setLevel needs params.level: one of debug, info, notice, warning, error, critical, alert, "
                "emergency");
  }
  if (r.session) r.session->set_log_level(*level);
  audit::Record("admin_action", {{"route", r.backend->name()},
                                 {"action", "logging/setLevel"},
                                 {"level", *name},
                                 {"subject", r.principal.subject},
                                 {"credential_id", r.principal.credential_id}});
  Succeed(ex, json::object(), false);
}

void Core::ListTools(const Ptr& ex) {
  const pipeline::Request& r = ex->request();
  std::optional<std::string> cursor;
  if (auto c = r.params.find("cursor"); c != r.params.end() && !c->is_null()) {
    if (!c->is_string()) return Fail(ex, code::kInvalidParams, "params.cursor must be a string");
    cursor = c->get<std::string>();
  }
  const auto tools = r.backend->tools().Current();
  // With authentication a caller sees the tools it may call, and what one
  // caller sees is not for another's cache.
  std::optional<json> allowed;
  if (options_.authorize) {
    allowed = ToolsTheCallerMayCall(tools->definitions(), *r.backend->scope_policy(), r.principal.scopes);
  }
  auto page = Paginate(allowed ? *allowed : tools->definitions(), cursor, options_.page_size);
  if (!page) return Fail(ex, code::kInvalidParams, "Invalid cursor: restart the listing without a cursor");
  json result{{"tools", std::move(page->items)}};
  if (page->next_cursor) result["nextCursor"] = *page->next_cursor;
  Succeed(ex, std::move(result), true, options_.authorize ? "private" : "public");
}

void Core::CallTool(const Ptr& ex) {
  const pipeline::Request& r = ex->request();
  const auto name = StringParam(r.params, "name");
  if (!name) return Fail(ex, code::kInvalidParams, "tools/call needs params.name (a string)");
  if (r.tool == nullptr) {
    return Fail(ex, code::kInvalidParams, "Unknown tool: " + *name + " (tools/list shows the tools of this route)");
  }
  const auto args = r.params.find("arguments");
  if (args != r.params.end() && !args->is_null() && !args->is_object()) {
    return Fail(ex, code::kInvalidParams, "params.arguments must be an object");
  }
  plugin::PluginRequest request;
  request.op = plugin::Operation::kCallTool;
  request.name = *name;
  request.arguments = args == r.params.end() || args->is_null() ? "{}" : args->dump();
  CallPlugin(ex, std::move(request), [this](const Ptr& e, plugin::PluginReply reply) {
    if (reply.status != MCPGW_OK) return FailFromPlugin(e, reply);
    const ResultShape shape = ScanResult(reply.body);
    if (!shape.object || !shape.content_array) {
      return Fail(e, code::kInternalError, "The backend returned a malformed tool result");
    }
    SucceedRaw(e, std::move(reply.body), shape.is_error, shape.reserved_keys, false, "private");
  });
}

void Core::ListFromPlugin(const Ptr& ex, plugin::Operation op, const char* key) {
  const pipeline::Request& r = ex->request();
  std::optional<std::string> cursor;
  if (auto c = r.params.find("cursor"); c != r.params.end() && !c->is_null()) {
    if (!c->is_string()) return Fail(ex, code::kInvalidParams, "params.cursor must be a string");
    cursor = c->get<std::string>();
  }
  plugin::PluginRequest request;
  request.op = op;
  const bool per_principal = op == plugin::Operation::kListResources;
  CallPlugin(ex, std::move(request), [this, key, cursor, per_principal](const Ptr& e, plugin::PluginReply reply) {
    if (reply.status != MCPGW_OK) return FailFromPlugin(e, reply);
    auto result = ParseResult(reply.body);
    if (!result || !result->contains(key) || !(*result)[key].is_array()) {
      return Fail(e, code::kInternalError, std::string("The backend returned a malformed ") + key + " list");
    }
    auto page = Paginate((*result)[key], cursor, options_.page_size);
    if (!page) return Fail(e, code::kInvalidParams, "Invalid cursor: restart the listing without a cursor");
    json out{{key, std::move(page->items)}};
    if (page->next_cursor) out["nextCursor"] = *page->next_cursor;
    Succeed(e, std::move(out), true, per_principal ? "private" : "public");
  });
}

void Core::ReadResource(const Ptr& ex) {
  const auto uri = StringParam(ex->request().params, "uri");
  if (!uri) return Fail(ex, code::kInvalidParams, "resources/read needs params.uri (a string)");
  plugin::PluginRequest request;
  request.op = plugin::Operation::kReadResource;
  request.name = *uri;
  CallPlugin(ex, std::move(request), [this, uri = *uri](const Ptr& e, plugin::PluginReply reply) {
    if (reply.status == MCPGW_NOT_FOUND) {
      const bool modern = HasResourceNotFoundAsInvalidParams(e->request().protocol_version);
      return Fail(e, modern ? code::kInvalidParams : code::kResourceNotFoundLegacy, "Resource not found: " + uri,
                  {{"uri", uri}});
    }
    if (reply.status != MCPGW_OK) return FailFromPlugin(e, reply);
    auto result = ParseResult(reply.body);
    if (!result || !result->contains("contents") || !(*result)["contents"].is_array()) {
      return Fail(e, code::kInternalError, "The backend returned a malformed resource");
    }
    Succeed(e, std::move(*result), true, "private");
  });
}

void Core::Subscribe(const Ptr& ex, bool subscribe) {
  const pipeline::Request& r = ex->request();
  const auto uri = StringParam(r.params, "uri");
  if (!uri) return Fail(ex, code::kInvalidParams, r.method + " needs params.uri (a string)");
  if (subscribe) {
    r.session->Subscribe(*uri);
  } else {
    r.session->Unsubscribe(*uri);
  }
  Succeed(ex, json::object(), false);
}

void Core::GetPrompt(const Ptr& ex) {
  const pipeline::Request& r = ex->request();
  const auto name = StringParam(r.params, "name");
  if (!name) return Fail(ex, code::kInvalidParams, "prompts/get needs params.name (a string)");
  const json args = r.params.value("arguments", json::object());
  if (!args.is_object()) return Fail(ex, code::kInvalidParams, "params.arguments must be an object of strings");
  plugin::PluginRequest request;
  request.op = plugin::Operation::kGetPrompt;
  request.name = *name;
  request.arguments = args.dump();
  CallPlugin(ex, std::move(request), [this, name = *name](const Ptr& e, plugin::PluginReply reply) {
    if (reply.status == MCPGW_NOT_FOUND) return Fail(e, code::kInvalidParams, "Unknown prompt: " + name);
    if (reply.status != MCPGW_OK) return FailFromPlugin(e, reply);
    auto result = ParseResult(reply.body);
    if (!result || !result->contains("messages")) {
      return Fail(e, code::kInternalError, "The backend returned a malformed prompt");
    }
    Succeed(e, std::move(*result), false);
  });
}

void Core::Complete(const Ptr& ex) {
  const pipeline::Request& r = ex->request();
  if (!r.params.contains("ref") || !r.params["ref"].is_object() || !r.params.contains("argument") ||
      !r.params["argument"].is_object()) {
    return Fail(ex, code::kInvalidParams, "completion/complete needs params.ref and params.argument (objects)");
  }
  if (!r.backend->plugin().Offers(plugin::Operation::kComplete)) {
    // No completions offered: an empty answer rather than an error, so
    // clients that ask speculatively keep working.
    return Succeed(ex, {{"completion", {{"values", json::array()}, {"hasMore", false}}}}, false);
  }
  json params = r.params;
  params.erase("_meta");
  plugin::PluginRequest request;
  request.op = plugin::Operation::kComplete;
  request.arguments = params.dump();
  CallPlugin(ex, std::move(request), [this](const Ptr& e, plugin::PluginReply reply) {
    if (reply.status != MCPGW_OK) return FailFromPlugin(e, reply);
    auto result = ParseResult(reply.body);
    if (!result || !result->contains("completion")) {
      return Fail(e, code::kInternalError, "The backend returned a malformed completion");
    }
    Succeed(e, std::move(*result), false);
  });
}

void Core::Listen(const Ptr& ex) {
  const pipeline::Request& r = ex->request();
  const json wanted = r.params.value("notifications", json::object());
  if (!wanted.is_object()) return Fail(ex, code::kInvalidParams, "params.notifications must be an object");
  Listener::Filter filter;
  json granted = json::object();
  const bool resources = r.backend->plugin().Offers(plugin::Operation::kListResources);
  const bool prompts = r.backend->plugin().Offers(plugin::Operation::kListPrompts);
  if (wanted.value("toolsListChanged", false)) filter.tools = granted["toolsListChanged"] = true;
  if (prompts && wanted.value("promptsListChanged", false)) filter.prompts = granted["promptsListChanged"] = true;
  if (resources && wanted.value("resourcesListChanged", false)) {
    filter.resources = granted["resourcesListChanged"] = true;
  }
  if (resources && wanted.contains("resourceSubscriptions") && wanted["resourceSubscriptions"].is_array()) {
    json uris = json::array();
    for (const auto& u : wanted["resourceSubscriptions"]) {
      if (u.is_string()) filter.resource_uris.insert(u.get<std::string>()), uris.push_back(u);
    }
    granted["resourceSubscriptions"] = uris;
  }
  std::weak_ptr<Exchange> weak = ex;
  auto listener = std::make_shared<Listener>(std::move(filter), r.id, [weak](const json& message) {
    if (auto e = weak.lock()) e->Notify(message);
  });
  ex->Hold(listener);
  listener->Notify("notifications/subscriptions/acknowledged", {{"notifications", granted}});
  r.backend->AddListener(listener);
  {
    std::lock_guard lock(listen_mu_);
    listen_streams_[ex.get()] = ex;
  }
  ex->set_on_finish([this, key = ex.get()] {
    --in_flight_;
    std::lock_guard lock(listen_mu_);
    listen_streams_.erase(key);
  });
  // The stream stays open until the client closes it (Cancel) or shutdown.
}

void Core::CloseListenStreams(const Backend* backend) {
  std::vector<std::shared_ptr<Exchange>> open;
  {
    std::lock_guard lock(listen_mu_);
    for (const auto& [key, e] : listen_streams_) {
      if (backend == nullptr || e->request().backend.get() == backend) open.push_back(e);
    }
  }
  for (const auto& e : open) {
    json result{{"resultType", "complete"}, {"_meta", {{kMetaSubscriptionId, e->request().id}}}};
    e->Finish(Reply{jsonrpc::MakeResult(e->request().id, std::move(result))}, "ok");
  }
}

void Core::HandleNotification(const Ptr& ex) {
  const pipeline::Request& r = ex->request();
  if (r.method == "notifications/cancelled" && r.session) {
    const auto it = r.params.find("requestId");
    if (it != r.params.end() && (it->is_string() || it->is_number_integer())) r.session->Cancel(*it);
  }
  // notifications/initialized, roots/list_changed and unknown notifications
  // need no action; notifications are never answered.
  ex->Finish(Reply{}, "ok");
}

void Core::CallPlugin(const Ptr& ex, plugin::PluginRequest request,
                      std::function<void(const Ptr&, plugin::PluginReply)> on_reply) {
  const pipeline::Request& r = ex->request();
  request.principal = r.principal;
  request.observer = ex;
  plugin::PluginInstance& plugin = r.backend->plugin();
  auto answer = [ex, on_reply = std::move(on_reply)](plugin::PluginReply reply) {
    if (ex->finished()) return;  // timed out or cancelled meanwhile
    if (reply.status == MCPGW_CANCELLED && ex->Cancelled()) return ex->EndStopped();
    on_reply(ex, std::move(reply));
  };
  if (auto reply = plugin.TryInvokeNoWait(request)) return answer(std::move(*reply));
  const bool queued = plugin.TrySubmit(std::move(request), std::move(answer));
  if (!queued) {
    Reply reply{jsonrpc::MakeError(r.id, code::kInternalError,
                                   "Backend \"" + r.backend->name() + "\" is at capacity; retry in a moment"),
                503};
    reply.headers.emplace_back("Retry-After", "1");
    ex->Finish(std::move(reply), "overloaded");
  }
}

void Core::Succeed(const Ptr& ex, json result, bool cacheable, std::string_view cache_scope) {
  const pipeline::Request& r = ex->request();
  if (r.era == Era::kStateless) {
    result["resultType"] = "complete";
    result["_meta"][kMetaServerInfo] = ServerInfo(*r.backend);
    if (cacheable) {
      result["ttlMs"] = r.method == "resources/read" || r.method == "resources/list" ? 0 : kListTtlMs;
      result["cacheScope"] = cache_scope;
    }
  }
  const bool tool_error = r.method == "tools/call" && result.value("isError", false);
  ex->Finish(Reply{jsonrpc::MakeResult(r.id, std::move(result))}, tool_error ? "tool_error" : "ok");
}

void Core::SucceedRaw(const Ptr& ex, std::string body, bool is_error, bool reserved_keys, bool cacheable,
                      std::string_view cache_scope) {
  const pipeline::Request& r = ex->request();
  if (r.era == Era::kStateless && reserved_keys) {
    return Succeed(ex, json::parse(body), cacheable, cache_scope);  // must merge into the plugin's keys
  }
  std::string text;
  text.reserve(body.size() + 160);
  text += R"({"jsonrpc":"2.0","id":)";
  jsonrpc::AppendId(text, r.id);
  text += R"(,"result":)";
  if (r.era == Era::kStateless) {
    // Insert the protocol's fields right after the object's opening brace.
    const std::size_t open = body.find('{');
    const bool empty = body.find_first_not_of(" \t\r\n", open + 1) == body.find('}', open + 1);
    text.append(body, 0, open + 1);
    text += R"("resultType":"complete","_meta":{")";
    text += kMetaServerInfo;
    text += R"(":)";
    text += ServerInfo(*r.backend).dump();
    text += '}';
    if (cacheable) {
      text += R"(,"ttlMs":)" + std::to_string(r.method == "resources/read" ? 0 : kListTtlMs);
      text += R"(,"cacheScope":")" + std::string(cache_scope) + '"';
    }
    if (!empty) text += ',';
    text.append(body, open + 1, std::string::npos);
  } else {
    text += body;
  }
  text += '}';
  Reply reply;
  reply.text = std::move(text);
  ex->Finish(std::move(reply), is_error ? "tool_error" : "ok");
}

void Core::Fail(const Ptr& ex, int error_code, const std::string& message, json data, int http_status) {
  ex->Finish(Reply{jsonrpc::MakeError(ex->request().id, error_code, message, std::move(data)), http_status}, "error");
}

void Core::FailFromPlugin(const Ptr& ex, const plugin::PluginReply& reply) {
  const std::string& backend = ex->request().backend->name();
  switch (reply.status) {
    case MCPGW_INVALID_PARAMS:
      return Fail(ex, code::kInvalidParams, reply.body.empty() ? "Invalid params" : reply.body);
    case MCPGW_NOT_FOUND:
      return Fail(ex, code::kInvalidParams, reply.body.empty() ? "Not found" : reply.body);
    case MCPGW_CANCELLED:
      return Fail(ex, code::kInternalError, "The backend stopped the request");
    case MCPGW_UNAVAILABLE:
      return Fail(ex, code::kInternalError,
                  "Backend \"" + backend + "\" is temporarily unavailable" + (reply.body.empty() ? "" : ": " + reply.body));
    default:
      return Fail(ex, code::kInternalError,
                  "Internal error in backend \"" + backend + "\"" + (reply.body.empty() ? "" : ": " + reply.body));
  }
}

}  // namespace mcpgw::mcp
