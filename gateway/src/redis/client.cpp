#include "redis/client.h"

#include "log/log.h"
#include "os/file.h"
#include "redis/connection.h"
#include "transport/io_pool.h"

#include <openssl/sha.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace mcpgw::redis {
namespace {

namespace asio = boost::asio;

std::string ReadPassword(const config::Redis& c) {
  if (!c.password_file.empty()) {
    std::string error;
    std::optional<std::string> read = os::ReadFile(c.password_file, &error);
    if (!read) throw std::runtime_error("redis.password_file: " + error);
    std::string text = std::move(*read);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.empty()) throw std::runtime_error("redis.password_file: " + c.password_file + " is empty");
    return text;
  }
  if (!c.password_env.empty()) {
    const char* v = std::getenv(c.password_env.c_str());
    if (v == nullptr || *v == '\0') {
      throw std::runtime_error("redis.password_env: the environment variable " + c.password_env + " is not set");
    }
    return v;
  }
  return "";
}

ConnectionSettings SettingsFor(const config::Redis& c) {
  auto parsed = ParseEndpoint(c.url);
  if (auto* why = std::get_if<std::string>(&parsed)) throw std::runtime_error("redis.url " + *why);
  ConnectionSettings s;
  s.endpoint = std::get<Endpoint>(std::move(parsed));
  if (s.endpoint.kind == Endpoint::Kind::kTls) {
    s.tls = MakeClientTlsContext(c.tls);
    s.server_name = c.tls.server_name.empty() ? s.endpoint.host : c.tls.server_name;
  }
  s.username = c.username;
  s.password = ReadPassword(c);
  s.connect_timeout = std::chrono::milliseconds(c.connect_timeout_ms);
  s.command_timeout = std::chrono::milliseconds(c.command_timeout_ms);
  s.reconnect_min = std::chrono::milliseconds(c.reconnect_min_ms);
  s.reconnect_max = std::chrono::milliseconds(std::max(c.reconnect_max_ms, c.reconnect_min_ms));
  return s;
}

}  // namespace

Script::Script(std::string source) : source_(std::move(source)) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(source_.data()), source_.size(), digest);
  static const char kHex[] = "0123456789abcdef";
  for (unsigned char b : digest) {
    sha1_ += kHex[b >> 4];
    sha1_ += kHex[b & 15];
  }
}

class Client::Impl {
 public:
  Impl(const config::Redis& config, const std::vector<asio::io_context*>& local_contexts)
      : key_prefix_(config.key_prefix), settings_(SettingsFor(config)), work_(asio::make_work_guard(io_)) {
    ConnectionHooks hooks;
    hooks.on_state = [this](State s, const std::string& why) {
      std::function<void(State)> cb;
      bool changed = false;
      {
        std::lock_guard lock(mu_);
        changed = s != state_;
        state_ = s;
        last_error_ = why;
        if (changed) {
          ++state_changes_;
          cb = on_state_;
        }
      }
      if (changed) {
        if (cb) cb(s);
        return;
      }
      // Still down, for another reason (refused, then a replica): the
      // callback hears of changes of state only, the log of the reason too.
      log::Warn("redis_state", {{"state", "down"}, {"why", why}});
    };
    hooks.on_latency = [this](std::chrono::nanoseconds d) {
      std::lock_guard lock(hooks_mu_);
      if (on_latency_) on_latency_(d);
    };
    hooks.on_error = [this](std::string_view kind) {
      std::lock_guard lock(hooks_mu_);
      if (on_error_) on_error_(kind);
    };
    // The local connections count replies, errors and latency like the
    // client's own; their state is not the client's (see client.h).
    ConnectionHooks local_hooks;
    local_hooks.on_latency = hooks.on_latency;
    local_hooks.on_error = hooks.on_error;
    commands_ = std::make_shared<Connection>(io_, settings_, std::move(hooks), counters_);
    asio::post(io_, [c = commands_] { c->Start(); });
    for (asio::io_context* context : local_contexts) {
      locals_.push_back({context, std::make_shared<Connection>(*context, settings_, local_hooks, counters_)});
      asio::post(*context, [c = locals_.back().connection] { c->Start(); });
    }
    thread_ = std::thread([this] { transport::RunContext(io_); });
  }

  ~Impl() {
    asio::post(io_, [this] {
      commands_->Stop();
      if (subscriber_) subscriber_->Stop();
      work_.reset();
    });
    thread_.join();
    // Their contexts no longer run (the constructor's contract): nothing
    // else touches these connections now.
    for (Local& l : locals_) l.connection->Stop();
  }

  void Command(std::vector<std::string> args, Callback done) { SendFormatted(FormatCommand(args), std::move(done)); }

  void SendFormatted(std::string command, Callback done) {
    OnConnection([command = std::move(command), done = std::move(done)](const std::shared_ptr<Connection>& c) mutable {
      c->Send(command, std::move(done));
    });
  }

  void Eval(const Script& script, std::vector<std::string> keys, std::vector<std::string> args, Callback done) {
    // Formatted once, and kept for a NOSCRIPT retry.
    auto evalsha = std::make_shared<std::string>();
    std::size_t size = 96;
    for (const auto& a : keys) size += a.size() + 24;
    for (const auto& a : args) size += a.size() + 24;
    evalsha->reserve(size);
    AppendArrayHeader(*evalsha, 3 + keys.size() + args.size());
    AppendBulk(*evalsha, "EVALSHA");
    AppendBulk(*evalsha, script.sha1());
    AppendBulk(*evalsha, std::to_string(keys.size()));
    for (const auto& a : keys) AppendBulk(*evalsha, a);
    for (const auto& a : args) AppendBulk(*evalsha, a);
    auto retry = [evalsha, source = script.source(), done = std::move(done)](Connection& connection, Result r) mutable {
      if (r.status != Result::Status::kOk || !r.value.is_error() || !r.value.text.starts_with("NOSCRIPT")) {
        return done(std::move(r));
      }
      // The server forgot the script (restart, failover, SCRIPT FLUSH): load
      // it and call it again, once. Both go out back to back on the
      // connection (and thread) that was told.
      connection.Send(FormatCommand({"SCRIPT", "LOAD", source}), [](Result) {});
      connection.Send(*evalsha, std::move(done));
    };
    OnConnection([evalsha, retry = std::move(retry)](const std::shared_ptr<Connection>& c) mutable {
      c->Send(*evalsha, [c, retry = std::move(retry)](Result r) mutable { retry(*c, std::move(r)); });
    });
  }

  void Subscribe(std::string channel, std::function<void(std::string_view)> on_message,
                 std::function<void(bool)> on_state) {
    asio::post(io_, [this, channel = std::move(channel), on_message = std::move(on_message),
                     on_state = std::move(on_state)]() mutable {
      subscriptions_.push_back({channel, std::move(on_message), std::move(on_state)});
      if (!subscriber_) StartSubscriber();
      subscriber_->AddChannel(channel);
    });
  }

  State state() const {
    std::lock_guard lock(mu_);
    return state_;
  }

  std::string last_error() const {
    std::lock_guard lock(mu_);
    return last_error_;
  }

  Stats stats() const {
    Stats s;
    s.commands = counters_.replies.load();
    s.errors = counters_.errors.load();
    s.reconnects = counters_.reconnects.load() + subscriber_counters_.reconnects.load();
    s.writes = counters_.writes.load();
    return s;
  }

  // The connection may come up before the caller registers (it starts in
  // the constructor): tell a late callback the current state once, unless a
  // change reaches it first.
  void SetOnState(std::function<void(State)> cb) {
    uint64_t seen = 0;
    {
      std::lock_guard lock(mu_);
      on_state_ = std::move(cb);
      if (!on_state_ || state_ == State::kConnecting) return;
      seen = state_changes_;
    }
    asio::post(io_, [this, seen] {
      std::function<void(State)> replay;
      State s;
      {
        std::lock_guard lock(mu_);
        if (state_changes_ != seen || !on_state_) return;
        replay = on_state_;
        s = state_;
      }
      replay(s);
    });
  }
  void SetOnLatency(std::function<void(std::chrono::nanoseconds)> cb) {
    std::lock_guard lock(hooks_mu_);
    on_latency_ = std::move(cb);
  }
  void SetOnError(std::function<void(std::string_view)> cb) {
    std::lock_guard lock(hooks_mu_);
    on_error_ = std::move(cb);
  }

  const std::string key_prefix_;

 private:
  struct Subscription {
    std::string channel;
    std::function<void(std::string_view)> on_message;
    std::function<void(bool)> on_state;
    bool subscribed = false;
  };

  // The pub/sub connection, started by the first Subscribe. Its state
  // changes are logged here: the gateway's redis_state line is about the
  // command connection.
  void StartSubscriber() {
    ConnectionSettings settings = settings_;
    settings.subscriber = true;
    ConnectionHooks hooks;
    hooks.on_state = [this](State s, const std::string& why) {
      if (s == State::kConnected) {
        log::Info("redis_pubsub_state", {{"state", "connected"}});
        return;
      }
      log::Warn("redis_pubsub_state", {{"state", "down"}, {"why", why}});
      for (auto& sub : subscriptions_) {
        if (sub.subscribed && sub.on_state) sub.on_state(false);
        sub.subscribed = false;
      }
    };
    hooks.on_push = [this](const Value& v) { Push(v); };
    subscriber_ = std::make_shared<Connection>(io_, std::move(settings), std::move(hooks), subscriber_counters_);
    subscriber_->Start();
  }

  // RESP2 pub/sub pushes: [subscribe, channel, count] and [message, channel, payload].
  void Push(const Value& v) {
    if (v.type != Value::Type::kArray || v.elements.size() < 3) return;
    const std::string& kind = v.elements[0].text;
    const std::string& channel = v.elements[1].text;
    for (auto& sub : subscriptions_) {
      if (sub.channel != channel) continue;
      if (kind == "subscribe" && !sub.subscribed) {
        sub.subscribed = true;
        if (sub.on_state) sub.on_state(true);
      } else if (kind == "message" && sub.on_message) {
        sub.on_message(v.elements[2].text);
      }
    }
  }

  struct Local {
    asio::io_context* context;
    std::shared_ptr<Connection> connection;  // used on `context`'s thread only
  };

  // Runs `use` with the connection a command goes out on. On a local
  // context with its connection up: that one, at once, answered on this
  // thread. Anywhere else: the client's own connection, on its thread.
  template <class Use>
  void OnConnection(Use use) {
    if (const std::shared_ptr<Connection>& local = LocalConnection()) return use(local);
    asio::post(io_, [c = commands_, use = std::move(use)]() mutable { use(c); });
  }

  // The calling thread's local connection when it is up, else null.
  const std::shared_ptr<Connection>& LocalConnection() const {
    static const std::shared_ptr<Connection> kNone;
    for (const Local& l : locals_) {
      if (l.context->get_executor().running_in_this_thread()) return l.connection->connected() ? l.connection : kNone;
    }
    return kNone;
  }

  const ConnectionSettings settings_;
  std::vector<Local> locals_;  // fixed after construction
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  ConnectionCounters counters_, subscriber_counters_;
  std::shared_ptr<Connection> commands_, subscriber_;  // used on the io thread only
  std::vector<Subscription> subscriptions_;             // on the io thread only
  std::thread thread_;

  mutable std::mutex mu_;
  State state_ = State::kConnecting;
  uint64_t state_changes_ = 0;
  std::string last_error_;
  std::function<void(State)> on_state_;
  // The per-reply hooks, called under their own lock: a hook may still ask
  // for state() without deadlocking.
  std::mutex hooks_mu_;
  std::function<void(std::chrono::nanoseconds)> on_latency_;
  std::function<void(std::string_view)> on_error_;
};

Client::Client(const config::Redis& config, std::vector<boost::asio::io_context*> local_contexts)
    : impl_(std::make_unique<Impl>(config, local_contexts)) {}
Client::~Client() = default;

void Client::Command(std::vector<std::string> args, Callback done) { impl_->Command(std::move(args), std::move(done)); }

void Client::Eval(const Script& script, std::vector<std::string> keys, std::vector<std::string> args, Callback done) {
  impl_->Eval(script, std::move(keys), std::move(args), std::move(done));
}

void Client::Subscribe(std::string channel, std::function<void(std::string_view message)> on_message,
                       std::function<void(bool subscribed)> on_state) {
  impl_->Subscribe(std::move(channel), std::move(on_message), std::move(on_state));
}

void Client::OnStateChange(std::function<void(State)> callback) { impl_->SetOnState(std::move(callback)); }
void Client::OnLatency(std::function<void(std::chrono::nanoseconds)> callback) {
  impl_->SetOnLatency(std::move(callback));
}
void Client::OnError(std::function<void(std::string_view kind)> callback) { impl_->SetOnError(std::move(callback)); }

State Client::state() const { return impl_->state(); }
std::string Client::last_error() const { return impl_->last_error(); }
Stats Client::stats() const { return impl_->stats(); }
const std::string& Client::key_prefix() const { return impl_->key_prefix_; }

}  // namespace mcpgw::redis
