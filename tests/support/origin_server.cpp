#include "support/origin_server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

namespace mcpgw::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct OriginServer::Impl {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  tcp::acceptor acceptor{io};
  std::string address;
  std::optional<asio::ssl::context> tls;
  uint16_t port = 0;
  std::thread acceptor_thread;

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  OriginHandler handler;
  std::vector<OriginRequest> received;
  std::vector<std::thread> connections;
  bool stopping = false;

  void Serve(tcp::socket socket) {
    beast::error_code ec;
    if (!tls) return Exchange(socket);
    asio::ssl::stream<tcp::socket&> stream(socket, *tls);
    stream.handshake(asio::ssl::stream_base::server, ec);
    if (!ec) Exchange(stream);
  }

  template <class Stream>
  void Exchange(Stream& stream) {
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    beast::error_code ec;
    http::read(stream, buffer, request, ec);
    if (ec) return;
    OriginRequest seen{std::string(request.method_string()), std::string(request.target()),
                       std::string(request[http::field::authorization]),
                       std::string(request[http::field::content_type]), request.body(), ""};
    std::ostringstream header;
    header << request.base();
    seen.raw_header = header.str();
    OriginReply reply;
    {
      std::unique_lock lock(mutex);
      const OriginHandler current = handler;
      lock.unlock();
      reply = current(seen);
      lock.lock();
      received.push_back(std::move(seen));
      changed.notify_all();
      if (changed.wait_for(lock, reply.delay, [&] { return stopping; })) return;
    }
    http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
    response.set(http::field::content_type, "application/json");
    if (!reply.cache_control.empty()) response.set(http::field::cache_control, reply.cache_control);
    if (!reply.location.empty()) response.set(http::field::location, reply.location);
    response.keep_alive(false);
    response.body() = reply.body;
    response.prepare_payload();
    http::write(stream, response, ec);
  }

  void Accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      const std::lock_guard lock(mutex);
      if (stopping) return;
      connections.emplace_back([this, s = std::move(socket)]() mutable { Serve(std::move(s)); });
      Accept();
    });
  }
};

OriginServer::OriginServer(OriginHandler handler, const CertificateFiles* tls, const std::string& address)
    : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  impl_->address = address;
  const tcp::endpoint endpoint(asio::ip::make_address(address), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  if (tls != nullptr) {
    impl_->tls.emplace(asio::ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(tls->cert_file);
    impl_->tls->use_private_key_file(tls->key_file, asio::ssl::context::pem);
  }
  impl_->Accept();
  impl_->acceptor_thread = std::thread([this] { impl_->io.run(); });
}

OriginServer::~OriginServer() {
  Close();
  {
    const std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    impl_->changed.notify_all();
  }
  impl_->work.reset();
  impl_->io.stop();
  impl_->acceptor_thread.join();
  for (auto& t : impl_->connections) t.join();
}

uint16_t OriginServer::port() const { return impl_->port; }

std::string OriginServer::Url(const std::string& path) const {
  return (impl_->tls ? "https://" : "http://") + impl_->address + ":" + std::to_string(impl_->port) + path;
}

void OriginServer::SetHandler(OriginHandler handler) {
  const std::lock_guard lock(impl_->mutex);
  impl_->handler = std::move(handler);
}

void OriginServer::Close() {
  asio::post(impl_->io, [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  // Wait until the listener is really gone, so a test that goes on finds it closed.
  std::promise<void> closed;
  asio::post(impl_->io, [&closed] { closed.set_value(); });
  closed.get_future().wait();
}

std::size_t OriginServer::request_count() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->received.size();
}

std::vector<OriginRequest> OriginServer::requests() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->received;
}

bool OriginServer::WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->received.size() >= count; });
}

std::string JwksDocument(const std::vector<std::string>& jwk_json) {
  std::string out = R"({"keys":[)";
  for (std::size_t i = 0; i < jwk_json.size(); ++i) out += (i ? "," : "") + jwk_json[i];
  return out + "]}";
}

}  // namespace mcpgw::testing
