// The byte stream under one Redis connection: TCP, TLS over TCP (OpenSSL
// through Boost.Asio), or a unix socket. Connecting includes name
// resolution and, for TLS, the handshake with the server certificate
// verified against the configured CAs (or the system store) and the host
// name checked.
//
// Used on one io_context thread only. The caller keeps the transport alive
// (a shared_ptr in its handlers) until every operation has completed.
#pragma once

#include "config/config.h"
#include "redis/endpoint.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace mcpgw::redis {

class Transport {
 public:
  using Done = std::function<void(boost::system::error_code)>;
  using IoDone = std::function<void(boost::system::error_code, std::size_t)>;

  virtual ~Transport() = default;
  virtual void Connect(Done done) = 0;
  // Writes all of `data`, which must stay valid until `done` runs.
  virtual void Write(const char* data, std::size_t size, IoDone done) = 0;
  virtual void ReadSome(char* into, std::size_t capacity, IoDone done) = 0;
  // Aborts every operation in flight (they complete with an error).
  virtual void Close() = 0;
};

// The client side TLS context for rediss://: TLS 1.2 at least, the peer
// verified. Throws std::runtime_error naming the setting and the file when a
// CA, certificate or key cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> MakeClientTlsContext(const config::RedisTls& tls);

// A transport for `endpoint`; `tls` is required for Kind::kTls, and
// `server_name` is the name sent (SNI) and checked in the certificate.
std::shared_ptr<Transport> MakeTransport(boost::asio::io_context& io, const Endpoint& endpoint,
                                         std::shared_ptr<boost::asio::ssl::context> tls,
                                         const std::string& server_name);

}  // namespace mcpgw::redis
