#include "transport/http/http_server.h"

#include "log/log.h"
#include "metrics/metrics.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <sys/socket.h>

#include <deque>
#include <optional>

namespace mcpgw::http {

// One accepted socket. Reads a request, waits for its exchange to answer,
// then reads the next (keep-alive). All members are touched on the one
// thread that runs the connection's io_context.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, const ServerOptions& options, const Handler& handler, metrics::Metrics* metrics,
             std::shared_ptr<std::atomic<std::size_t>> counter)
      : stream_(std::move(socket)), options_(options), handler_(handler), metrics_(metrics), counter_(std::move(counter)) {
    beast::error_code ec;
    const auto ep = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? std::string("unknown") : ep.address().to_string();
  }
  ~Connection() { --*counter_; }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

  // Refuses the connection at once (over the connection limit).
  void RefuseBusy() {
    auto res = std::make_shared<Response>(bhttp::status::service_unavailable, 11);
    res->set(bhttp::field::content_type, "application/json");
    res->set(bhttp::field::retry_after, "1");
    res->keep_alive(false);
    res->body() = R"({"error":"too many connections; retry shortly"})";
    res->prepare_payload();
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code, std::size_t) {
      self->Close();
    });
  }

  const std::string& remote() const { return remote_; }
  auto executor() { return stream_.get_executor(); }

  // --- Called through Exchange, always posted onto that thread. ---
  void Respond(std::shared_ptr<Response> res) {
    res->keep_alive(keep_alive_);
    if (!res->has_content_length() && !res->chunked()) res->prepare_payload();
    Enqueue([self = shared_from_this(), res](auto done) { bhttp::async_write(self->stream_, *res, done); });
    FinishExchange();
  }

  void BeginStream(std::shared_ptr<StreamHeader> header) {
    header->keep_alive(keep_alive_);
    header->chunked(true);
    auto sr = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*header);
    Enqueue([self = shared_from_this(), header, sr](auto done) { bhttp::async_write_header(self->stream_, *sr, done); });
    if (metrics_) metrics_->sse_streams_open().Increment();
    streaming_ = true;
  }

  void WriteChunk(std::shared_ptr<std::string> data) {
    if (!streaming_) return;
    Enqueue([self = shared_from_this(), data](auto done) {
      net::async_write(self->stream_, bhttp::make_chunk(net::buffer(*data)), done);
    });
  }

  void EndStream() {
    if (!streaming_) return;
    streaming_ = false;
    if (metrics_) metrics_->sse_streams_open().Decrement();
    Enqueue([self = shared_from_this()](auto done) { net::async_write(self->stream_, bhttp::make_chunk_last(), done); });
    FinishExchange();
  }

  void SetOnGone(std::function<void()> cb) {
    if (gone_) {
      cb();
      return;
    }
    on_gone_ = std::move(cb);
  }
  bool gone() const { return gone_; }

 private:
  using Done = std::function<void(beast::error_code, std::size_t)>;
  using WriteOp = std::function<void(Done)>;
  static constexpr std::size_t kMaxQueuedWrites = 4096;

  void Read() {
    if (closed_) return;
    parser_.emplace();
    parser_->header_limit(options_.max_header_bytes);
    parser_->body_limit(options_.max_body_bytes);
    stream_.expires_after(options_.idle_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      return Close();
    }
    if (ec) return RejectMalformed(ec);
    stream_.expires_never();
    Request req = parser_->release();
    keep_alive_ = req.keep_alive();
    exchange_open_ = true;
    WatchForClientGone();
    auto exchange = std::make_shared<Exchange>(shared_from_this(), std::move(req));
    handler_(std::move(exchange));
  }

  // Answers framing errors (limits, bad syntax) and closes.
  void RejectMalformed(beast::error_code ec) {
    bhttp::status status = bhttp::status::bad_request;
    std::string reason = "malformed_http";
    std::string message = "Malformed HTTP request";
    if (ec == bhttp::error::body_limit) {
      status = bhttp::status::payload_too_large;
      reason = "body_too_large";
      message = "Request body exceeds the limit of " + std::to_string(options_.max_body_bytes) + " bytes";
    } else if (ec == bhttp::error::header_limit) {
      status = bhttp::status::request_header_fields_too_large;
      reason = "header_too_large";
      message = "Request headers exceed the limit of " + std::to_string(options_.max_header_bytes) + " bytes";
    }
    if (metrics_) metrics_->RecordRejected(reason);
    auto res = std::make_shared<Response>(status, 11);
    res->set(bhttp::field::content_type, "application/json");
    res->keep_alive(false);
    res->body() = R"({"jsonrpc":"2.0","error":{"code":-32600,"message":")" + message + R"("}})";
    res->prepare_payload();
    keep_alive_ = false;
    Enqueue([self = shared_from_this(), res](auto done) { bhttp::async_write(self->stream_, *res, done); });
    exchange_open_ = true;
    FinishExchange();
  }

  // While an answer is pending nothing reads the socket, so a closed peer
  // would go unnoticed; a readiness wait plus a peek tells EOF apart from a
  // pipelined request.
  void WatchForClientGone() {
    stream_.socket().async_wait(tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
      if (ec || !self->exchange_open_) return;
      char byte;
      const ssize_t n = ::recv(self->stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) self->MarkGone();
    });
  }

  void MarkGone() {
    if (gone_) return;
    gone_ = true;
    keep_alive_ = false;
    if (auto cb = std::move(on_gone_)) cb();
    if (streaming_) {
      streaming_ = false;
      if (metrics_) metrics_->sse_streams_open().Decrement();
    }
    Close();
  }

  void FinishExchange() {
    Enqueue([self = shared_from_this()](Done done) {
      self->exchange_open_ = false;
      self->on_gone_ = nullptr;
      beast::error_code ignored;
      self->stream_.socket().cancel(ignored);  // the readiness wait
      if (self->keep_alive_ && !self->gone_) {
        self->Read();
      } else {
        self->Close();
      }
      done({}, 0);
    });
  }

  void Enqueue(WriteOp op) {
    if (closed_) return;
    if (queue_.size() >= kMaxQueuedWrites) {
      // The client stopped reading (a stalled SSE consumer): drop it rather
      // than buffer without bound.
      log::Warn("slow_client_dropped", {{"remote", remote_}});
      return MarkGone();
    }
    queue_.push_back(std::move(op));
    if (!writing_) Pump();
  }

  void Pump() {
    if (queue_.empty() || closed_) {
      writing_ = false;
      return;
    }
    writing_ = true;
    // The op owns the buffers being written: it must outlive the write.
    auto op = std::make_shared<WriteOp>(std::move(queue_.front()));
    queue_.pop_front();
    (*op)([self = shared_from_this(), op](beast::error_code ec, std::size_t) {
      if (ec) {
        self->queue_.clear();
        self->writing_ = false;
        return self->MarkGone();
      }
      self->Pump();
    });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  const ServerOptions& options_;
  const Handler& handler_;
  metrics::Metrics* metrics_;
  std::shared_ptr<std::atomic<std::size_t>> counter_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::deque<WriteOp> queue_;
  bool writing_ = false;
  bool keep_alive_ = true;
  bool streaming_ = false;
  bool exchange_open_ = false;
  bool gone_ = false;
  bool closed_ = false;
  std::function<void()> on_gone_;
};

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

Server::Server(transport::IoPool& pool, ServerOptions options, Handler handler, metrics::Metrics* metrics)
    : pool_(pool),
      options_(std::move(options)),
      handler_(std::move(handler)),
      metrics_(metrics),
      acceptor_(pool.control()),
      connections_(std::make_shared<std::atomic<std::size_t>>(0)) {}

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
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
}

uint16_t Server::port() const {
  beast::error_code ec;
  const auto ep = acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void Server::Accept() {
  acceptor_.async_accept(pool_.Next(), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      const std::size_t open = ++*connections_;
      auto conn = std::make_shared<Connection>(std::move(socket), options_, handler_, metrics_, connections_);
      if (open > options_.max_connections) {
        if (metrics_) metrics_->RecordRejected("too_many_connections");
        conn->RefuseBusy();
      } else {
        conn->Start();
      }
    } else {
      log::Warn("accept_failed", {{"listener", options_.name}, {"error", ec.message()}});
    }
    Accept();
  });
}

}  // namespace mcpgw::http
