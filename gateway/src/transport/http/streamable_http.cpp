#include "transport/http/streamable_http.h"

#include "audit/audit.h"
#include "auth/challenge.h"
#include "jsonrpc/message.h"
#include "log/log.h"
#include "mcp/backend.h"
#include "mcp/protocol_version.h"
#include "metrics/metrics.h"
#include "transport/admission_record.h"
#include "transport/http/forwarded_for.h"
#include "transport/http/header_validation.h"
#include "transport/http/session_streams.h"
#include "transport/http/sse.h"

#include <mutex>

namespace mcpgw::http {
namespace {

using json = nlohmann::json;
namespace code = jsonrpc::code;

constexpr std::string_view kSessionHeader = "Mcp-Session-Id";
constexpr std::string_view kVersionHeader = "MCP-Protocol-Version";
constexpr std::string_view kApiKeyHeader = "X-API-Key";

// A header's value, whitespace-trimmed; empty when absent.
std::string_view Header(const Request& req, std::string_view name) { return HeaderValue(req, name).value_or(""); }

Response JsonResponse(bhttp::status status, const json& body, unsigned version = 11) {
  Response res{status, version};
  res.set(bhttp::field::content_type, "application/json");
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = jsonrpc::Serialize(body);
  res.prepare_payload();
  return res;
}

Response ErrorResponse(bhttp::status status, int error_code, const std::string& message, const json& id = nullptr) {
  return JsonResponse(status, jsonrpc::MakeError(id, error_code, message));
}

}  // namespace

RefusalAnswer StreamableHttpEndpoint::Refuse(const Refusal& refusal) {
  return {"application/json", jsonrpc::Serialize(jsonrpc::MakeError(nullptr, code::kInvalidRequest,
                                                                    std::string(refusal.message)))};
}

namespace {

StreamHeader SseHeader() {
  StreamHeader header{bhttp::status::ok, 11};
  header.set(bhttp::field::content_type, "text/event-stream");
  header.set(bhttp::field::cache_control, "no-cache, no-store");
  header.set("X-Accel-Buffering", "no");
  return header;
}

// What the client's Accept header allows.
struct Accepts {
  bool json = false;
  bool sse = false;
};
Accepts ParseAccept(std::string_view accept) {
  if (accept.empty()) return {true, true};
  const auto has = [&](std::string_view t) { return accept.find(t) != std::string_view::npos; };
  const bool any = has("*/*");
  return {any || has("application/json") || has("application/*"), any || has("text/event-stream") || has("text/*")};
}

bool IsJsonContentType(std::string_view ct) {
  const auto semi = ct.find(';');
  std::string_view base = ct.substr(0, semi);
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  return base.size() == 16 && strncasecmp(base.data(), "application/json", 16) == 0;
}

// Versions from 2025-11-25 on understand priming events and polling.
bool SupportsPolling(std::string_view version) { return version >= "2025-11-25"; }

std::shared_ptr<SessionStreams> MakeStreams(const StreamableHttpOptions& o, std::string_view version) {
  return std::make_shared<SessionStreams>(o.event_buffer, o.sse_retry_ms, SupportsPolling(version));
}

// The SSE state of a session, created on first use on this replica.
std::shared_ptr<SessionStreams> StreamsOf(mcp::Session& session, const StreamableHttpOptions& o) {
  auto channel = session.EnsureChannel([&] { return MakeStreams(o, session.protocol_version()); });
  return std::static_pointer_cast<SessionStreams>(channel);
}

// Answers one POSTed request: JSON when the result comes first, SSE as soon
// as a notification must go out before it (or the server asks to poll).
class PostResponder final : public mcp::Responder, public std::enable_shared_from_this<PostResponder> {
 public:
  PostResponder(std::shared_ptr<Exchange> exchange, Accepts accepts, std::shared_ptr<SessionStreams> streams,
                bool is_request, const StreamableHttpOptions& options)
      : exchange_(std::move(exchange)),
        accepts_(accepts),
        streams_(std::move(streams)),
        is_request_(is_request),
        options_(options) {}

  void Notify(const json& notification) override {
    std::lock_guard lock(mu_);
    if (state_ == State::kDone || !accepts_.sse) return;
    if (state_ == State::kPending) StartStream();
    Write(jsonrpc::Serialize(notification), false);
  }

  void StreamHeaders(mcp::Headers headers) override {
    std::lock_guard lock(mu_);
    stream_headers_ = std::move(headers);
  }

  void Finish(mcp::Reply reply) override {
    if (timeouts_ != nullptr) timeouts_->Cancel(poll_);
    std::lock_guard lock(mu_);
    if (state_ == State::kDone) return;
    const State was = state_;
    state_ = State::kDone;
    if (was == State::kStreaming) {
      if (!reply.has_message()) {
        if (streams_) {
          streams_->Detach(stream_id_);
        } else {
          exchange_->End();
        }
        return;
      }
      return Write(reply.Serialize(), true);
    }
    if (!reply.has_message()) {
      Response res{is_request_ ? bhttp::status::no_content : bhttp::status::accepted, 11};
      res.prepare_payload();
      return exchange_->Respond(std::move(res));
    }
    Response res{static_cast<bhttp::status>(reply.http_status), 11};
    res.set(bhttp::field::content_type, "application/json");
    res.set(bhttp::field::cache_control, "no-store");
    res.body() = reply.Serialize();
    res.prepare_payload();
    for (const auto& [name, value] : reply.headers) res.set(name, value);
    if (reply.new_session) {
      res.set(kSessionHeader, reply.new_session->id());
      reply.new_session->set_channel(MakeStreams(options_, reply.new_session->protocol_version()));
    }
    exchange_->Respond(std::move(res));
  }

  // Polls after `delay` unless the request ends first.
  void ArmPoll(timing::TimeoutList& timeouts, std::chrono::milliseconds delay) {
    timeouts_ = &timeouts;
    poll_ = timeouts.Add(timing::TimeoutList::Clock::now() + delay, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->Poll();
    });
  }

  // SEP-1699: end the POST stream early; the client resumes with GET.
  void Poll() {
    std::lock_guard lock(mu_);
    if (state_ == State::kDone || !streams_ || !accepts_.sse || !streams_->priming()) return;
    if (state_ == State::kPending) StartStream();
    streams_->Detach(stream_id_);
  }

 private:
  enum class State { kPending, kStreaming, kDone };

  void StartStream() {
    StreamHeader header = SseHeader();
    for (const auto& [name, value] : stream_headers_) header.set(name, value);
    exchange_->BeginStream(std::move(header));
    if (streams_) stream_id_ = streams_->Open(exchange_);
    state_ = State::kStreaming;
  }

  void Write(const std::string& data, bool final) {
    if (streams_) return streams_->Append(stream_id_, data, final);
    exchange_->Write(SseEvent("", data));
    if (final) exchange_->End();
  }

  std::mutex mu_;
  State state_ = State::kPending;
  std::shared_ptr<Exchange> exchange_;
  Accepts accepts_;
  std::shared_ptr<SessionStreams> streams_;
  mcp::Headers stream_headers_;  // for the SSE head
  uint64_t stream_id_ = 0;
  bool is_request_;
  const StreamableHttpOptions& options_;
  timing::TimeoutList* timeouts_ = nullptr;
  timing::TimeoutList::Handle poll_;
};

}  // namespace

StreamableHttpEndpoint::StreamableHttpEndpoint(mcp::Core& core, const mcp::RouteTable& routes,
                                               OriginPolicy origin_policy, StreamableHttpOptions options,
                                               timing::TimeoutList& timeouts, metrics::Metrics* metrics,
                                               const pipeline::Admission* admission)
    : core_(core),
      routes_(routes),
      origin_policy_(std::move(origin_policy)),
      options_(options),
      timeouts_(timeouts),
      metrics_(metrics),
      admission_(admission) {}

namespace {

bool QueryCarriesAToken(std::string_view target) {
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return false;
  const std::string_view query = target.substr(q);
  return query.find("access_token=") != std::string_view::npos || query.find("api_key=") != std::string_view::npos;
}

}  // namespace

std::optional<Principal> StreamableHttpEndpoint::Admit(const std::shared_ptr<mcp::Backend>& backend,
                                                       const std::shared_ptr<Exchange>& exchange) {
  if (admission_ == nullptr) return LocalUserPrincipal();  // loopback only: config refuses anything else
  const Request& req = exchange->request();
  const std::string_view target(req.target().data(), req.target().size());
  const std::size_t authorizations = req.count(bhttp::field::authorization);
  const std::size_t api_keys = req.count(kApiKeyHeader);
  if (QueryCarriesAToken(target) || authorizations + api_keys > 1) {
    if (metrics_) metrics_->RecordRejected("credential_misplaced");
    audit::Record("auth_refused", {{"route", backend->name()}, {"reason", "credential_misplaced"}});
    exchange->Respond(ErrorResponse(bhttp::status::bad_request, code::kInvalidRequest,
                                    "Send exactly one credential, in the Authorization or X-API-Key header; a "
                                    "credential in the URL is refused (and should now be considered leaked)"));
    return std::nullopt;
  }
  pipeline::Credentials credentials;
  if (const auto it = req.find(bhttp::field::authorization); it != req.end()) {
    credentials.authorization = std::string_view(it->value().data(), it->value().size());
  } else if (const auto key = req.find(kApiKeyHeader); key != req.end()) {
    credentials.api_key = std::string_view(key->value().data(), key->value().size());
  }
  if (admission_->NeedsIntrospection(credentials)) {
    // Answered later, on the introspector's thread; Exchange is thread-safe.
    admission_->Admit(credentials, backend->resource(),
                      [this, backend, exchange](pipeline::Admission::Outcome outcome) {
                        if (auto principal = Decide(*backend, exchange, std::move(outcome))) {
                          Serve(backend, std::move(*principal), exchange);
                        }
                      });
    return std::nullopt;
  }
  // The connection's last verified token: a keep-alive client repeating it
  // is not hashed and looked up again (the audience and revocation are).
  std::shared_ptr<void>& state = exchange->connection_state();
  if (!state) state = std::make_shared<auth::LastVerifiedToken>();
  auto* last = static_cast<auth::LastVerifiedToken*>(state.get());
  return Decide(*backend, exchange, admission_->Admit(credentials, backend->resource(), last));
}

std::optional<Principal> StreamableHttpEndpoint::Decide(const mcp::Backend& backend,
                                                        const std::shared_ptr<Exchange>& exchange,
                                                        pipeline::Admission::Outcome admitted) {
  transport::RecordAdmission(admitted, backend.name(), exchange->remote_address(), metrics_);
  if (auto* principal = std::get_if<Principal>(&admitted)) return std::move(*principal);
  const auto& denial = std::get<pipeline::AdmissionDenial>(admitted);
  if (denial.unavailable) {
    Response res = ErrorResponse(bhttp::status::service_unavailable, code::kInternalError, denial.message);
    res.set(bhttp::field::retry_after, "5");
    exchange->Respond(std::move(res));
    return std::nullopt;
  }
  Response res = ErrorResponse(bhttp::status::unauthorized, code::kInvalidRequest, denial.message);
  res.set(bhttp::field::www_authenticate, auth::UnauthorizedChallenge(backend.resource(), backend.scope_policy()->supported(),
                                                                      denial.credential_presented));
  exchange->Respond(std::move(res));
  return std::nullopt;
}

void StreamableHttpEndpoint::SessionRefused(const mcp::Backend& backend, const mcp::SessionRegistry::Lookup& found,
                                            const Principal& principal) {
  if (metrics_) metrics_->RecordRejected("unknown_session");
  const std::string reason = found.ended ? "ended" : std::string(session::CheckName(found.check));
  log::Info("session_refused", {{"route", backend.name()}, {"reason", reason}});
  if (found.check == session::SessionIdCheck::kOtherPrincipal) {
    // Someone presented a session id minted for another caller.
    audit::Record("session_mismatch", {{"route", backend.name()},
                                       {"subject", principal.subject},
                                       {"credential_id", principal.credential_id}});
  }
}

void StreamableHttpEndpoint::ProtectedResourceMetadata(std::string_view route_path,
                                                       const std::shared_ptr<Exchange>& exchange) {
  const auto routes = routes_.Current();
  for (const auto& [path, backend] : routes->by_path) {
    if (auth::PathOfUri(backend->resource()) != route_path && path != route_path) continue;
    if (exchange->request().method() != bhttp::verb::get) {
      Response res = ErrorResponse(bhttp::status::method_not_allowed, code::kInvalidRequest, "Use GET");
      res.set(bhttp::field::allow, "GET");
      return exchange->Respond(std::move(res));
    }
    json metadata = {{"resource", backend->resource()},
                     {"authorization_servers", options_.authorization_servers},
                     {"scopes_supported", backend->scope_policy()->supported()},
                     {"bearer_methods_supported", {"header"}}};
    Response res = JsonResponse(bhttp::status::ok, metadata);
    res.set(bhttp::field::cache_control, "max-age=300");
    return exchange->Respond(std::move(res));
  }
  return exchange->Respond(ErrorResponse(bhttp::status::not_found, code::kInvalidRequest,
                                         "No protected resource at " + std::string(route_path)));
}

void StreamableHttpEndpoint::Handle(const std::shared_ptr<Exchange>& exchange) {
  const Request& req = exchange->request();
  const std::string_view target(req.target().data(), req.target().size());
  const std::string path(target.substr(0, target.find('?')));
  if (admission_ != nullptr && path.rfind(auth::kProtectedResourcePath, 0) == 0) {
    return ProtectedResourceMetadata(std::string_view(path).substr(auth::kProtectedResourcePath.size()), exchange);
  }
  // Held until this request is answered, whatever a reload does meanwhile.
  const std::shared_ptr<mcp::Backend> backend = routes_.Current()->AtPath(path);
  if (!backend) {
    if (metrics_) metrics_->RecordRejected("unknown_path");
    return exchange->Respond(ErrorResponse(bhttp::status::not_found, code::kInvalidRequest,
                                           "No MCP route at " + path + "; see the gateway's configured routes"));
  }
  if (auto refused = origin_policy_.Check(Header(req, "Origin"), Header(req, "Host"))) {
    if (metrics_) metrics_->RecordRejected("origin");
    log::Warn("origin_refused", {{"route", backend->name()}, {"reason", *refused}});
    return exchange->Respond(ErrorResponse(bhttp::status::forbidden, code::kInvalidRequest, "Forbidden: " + *refused));
  }
  const std::optional<Principal> principal = Admit(backend, exchange);
  if (principal) Serve(backend, std::move(*principal), exchange);
}

void StreamableHttpEndpoint::Serve(const std::shared_ptr<mcp::Backend>& backend, Principal principal,
                                   const std::shared_ptr<Exchange>& exchange) {
  switch (exchange->request().method()) {
    case bhttp::verb::post: return Post(backend, std::move(principal), exchange);
    case bhttp::verb::get: return Get(*backend, principal, exchange);
    case bhttp::verb::delete_: return Delete(*backend, principal, exchange);
    default: {
      Response res = ErrorResponse(bhttp::status::method_not_allowed, code::kInvalidRequest,
                                   "Method not allowed: use POST (or GET/DELETE with an Mcp-Session-Id)");
      res.set(bhttp::field::allow, "GET, POST, DELETE");
      return exchange->Respond(std::move(res));
    }
  }
}

}  // namespace mcpgw::http

namespace mcpgw::http {
namespace {

// Maps a framing failure to the metric reason and the HTTP answer.
Response FramingError(const jsonrpc::Failure& f, metrics::Metrics* metrics) {
  const bool too_deep = f.message.find("nesting") != std::string::npos;
  if (metrics) {
    metrics->RecordRejected(f.code == code::kParseError ? "parse_error" : too_deep ? "json_too_deep" : "invalid_request");
  }
  return JsonResponse(bhttp::status::bad_request, jsonrpc::MakeError(f.id, f.code, f.message));
}

// The socket's peer, or what a trusted proxy says in X-Forwarded-For.
std::string SourceAddressOf(const Exchange& exchange, const std::vector<mcpgw::net::Cidr>& trusted) {
  if (trusted.empty()) return exchange.remote_address();
  std::vector<std::string_view> lines;
  const Request& req = exchange.request();
  for (auto range = req.equal_range("X-Forwarded-For"); range.first != range.second; ++range.first) {
    lines.emplace_back(range.first->value().data(), range.first->value().size());
  }
  return SourceAddress(exchange.remote_address(), lines, trusted);
}

bool HasModernMeta(const json& params) {
  const auto meta = params.find("_meta");
  return meta != params.end() && meta->is_object() && meta->contains("io.modelcontextprotocol/protocolVersion");
}

}  // namespace

void StreamableHttpEndpoint::Post(const std::shared_ptr<mcp::Backend>& backend, Principal principal,
                                  const std::shared_ptr<Exchange>& exchange) {
  const Request& req = exchange->request();
  if (!IsJsonContentType(Header(req, "Content-Type"))) {
    if (metrics_) metrics_->RecordRejected("content_type");
    return exchange->Respond(ErrorResponse(bhttp::status::unsupported_media_type, code::kInvalidRequest,
                                           "Content-Type must be application/json"));
  }
  const Accepts accepts = ParseAccept(Header(req, "Accept"));
  if (!accepts.json && !accepts.sse) {
    if (metrics_) metrics_->RecordRejected("not_acceptable");
    return exchange->Respond(ErrorResponse(bhttp::status::not_acceptable, code::kInvalidRequest,
                                           "Accept must list application/json and text/event-stream"));
  }
  auto parsed = jsonrpc::Parse(req.body(), {options_.max_json_depth});
  if (auto* failure = std::get_if<jsonrpc::Failure>(&parsed)) return exchange->Respond(FramingError(*failure, metrics_));
  jsonrpc::Message& msg = std::get<jsonrpc::Message>(parsed);

  const std::string_view session_id = Header(req, kSessionHeader);
  const std::string_view version_header = Header(req, kVersionHeader);
  // Dual-era routing: per-request _meta means the stateless era (where an
  // Mcp-Session-Id is ignored); so does a version header that is not a
  // session-era version on a request without a session. Everything else is
  // the session era and its initialize handshake.
  const bool modern = HasModernMeta(msg.params) ||
                      (session_id.empty() && !version_header.empty() &&
                       mcp::EraOf(version_header) != mcp::Era::kSession);

  pipeline::Request request;
  request.backend = backend;
  request.principal = std::move(principal);
  request.source_address = SourceAddressOf(*exchange, options_.trusted_proxies);
  std::shared_ptr<SessionStreams> streams;

  if (modern) {
    if (msg.kind == jsonrpc::Message::Kind::kResponse) {
      return exchange->Respond(ErrorResponse(bhttp::status::bad_request, code::kInvalidRequest,
                                             "Clients must not send JSON-RPC responses in protocol 2026-07-28"));
    }
    if (msg.kind == jsonrpc::Message::Kind::kRequest) {
      // The order is the spec's: mirrored method, then _meta, then the
      // version header against _meta, then version support, then names.
      const auto tools = backend->tools().Current();
      const mcp::Tool* tool = nullptr;
      if (msg.method == "tools/call" && msg.params.contains("name") && msg.params["name"].is_string()) {
        tool = tools->Find(msg.params["name"].get<std::string>());
      }
      if (auto problem = ValidateStatelessRequest(req, msg, tool)) {
        if (metrics_) metrics_->RecordRejected(problem->reason);
        return exchange->Respond(JsonResponse(bhttp::status::bad_request, problem->error));
      }
    }
    request.era = mcp::Era::kStateless;
    const json meta = msg.params.value("_meta", json::object());
    request.protocol_version =
        meta.is_object() ? meta.value("io.modelcontextprotocol/protocolVersion", std::string(version_header))
                         : std::string(version_header);
  } else {
    request.era = mcp::Era::kSession;
    if (!version_header.empty() && mcp::EraOf(version_header) != mcp::Era::kSession) {
      if (metrics_) metrics_->RecordRejected("unsupported_version");
      // A version of the stateless era (2026-07-28) that reached here came
      // without its params._meta, or with a session id.
      const std::string message =
          mcp::IsSupported(std::string(version_header))
              ? "MCP-Protocol-Version \"" + std::string(version_header) +
                    "\" is a stateless version: its requests carry params._meta[\"io.modelcontextprotocol/"
                    "protocolVersion\"] and no Mcp-Session-Id; session requests use 2025-11-25 or earlier"
              : "Unsupported MCP-Protocol-Version \"" + std::string(version_header) +
                    "\"; supported: 2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28";
      return exchange->Respond(ErrorResponse(bhttp::status::bad_request, code::kInvalidRequest, message, msg.id));
    }
    if (msg.method == "initialize") {
      request.protocol_version = std::string(version_header.empty() ? mcp::kDefaultHeaderlessVersion : version_header);
    } else if (session_id.empty()) {
      if (metrics_) metrics_->RecordRejected("missing_session");
      return exchange->Respond(ErrorResponse(
          bhttp::status::bad_request, code::kInvalidRequest,
          "Missing Mcp-Session-Id header: send initialize first (protocol 2025-11-25 and earlier), or carry "
          "params._meta[\"io.modelcontextprotocol/protocolVersion\"] and the MCP-Protocol-Version header "
          "(protocol 2026-07-28)",
          msg.id));
    } else {
      auto found = backend->sessions().Find(session_id, request.principal);
      if (!found.session) {
        SessionRefused(*backend, found, request.principal);
        return exchange->Respond(ErrorResponse(bhttp::status::not_found, -32001,
                                               "Session not found: it ended or expired; send initialize again",
                                               msg.id));
      }
      request.session = std::move(found.session);
      request.protocol_version = request.session->protocol_version();
      streams = StreamsOf(*request.session, options_);
    }
    if (msg.kind == jsonrpc::Message::Kind::kResponse) {
      // Answers to server-initiated requests; ABI v1 sends none, so there is
      // nothing to route them to.
      Response res{bhttp::status::accepted, 11};
      res.prepare_payload();
      return exchange->Respond(std::move(res));
    }
  }

  request.id = std::move(msg.id);
  request.method = std::move(msg.method);
  request.params = std::move(msg.params);
  const bool is_request = !request.is_notification();
  const bool pollable = is_request && streams && streams->priming() && options_.poll_after.count() > 0 &&
                        accepts.sse && request.method == "tools/call";
  const bool stateless = request.era == mcp::Era::kStateless;
  auto responder = std::make_shared<PostResponder>(exchange, accepts, streams, is_request, options_);
  // Armed before dispatch so that the answer, however fast, cancels it.
  if (pollable) responder->ArmPoll(timeouts_, options_.poll_after);
  auto cancellable = core_.Handle(std::move(request), responder);

  if (is_request && stateless) {
    // Closing the response stream cancels the request (2026-07-28).
    exchange->OnClientGone([weak = std::weak_ptr<mcp::Cancellable>(cancellable)] {
      if (auto c = weak.lock()) c->Cancel();
    });
  }
}

void StreamableHttpEndpoint::Get(mcp::Backend& backend, const Principal& principal,
                                 const std::shared_ptr<Exchange>& exchange) {
  const Request& req = exchange->request();
  const std::string_view session_id = Header(req, kSessionHeader);
  if (mcp::EraOf(Header(req, kVersionHeader)) == mcp::Era::kStateless || session_id.empty()) {
    Response res = ErrorResponse(bhttp::status::method_not_allowed, code::kInvalidRequest,
                                 "GET opens the stream of a session-era session (Mcp-Session-Id); protocol "
                                 "2026-07-28 uses POST subscriptions/listen instead");
    res.set(bhttp::field::allow, "POST");
    return exchange->Respond(std::move(res));
  }
  if (!ParseAccept(Header(req, "Accept")).sse) {
    return exchange->Respond(ErrorResponse(bhttp::status::not_acceptable, code::kInvalidRequest,
                                           "GET needs Accept: text/event-stream"));
  }
  auto found = backend.sessions().Find(session_id, principal);
  if (!found.session) {
    SessionRefused(backend, found, principal);
    return exchange->Respond(ErrorResponse(bhttp::status::not_found, -32001,
                                           "Session not found: it ended or expired; send initialize again"));
  }
  auto streams = StreamsOf(*found.session, options_);
  exchange->BeginStream(SseHeader());
  const std::string_view last = Header(req, "Last-Event-ID");
  if (!last.empty()) {
    if (auto position = ParseEventId(last); position && streams->Resume(*position, exchange)) return;
  }
  streams->AttachStandalone(exchange);
}

void StreamableHttpEndpoint::Delete(mcp::Backend& backend, const Principal& principal,
                                    const std::shared_ptr<Exchange>& exchange) {
  const Request& req = exchange->request();
  const std::string_view session_id = Header(req, kSessionHeader);
  if (mcp::EraOf(Header(req, kVersionHeader)) == mcp::Era::kStateless || session_id.empty()) {
    Response res = ErrorResponse(bhttp::status::method_not_allowed, code::kInvalidRequest,
                                 "DELETE ends a session-era session and needs its Mcp-Session-Id");
    res.set(bhttp::field::allow, "POST");
    return exchange->Respond(std::move(res));
  }
  auto found = backend.sessions().Find(session_id, principal);
  if (!found.session) SessionRefused(backend, found, principal);
  if (!found.session || !backend.sessions().End(session_id, principal)) {
    return exchange->Respond(ErrorResponse(bhttp::status::not_found, -32001, "Session not found"));
  }
  if (auto channel = found.session->channel()) channel->Close();
  log::Info("session_ended", {{"route", backend.name()}});
  Response res{bhttp::status::no_content, 11};
  res.prepare_payload();
  exchange->Respond(std::move(res));
}

}  // namespace mcpgw::http
