// A small blocking HTTP/1.1 client on Boost.Beast for integration tests:
// whole requests, raw (malformed) requests, and SSE streams read as they
// arrive.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mcpgw::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;

  std::string Header(const std::string& lowercase_name) const;
  nlohmann::json Json() const;  // discarded value when the body is not JSON
  // SSE: the JSON of every `data:` line that holds JSON.
  std::vector<nlohmann::json> Events() const;
};

// Sends one request on a new connection and reads the whole response.
HttpResponse Request(uint16_t port, const std::string& method, const std::string& target, const std::string& body,
                     const Headers& headers, std::chrono::milliseconds timeout = std::chrono::seconds(15));

// Sends raw bytes and returns whatever the server answers before closing or
// the timeout (for malformed and oversize requests).
std::string RawExchange(uint16_t port, const std::string& bytes,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

// An SSE (or any) response read incrementally.
class StreamingResponse {
 public:
  StreamingResponse(uint16_t port, const std::string& method, const std::string& target, const std::string& body,
                    const Headers& headers);
  ~StreamingResponse();

  int status() const;
  std::string Header(const std::string& lowercase_name) const;
  // Reads until `pred(body so far)` holds, the response ends, or timeout.
  // Returns the body so far.
  std::string ReadUntil(const std::function<bool(const std::string&)>& pred, std::chrono::milliseconds timeout);
  // True once the server ended the response (final chunk or close).
  bool ended() const { return ended_; }
  // Closes the connection from the client side.
  void Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool ended_ = false;
};

// Convenience for MCP requests.
Headers McpHeaders(const std::string& session_id = "", const std::string& protocol_version = "");
Headers ModernHeaders(const std::string& method, const std::string& name = "");
nlohmann::json ModernMeta();
std::string InitializeBody(const std::string& version = "2025-11-25", int id = 1);

}  // namespace mcpgw::testing
