// The connection behind an Exchange, over a plain TCP or a TLS stream: one
// template, so both keep the same request limits, keep-alive, write queue
// and detection of a client that went away. Only http_server.cpp includes
// this; everything else sees Exchange.
#pragma once

#include "log/log.h"
#include "metrics/metrics.h"
#include "transport/http/http_server.h"
#include "transport/http/tls_context.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/ssl.hpp>

#include <sys/socket.h>

#include <deque>
#include <optional>
#include <type_traits>

namespace mcpgw::http {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Read errors after which nothing more can be said to the peer: it left, it
// went quiet, or its TLS stream broke.
inline bool StreamEnded(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout ||
         ec == net::error::connection_reset || ec == net::error::eof || ec == net::ssl::error::stream_truncated ||
         ec.category() == net::error::get_ssl_category();
}

// What an Exchange needs of its connection, whatever the stream under it.
// Every method but the accessors runs on the connection's I/O thread.
class Connection {
 public:
  virtual ~Connection() = default;

  virtual net::any_io_executor executor() = 0;
  const std::string& remote() const { return remote_; }
  const std::string& client_certificate_subject() const { return client_certificate_subject_; }

  virtual void Respond(std::shared_ptr<Response> res) = 0;
  virtual void BeginStream(std::shared_ptr<StreamHeader> header) = 0;
  virtual void WriteChunk(std::shared_ptr<std::string> data) = 0;
  virtual void EndStream() = 0;
  virtual void SetOnGone(std::function<void()> cb) = 0;
  virtual bool gone() const = 0;

  // Whatever the server's handler keeps for this connection between its
  // exchanges (they come one at a time, on the connection's thread).
  std::shared_ptr<void>& handler_state() { return handler_state_; }

 protected:
  std::shared_ptr<void> handler_state_;
  std::string remote_;
  std::string client_certificate_subject_;  // set by the handshake, before any exchange
};

// One accepted socket, plain (beast::tcp_stream) or TLS (TlsStream). Shakes
// hands over TLS, then reads a request, waits for its exchange to answer,
// then reads the next (keep-alive). All members are touched on the one
// thread that runs the connection's io_context.
template <class Stream>
class StreamConnection final : public Connection, public std::enable_shared_from_this<StreamConnection<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  StreamConnection(tcp::socket socket, std::shared_ptr<net::ssl::context> tls, const ServerOptions& options,
                   const Handler& handler, metrics::Metrics* metrics, std::shared_ptr<ListenerState> listener)
      : tls_(std::move(tls)),
        stream_(Open(std::move(socket), tls_.get())),
        options_(options),
        handler_(handler),
        metrics_(metrics),
        listener_(std::move(listener)) {
    ++listener_->busy;
    beast::error_code ec;
    const auto ep = Lowest().socket().remote_endpoint(ec);
    remote_ = ec ? std::string("unknown") : ep.address().to_string();
  }
  ~StreamConnection() override {
    NotBusy();
    --listener_->connections;
  }

  // Over the connection limit, answers 503 at once instead of reading.
  void Start(bool refuse_busy) {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this(), refuse_busy] {
      if constexpr (kTls) {
        self->Handshake(refuse_busy);
      } else {
        self->Begin(refuse_busy);
      }
    });
  }

  net::any_io_executor executor() override { return stream_.get_executor(); }

  // --- Called through Exchange, always posted onto that thread. ---
  void Respond(std::shared_ptr<Response> res) override {
    if (listener_->draining) keep_alive_ = false;  // the client reconnects to another replica
    res->keep_alive(keep_alive_);
    MarkSecure(*res);
    if (!res->has_content_length() && !res->chunked()) res->prepare_payload();
    // A HEAD answer says what GET would send, without sending it (RFC 9110
    // §9.3.2): its body would be read as the start of the next response.
    if (head_request_) res->body().clear();
    Enqueue([self = this->shared_from_this(), res](auto done) { bhttp::async_write(self->stream_, *res, done); });
    FinishExchange();
  }

  void BeginStream(std::shared_ptr<StreamHeader> header) override {
    if (listener_->draining) keep_alive_ = false;
    header->keep_alive(keep_alive_);
    header->chunked(true);
    MarkSecure(*header);
    WatchForClientGone();  // a stream stays open until the client leaves
    auto sr = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*header);
    Enqueue([self = this->shared_from_this(), header, sr](auto done) {
      bhttp::async_write_header(self->stream_, *sr, done);
    });
    if (metrics_) metrics_->sse_streams_open().Increment();
    streaming_ = true;
  }

  void WriteChunk(std::shared_ptr<std::string> data) override {
    if (!streaming_) return;
    Enqueue([self = this->shared_from_this(), data](auto done) {
      net::async_write(self->stream_, bhttp::make_chunk(net::buffer(*data)), done);
    });
  }

  void EndStream() override {
    if (!streaming_) return;
    streaming_ = false;
    if (metrics_) metrics_->sse_streams_open().Decrement();
    Enqueue([self = this->shared_from_this()](auto done) {
      net::async_write(self->stream_, bhttp::make_chunk_last(), done);
    });
    FinishExchange();
  }

  void SetOnGone(std::function<void()> cb) override {
    if (gone_) {
      cb();
      return;
    }
    on_gone_ = std::move(cb);
    WatchForClientGone();
  }
  bool gone() const override { return gone_; }

 private:
  using Done = std::function<void(beast::error_code, std::size_t)>;
  using WriteOp = std::function<void(Done)>;
  static constexpr std::size_t kMaxQueuedWrites = 4096;
  static constexpr std::size_t kWatchReadBytes = 4096;
  static constexpr auto kCloseNotifyWait = std::chrono::seconds(1);
  static constexpr auto kLingerTime = std::chrono::seconds(5);
  static constexpr std::size_t kLingerBytes = 64 << 20;
  static constexpr std::size_t kLingerReadBytes = 16 << 10;

  static Stream Open(tcp::socket socket, net::ssl::context* tls) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  // Over HTTPS, tells the browser to use nothing else (RFC 6797).
  template <class Message>
  void MarkSecure(Message& message) {
    if constexpr (kTls) {
      message.set(bhttp::field::strict_transport_security, "max-age=" + std::to_string(options_.hsts_max_age_s));
    }
  }

  void Handshake(bool refuse_busy) {
    Lowest().expires_after(options_.handshake_timeout);
    stream_.async_handshake(net::ssl::stream_base::server,
                            [self = this->shared_from_this(), refuse_busy](beast::error_code ec) {
                              if (ec) {
                                if (self->metrics_) self->metrics_->RecordRejected("tls_handshake");
                                log::Debug("tls_handshake_failed", {{"remote", self->remote_}, {"error", ec.message()}});
                                return self->Close();
                              }
                              self->Lowest().expires_never();
                              self->client_certificate_subject_ = VerifiedClientSubject(self->stream_.native_handle());
                              self->Begin(refuse_busy);
                            });
  }

  void Begin(bool refuse_busy) {
    if (refuse_busy) return RefuseBusy();
    Read();
  }

  void RefuseBusy() {
    auto res = std::make_shared<Response>(bhttp::status::service_unavailable, 11);
    res->set(bhttp::field::content_type, "application/json");
    res->set(bhttp::field::retry_after, "1");
    MarkSecure(*res);
    res->keep_alive(false);
    res->body() = R"({"error":"too many connections; retry shortly"})";
    res->prepare_payload();
    bhttp::async_write(stream_, *res, [self = this->shared_from_this(), res](beast::error_code, std::size_t) {
      self->CloseAfterAnswer();
    });
  }

  void Read() {
    if (closed_) return;
    parser_.emplace();
    parser_->header_limit(options_.max_header_bytes);
    parser_->body_limit(options_.max_body_bytes);
    Lowest().expires_after(options_.idle_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (StreamEnded(ec)) return Close();
    if (ec) return RejectMalformed(ec);
    Lowest().expires_never();
    if (std::optional<FramingRefusal> refusal = CheckFraming(parser_->get())) {
      return Refuse(refusal->status, refusal->reason, refusal->message);
    }
    Request req = parser_->release();
    keep_alive_ = req.keep_alive();
    head_request_ = req.method() == bhttp::verb::head;
    exchange_open_ = true;
    auto exchange = std::make_shared<Exchange>(this->shared_from_this(), std::move(req));
    handler_(std::move(exchange));
    NotBusy();  // the request is now the handler's to count
  }

  // Answers framing errors (limits, bad syntax) and closes.
  void RejectMalformed(beast::error_code ec) {
    bhttp::status status = bhttp::status::bad_request;
    std::string reason = "malformed_http";
    std::string message = "Malformed HTTP request: " + ec.message();
    if (ec == bhttp::error::body_limit) {
      status = bhttp::status::payload_too_large;
      reason = "body_too_large";
      message = "Request body exceeds the limit of " + std::to_string(options_.max_body_bytes) + " bytes";
    } else if (ec == bhttp::error::header_limit) {
      status = bhttp::status::request_header_fields_too_large;
      reason = "header_too_large";
      message = "Request headers exceed the limit of " + std::to_string(options_.max_header_bytes) + " bytes";
    }
    Refuse(status, reason, message);
  }

  // Answers a request the server will not serve and closes the connection:
  // nothing after it on the stream is read as a request.
  void Refuse(bhttp::status status, std::string_view reason, const std::string& message) {
    if (metrics_) metrics_->RecordRejected(reason);
    Refusal refusal{status, reason, message, {}, {}, remote_};
    if (parser_ && !parser_->get().target().empty()) {  // the request line was read
      refusal.method = parser_->get().method_string();
      refusal.target = parser_->get().target();
    }
    RefusalAnswer answer = options_.refusal ? options_.refusal(refusal)
                                            : RefusalAnswer{"text/plain; charset=utf-8", message + "\n"};
    auto res = std::make_shared<Response>(status, 11);
    res->set(bhttp::field::content_type, answer.content_type);
    if (status == bhttp::status::unsupported_media_type) res->set(bhttp::field::accept_encoding, "identity");
    MarkSecure(*res);
    res->keep_alive(false);
    res->body() = std::move(answer.body);
    res->prepare_payload();
    keep_alive_ = false;
    linger_ = true;
    Enqueue([self = this->shared_from_this(), res](auto done) { bhttp::async_write(self->stream_, *res, done); });
    exchange_open_ = true;
    FinishExchange();
  }

  // While an answer is pending nothing reads the request stream, so a closed
  // peer would go unnoticed. Over TCP a readiness wait plus a peek tells EOF
  // apart from a pipelined request. TLS records are opaque (in TLS 1.3 even a
  // close_notify looks like data), so there a small read through TLS does it,
  // leaving what it reads in the buffer for the next request.
  //
  // Armed only when someone acts on it (ADR 0022): an open stream, or an
  // exchange that asked to hear of it (a 2026-07-28 request, which the
  // client cancels by closing). A session-era request is not cancelled by a
  // disconnect (MCP 2025-11-25), so its one JSON answer goes unwatched and
  // the write finds the peer gone: arming costs a system call (epoll_ctl)
  // per request.
  void WatchForClientGone() {
    if (!exchange_open_ || watching_ || gone_ || closed_) return;
    watching_ = true;
    if constexpr (kTls) {
      stream_.async_read_some(buffer_.prepare(kWatchReadBytes),
                              [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                                self->watching_ = false;
                                self->buffer_.commit(n);
                                if (ec && ec != net::error::operation_aborted && self->exchange_open_) self->MarkGone();
                                if (auto next = std::move(self->after_watch_)) next();
                              });
    } else {
      Lowest().socket().async_wait(tcp::socket::wait_read, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return;  // cancelled by FinishExchange, which has cleared watching_
        self->watching_ = false;
        if (!self->exchange_open_) return;
        char byte;
        const ssize_t n = ::recv(self->Lowest().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) self->MarkGone();
      });
    }
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

  void NotBusy() {
    if (!busy_) return;
    busy_ = false;
    --listener_->busy;
  }

  void FinishExchange() {
    Enqueue([self = this->shared_from_this()](Done done) {
      self->exchange_open_ = false;
      self->on_gone_ = nullptr;
      if (self->watching_) {
        beast::error_code ignored;
        self->Lowest().socket().cancel(ignored);  // the watch for a closed peer
        if constexpr (!kTls) self->watching_ = false;  // over TLS, its read's handler clears it
      }
      auto next = [self] {
        if (self->keep_alive_ && !self->gone_) {
          self->Read();
        } else {
          self->CloseAfterAnswer();
        }
      };
      // A watching TLS read must end (its bytes kept) before the stream is
      // read or shut down again.
      if (self->watching_) {
        self->after_watch_ = std::move(next);
      } else {
        next();
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
    (*op)([self = this->shared_from_this(), op](beast::error_code ec, std::size_t) {
      if (ec) {
        self->queue_.clear();
        self->writing_ = false;
        return self->MarkGone();
      }
      self->Pump();
    });
  }

  // Ends the connection once its last answer is written: over TLS with a
  // close_notify first (RFC 9110 9.8), not waiting long for the client's.
  void CloseAfterAnswer() {
    if (linger_) {
      linger_ = false;
      return LingerThenClose();
    }
    if constexpr (kTls) {
      if (closed_) return;
      closed_ = true;
      queue_.clear();
      Lowest().expires_after(kCloseNotifyWait);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->CloseSocket(); });
    } else {
      Close();
    }
  }

  // After a refusal the client may still be sending what it was refused
  // for (a body over the limit). Closing with those bytes unread makes the
  // kernel reset the connection, and the reset can destroy the answer before
  // the client reads it: the client sees "connection reset" instead of 413.
  // So read and drop what still comes, for at most kLingerTime and
  // kLingerBytes (nginx's lingering close), then close. Over TCP the write
  // side is shut first; over TLS the close_notify follows the drain.
  void LingerThenClose() {
    if (closed_) return;
    NotBusy();  // answered and written: a drain need not wait for the lingering close
    if constexpr (!kTls) {
      beast::error_code ignored;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    Lowest().expires_after(kLingerTime);
    buffer_.clear();
    Drain(0);
  }

  void Drain(std::size_t dropped) {
    auto on_read = [self = this->shared_from_this(), dropped](beast::error_code ec, std::size_t n) {
      if (ec || self->closed_ || dropped + n > kLingerBytes) return self->CloseAfterAnswer();
      self->Drain(dropped + n);
    };
    if constexpr (kTls) {
      stream_.async_read_some(buffer_.prepare(kLingerReadBytes), std::move(on_read));
    } else {
      Lowest().async_read_some(buffer_.prepare(kLingerReadBytes), std::move(on_read));
    }
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    CloseSocket();
  }

  void CloseSocket() {
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().socket().close(ignored);
  }

  std::shared_ptr<net::ssl::context> tls_;  // outlives stream_; null for plain TCP
  Stream stream_;
  const ServerOptions& options_;
  const Handler& handler_;
  metrics::Metrics* metrics_;
  std::shared_ptr<ListenerState> listener_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::deque<WriteOp> queue_;
  bool writing_ = false;
  bool keep_alive_ = true;
  bool head_request_ = false;  // the request being answered is a HEAD
  bool busy_ = true;  // counted in listener_->busy until the first request is read
  bool streaming_ = false;
  bool exchange_open_ = false;
  bool gone_ = false;
  bool closed_ = false;
  bool linger_ = false;  // close after a refusal: drain what the client still sends first
  bool watching_ = false;  // the watch for a closed peer is armed (over TLS: its read is outstanding)
  std::function<void()> on_gone_;
  std::function<void()> after_watch_;
};

}  // namespace mcpgw::http
