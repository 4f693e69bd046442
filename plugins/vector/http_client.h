// A minimal HTTP/1.1 client for one JSON POST at a time (Boost.Beast over
// Asio, OpenSSL for https): enough for an embeddings endpoint, nothing more.
//
// Every request gets its own connection and an overall deadline covering
// name resolution, connect, TLS handshake, write and read. https verifies
// the server's certificate against the system's trust store and its name
// (SNI + host name check), with TLS 1.2 or newer; `ca_file` replaces the
// system's trust store for a service behind a private CA.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "result.h"

namespace mcpgw::vector {

struct HttpResponse {
  unsigned status = 0;
  std::string body;
};

struct HttpPost {
  std::string url;  // http://host[:port]/path or https://...
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent as application/json
  std::string ca_file;  // PEM bundle trusted for https; empty: the system's trust store
  std::chrono::milliseconds timeout{30000};
  size_t max_response_bytes = size_t{64} << 20;
};

// A transport failure (unreachable, timeout, TLS) is kUnavailable with a
// message that names no secret; any HTTP status is a response.
Result<HttpResponse> PostJson(const HttpPost& request);

}  // namespace mcpgw::vector
