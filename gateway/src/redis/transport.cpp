#include "redis/transport.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>

#include <stdexcept>

namespace mcpgw::redis {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;

// Resolves and connects `socket` to host:port, with Nagle off: a pipelined
// batch is written at once and must not wait for an ACK.
class TcpConnector {
 public:
  TcpConnector(asio::io_context& io, std::string host, uint16_t port)
      : resolver_(io), host_(std::move(host)), port_(port) {}

  void Connect(tcp::socket& socket, Transport::Done done) {
    resolver_.async_resolve(host_, std::to_string(port_),
                            [this, &socket, done = std::move(done)](error_code ec, tcp::resolver::results_type results) {
                              if (ec) return done(ec);
                              asio::async_connect(socket, results, [&socket, done](error_code ec2, const tcp::endpoint&) {
                                if (!ec2) socket.set_option(tcp::no_delay(true), ec2);
                                done(ec2);
                              });
                            });
  }
  void Cancel() { resolver_.cancel(); }

 private:
  tcp::resolver resolver_;
  std::string host_;
  uint16_t port_;
};

class TcpTransport final : public Transport {
 public:
  TcpTransport(asio::io_context& io, const Endpoint& e) : socket_(io), connector_(io, e.host, e.port) {}
  void Connect(Done done) override { connector_.Connect(socket_, std::move(done)); }
  void Write(const char* data, std::size_t size, IoDone done) override {
    asio::async_write(socket_, asio::buffer(data, size), std::move(done));
  }
  void ReadSome(char* into, std::size_t capacity, IoDone done) override {
    socket_.async_read_some(asio::buffer(into, capacity), std::move(done));
  }
  void Close() override {
    connector_.Cancel();
    error_code ignored;
    socket_.close(ignored);
  }

 private:
  tcp::socket socket_;
  TcpConnector connector_;
};

class TlsTransport final : public Transport {
 public:
  TlsTransport(asio::io_context& io, const Endpoint& e, std::shared_ptr<asio::ssl::context> context,
               std::string server_name)
      : context_(std::move(context)), stream_(io, *context_), connector_(io, e.host, e.port),
        server_name_(std::move(server_name)) {}

  void Connect(Done done) override {
    connector_.Connect(stream_.next_layer(), [this, done = std::move(done)](error_code ec) {
      if (ec) return done(ec);
      SSL* ssl = stream_.native_handle();
      error_code not_ip;
      asio::ip::make_address(server_name_, not_ip);
      // SNI carries names only; the certificate check covers names and IPs.
      if (not_ip && SSL_set_tlsext_host_name(ssl, server_name_.c_str()) != 1) {
        return done(asio::error::invalid_argument);
      }
      stream_.set_verify_callback(asio::ssl::host_name_verification(server_name_));
      stream_.async_handshake(asio::ssl::stream_base::client, done);
    });
  }
  void Write(const char* data, std::size_t size, IoDone done) override {
    asio::async_write(stream_, asio::buffer(data, size), std::move(done));
  }
  void ReadSome(char* into, std::size_t capacity, IoDone done) override {
    stream_.async_read_some(asio::buffer(into, capacity), std::move(done));
  }
  void Close() override {
    // No close_notify: the connection is being dropped, not shut down politely.
    connector_.Cancel();
    error_code ignored;
    stream_.next_layer().close(ignored);
  }

 private:
  std::shared_ptr<asio::ssl::context> context_;
  asio::ssl::stream<tcp::socket> stream_;
  TcpConnector connector_;
  std::string server_name_;
};

class UnixTransport final : public Transport {
 public:
  UnixTransport(asio::io_context& io, const Endpoint& e) : socket_(io), path_(e.path) {}
  void Connect(Done done) override {
    socket_.async_connect(asio::local::stream_protocol::endpoint(path_), std::move(done));
  }
  void Write(const char* data, std::size_t size, IoDone done) override {
    asio::async_write(socket_, asio::buffer(data, size), std::move(done));
  }
  void ReadSome(char* into, std::size_t capacity, IoDone done) override {
    socket_.async_read_some(asio::buffer(into, capacity), std::move(done));
  }
  void Close() override {
    error_code ignored;
    socket_.close(ignored);
  }

 private:
  asio::local::stream_protocol::socket socket_;
  std::string path_;
};

}  // namespace

std::shared_ptr<asio::ssl::context> MakeClientTlsContext(const config::RedisTls& tls) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                       asio::ssl::context::no_compression);
  context->set_verify_mode(asio::ssl::verify_peer);
  error_code ec;
  if (tls.ca_file.empty()) {
    context->set_default_verify_paths(ec);
    if (ec) throw std::runtime_error("redis.tls: cannot load the system CA store: " + ec.message());
  } else {
    context->load_verify_file(tls.ca_file, ec);
    if (ec) throw std::runtime_error("redis.tls.ca_file: cannot load " + tls.ca_file + ": " + ec.message());
  }
  if (!tls.cert_file.empty()) {
    context->use_certificate_chain_file(tls.cert_file, ec);
    if (ec) throw std::runtime_error("redis.tls.cert_file: cannot load " + tls.cert_file + ": " + ec.message());
    context->use_private_key_file(tls.key_file, asio::ssl::context::pem, ec);
    if (ec) throw std::runtime_error("redis.tls.key_file: cannot load " + tls.key_file + ": " + ec.message());
  }
  return context;
}

std::shared_ptr<Transport> MakeTransport(asio::io_context& io, const Endpoint& endpoint,
                                         std::shared_ptr<asio::ssl::context> tls, const std::string& server_name) {
  switch (endpoint.kind) {
    case Endpoint::Kind::kTls: return std::make_shared<TlsTransport>(io, endpoint, std::move(tls), server_name);
    case Endpoint::Kind::kUnix: return std::make_shared<UnixTransport>(io, endpoint);
    case Endpoint::Kind::kTcp: break;
  }
  return std::make_shared<TcpTransport>(io, endpoint);
}

}  // namespace mcpgw::redis
