#include "transport/http/http_server.h"

#include "log/log.h"
#include "metrics/metrics.h"
#include "transport/http/connection.h"

#include <boost/asio/post.hpp>

#include <cctype>
#include <vector>

namespace mcpgw::http {

// --- Exchange ---

Exchange::Exchange(std::shared_ptr<Connection> connection, Request request)
    : connection_(std::move(connection)), request_(std::move(request)) {}

Exchange::~Exchange() {
  if (!answered_.load()) {
    // A handler dropped the exchange without answering: never leave the
    // client hanging.
    Response res{bhttp::status::internal_server_error, 11};
    res.set(bhttp::field::content_type, "application/json");
    res.body() = R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error: no response"}})";
    Respond(std::move(res));
  }
}

const std::string& Exchange::remote_address() const { return connection_->remote(); }

const std::string& Exchange::client_certificate_subject() const { return connection_->client_certificate_subject(); }

std::shared_ptr<void>& Exchange::connection_state() { return connection_->handler_state(); }

void Exchange::Respond(Response response) {
  if (answered_.exchange(true)) return;
  auto res = std::make_shared<Response>(std::move(response));
  net::post(connection_->executor(), [c = connection_, res] { c->Respond(res); });
}

void Exchange::BeginStream(StreamHeader header) {
  if (answered_.exchange(true)) return;
  auto h = std::make_shared<StreamHeader>(std::move(header));
  net::post(connection_->executor(), [c = connection_, h] { c->BeginStream(h); });
}

void Exchange::Write(std::string chunk) {
  auto data = std::make_shared<std::string>(std::move(chunk));
  net::post(connection_->executor(), [c = connection_, data] { c->WriteChunk(data); });
}

void Exchange::End() {
  net::post(connection_->executor(), [c = connection_] { c->EndStream(); });
}

void Exchange::OnClientGone(std::function<void()> callback) {
  net::post(connection_->executor(), [c = connection_, cb = std::move(callback)]() mutable { c->SetOnGone(std::move(cb)); });
}

bool Exchange::client_gone() const { return connection_->gone(); }

// --- Server ---

namespace {

// The comma-separated tokens of every `field` line, trimmed and lowercased.
std::vector<std::string> Tokens(const Request& request, bhttp::field field) {
  std::vector<std::string> out;
  const auto [first_line, last_line] = request.equal_range(field);
  for (auto line = first_line; line != last_line; ++line) {
    const std::string_view value = line->value();
    size_t start = 0;
    while (start <= value.size()) {
      size_t end = value.find(',', start);
      if (end == std::string_view::npos) end = value.size();
      std::string token(value.substr(start, end - start));
      const auto first = token.find_first_not_of(" \t");
      token = first == std::string::npos ? "" : token.substr(first, token.find_last_not_of(" \t") - first + 1);
      for (char& c : token) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!token.empty()) out.push_back(std::move(token));
      start = end + 1;
    }
  }
  return out;
}

}  // namespace

std::optional<FramingRefusal> CheckFraming(const Request& request) {
  const bool http11 = request.version() >= 11;
  const std::size_t hosts = request.count(bhttp::field::host);
  if (hosts > 1 || (http11 && hosts == 0)) {
    return FramingRefusal{bhttp::status::bad_request, "malformed_http",
                          std::string(http11 ? "An HTTP/1.1 request carries exactly one Host header"
                                             : "A request carries at most one Host header") +
                              "; this one has " + std::to_string(hosts)};
  }
  if (request.count(bhttp::field::transfer_encoding) > 0) {
    const std::vector<std::string> codings = Tokens(request, bhttp::field::transfer_encoding);
    if (!http11) {
      return FramingRefusal{bhttp::status::bad_request, "malformed_http",
                            "Transfer-Encoding is not allowed in an HTTP/1.0 request"};
    }
    if (request.count(bhttp::field::content_length) > 0) {
      return FramingRefusal{bhttp::status::bad_request, "malformed_http",
                            "A request must not carry both Transfer-Encoding and Content-Length"};
    }
    if (codings.empty() || codings.back() != "chunked") {
      return FramingRefusal{bhttp::status::bad_request, "malformed_http",
                            "Transfer-Encoding must end with chunked; send the body chunked or with Content-Length"};
    }
    for (const std::string& coding : codings) {
      if (coding != "chunked") {
        return FramingRefusal{bhttp::status::not_implemented, "unsupported_coding",
                              "Transfer coding \"" + coding + "\" is not supported; send the body chunked or with "
                              "Content-Length, uncompressed"};
      }
    }
  }
  for (const std::string& coding : Tokens(request, bhttp::field::content_encoding)) {
    if (coding != "identity") {
      return FramingRefusal{bhttp::status::unsupported_media_type, "unsupported_coding",
                            "Content-Encoding \"" + coding + "\" is not supported; send the body uncompressed"};
    }
  }
  return std::nullopt;
}

Server::Server(transport::IoPool& pool, ServerOptions options, Handler handler, metrics::Metrics* metrics)
    : pool_(pool),
      options_(std::move(options)),
      handler_(std::move(handler)),
      metrics_(metrics),
      acceptor_(pool.control()),
      state_(std::make_shared<ListenerState>()) {}

Server::~Server() = default;

std::string Server::Listen() {
  beast::error_code ec;
  const std::string host = options_.host == "localhost" ? "127.0.0.1" : options_.host;
  const auto address = net::ip::make_address(host, ec);
  if (ec) return "invalid listen address " + options_.host + ": " + ec.message();
  const tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return "cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " + ec.message();
  return "";
}

void Server::Start() { Accept(); }

void Server::StopAccepting() {
  state_->draining = true;
  net::post(acceptor_.get_executor(), [this] {
    // Closing the listener would reset the connections waiting in its
    // backlog, whose clients already sent their requests: take them first.
    beast::error_code ec;
    acceptor_.non_blocking(true, ec);
    while (!ec) {
      tcp::socket socket(pool_.Next());
      acceptor_.accept(socket, ec);
      if (!ec) Serve(std::move(socket));
    }
    acceptor_.close(ec);
  });
}

uint16_t Server::port() const {
  beast::error_code ec;
  const auto ep = acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void Server::UseTls(std::shared_ptr<net::ssl::context> context) {
  std::lock_guard lock(tls_mu_);
  tls_context_ = std::move(context);
}

std::shared_ptr<net::ssl::context> Server::tls_context() const {
  std::lock_guard lock(tls_mu_);
  return tls_context_;
}

void Server::Serve(tcp::socket socket) {
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  const bool busy = ++state_->connections > options_.max_connections;
  if (busy && metrics_) metrics_->RecordRejected("too_many_connections");
  if (auto tls = tls_context()) {
    std::make_shared<StreamConnection<TlsStream>>(std::move(socket), std::move(tls), options_, handler_, metrics_, state_)
        ->Start(busy);
  } else {
    std::make_shared<StreamConnection<beast::tcp_stream>>(std::move(socket), nullptr, options_, handler_, metrics_,
                                                          state_)
        ->Start(busy);
  }
}

void Server::Accept() {
  acceptor_.async_accept(pool_.Next(), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      Serve(std::move(socket));
    } else {
      log::Warn("accept_failed", {{"listener", options_.name}, {"error", ec.message()}});
    }
    Accept();
  });
}

}  // namespace mcpgw::http
