#include "support/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <optional>
#include <sstream>

namespace mcpgw::testing {
namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

http::request<http::string_body> Build(uint16_t port, const std::string& method, const std::string& target,
                                       const std::string& body, const Headers& headers) {
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  return req;
}

template <typename Fields>
std::map<std::string, std::string> HeaderMap(const Fields& fields) {
  std::map<std::string, std::string> out;
  for (const auto& f : fields) out[Lower(std::string(f.name_string()))] = std::string(f.value());
  return out;
}

// Runs one asynchronous operation, started by `start(handler)`, to its end;
// the stream's expiry bounds it (beast's timeouts apply to async calls only).
template <typename Start>
beast::error_code RunOne(net::io_context& io, Start&& start) {
  beast::error_code result;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  io.restart();
  io.run();
  return result;
}

}  // namespace

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

nlohmann::json HttpResponse::Json() const { return nlohmann::json::parse(body, nullptr, false); }

std::vector<nlohmann::json> HttpResponse::Events() const {
  std::vector<nlohmann::json> out;
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("data:", 0) != 0) continue;
    auto j = nlohmann::json::parse(line.substr(5), nullptr, false);
    if (!j.is_discarded() && j.is_object()) out.push_back(std::move(j));
  }
  return out;
}

HttpResponse Request(uint16_t port, const std::string& method, const std::string& target, const std::string& body,
                     const Headers& headers, std::chrono::milliseconds timeout) {
  net::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(timeout);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  auto req = Build(port, method, target, body, headers);
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  http::read(stream, buffer, parser, ec);
  HttpResponse out;
  if (ec && !parser.is_header_done()) return out;
  out.status = static_cast<int>(parser.get().result_int());
  out.headers = HeaderMap(parser.get());
  out.body = parser.get().body();
  return out;
}

struct HttpConnection::Impl {
  Impl(uint16_t p, std::chrono::milliseconds t) : port(p), timeout(t), stream(io) {}
  uint16_t port;
  std::chrono::milliseconds timeout;
  net::io_context io;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::string connect_error;
};

HttpConnection::HttpConnection(uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(port, timeout)) {
  beast::error_code ec;
  impl_->stream.expires_after(timeout);
  impl_->stream.socket().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (ec) impl_->connect_error = ec.message();
}

HttpConnection::~HttpConnection() = default;

const std::string& HttpConnection::connect_error() const { return impl_->connect_error; }

HttpResponse HttpConnection::Request(const std::string& method, const std::string& target, const std::string& body,
                                     const Headers& headers) {
  HttpResponse out;
  if (!impl_->connect_error.empty()) {
    out.error = impl_->connect_error;
    return out;
  }
  beast::error_code ec;
  impl_->stream.expires_after(impl_->timeout);
  auto req = Build(impl_->port, method, target, body, headers);
  http::write(impl_->stream, req, ec);
  if (ec) {
    out.error = "write: " + ec.message();
    return out;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(impl_->stream, impl_->buffer, parser, ec);
  if (ec && !parser.is_header_done()) {
    out.error = "read: " + ec.message();
    return out;
  }
  out.status = static_cast<int>(parser.get().result_int());
  out.headers = HeaderMap(parser.get());
  out.body = parser.get().body();
  if (ec) out.error = "read: " + ec.message();  // the body was cut short
  return out;
}

namespace {

// A connection to 127.0.0.1:port that has sent `bytes`, expiring after `timeout`.
void SendRaw(beast::tcp_stream& stream, uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
  stream.expires_after(timeout);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  beast::error_code ec;
  net::write(stream, net::buffer(bytes), ec);
}

}  // namespace

std::string RawExchange(uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
  net::io_context io;
  beast::tcp_stream stream(io);
  SendRaw(stream, port, bytes, timeout);
  beast::error_code ec;
  std::string out;
  char buf[4096];
  for (;;) {
    const std::size_t n = stream.read_some(net::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
    // One response is enough: stop at the end of a Content-Length body.
    const auto end = out.find("\r\n\r\n");
    if (end != std::string::npos) {
      const auto cl = Lower(out.substr(0, end)).find("content-length:");
      if (cl != std::string::npos && out.size() >= end + 4 + std::stoul(out.substr(cl + 15))) break;
    }
  }
  return out;
}

RawTranscript RawExchangeUntilClosed(uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
  net::io_context io;
  beast::tcp_stream stream(io);
  SendRaw(stream, port, bytes, timeout);
  beast::error_code ec;
  RawTranscript out;
  char buf[4096];
  for (;;) {
    const std::size_t n = stream.read_some(net::buffer(buf), ec);
    out.bytes.append(buf, n);
    if (ec) {
      out.closed = ec == net::error::eof || ec == net::error::connection_reset;
      return out;
    }
  }
}

struct StreamingResponse::Impl {
  net::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
};

StreamingResponse::StreamingResponse(uint16_t port, const std::string& method, const std::string& target,
                                     const std::string& body, const Headers& headers)
    : impl_(std::make_unique<Impl>()) {
  impl_->stream.expires_after(std::chrono::seconds(15));
  impl_->stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  auto req = Build(port, method, target, body, headers);
  http::write(impl_->stream, req);
  impl_->parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  http::read_header(impl_->stream, impl_->buffer, impl_->parser, ec);
  if (ec) ended_ = true;
}

StreamingResponse::~StreamingResponse() = default;

int StreamingResponse::status() const {
  return impl_->parser.is_header_done() ? static_cast<int>(impl_->parser.get().result_int()) : 0;
}

std::string StreamingResponse::Header(const std::string& name) const {
  auto headers = HeaderMap(impl_->parser.get());
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

std::string StreamingResponse::ReadUntil(const std::function<bool(const std::string&)>& pred,
                                         std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ended_ && !pred(impl_->parser.get().body()) && std::chrono::steady_clock::now() < deadline) {
    impl_->stream.expires_at(deadline);
    beast::error_code ec;
    http::read_some(impl_->stream, impl_->buffer, impl_->parser, ec);
    if (impl_->parser.is_done() || (ec && ec != beast::error::timeout)) ended_ = true;
    if (ec == beast::error::timeout) break;
  }
  return impl_->parser.get().body();
}

void StreamingResponse::Close() {
  beast::error_code ec;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  impl_->stream.close();
  ended_ = true;
}

struct HttpsConnection::Impl {
  explicit Impl(uint16_t p) : port(p) {}
  uint16_t port;
  net::io_context io;
  net::ssl::context context{net::ssl::context::tls_client};
  std::optional<beast::ssl_stream<beast::tcp_stream>> stream;  // made once `context` is set up
  beast::flat_buffer buffer;
  std::string handshake_error;
};

HttpsConnection::HttpsConnection(uint16_t port, const TlsClientOptions& options) : impl_(std::make_unique<Impl>(port)) {
  SSL_CTX* native = impl_->context.native_handle();
  if (options.min_version != 0) SSL_CTX_set_min_proto_version(native, options.min_version);
  if (options.max_version != 0) SSL_CTX_set_max_proto_version(native, options.max_version);
  // OpenSSL 3 offers TLS 1.0 and 1.1 only at security level 0.
  if (options.max_version != 0 && options.max_version < TLS1_2_VERSION) SSL_CTX_set_security_level(native, 0);
  static constexpr unsigned char kAlpn[] = "\x02h2\x08http/1.1";
  SSL_CTX_set_alpn_protos(native, kAlpn, sizeof kAlpn - 1);
  if (!options.ca_file.empty()) {
    impl_->context.load_verify_file(options.ca_file);
    impl_->context.set_verify_mode(net::ssl::verify_peer);
  }
  if (!options.cert_file.empty()) {
    impl_->context.use_certificate_chain_file(options.cert_file);
    impl_->context.use_private_key_file(options.key_file, net::ssl::context::pem);
  }
  impl_->stream.emplace(impl_->io, impl_->context);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(impl_->stream->native_handle()), "127.0.0.1");

  auto& tcp_stream = beast::get_lowest_layer(*impl_->stream);
  tcp_stream.expires_after(std::chrono::seconds(15));
  beast::error_code ec = RunOne(impl_->io, [&](auto handler) {
    tcp_stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), std::move(handler));
  });
  if (!ec) {
    ec = RunOne(impl_->io, [&](auto handler) {
      impl_->stream->async_handshake(net::ssl::stream_base::client, std::move(handler));
    });
  }
  if (ec) impl_->handshake_error = ec.message();
}

HttpsConnection::~HttpsConnection() = default;

const std::string& HttpsConnection::handshake_error() const { return impl_->handshake_error; }

std::string HttpsConnection::version() const { return SSL_get_version(impl_->stream->native_handle()); }

std::string HttpsConnection::alpn() const {
  const unsigned char* data = nullptr;
  unsigned int size = 0;
  SSL_get0_alpn_selected(impl_->stream->native_handle(), &data, &size);
  return std::string(reinterpret_cast<const char*>(data), size);
}

long HttpsConnection::server_serial() const {
  X509* cert = SSL_get0_peer_certificate(impl_->stream->native_handle());
  return cert == nullptr ? -1 : ASN1_INTEGER_get(X509_get0_serialNumber(cert));
}

std::string HttpsConnection::Send(const std::string& method, const std::string& target, const std::string& body,
                                  const Headers& headers) {
  if (!impl_->handshake_error.empty()) return impl_->handshake_error;
  beast::get_lowest_layer(*impl_->stream).expires_after(std::chrono::seconds(15));
  auto req = Build(impl_->port, method, target, body, headers);
  const beast::error_code ec =
      RunOne(impl_->io, [&](auto handler) { http::async_write(*impl_->stream, req, std::move(handler)); });
  return ec ? ec.message() : "";
}

void HttpsConnection::SendCloseNotify() {
  beast::get_lowest_layer(*impl_->stream).expires_after(std::chrono::seconds(15));
  RunOne(impl_->io, [&](auto handler) { impl_->stream->async_shutdown(std::move(handler)); });
}

HttpResponse HttpsConnection::Request(const std::string& method, const std::string& target, const std::string& body,
                                      const Headers& headers) {
  HttpResponse out;
  if (!impl_->handshake_error.empty()) {
    out.error = impl_->handshake_error;
    return out;
  }
  const std::string unsent = Send(method, target, body, headers);
  // Read even after a failed write: a TLS alert from the server says why.
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  const beast::error_code read = RunOne(impl_->io, [&](auto handler) {
    http::async_read(*impl_->stream, impl_->buffer, parser, std::move(handler));
  });
  if (!unsent.empty() || (read && !parser.is_header_done())) {
    out.error = read ? read.message() : unsent;
    return out;
  }
  out.status = static_cast<int>(parser.get().result_int());
  out.headers = HeaderMap(parser.get());
  out.body = parser.get().body();
  return out;
}

HttpResponse HttpsRequest(uint16_t port, const TlsClientOptions& tls, const std::string& method,
                          const std::string& target, const std::string& body, const Headers& headers) {
  return HttpsConnection(port, tls).Request(method, target, body, headers);
}

Headers McpHeaders(const std::string& session_id, const std::string& protocol_version) {
  Headers h{{"Content-Type", "application/json"}, {"Accept", "application/json, text/event-stream"}};
  if (!session_id.empty()) h.emplace_back("Mcp-Session-Id", session_id);
  if (!protocol_version.empty()) h.emplace_back("MCP-Protocol-Version", protocol_version);
  return h;
}

Headers ModernHeaders(const std::string& method, const std::string& name) {
  Headers h{{"Content-Type", "application/json"},
            {"Accept", "application/json, text/event-stream"},
            {"MCP-Protocol-Version", "2026-07-28"},
            {"Mcp-Method", method}};
  if (!name.empty()) h.emplace_back("Mcp-Name", name);
  return h;
}

nlohmann::json ModernMeta() {
  return {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
          {"io.modelcontextprotocol/clientInfo", {{"name", "integration-test"}, {"version", "1"}}},
          {"io.modelcontextprotocol/clientCapabilities", nlohmann::json::object()}};
}

std::string InitializeBody(const std::string& version, int id) {
  return nlohmann::json{{"jsonrpc", "2.0"},
                        {"id", id},
                        {"method", "initialize"},
                        {"params",
                         {{"protocolVersion", version},
                          {"capabilities", nlohmann::json::object()},
                          {"clientInfo", {{"name", "integration-test"}, {"version", "1"}}}}}}
      .dump();
}

}  // namespace mcpgw::testing
