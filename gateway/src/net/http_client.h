// An asynchronous HTTP/1.1 client for the gateway's own outgoing requests
// (JWKS documents, token introspection), on Boost.Beast.
//
// Decides how one request travels: https with TLS 1.2 or later, the peer's
// certificate verified against the system CA store or a configured CA file,
// with SNI and host-name (or IP address) verification; plain http only to a
// loopback host, and then only to a loopback address. One request per
// connection, one deadline over resolve, connect, handshake, write and read,
// a cap on the response body (a larger one is refused, not truncated), and
// no redirect is followed: a 3xx is an answer like any other. Errors name
// the URL's origin (scheme, host, port) and what failed, never its path or
// query, the body or the Authorization header.
#pragma once

#include "net/url.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace mcpgw::net {

struct HttpClientOptions {
  std::chrono::milliseconds timeout{5000};  // the whole request, from resolving the host to the last body byte
  std::size_t max_body_bytes = 1 << 20;
  std::string ca_file;  // PEM certificates trusted for https; empty: the system CA store
};

struct HttpRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  Url url;
  std::string content_type;   // sent with a body
  std::string body;
  std::string authorization;  // the Authorization header when not empty; never in an error or a log
  // Further headers (an X-API-Key, say); like authorization, their values
  // never appear in an error or a log.
  std::vector<std::pair<std::string, std::string>> headers;
};

struct HttpResponse {
  unsigned status = 0;
  std::string cache_control;  // the Cache-Control header; empty when absent
  std::string body;
};

// The response, or why there is none.
using HttpOutcome = std::variant<HttpResponse, std::string>;

// Cheap to copy: copies share one TLS context.
class HttpClient {
 public:
  // Fails when the CA file cannot be loaded.
  static std::variant<HttpClient, std::string> Create(boost::asio::any_io_executor executor, HttpClientOptions options);

  // Sends `request` on a new connection. `done` is called exactly once, on
  // the client's executor, never before Send returns.
  void Send(HttpRequest request, std::function<void(HttpOutcome)> done) const;

 private:
  HttpClient(boost::asio::any_io_executor executor, HttpClientOptions options,
             std::shared_ptr<boost::asio::ssl::context> tls);

  boost::asio::any_io_executor executor_;
  HttpClientOptions options_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
};

}  // namespace mcpgw::net
