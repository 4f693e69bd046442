// The front door's side of one request: how the core answers it.
#pragma once

#include "jsonrpc/message.h"
#include "mcp/session.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpgw::mcp {

// HTTP header fields (name, value), in order; other front doors map the ones
// they carry (gRPC: rate-limit metadata).
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Reply {
  Reply() = default;
  explicit Reply(nlohmann::json m, int status = 200) : message(std::move(m)), http_status(status) {}

  nlohmann::json message;  // a JSON-RPC response; null: end without one (notification, cancelled)
  std::string text;        // the same, already serialised; used instead of `message` when set
  int http_status = 200;   // for HTTP front doors; others ignore it
  Headers headers;
  std::shared_ptr<Session> new_session;  // set by initialize
  // How the request ended, as the request metrics count it ("ok",
  // "timeout", "rate_limited", ...; a string literal). Set by the core;
  // front doors without HTTP statuses (gRPC) map it to their codes.
  std::string_view outcome;

  bool has_message() const { return !text.empty() || !message.is_null(); }
  std::string Serialize() const { return text.empty() ? jsonrpc::Serialize(message) : text; }
  // The response as JSON (parses `text`; for tests and rare paths).
  nlohmann::json Json() const { return text.empty() ? message : nlohmann::json::parse(text); }
};

class Responder {
 public:
  virtual ~Responder() = default;
  // A notification about this request (progress, log message), before Finish.
  virtual void Notify(const nlohmann::json& notification) = 0;
  // Headers for the head of an answer that becomes a stream (the rate-limit
  // state with rate_limits.headers: always), given once when the pipeline has
  // passed, before the plugin runs. Front doors without such a head ignore
  // them.
  virtual void StreamHeaders(Headers headers) { (void)headers; }
  // Ends the request. Called exactly once, from any thread.
  virtual void Finish(Reply reply) = 0;
};

}  // namespace mcpgw::mcp
