#include "http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>

namespace mcpgw::vector {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Url {
  bool tls = false;
  std::string host, port, target;
};

std::optional<Url> ParseUrl(const std::string& text) {
  Url url;
  std::string rest;
  if (text.starts_with("http://")) {
    rest = text.substr(7);
    url.port = "80";
  } else if (text.starts_with("https://")) {
    rest = text.substr(8);
    url.tls = true;
    url.port = "443";
  } else {
    return std::nullopt;
  }
  const size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  url.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const size_t close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    url.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      url.port = authority.substr(close + 2);
    }
  } else {
    const size_t colon = authority.rfind(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) url.port = authority.substr(colon + 1);
  }
  if (url.host.empty() || url.port.empty() || authority.find('@') != std::string::npos) return std::nullopt;
  return url;
}

Failure Unavailable(const std::string& what) {
  return Failure{FailureKind::kUnavailable, "the embedding service could not be reached: " + what};
}

// Runs the asynchronous operations of one request on a private io_context,
// each until it completes or the request's deadline passes.
class Deadline {
 public:
  Deadline(asio::io_context& io, Clock::time_point at) : io_(io), at_(at) {}

  // Waits until `done`; on timeout calls `abort` (closing the socket) and
  // lets the aborted handler run. False on timeout.
  template <typename Abort>
  bool Wait(const bool& done, Abort&& abort) {
    io_.restart();
    while (!done && io_.run_one_until(at_) > 0) {
    }
    if (done) return true;
    abort();
    io_.restart();
    io_.run();
    return false;
  }

 private:
  asio::io_context& io_;
  Clock::time_point at_;
};

template <typename Stream>
Result<HttpResponse> Exchange(Stream& stream, Deadline& deadline, const http::request<http::string_body>& request,
                              size_t max_response_bytes) {
  auto& socket = beast::get_lowest_layer(stream);
  const auto abort = [&socket] { socket.close(); };
  beast::error_code ec;
  bool done = false;
  http::async_write(stream, request, [&](beast::error_code e, size_t) { ec = e, done = true; });
  if (!deadline.Wait(done, abort)) return Unavailable("timed out sending the request");
  if (ec) return Unavailable(ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_response_bytes);
  done = false;
  http::async_read(stream, buffer, parser, [&](beast::error_code e, size_t) { ec = e, done = true; });
  if (!deadline.Wait(done, abort)) return Unavailable("timed out waiting for the answer");
  if (ec) return Unavailable(ec.message());
  return HttpResponse{parser.get().result_int(), std::move(parser.get().body())};
}

}  // namespace

Result<HttpResponse> PostJson(const HttpPost& post) {
  const std::optional<Url> url = ParseUrl(post.url);
  if (!url) return Failure{FailureKind::kInternal, "the embedding service URL is not a valid http(s) URL"};
  asio::io_context io;
  Deadline deadline(io, Clock::now() + post.timeout);

  http::request<http::string_body> request{http::verb::post, url->target, 11};
  request.set(http::field::host, url->host);
  request.set(http::field::user_agent, "mcp-gateway-vector/1");
  request.set(http::field::content_type, "application/json");
  request.set(http::field::accept, "application/json");
  for (const auto& [name, value] : post.headers) request.set(name, value);
  request.body() = post.body;
  request.prepare_payload();

  tcp::resolver resolver(io);
  beast::error_code ec;
  tcp::resolver::results_type endpoints;
  bool done = false;
  resolver.async_resolve(url->host, url->port, [&](beast::error_code e, tcp::resolver::results_type r) {
    ec = e, endpoints = std::move(r), done = true;
  });
  if (!deadline.Wait(done, [&] { resolver.cancel(); })) return Unavailable("timed out resolving the host name");
  if (ec) return Unavailable(ec.message());

  const auto connect = [&](beast::tcp_stream& socket) -> std::optional<Failure> {
    done = false;
    socket.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e, done = true; });
    if (!deadline.Wait(done, [&] { socket.close(); })) return Unavailable("timed out connecting");
    if (ec) return Unavailable(ec.message());
    return std::nullopt;
  };

  if (!url->tls) {
    beast::tcp_stream stream(io);
    if (auto failed = connect(stream)) return *failed;
    return Exchange(stream, deadline, request, post.max_response_bytes);
  }
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  beast::error_code trust_error;
  if (post.ca_file.empty()) {
    tls.set_default_verify_paths(trust_error);
  } else {
    tls.load_verify_file(post.ca_file, trust_error);
  }
  if (trust_error) return Unavailable("cannot load the trusted certificates (" + trust_error.message() + ")");
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(io, tls);
  stream.set_verify_callback(asio::ssl::host_name_verification(url->host));
  // SNI carries host names only, never an IP literal (RFC 6066).
  beast::error_code not_an_address;
  (void)asio::ip::make_address(url->host, not_an_address);
  if (not_an_address && !SSL_set_tlsext_host_name(stream.native_handle(), url->host.c_str())) {
    return Unavailable("cannot set the TLS server name");
  }
  if (auto failed = connect(beast::get_lowest_layer(stream))) return *failed;
  done = false;
  stream.async_handshake(asio::ssl::stream_base::client, [&](beast::error_code e) { ec = e, done = true; });
  if (!deadline.Wait(done, [&] { beast::get_lowest_layer(stream).close(); })) {
    return Unavailable("timed out in the TLS handshake");
  }
  if (ec) return Unavailable("TLS handshake failed (" + ec.message() + ")");
  return Exchange(stream, deadline, request, post.max_response_bytes);
}

}  // namespace mcpgw::vector
