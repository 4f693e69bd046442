// One connection to Redis, kept up for as long as it lives: the client's
// command connection, or its pub/sub connection.
//
// Decides when the connection counts as up (after AUTH and SELECT answered),
// what a command that gets no reply in time does (fails with kTimeout and
// resets the connection), what connection loss does (fails every pending
// command, then reconnects after a backoff doubling from reconnect_min_ms to
// reconnect_max_ms), and how commands are written: everything queued in one
// turn of the event loop, or while a write is in flight, goes out in one
// write (pipelining), and replies are matched to commands in order.
//
// Lives on one io_context thread (the client's, or a local one): every
// member function is called there, and every callback and hook runs there.
#pragma once

#include "redis/client.h"
#include "redis/endpoint.h"
#include "redis/resp.h"
#include "redis/transport.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::redis {

struct ConnectionSettings {
  Endpoint endpoint;
  std::shared_ptr<boost::asio::ssl::context> tls;  // for rediss://
  std::string server_name;                          // TLS: SNI and the name checked
  std::string username, password;                   // AUTH when the password is not empty
  std::chrono::milliseconds connect_timeout{2'000}, command_timeout{1'000};
  std::chrono::milliseconds reconnect_min{100}, reconnect_max{5'000};
  bool subscriber = false;  // pub/sub: replies after the handshake are pushes, no SELECT
};

struct ConnectionHooks {
  // kConnected when up, kDown when lost (or when the first attempt fails),
  // with why: safe to log, never the password.
  std::function<void(State, const std::string& why)> on_state;
  std::function<void(const Value&)> on_push;  // subscriber: every reply once up
  std::function<void(std::chrono::nanoseconds)> on_latency;
  // A command that ended without a usable reply: "disconnected", "timeout"
  // or "reply" (an error reply).
  std::function<void(std::string_view kind)> on_error;
};

// Counters the client reads from any thread.
struct ConnectionCounters {
  std::atomic<uint64_t> replies{0}, errors{0}, reconnects{0}, writes{0};
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::io_context& io, ConnectionSettings settings, ConnectionHooks hooks,
             ConnectionCounters& counters);

  void Start();
  // Closes for good: pending commands fail with kDisconnected, no reconnect.
  void Stop();
  bool connected() const { return state_ == State::kConnected; }

  // Queues one formatted command; `done` gets its reply. Fails at once
  // (kDisconnected) unless connected, or connecting for a handshake command.
  void Send(std::string_view command, Callback done, bool during_handshake = false);
  // Subscriber: a channel to subscribe to now and after every reconnect.
  void AddChannel(const std::string& channel);

 private:
  struct Pending {
    Callback done;
    std::chrono::steady_clock::time_point sent;
  };

  void Connect();
  void ArmConnectTimeout();
  void Connected(boost::system::error_code ec);
  void Handshake();
  void Up();
  void ArmCommandTimeout();
  void Write(std::string_view command);
  void Flush();
  void Read();
  void Deliver(Value v);
  void FailAll(Result::Status status, const std::string& why);
  void Lost(const std::string& why, Result::Status status = Result::Status::kDisconnected);
  void CountError(std::string_view kind);

  boost::asio::io_context& io_;
  const ConnectionSettings settings_;
  const ConnectionHooks hooks_;
  ConnectionCounters& counters_;
  std::shared_ptr<Transport> transport_;
  std::unique_ptr<ReplyReader> reader_;
  std::array<char, 16 * 1024> buffer_{};
  std::string out_;  // commands not yet written
  bool writing_ = false;
  bool flush_queued_ = false;  // a Flush is posted
  std::deque<Pending> pending_;  // written (or queued), waiting for replies in order
  std::vector<std::string> channels_;
  State state_ = State::kDown;
  bool stopped_ = false;
  bool reported_down_ = false;  // kDown was reported for the current outage...
  std::string reported_why_;    // ...with this reason
  bool lost_to_a_replica_ = false;  // the last loss was a READONLY: keep the backoff
  boost::asio::steady_timer retry_timer_, deadline_timer_;
  uint64_t generation_ = 0;  // deadline_timer_ arms: a stale expiry does nothing
  uint64_t epoch_ = 0;       // connection attempts: handlers of an earlier transport do nothing
  std::chrono::milliseconds backoff_;
};

}  // namespace mcpgw::redis
