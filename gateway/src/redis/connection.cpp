#include "redis/connection.h"

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <utility>

namespace mcpgw::redis {
namespace {

using SteadyClock = std::chrono::steady_clock;
using boost::system::error_code;

Result Failure(Result::Status status, std::string message) {
  Result r;
  r.status = status;
  r.message = std::move(message);
  return r;
}

}  // namespace

Connection::Connection(boost::asio::io_context& io, ConnectionSettings settings, ConnectionHooks hooks,
                       ConnectionCounters& counters)
    : io_(io), settings_(std::move(settings)), hooks_(std::move(hooks)), counters_(counters), retry_timer_(io),
      deadline_timer_(io), backoff_(settings_.reconnect_min) {}

void Connection::Start() { Connect(); }

void Connection::Stop() {
  stopped_ = true;
  state_ = State::kDown;
  retry_timer_.cancel();
  deadline_timer_.cancel();
  if (transport_) transport_->Close();
  FailAll(Result::Status::kDisconnected, "the Redis client is shutting down");
}

void Connection::Send(std::string_view command, Callback done, bool during_handshake) {
  if (state_ != State::kConnected && !(during_handshake && state_ == State::kConnecting)) {
    CountError("disconnected");
    return done(Failure(Result::Status::kDisconnected, std::string(kNotConnected)));
  }
  pending_.push_back(Pending{std::move(done), SteadyClock::now()});
  Write(command);
}

void Connection::AddChannel(const std::string& channel) {
  channels_.push_back(channel);
  if (state_ == State::kConnected) Write(FormatCommand({"SUBSCRIBE", channel}));
}

void Connection::Connect() {
  if (stopped_) return;
  ++epoch_;
  state_ = State::kConnecting;
  reader_ = std::make_unique<ReplyReader>();
  out_.clear();
  writing_ = false;
  transport_ = MakeTransport(io_, settings_.endpoint, settings_.tls, settings_.server_name);
  ArmConnectTimeout();
  transport_->Connect([self = shared_from_this(), t = transport_, epoch = epoch_](error_code ec) {
    if (epoch == self->epoch_ && !self->stopped_) self->Connected(ec);
  });
}

void Connection::ArmConnectTimeout() {
  deadline_timer_.expires_after(settings_.connect_timeout);
  deadline_timer_.async_wait([self = shared_from_this(), generation = ++generation_](error_code ec) {
    if (ec || generation != self->generation_ || self->state_ != State::kConnecting) return;
    self->Lost("no connection within connect_timeout_ms");
  });
}

void Connection::Connected(error_code ec) {
  if (ec) {
    const char* what = settings_.endpoint.kind == Endpoint::Kind::kTls ? "cannot connect (TCP or TLS): "
                                                                       : "cannot connect: ";
    return Lost(what + ec.message());
  }
  Read();
  Handshake();
}

namespace {

// What ROLE answered, when it says the server cannot take the gateway's
// writes; "" for a primary, and for an error (a user without +role is not
// refused for it).
std::string NotAPrimary(const Result& r) {
  if (!r.ok() || r.value.type != Value::Type::kArray || r.value.elements.empty()) return "";
  const std::string& role = r.value.elements.front().text;
  if (role == "master") return "";
  return "redis.url leads to a " + std::string(role == "slave" ? "replica" : role) +
         ", not a primary (the gateway writes: point it at the primary)";
}

// A Redis Cluster node answers the gateway's multi-key scripts with
// CROSSSLOT (or MOVED, ASK, CLUSTERDOWN): Redis's words alone do not tell an
// operator that the deployment, not the gateway, is what has to change.
void NameACluster(std::string& error) {
  for (std::string_view code : {"CROSSSLOT ", "MOVED ", "ASK ", "CLUSTERDOWN "}) {
    if (error.starts_with(code)) {
      error += " (redis.url names a Redis Cluster node; the gateway needs a standalone Redis or a replicated "
               "primary, see the README)";
      return;
    }
  }
}

}  // namespace

// AUTH, SELECT, ROLE and PING, pipelined. The connection counts as up once
// PING answered: a server still loading its data answers it with an error.
void Connection::Handshake() {
  std::vector<std::vector<std::string>> steps;
  if (!settings_.password.empty()) {
    steps.push_back(settings_.username.empty()
                        ? std::vector<std::string>{"AUTH", settings_.password}
                        : std::vector<std::string>{"AUTH", settings_.username, settings_.password});
  }
  if (settings_.endpoint.db != 0 && !settings_.subscriber) {
    steps.push_back({"SELECT", std::to_string(settings_.endpoint.db)});
  }
  // A replica (after a failover, the old primary) answers every write with
  // READONLY: it stays down, with backoff, until the address leads to the primary.
  if (!settings_.subscriber) steps.push_back({"ROLE"});
  steps.push_back({"PING"});
  for (const auto& step : steps) {
    const bool last = &step == &steps.back();
    Send(FormatCommand(step),
         [self = shared_from_this(), what = step[0], last, epoch = epoch_](Result r) {
           if (epoch != self->epoch_ || self->state_ != State::kConnecting) return;
           if (what == "ROLE") {
             if (std::string why = NotAPrimary(r); !why.empty()) self->Lost(why);
             return;
           }
           if (!r.ok()) {
             // Redis's own error text: it never repeats the password.
             return self->Lost(what + " refused: " + (r.status == Result::Status::kOk ? r.value.text : r.message));
           }
           if (last) self->Up();
         },
         /*during_handshake=*/true);
  }
}

void Connection::Up() {
  state_ = State::kConnected;
  reported_down_ = false;
  // Not after a READONLY: a replica whose user may not run ROLE comes up
  // again and again, and each write would bring the next reconnect at once.
  if (!std::exchange(lost_to_a_replica_, false)) backoff_ = settings_.reconnect_min;
  ++generation_;  // the connect timeout is over
  deadline_timer_.cancel();
  if (settings_.subscriber) {
    for (const std::string& channel : channels_) Write(FormatCommand({"SUBSCRIBE", channel}));
  } else {
    ArmCommandTimeout();
  }
  if (hooks_.on_state) hooks_.on_state(State::kConnected, "");
}

// Checks the oldest command a few times per timeout: no reply within
// command_timeout_ms resets the connection (a paused server, a network
// black hole), since every later reply would wait behind it anyway.
void Connection::ArmCommandTimeout() {
  const auto timeout = settings_.command_timeout;
  deadline_timer_.expires_after(std::max<std::chrono::milliseconds>(timeout / 4, std::chrono::milliseconds(2)));
  deadline_timer_.async_wait([self = shared_from_this(), generation = ++generation_, timeout](error_code ec) {
    if (ec || generation != self->generation_ || self->state_ != State::kConnected) return;
    if (!self->pending_.empty() && SteadyClock::now() - self->pending_.front().sent > timeout) {
      return self->Lost("no reply within command_timeout_ms (" + std::to_string(timeout.count()) + " ms)",
                        Result::Status::kTimeout);
    }
    self->ArmCommandTimeout();
  });
}

// The write goes out once the handlers already queued on this thread have
// run: commands issued by the requests of one event-loop turn share a write.
void Connection::Write(std::string_view command) {
  out_ += command;
  if (writing_ || flush_queued_) return;
  flush_queued_ = true;
  boost::asio::post(io_, [self = shared_from_this()] {
    self->flush_queued_ = false;
    self->Flush();
  });
}

// Everything queued goes out in one write; what is queued meanwhile waits
// for the next one (pipelining: many commands per write and round trip).
void Connection::Flush() {
  if (writing_ || out_.empty() || !transport_) return;
  writing_ = true;
  auto data = std::make_shared<std::string>();
  data->swap(out_);
  ++counters_.writes;
  transport_->Write(data->data(), data->size(),
                    [self = shared_from_this(), t = transport_, data, epoch = epoch_](error_code ec, std::size_t) {
                      if (epoch != self->epoch_ || self->stopped_) return;
                      self->writing_ = false;
                      if (ec) return self->Lost("write failed: " + ec.message());
                      self->Flush();
                    });
}

void Connection::Read() {
  transport_->ReadSome(buffer_.data(), buffer_.size(),
                       [self = shared_from_this(), t = transport_, epoch = epoch_](error_code ec, std::size_t n) {
                         if (self->stopped_ || epoch != self->epoch_) return;
                         if (ec) {
                           return self->Lost(ec == boost::asio::error::eof ? "Redis closed the connection"
                                                                           : "read failed: " + ec.message());
                         }
                         if (!self->reader_->Feed(self->buffer_.data(), n)) {
                           return self->Lost("unparsable reply from Redis: " + self->reader_->error());
                         }
                         while (auto reply = self->reader_->Next()) {
                           self->Deliver(std::move(*reply));
                           if (self->stopped_ || epoch != self->epoch_ || self->state_ == State::kDown) return;
                         }
                         if (!self->reader_->error().empty()) {
                           return self->Lost("unparsable reply from Redis: " + self->reader_->error());
                         }
                         self->Read();
                       });
}

void Connection::Deliver(Value v) {
  if (settings_.subscriber && state_ == State::kConnected) {
    if (hooks_.on_push) hooks_.on_push(v);
    return;
  }
  if (pending_.empty()) return Lost("Redis sent a reply nobody asked for");
  Pending p = std::move(pending_.front());
  pending_.pop_front();
  ++counters_.replies;
  if (hooks_.on_latency) hooks_.on_latency(SteadyClock::now() - p.sent);
  bool replica = false;
  if (v.is_error()) {
    CountError("reply");
    NameACluster(v.text);
    // Redis 7 answers a script's write on a replica with READONLY; 6
    // wraps it: "ERR Error running script … -READONLY You can't write …".
    replica = v.text.starts_with("READONLY ") ||
              v.text.find("READONLY You can't write against a read only replica") != std::string::npos;
  }
  Result r;
  r.value = std::move(v);
  p.done(std::move(r));
  // After a failover the address may still lead to the old primary, now a
  // replica, over a connection that stays open: every write would fail until
  // a restart. A new connection resolves the name again and finds the primary.
  if (replica) {
    lost_to_a_replica_ = true;
    Lost("Redis answered READONLY: redis.url leads to a replica now (a failover?); connecting again");
  }
}

void Connection::FailAll(Result::Status status, const std::string& why) {
  std::deque<Pending> failed;
  failed.swap(pending_);
  for (Pending& p : failed) {
    CountError(status == Result::Status::kTimeout ? "timeout" : "disconnected");
    p.done(Failure(status, why));
  }
}

void Connection::CountError(std::string_view kind) {
  ++counters_.errors;
  if (hooks_.on_error) hooks_.on_error(kind);
}

// The connection is gone: fail what waits, report once per outage, and try
// again after the backoff.
void Connection::Lost(const std::string& why, Result::Status status) {
  if (stopped_) return;
  ++generation_;
  // The handlers the close aborts carry the old epoch and end quietly:
  // reporting the loss again would re-arm the retry and double the backoff.
  ++epoch_;
  deadline_timer_.cancel();
  if (transport_) transport_->Close();
  state_ = State::kDown;
  // The state first: whoever a failed command wakes sees the client down.
  // Once per outage, and again when the reason changes (refused, then a
  // replica): the first reason is often not the one that lasts.
  if (!reported_down_ || why != reported_why_) {
    reported_down_ = true;
    reported_why_ = why;
    if (hooks_.on_state) hooks_.on_state(State::kDown, why);
  }
  FailAll(status, why);
  retry_timer_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, settings_.reconnect_max);
  retry_timer_.async_wait([self = shared_from_this()](error_code ec) {
    if (ec || self->stopped_) return;
    ++self->counters_.reconnects;
    self->Connect();
  });
}

}  // namespace mcpgw::redis
