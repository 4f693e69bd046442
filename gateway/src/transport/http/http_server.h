// An HTTP/1.1 server on Boost.Beast, over TCP or TLS: accepts connections,
// reads one request at a time with size limits, and hands each to a handler
// as an Exchange that can answer with one response or a chunked stream (SSE).
// Over TLS every response carries Strict-Transport-Security.
//
// Knows nothing about MCP. Every Exchange method may be called from any
// thread; work is posted to the connection's I/O thread.
#pragma once

#include "transport/io_pool.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace mcpgw::metrics {
class Metrics;
}

namespace mcpgw::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;
using StreamHeader = bhttp::response<bhttp::empty_body>;

class Connection;

// One request and its answer.
class Exchange {
 public:
  Exchange(std::shared_ptr<Connection> connection, Request request);
  ~Exchange();

  const Request& request() const { return request_; }
  const std::string& remote_address() const;
  // The subject (RFC 2253) of the client certificate the TLS handshake
  // verified; empty over plain HTTP or when the client presented none.
  const std::string& client_certificate_subject() const;

  // Sends one complete response. Ignored after the exchange has answered.
  void Respond(Response response);

  // Starts a chunked stream with `header`; then Write events, then End.
  void BeginStream(StreamHeader header);
  void Write(std::string chunk);
  void End();

  // What the handler keeps for this exchange's connection (keep-alive):
  // null at first; the handler decides what it holds. Use only from the
  // handler, before the exchange answers (exchanges of one connection come
  // one at a time).
  std::shared_ptr<void>& connection_state();

  // Called once if the client closes the connection before the answer ends.
  void OnClientGone(std::function<void()> callback);

  // True once the client is known to be gone.
  bool client_gone() const;

 private:
  std::shared_ptr<Connection> connection_;
  Request request_;
  std::atomic<bool> answered_{false};
};

using Handler = std::function<void(std::shared_ptr<Exchange>)>;

// A request the server answers itself, before any handler: its framing broke
// a size limit or the HTTP syntax. `method` and `target` are those of its
// request line, empty when that line itself was not read.
struct Refusal {
  bhttp::status status = bhttp::status::bad_request;
  // body_too_large, header_too_large, malformed_http or unsupported_coding
  std::string_view reason;
  std::string_view message;  // for the client: what limit it broke
  std::string_view method, target;
  std::string_view remote;   // the peer's address
};
// The answer's Content-Type and body.
struct RefusalAnswer {
  std::string content_type, body;
};

// What a request's header says about its framing that the server will not
// serve, found after it was read; such a request is refused and its
// connection closed, so no byte after it is read as a request (RFC 9112
// §6.1, §6.3, §3.2; RFC 9110 §8.4):
//  - an HTTP/1.1 request without exactly one Host, or an HTTP/1.0 one with
//    several (400);
//  - Transfer-Encoding on HTTP/1.0, together with Content-Length, or not
//    ending in chunked (400); a transfer coding other than chunked (501);
//  - a Content-Encoding other than identity (415, with Accept-Encoding).
struct FramingRefusal {
  bhttp::status status;
  std::string_view reason;
  std::string message;
};
std::optional<FramingRefusal> CheckFraming(const Request& request);

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  uint64_t max_body_bytes = 4 * 1024 * 1024;
  uint32_t max_header_bytes = 16 * 1024;
  uint32_t max_connections = 4096;
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds handshake_timeout{10};  // TLS only
  uint32_t hsts_max_age_s = 31'536'000;        // TLS only
  std::string name = "http";  // for logs
  // Words a Refusal in the listener's own format, and may record it (called
  // on the connection's I/O thread). Unset: the message as plain text.
  std::function<RefusalAnswer(const Refusal&)> refusal;
};

// Shared by a listener and its connections.
struct ListenerState {
  std::atomic<std::size_t> connections{0};
  // Accepted connections whose first request has not been read yet (the
  // requests after that are counted by whoever answers them). A drain waits
  // for this to reach zero, so a client accepted just before the listener
  // closed still gets its answer.
  std::atomic<std::size_t> busy{0};
  std::atomic<bool> draining{false};  // set by StopAccepting
};

class Server {
 public:
  Server(transport::IoPool& pool, ServerOptions options, Handler handler, metrics::Metrics* metrics);
  ~Server();

  // Binds and listens. Returns an error message on failure.
  std::string Listen();
  // Serves HTTPS with `context` to connections accepted from now on: once
  // before Start, and again to replace the certificate. Open connections
  // keep the context they began with.
  void UseTls(std::shared_ptr<boost::asio::ssl::context> context);
  void Start();
  // Stops accepting: connections the kernel already completed are still
  // accepted and served, then the listener closes. Open connections finish
  // their current exchange and answer it with `Connection: close`.
  void StopAccepting();
  uint16_t port() const;
  std::size_t open_connections() const { return state_->connections; }
  // Accepted connections whose first request has not been read yet.
  std::size_t busy_connections() const { return state_->busy; }

 private:
  void Accept();
  // Starts a connection on an accepted socket.
  void Serve(boost::asio::ip::tcp::socket socket);
  std::shared_ptr<boost::asio::ssl::context> tls_context() const;

  transport::IoPool& pool_;
  ServerOptions options_;
  Handler handler_;
  metrics::Metrics* metrics_;
  tcp::acceptor acceptor_;
  std::shared_ptr<ListenerState> state_;
  mutable std::mutex tls_mu_;
  std::shared_ptr<boost::asio::ssl::context> tls_context_;  // null: plain HTTP
};

}  // namespace mcpgw::http
