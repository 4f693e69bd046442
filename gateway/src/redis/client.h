// The one Redis client layer, shared by the rate limiter and the revocation
// list (ADR 0012).
//
// Boost.Asio does the I/O (TCP, TLS via OpenSSL, or a unix socket) on the
// client's own thread; hiredis formats commands and parses replies (RESP).
// Commands from any thread are queued and written together, so concurrent
// decisions share one write and one round trip (pipelining); replies come
// back in order and each callback runs once, on the client's thread. Never
// blocks the caller.
//
// Connection loss fails every pending command with an error reply, and the
// client reconnects with exponential backoff (reconnect_min_ms doubling to
// reconnect_max_ms), sending AUTH and SELECT first. A command that gets no
// reply within command_timeout_ms fails with a timeout and the connection is
// reset. Scripts are loaded once per connection and called by SHA; a
// NOSCRIPT answer loads the script again and retries the call once.
//
// Request threads may have connections of their own (ADR 0020): a Client
// given the gateway's I/O contexts opens one more command connection on
// each, and a command issued on one of those threads goes out on that
// thread's connection and is answered there, with no hop to the client's
// thread and back. Until that connection is up (start-up, a reconnect) the
// command takes the client's own connection instead.
#pragma once

#include "config/config.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace mcpgw::redis {

// A parsed RESP reply, owned (no hiredis type crosses this header).
struct Value {
  enum class Type { kNil, kInteger, kString, kStatus, kError, kArray };
  Type type = Type::kNil;
  long long integer = 0;
  std::string text;  // kString, kStatus, kError
  std::vector<Value> elements;  // kArray

  bool is_error() const { return type == Type::kError; }
};

// The message of a command failed at once because the connection is down.
inline constexpr std::string_view kNotConnected = "Redis is not connected";

// What a command ended with: a reply, or why there is none.
struct Result {
  enum class Status { kOk, kDisconnected, kTimeout };
  Status status = Status::kOk;
  Value value;          // meaningful when status == kOk (which includes Redis error replies)
  std::string message;  // why, for kDisconnected / kTimeout: safe to log

  bool ok() const { return status == Status::kOk && !value.is_error(); }
};

using Callback = std::function<void(Result)>;

// A Lua script the client loads once and calls by SHA-1.
class Script {
 public:
  explicit Script(std::string source);
  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }  // lowercase hex

 private:
  std::string source_, sha1_;
};

// Connection state changes, for metrics and the audit log.
enum class State { kConnecting, kConnected, kDown };

struct Stats {
  uint64_t commands = 0;  // replies received
  uint64_t errors = 0;    // commands that ended without a usable reply (disconnect, timeout, error reply)
  uint64_t reconnects = 0;
  uint64_t writes = 0;  // socket writes of the command connection: fewer than commands when pipelined
};

class Client {
 public:
  // Reads the password (file or environment) now: throws std::runtime_error
  // naming the file or variable when it cannot. Starts connecting at once
  // (the connections on `local_contexts` once those contexts run). Each of
  // `local_contexts` must be run by one thread and outlive the client, and
  // must no longer be running when the client is destroyed.
  explicit Client(const config::Redis& config, std::vector<boost::asio::io_context*> local_contexts = {});
  ~Client();  // stops the thread; pending callbacks get kDisconnected
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Queues one command; `done` runs once, on the calling thread when that
  // thread runs one of the local contexts and its connection is up, else on
  // the client's thread. While the client is down the command fails at once
  // with kDisconnected.
  void Command(std::vector<std::string> args, Callback done);

  // EVALSHA with NOSCRIPT recovery.
  void Eval(const Script& script, std::vector<std::string> keys, std::vector<std::string> args, Callback done);

  // Subscribes to `channel` on a second, dedicated connection (RESP2 pub/sub);
  // `on_message` runs on the client's thread for each message, `on_state`
  // with true each time the subscription is (re)established and false when
  // it is lost. Call before or after connecting; survives reconnects.
  void Subscribe(std::string channel, std::function<void(std::string_view message)> on_message,
                 std::function<void(bool subscribed)> on_state);

  // Called on the client's thread at every state change of the client's own
  // command connection (the local ones follow it: same server, same
  // settings; a command they cannot take goes to it). kConnecting holds only until the first attempt ends; after that the
  // state is kConnected or kDown (retrying in the background), and kDown is
  // reported once per outage, not once per failed attempt. A callback set
  // after the first attempt ended is told the current state once, so it never
  // misses the connection coming up before it was registered.
  void OnStateChange(std::function<void(State)> callback);

  State state() const;
  // Why the connection went down last (safe to log: never the password).
  std::string last_error() const;
  // Called on the client's thread for each command that ended without a
  // usable reply: kind "disconnected", "timeout" or "reply" (an error reply).
  void OnError(std::function<void(std::string_view kind)> callback);
  Stats stats() const;
  // Round-trip time of each reply, for the metrics histogram (set before use).
  void OnLatency(std::function<void(std::chrono::nanoseconds)> callback);

  // The configured key prefix ("mcpgw:" by default): every key starts with it.
  const std::string& key_prefix() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcpgw::redis
