#include "net/http_client.h"

#include "os/file.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace mcpgw::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr std::uint32_t kMaxHeaderBytes = 16 * 1024;

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// One request on its own connection. Every handler runs on one strand, so
// the members need no lock; the operation keeps itself alive through the
// handlers it has pending.
class Operation : public std::enable_shared_from_this<Operation> {
 public:
  Operation(asio::any_io_executor executor, const HttpClientOptions& options, std::shared_ptr<asio::ssl::context> tls,
            HttpRequest request, std::function<void(HttpOutcome)> done)
      : strand_(asio::make_strand(executor)),
        options_(options),
        tls_(std::move(tls)),
        url_(std::move(request.url)),
        resolver_(strand_),
        stream_(strand_, *tls_),
        timer_(strand_),
        done_(std::move(done)) {
    message_.method(request.method);
    message_.target(url_.target);
    message_.version(11);
    const bool default_port = url_.port == (url_.tls ? 443 : 80);
    const std::string host = url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
    message_.set(bhttp::field::host, default_port ? host : host + ":" + std::to_string(url_.port));
    message_.set(bhttp::field::user_agent, "mcp-gateway");
    message_.set(bhttp::field::accept, "application/json");
    message_.set(bhttp::field::connection, "close");
    if (!request.authorization.empty()) message_.set(bhttp::field::authorization, request.authorization);
    for (const auto& [name, value] : request.headers) message_.set(name, value);
    if (!request.body.empty()) message_.set(bhttp::field::content_type, request.content_type);
    message_.body() = std::move(request.body);
    message_.prepare_payload();
    parser_.header_limit(kMaxHeaderBytes);
    parser_.body_limit(options_.max_body_bytes);
  }

  void Start() {
    asio::post(strand_, [self = shared_from_this()] {
      if (!self->url_.IsSafeToUse()) return self->Finish(self->url_.Origin() + ": plain http only to a loopback host");
      self->timer_.expires_after(self->options_.timeout);
      self->timer_.async_wait([self](beast::error_code ec) {
        if (!ec) self->TimeOut();
      });
      self->resolver_.async_resolve(self->url_.host, std::to_string(self->url_.port),
                                    [self](beast::error_code ec, tcp::resolver::results_type results) {
                                      self->OnResolve(ec, std::move(results));
                                    });
    });
  }

 private:
  void OnResolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return Fail("cannot resolve the host", ec);
    std::vector<tcp::endpoint> endpoints;
    for (const auto& entry : results) {
      // A name that passed as loopback must also resolve to loopback before
      // anything is sent in clear.
      if (url_.tls || entry.endpoint().address().is_loopback()) endpoints.push_back(entry.endpoint());
    }
    if (endpoints.empty()) return Finish(url_.Origin() + ": the host resolves to no loopback address (plain http)");
    beast::get_lowest_layer(stream_).async_connect(
        endpoints, [self = shared_from_this()](beast::error_code connect_ec, const tcp::endpoint&) {
          self->OnConnect(connect_ec);
        });
  }

  void OnConnect(beast::error_code ec) {
    if (ec) return Fail("cannot connect", ec);
    if (!url_.tls) return Write();
    SSL* ssl = stream_.native_handle();
    const bool ip = IsIpLiteral(url_.host);
    // SNI names hosts only (RFC 6066 3); an address is checked against the
    // certificate's IP entries instead of its DNS names.
    const char* host = url_.host.c_str();
    const bool named = ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1
                          : SSL_set_tlsext_host_name(ssl, host) == 1 && SSL_set1_host(ssl, host) == 1;
    if (!named) return Finish(url_.Origin() + ": cannot set up TLS host verification");
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    stream_.async_handshake(asio::ssl::stream_base::client, [self = shared_from_this()](beast::error_code hs_ec) {
      if (hs_ec) return self->Fail("TLS handshake failed", hs_ec);
      self->Write();
    });
  }

  void Write() {
    WithStream([self = shared_from_this()](auto& stream) {
      bhttp::async_write(stream, self->message_, [self](beast::error_code ec, std::size_t) {
        if (ec) return self->Fail("cannot send the request", ec);
        self->Read();
      });
    });
  }

  // The header first, on its own: Boost 1.74's eager parsing loses the
  // body_limit error of a too large Content-Length when the body arrives in
  // the same read, so the limit is only reliable if the header stops there.
  void Read() {
    WithStream([self = shared_from_this()](auto& stream) {
      bhttp::async_read_header(stream, self->buffer_, self->parser_,
                               [self, &stream](beast::error_code ec, std::size_t) {
                                 if (ec) return self->OnRead(ec);
                                 bhttp::async_read(stream, self->buffer_, self->parser_,
                                                   [self](beast::error_code body_ec, std::size_t) {
                                                     self->OnRead(body_ec);
                                                   });
                               });
    });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return Finish(url_.Origin() + ": the answer is larger than " + std::to_string(options_.max_body_bytes) +
                    " bytes");
    }
    if (ec) return Fail("cannot read the answer", ec);
    bhttp::response<bhttp::string_body> response = parser_.release();
    HttpResponse out;
    out.status = response.result_int();
    out.cache_control = std::string(response[bhttp::field::cache_control]);
    out.body = std::move(response.body());
    Finish(std::move(out));
  }

  template <class F>
  void WithStream(F f) {
    if (url_.tls) {
      f(stream_);
    } else {
      f(stream_.next_layer());
    }
  }

  void TimeOut() {
    Finish(url_.Origin() + ": no complete answer within " + std::to_string(options_.timeout.count()) + " ms");
  }

  void Fail(const char* what, beast::error_code ec) { Finish(url_.Origin() + ": " + what + ": " + ec.message()); }

  // The first outcome wins; whatever is still pending completes unheard.
  void Finish(HttpOutcome outcome) {
    if (!done_) return;
    timer_.cancel();
    resolver_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
    const auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(outcome));
  }

  asio::strand<asio::any_io_executor> strand_;
  const HttpClientOptions options_;
  std::shared_ptr<asio::ssl::context> tls_;
  Url url_;
  tcp::resolver resolver_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  asio::steady_timer timer_;
  bhttp::request<bhttp::string_body> message_;
  beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
  std::function<void(HttpOutcome)> done_;
};

}  // namespace

std::variant<HttpClient, std::string> HttpClient::Create(asio::any_io_executor executor, HttpClientOptions options) {
  auto tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
  tls->set_verify_mode(asio::ssl::verify_peer);
  beast::error_code ec;
  if (options.ca_file.empty()) {
    tls->set_default_verify_paths(ec);
    if (ec) return "cannot load the system CA certificates: " + ec.message();
  } else {
    std::string unreadable;
    if (!os::ReadFile(options.ca_file, &unreadable)) return unreadable;
    tls->load_verify_file(options.ca_file, ec);
    if (ec) return options.ca_file + ": no usable PEM CA certificate: " + ec.message();
  }
  return HttpClient(std::move(executor), std::move(options), std::move(tls));
}

HttpClient::HttpClient(asio::any_io_executor executor, HttpClientOptions options,
                       std::shared_ptr<asio::ssl::context> tls)
    : executor_(std::move(executor)), options_(std::move(options)), tls_(std::move(tls)) {}

void HttpClient::Send(HttpRequest request, std::function<void(HttpOutcome)> done) const {
  std::make_shared<Operation>(executor_, options_, tls_, std::move(request), std::move(done))->Start();
}

}  // namespace mcpgw::net
