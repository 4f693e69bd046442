// A TCP proxy in front of a real server on loopback that can hold back the
// server's answers to some connections: the tool for a race that depends on
// a reply arriving late (a command's reply after newer pub/sub messages).
//
// Each accepted connection gets its own connection upstream and two pump
// threads. Once DelayReplies is set, bytes from upstream to a connection
// that has not sent SUBSCRIBE reach it that much later (order kept);
// subscriber connections are never held back.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace mcpgw::testing {

class DelayProxy {
 public:
  explicit DelayProxy(uint16_t upstream_port) : upstream_port_(upstream_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a = Loopback(0);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(listener_, 16);
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }

  ~DelayProxy() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    ::close(listener_);
    std::lock_guard lock(mu_);
    for (auto& link : links_) {
      ::shutdown(link->client, SHUT_RDWR);
      ::shutdown(link->upstream, SHUT_RDWR);
    }
    for (auto& link : links_) {
      link->up.join();
      link->down.join();
      ::close(link->client);
      ::close(link->upstream);
    }
  }

  uint16_t port() const { return port_; }
  void DelayReplies(std::chrono::milliseconds delay) { delay_ms_ = delay.count(); }

 private:
  struct Link {
    int client = -1, upstream = -1;
    std::atomic<bool> subscriber{false};
    std::thread up, down;
  };

  static sockaddr_in Loopback(uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
  }

  void Accept() {
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      const int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in a = Loopback(upstream_port_);
      if (::connect(upstream, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(client);
        ::close(upstream);
        continue;
      }
      auto link = std::make_unique<Link>();
      link->client = client;
      link->upstream = upstream;
      Link* l = link.get();
      link->up = std::thread([this, l] { Pump(l->client, l->upstream, l, /*to_client=*/false); });
      link->down = std::thread([this, l] { Pump(l->upstream, l->client, l, /*to_client=*/true); });
      std::lock_guard lock(mu_);
      links_.push_back(std::move(link));
    }
  }

  void Pump(int from, int to, Link* link, bool to_client) {
    char buf[16384];
    for (;;) {
      const ssize_t n = ::read(from, buf, sizeof buf);
      if (n <= 0) break;
      const std::string_view bytes(buf, static_cast<std::size_t>(n));
      if (!to_client && bytes.find("SUBSCRIBE") != std::string_view::npos) link->subscriber = true;
      if (to_client && !link->subscriber && delay_ms_ > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_.load()));
      }
      for (ssize_t sent = 0; sent < n;) {
        const ssize_t w = ::write(to, buf + sent, static_cast<std::size_t>(n - sent));
        if (w <= 0) return;
        sent += w;
      }
    }
    ::shutdown(to, SHUT_WR);
  }

  const uint16_t upstream_port_;
  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> delay_ms_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Link>> links_;
};

}  // namespace mcpgw::testing
