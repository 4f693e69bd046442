// A small blocking HTTP/1.1 client on Boost.Beast for integration tests:
// whole requests, raw (malformed) requests, SSE streams read as they arrive,
// and HTTPS connections with a chosen TLS version and client certificate.
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
  std::string error;  // why no response came (connection or TLS), when status is 0

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

// Sends raw bytes and returns everything the server sends until it closes
// the connection; `closed` says whether it did before the timeout (for
// pipelined requests and requests the server must answer once, then close).
struct RawTranscript {
  std::string bytes;
  bool closed = false;
};
RawTranscript RawExchangeUntilClosed(uint16_t port, const std::string& bytes,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(5));

// One plain TCP connection to 127.0.0.1:port kept open for several requests
// (keep-alive). Failures come back in HttpResponse::error, never as throws.
class HttpConnection {
 public:
  explicit HttpConnection(uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(15));
  ~HttpConnection();

  // Empty when the connection was made, else why not (e.g. refused).
  const std::string& connect_error() const;
  HttpResponse Request(const std::string& method, const std::string& target, const std::string& body,
                       const Headers& headers);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

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

// What a test's TLS client offers, trusts and presents.
struct TlsClientOptions {
  std::string ca_file;    // trust anchors; the server must also be certified for 127.0.0.1
  std::string cert_file;  // a client certificate to present, with key_file; empty: none
  std::string key_file;
  int min_version = 0;  // e.g. TLS1_1_VERSION; 0 leaves OpenSSL's default
  int max_version = 0;
};

// One TLS connection to 127.0.0.1:port, offering ALPN h2 and http/1.1, kept
// open for several requests.
class HttpsConnection {
 public:
  HttpsConnection(uint16_t port, const TlsClientOptions& options);
  ~HttpsConnection();

  // Empty when the handshake succeeded, else why not (e.g. a TLS alert).
  const std::string& handshake_error() const;
  std::string version() const;  // e.g. "TLSv1.3"
  std::string alpn() const;     // the protocol the server selected
  long server_serial() const;   // serial number of the server's certificate

  // Sends one request on this connection and reads its whole response.
  HttpResponse Request(const std::string& method, const std::string& target, const std::string& body,
                       const Headers& headers);
  // Sends a request without reading its answer (a stream). Returns an error
  // message or "".
  std::string Send(const std::string& method, const std::string& target, const std::string& body,
                   const Headers& headers);
  // Says close_notify and waits (briefly) for the server to close, keeping
  // the TCP connection open meanwhile.
  void SendCloseNotify();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One request on a new HTTPS connection.
HttpResponse HttpsRequest(uint16_t port, const TlsClientOptions& tls, const std::string& method,
                          const std::string& target, const std::string& body, const Headers& headers);

// Convenience for MCP requests.
Headers McpHeaders(const std::string& session_id = "", const std::string& protocol_version = "");
Headers ModernHeaders(const std::string& method, const std::string& name = "");
nlohmann::json ModernMeta();
std::string InitializeBody(const std::string& version = "2025-11-25", int id = 1);

}  // namespace mcpgw::testing
