#include "support/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
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

std::string RawExchange(uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
  net::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(timeout);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  beast::error_code ec;
  net::write(stream, net::buffer(bytes), ec);
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
