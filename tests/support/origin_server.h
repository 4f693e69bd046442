// A real HTTP/1.1 server (Boost.Beast) on a random loopback port, with
// answers scripted by the test, standing in for an identity provider's JWKS
// endpoint or an authorization server's introspection endpoint. Plain http,
// or https with a certificate the test made (test_ca.h).
//
// Each connection is served on its own thread: read one request, record
// it, wait the reply's delay (cut short when the server stops), answer,
// close.
#pragma once

#include "support/test_ca.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mcpgw::testing {

struct OriginRequest {
  std::string method;
  std::string target;
  std::string authorization;
  std::string content_type;
  std::string body;
  std::string raw_header;  // the whole request header as received
};

struct OriginReply {
  unsigned status = 200;
  std::string body;
  std::string cache_control;
  std::string location;
  std::chrono::milliseconds delay{0};  // before answering
};

using OriginHandler = std::function<OriginReply(const OriginRequest&)>;

class OriginServer {
 public:
  // https when `tls` is given. Listens on `address` (any of 127.0.0.0/8).
  explicit OriginServer(OriginHandler handler, const CertificateFiles* tls = nullptr,
                        const std::string& address = "127.0.0.1");
  ~OriginServer();
  OriginServer(const OriginServer&) = delete;
  OriginServer& operator=(const OriginServer&) = delete;

  uint16_t port() const;
  // "http(s)://<address>:<port><path>"
  std::string Url(const std::string& path) const;

  void SetHandler(OriginHandler handler);
  // Closes the listener: from now on connections are refused.
  void Close();

  std::size_t request_count() const;
  std::vector<OriginRequest> requests() const;
  // Until `count` requests have arrived (true) or `timeout` passed (false).
  bool WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A JWKS document {"keys": [...]} from public JWKs.
std::string JwksDocument(const std::vector<std::string>& jwk_json);

}  // namespace mcpgw::testing
