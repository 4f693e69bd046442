#include "transport/stdio/stdio_transport.h"

#include "audit/audit.h"
#include "jsonrpc/message.h"
#include "mcp/backend.h"

#include <condition_variable>
#include <string>

namespace mcpgw::stdio {

// Writes whole lines to the output; shared by every responder, and the
// channel of the session for server-initiated messages.
class StdioTransport::LineWriter final : public mcp::ServerChannel {
 public:
  explicit LineWriter(std::ostream& out) : out_(out) {}
  void Send(const nlohmann::json& message) override { SendText(jsonrpc::Serialize(message)); }
  // stdout stays open until the process ends (stdio serves one route, which
  // no reload removes).
  void Close() override {}
  void SendText(const std::string& line) {
    std::lock_guard lock(mu_);
    out_ << line << '\n';
    out_.flush();
  }
  void Begin() {
    std::lock_guard lock(mu_);
    ++pending_;
  }
  void Done() {
    std::lock_guard lock(mu_);
    --pending_;
    drained_.notify_all();
  }
  void WaitDrained() {
    std::unique_lock lock(mu_);
    drained_.wait(lock, [this] { return pending_ == 0; });
  }

 private:
  std::ostream& out_;
  std::mutex mu_;
  std::condition_variable drained_;
  int pending_ = 0;
};

namespace {

class LineResponder final : public mcp::Responder {
 public:
  LineResponder(std::shared_ptr<StdioTransport::LineWriter> out, std::function<void(mcp::Reply&)> on_finish)
      : out_(std::move(out)), on_finish_(std::move(on_finish)) {}
  void Notify(const nlohmann::json& notification) override { out_->Send(notification); }
  void Finish(mcp::Reply reply) override {
    on_finish_(reply);
    if (reply.has_message()) out_->SendText(reply.Serialize());
  }

 private:
  std::shared_ptr<StdioTransport::LineWriter> out_;
  std::function<void(mcp::Reply&)> on_finish_;
};

}  // namespace

namespace {

// Reads one line into `line`, without its '\n'; false at the end of input
// with nothing read. A line longer than `max` is read to its end and
// reported in `too_long`, none of it kept.
bool ReadLine(std::istream& in, std::string& line, std::size_t max, bool& too_long) {
  line.clear();
  too_long = false;
  std::streambuf* input = in.rdbuf();
  bool any = false;
  for (int c = input->sbumpc(); c != std::char_traits<char>::eof(); c = input->sbumpc()) {
    any = true;
    if (c == '\n') return true;
    if (too_long) continue;
    if (line.size() == max + 1) {  // +1: room for the '\r' of a CRLF line
      too_long = true;
      std::string().swap(line);
      continue;
    }
    line.push_back(static_cast<char>(c));
  }
  return any;
}

}  // namespace

StdioTransport::StdioTransport(mcp::Core& core, std::shared_ptr<mcp::Backend> backend, std::size_t max_json_depth,
                               std::size_t max_line_bytes, Principal principal)
    : core_(core),
      backend_(std::move(backend)),
      max_json_depth_(max_json_depth),
      max_line_bytes_(max_line_bytes),
      principal_(std::move(principal)) {}

void StdioTransport::Run(std::istream& in, std::ostream& out) {
  auto writer = std::make_shared<LineWriter>(out);
  std::string line;
  bool too_long = false;
  while (ReadLine(in, line, max_line_bytes_, too_long)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (too_long || line.size() > max_line_bytes_) {
      line.clear();
      writer->Send(jsonrpc::MakeError(nullptr, jsonrpc::code::kInvalidRequest,
                                      "Message exceeds the limit of " + std::to_string(max_line_bytes_) +
                                          " bytes (server.limits.max_body_bytes); it was discarded"));
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    HandleLine(line, writer);
  }
  writer->WaitDrained();
}

void StdioTransport::HandleLine(const std::string& line, const std::shared_ptr<LineWriter>& out) {
  auto parsed = jsonrpc::Parse(line, {max_json_depth_});
  if (auto* failure = std::get_if<jsonrpc::Failure>(&parsed)) {
    return out->Send(jsonrpc::MakeError(failure->id, failure->code, failure->message));
  }
  jsonrpc::Message& msg = std::get<jsonrpc::Message>(parsed);
  if (msg.kind == jsonrpc::Message::Kind::kResponse) return;  // no server-initiated requests in ABI v1
  if (principal_.expires_at != std::chrono::sys_seconds{} && std::chrono::system_clock::now() >= principal_.expires_at) {
    if (msg.kind != jsonrpc::Message::Kind::kRequest) return;
    return out->Send(jsonrpc::MakeError(msg.id, jsonrpc::code::kInvalidRequest,
                                        "The credential this server was started with has expired: restart it with a "
                                        "fresh token"));
  }

  if (recheck_) {
    if (std::optional<pipeline::AdmissionDenial> denial = recheck_(principal_)) {
      audit::Record("auth_refused", {{"route", backend_->name()}, {"reason", denial->reason}, {"method", denial->method},
                                     {"credential_id", denial->credential_id}, {"source", "stdio"}});
      if (msg.kind != jsonrpc::Message::Kind::kRequest) return;
      // No HTTP status here: a revoked credential is an invalid request, a
      // list that cannot be checked a (retryable) internal error.
      return out->Send(jsonrpc::MakeError(
          msg.id, denial->unavailable ? jsonrpc::code::kInternalError : jsonrpc::code::kInvalidRequest,
          denial->unavailable ? denial->message
                              : "The credential this server was started with has been revoked: restart it with "
                                "another credential"));
    }
  }

  pipeline::Request request;
  request.backend = backend_;
  request.principal = principal_;
  request.source_address = "stdio";
  const auto meta = msg.params.find("_meta");
  const bool modern = msg.method != "initialize" && meta != msg.params.end() && meta->is_object() &&
                      meta->contains("io.modelcontextprotocol/protocolVersion");
  if (modern) {
    request.era = mcp::Era::kStateless;
    request.protocol_version = (*meta)["io.modelcontextprotocol/protocolVersion"].is_string()
                                   ? (*meta)["io.modelcontextprotocol/protocolVersion"].get<std::string>()
                                   : std::string();
  } else {
    request.era = mcp::Era::kSession;
    request.session = session_;
    request.protocol_version = session_ ? session_->protocol_version() : std::string(mcp::kDefaultHeaderlessVersion);
    if (!session_ && msg.method != "initialize" && msg.kind == jsonrpc::Message::Kind::kRequest) {
      return out->Send(jsonrpc::MakeError(msg.id, jsonrpc::code::kInvalidRequest,
                                          "Send initialize first (protocol 2025-11-25 and earlier), or carry "
                                          "params._meta[\"io.modelcontextprotocol/protocolVersion\"] (2026-07-28)"));
    }
  }
  if (msg.kind == jsonrpc::Message::Kind::kNotification && msg.method == "notifications/cancelled") {
    CancelStateless(msg.params);
  }
  // A stateless request is tracked by its id until it is answered.
  const std::string tracked =
      modern && msg.kind == jsonrpc::Message::Kind::kRequest ? msg.id.dump() : std::string();
  request.id = std::move(msg.id);
  request.method = std::move(msg.method);
  request.params = std::move(msg.params);

  out->Begin();
  auto finished = std::make_shared<bool>(false);  // guarded by stateless_mu_
  auto responder = std::make_shared<LineResponder>(out, [this, out, tracked, finished](mcp::Reply& reply) {
    if (reply.new_session) {
      // One client per process: the latest initialize defines the session.
      reply.new_session->set_channel(out);
      session_ = reply.new_session;
    }
    if (!tracked.empty()) {
      std::lock_guard lock(stateless_mu_);
      *finished = true;
      stateless_.erase(tracked);
    }
    out->Done();
  });
  std::shared_ptr<mcp::Cancellable> running = core_.Handle(std::move(request), std::move(responder));
  if (!tracked.empty() && running) {
    std::lock_guard lock(stateless_mu_);
    if (!*finished) stateless_[tracked] = running;
  }
}

void StdioTransport::CancelStateless(const nlohmann::json& params) {
  const auto id = params.find("requestId");
  if (id == params.end() || !(id->is_string() || id->is_number_integer())) return;
  std::shared_ptr<mcp::Cancellable> running;
  {
    std::lock_guard lock(stateless_mu_);
    const auto it = stateless_.find(id->dump());
    if (it == stateless_.end()) return;
    running = it->second.lock();
  }
  if (running) running->Cancel();
}

}  // namespace mcpgw::stdio
