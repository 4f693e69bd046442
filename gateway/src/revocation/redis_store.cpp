#include "revocation/redis_store.h"

#include "audit/audit.h"
#include "crypto/base64.h"
#include "crypto/random.h"
#include "jsonrpc/message.h"
#include "log/log.h"
#include "metrics/metrics.h"
#include "revocation/entry_codec.h"

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <set>
#include <atomic>
#include <variant>

namespace mcpgw::revocation {

namespace {

using json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

constexpr std::array<Kind, 3> kKinds = {Kind::kJti, Kind::kSubject, Kind::kClient};
constexpr auto kTick = std::chrono::milliseconds(100);
constexpr auto kRetry = std::chrono::milliseconds(500);  // a failed sync, once Redis answers again

// Store and announce in one step.
const redis::Script& AddScript() {
  static const redis::Script script(
      "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
      "redis.call('PUBLISH', ARGV[3], ARGV[4])\n"
      "return 1\n");
  return script;
}

const redis::Script& WithdrawScript() {
  static const redis::Script script(
      "local n = redis.call('HDEL', KEYS[1], ARGV[1])\n"
      "if n == 1 then redis.call('PUBLISH', ARGV[2], ARGV[3]) end\n"
      "return n\n");
  return script;
}

// Deletes an expired jti only if nobody has replaced it meanwhile.
const redis::Script& ExpireScript() {
  static const redis::Script script(
      "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then\n"
      "  redis.call('HDEL', KEYS[1], ARGV[1])\n"
      "  redis.call('PUBLISH', ARGV[3], ARGV[4])\n"
      "  return 1\n"
      "end\n"
      "return 0\n");
  return script;
}

// The three hashes at one instant.
const redis::Script& SnapshotScript() {
  static const redis::Script script(
      "return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3])}\n");
  return script;
}

std::chrono::sys_seconds Now() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

std::string WhyNot(const redis::Result& r) {
  if (r.status != redis::Result::Status::kOk) return r.message;
  return r.value.is_error() ? r.value.text : "unexpected reply";
}

// `id` names one replica's own write (see RedisStore::State::EndOp); others
// ignore it.
std::string AddMessage(const Entry& e, const std::string& id) {
  return jsonrpc::Serialize(json{{"op", "add"}, {"entry", EntryToJson(e)}, {"id", id}});
}
std::string WithdrawMessage(Kind kind, const std::string& value, const std::string& id = "") {
  json m{{"op", "withdraw"}, {"kind", KindName(kind)}, {"value", value}};
  if (!id.empty()) m["id"] = id;
  return jsonrpc::Serialize(m);
}

// One change announced on the channel.
struct Change {
  bool add = false;
  Entry entry;     // kind and value always; the rest for add
  std::string id;  // the writer's id of the write, when it gave one
};

std::optional<Change> ParseMessage(std::string_view text) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("op") || !doc["op"].is_string()) return std::nullopt;
  const std::string op = doc["op"].get<std::string>();
  const std::string id = doc.contains("id") && doc["id"].is_string() ? doc["id"].get<std::string>() : "";
  std::string error;
  if (op == "add" && doc.contains("entry")) {
    auto entry = EntryFromJson(doc["entry"], &error);
    if (!entry) return std::nullopt;
    return Change{true, *std::move(entry), id};
  }
  if (op == "withdraw" && doc.contains("kind") && doc["kind"].is_string() && doc.contains("value") &&
      doc["value"].is_string()) {
    const auto kind = ParseKind(doc["kind"].get<std::string>());
    if (!kind) return std::nullopt;
    Change c;
    c.entry.kind = *kind;
    c.entry.value = doc["value"].get<std::string>();
    c.id = id;
    return c;
  }
  return std::nullopt;
}

}  // namespace

class RedisStore::State : public std::enable_shared_from_this<State> {
 public:
  State(redis::Client& client, const config::Revocation& config, metrics::Metrics* metrics)
      : client_(client),
        config_(config),
        metrics_(metrics),
        channel_(client.key_prefix() + "revocations"),
        created_(SteadyClock::now()) {
    for (Kind k : kKinds) keys_.push_back(Key(k));
  }

  std::string Key(Kind kind) const { return client_.key_prefix() + "revoked:" + std::string(KindName(kind)); }

  void Start() {
    std::weak_ptr<State> weak = weak_from_this();
    client_.Subscribe(
        channel_,
        [weak](std::string_view message) {
          if (auto self = weak.lock()) self->OnMessage(message);
        },
        [weak](bool subscribed) {
          auto self = weak.lock();
          if (!self) return;
          if (subscribed) {
            self->Resync();  // anything published while we were not listening
          } else {
            log::Warn("revocation_subscription_lost", {{"channel", self->channel_}});
          }
        });
    Resync();
  }

  void Resync() {
    {
      std::lock_guard lock(mu_);
      if (resync_in_flight_) {
        resync_again_ = true;  // this one may have been read before what we need to see
        return;
      }
      resync_in_flight_ = true;
      resync_again_ = false;
      during_resync_.clear();
      last_resync_start_ = SteadyClock::now();
    }
    std::weak_ptr<State> weak = weak_from_this();
    client_.Eval(SnapshotScript(), keys_, {}, [weak](redis::Result r) {
      if (auto self = weak.lock()) self->OnSnapshot(std::move(r));
    });
  }

  void Add(Entry entry, Done done) {
    const auto now = Now();
    Complete(entry, now);
    if (std::string why = Check(entry); !why.empty()) return done(false, why);
    if (entry.Expired(now)) return done(false, "that token has already expired (until is in the past)");
    const std::string id = BeginOp();
    std::vector<std::string> args = {entry.value, jsonrpc::Serialize(EntryFields(entry)), channel_,
                                     AddMessage(entry, id)};
    std::weak_ptr<State> weak = weak_from_this();
    client_.Eval(AddScript(), {Key(entry.kind)}, std::move(args),
                 [weak, id, entry = std::move(entry), done = std::move(done)](redis::Result r) mutable {
                   auto self = weak.lock();
                   // Our own message will say the same; applying it now lets
                   // the caller read its write even without a subscription.
                   if (self) self->EndOp(id, r.ok(), [&] { self->list_.Put(std::move(entry)); });
                   if (!r.ok()) return done(false, "Redis did not store the revocation: " + WhyNot(r));
                   done(true, "");
                 });
  }

  void Withdraw(Kind kind, std::string value, Done done) {
    const std::string id = BeginOp();
    std::vector<std::string> args = {value, channel_, WithdrawMessage(kind, value, id)};
    std::weak_ptr<State> weak = weak_from_this();
    client_.Eval(WithdrawScript(), {Key(kind)}, std::move(args),
                 [weak, id, kind, value = std::move(value), done = std::move(done)](redis::Result r) {
                   auto self = weak.lock();
                   // Nothing was withdrawn (0): nothing to apply either; the
                   // messages and the resync say what holds.
                   if (self) self->EndOp(id, r.ok() && r.value.integer == 1, [&] { self->list_.Remove(kind, value); });
                   if (!r.ok()) return done(false, "Redis did not withdraw the revocation: " + WhyNot(r));
                   if (r.value.integer == 0) return done(false, NotRevokedMessage(kind, value));
                   done(true, "");
                 });
  }

  Health health() const {
    const auto now = SteadyClock::now();
    const int64_t last = last_sync_ns_.load(std::memory_order_acquire);
    const SteadyClock::time_point since =
        last == 0 ? created_ : SteadyClock::time_point(SteadyClock::duration(last));
    const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - since);
    Health h;
    h.since_sync = age;
    h.fresh = last != 0 && now - since <= std::chrono::seconds(config_.max_staleness_s);
    return h;
  }

  // Reports a change of freshness once: an audit line, a log line, a metric.
  void NoteHealth() {
    const Health h = health();
    {
      std::lock_guard lock(mu_);
      if (h.fresh == reported_fresh_) return;
      reported_fresh_ = h.fresh;
    }
    const char* state = h.fresh ? "fresh" : "stale";
    const char* mode = config_.on_redis_down == config::FailMode::kClosed ? "closed" : "open";
    const json fields = {{"store", "redis"},
                         {"state", state},
                         {"since_sync_s", h.since_sync.count()},
                         {"max_staleness_s", config_.max_staleness_s},
                         {"on_redis_down", mode}};
    audit::Record("revocation_store", fields);
    if (h.fresh) {
      log::Info("revocation_store_fresh", fields);
    } else {
      log::Error("revocation_store_stale", fields);
    }
  }

  SteadyClock::time_point last_resync_start() {
    std::lock_guard lock(mu_);
    return last_resync_start_;
  }

  // The last sync failed and Redis answers again: try now, not at the next
  // period. A sync that ran while only the subscription was up (it connects
  // on its own connection, and may come up first) would otherwise leave the
  // list unsynced, and with on_redis_down: closed every credential refused,
  // for up to resync_s after start. At most once per kRetry.
  bool RetryDue() {
    std::lock_guard lock(mu_);
    return !sync_error_.empty() && !resync_in_flight_ && SteadyClock::now() - last_resync_start_ >= kRetry &&
           client_.state() == redis::State::kConnected;
  }

  std::string sync_error() const {
    std::lock_guard lock(mu_);
    return sync_error_;
  }

  bool WaitForFirstSync(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return synced_cv_.wait_for(lock, timeout, [this] { return synced_once_; });
  }

  RevocationList list_;

 private:
  // One of this replica's own writes, from sending it until its reply.
  std::string BeginOp() {
    std::string id = crypto::HexEncode(crypto::RandomBytes(8));
    std::lock_guard lock(ops_mu_);
    own_ops_.emplace(id, false);
    return id;
  }

  // The reply to our own write: when it `wrote`, applies it (`apply`) so the
  // caller reads its write at once, unless our subscription has already
  // carried the write's message. Pub/sub delivers changes in the order Redis made them, so then
  // the list already holds that change and possibly a newer one from another
  // replica (our withdraw, their re-revoke), which applying ours now would
  // undo until the next resync.
  template <typename Apply>
  void EndOp(const std::string& id, bool wrote, Apply&& apply) {
    std::lock_guard lock(ops_mu_);
    const auto it = own_ops_.find(id);
    const bool carried = it != own_ops_.end() && it->second;
    if (it != own_ops_.end()) own_ops_.erase(it);
    if (wrote && !carried) apply();
  }

  void OnMessage(std::string_view message) {
    auto change = ParseMessage(message);
    if (!change) {
      log::Warn("revocation_message_invalid", {{"channel", channel_}, {"bytes", message.size()}});
      return;
    }
    // Under ops_mu_, so EndOp sees a message either wholly applied or not yet.
    std::lock_guard ops(ops_mu_);
    if (!change->id.empty()) {
      if (const auto it = own_ops_.find(change->id); it != own_ops_.end()) it->second = true;
    }
    {
      std::lock_guard lock(mu_);
      if (resync_in_flight_) during_resync_.push_back(*change);
    }
    Apply(*change);
  }

  void Apply(const Change& change) {
    if (change.add) {
      list_.Put(change.entry);
    } else {
      list_.Remove(change.entry.kind, change.entry.value);
    }
    ReportSizes(list_, metrics_);
  }

  void OnSnapshot(redis::Result r) {
    if (!r.ok() || r.value.type != redis::Value::Type::kArray || r.value.elements.size() != kKinds.size()) {
      const std::string why = WhyNot(r);
      bool again = false;
      {
        std::lock_guard lock(mu_);
        resync_in_flight_ = false;
        again = resync_again_;
        // Each new reason once: the first failure at start is often "not
        // connected", and what follows (an ACL refusal, say) is the real one.
        if (why != sync_error_) log::Warn("revocation_sync_failed", {{"reason", why}});
        sync_error_ = why.empty() ? "unexpected reply" : why;
      }
      NoteHealth();
      if (again && client_.state() == redis::State::kConnected) Resync();
      return;
    }
    const auto now = Now();
    std::vector<Entry> entries;
    for (std::size_t k = 0; k < kKinds.size(); ++k) {
      const auto& fields = r.value.elements[k].elements;
      for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        Entry e = Decode(kKinds[k], fields[i].text, fields[i + 1].text, now);
        if (e.Expired(now)) {
          Expire(e, fields[i + 1].text);
          continue;
        }
        entries.push_back(std::move(e));
      }
    }
    list_.Replace(std::move(entries));
    std::vector<Change> replay;
    bool again = false;
    {
      std::lock_guard lock(mu_);
      replay.swap(during_resync_);
      resync_in_flight_ = false;
      again = resync_again_;
      sync_error_.clear();
      synced_once_ = true;
      last_sync_ns_.store(last_resync_start_.time_since_epoch().count(), std::memory_order_release);
    }
    // A message can overtake the snapshot's reply on its own connection;
    // applying it again keeps what it changed.
    for (const Change& c : replay) Apply(c);
    ReportSizes(list_, metrics_);
    synced_cv_.notify_all();
    NoteHealth();
    if (again) Resync();
  }

  // A field someone wrote that we cannot read still revokes (fail closed):
  // the jti for good, a subject or client for every token issued until now.
  // Logged once per field and text, not at every resync. Runs on the client
  // thread (snapshots), like everything that touches reported_invalid_.
  Entry Decode(Kind kind, const std::string& value, const std::string& text, std::chrono::sys_seconds now) {
    std::string error;
    const json fields = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (auto e = EntryFromFields(kind, value, fields, &error)) return *std::move(e);
    if (reported_invalid_.size() >= 4096) reported_invalid_.clear();
    if (reported_invalid_.insert(Key(kind) + '\0' + value + '\0' + text).second) {
      log::Error("revocation_entry_invalid", {{"key", Key(kind)}, {"reason", error.empty() ? "not JSON" : error}});
    }
    Entry e;
    e.kind = kind;
    e.value = value;
    Complete(e, now);  // created = now; before = the second after it
    return e;
  }

  void Expire(const Entry& e, const std::string& stored) {
    client_.Eval(ExpireScript(), {Key(e.kind)}, {e.value, stored, channel_, WithdrawMessage(e.kind, e.value)},
                 [](redis::Result) {});  // best effort: the next resync tries again
  }

  redis::Client& client_;
  const config::Revocation config_;
  metrics::Metrics* metrics_;
  const std::string channel_;
  std::vector<std::string> keys_;
  const SteadyClock::time_point created_;
  std::atomic<int64_t> last_sync_ns_{0};  // steady clock; when the last successful sync was read

  mutable std::mutex mu_;
  std::condition_variable synced_cv_;
  bool synced_once_ = false;
  bool resync_in_flight_ = false;
  bool resync_again_ = false;
  std::string sync_error_;  // why the latest sync failed; empty once one succeeds
  bool reported_fresh_ = true;  // start-up: the first report is of going stale, if it comes to that
  SteadyClock::time_point last_resync_start_{};
  std::vector<Change> during_resync_;
  std::set<std::string> reported_invalid_;  // client thread only (Decode)

  std::mutex ops_mu_;                       // taken before mu_ where both are
  std::map<std::string, bool> own_ops_;     // id -> our subscription carried its message
};

RedisStore::RedisStore(redis::Client& client, const config::Revocation& config, metrics::Metrics* metrics)
    : state_(std::make_shared<State>(client, config, metrics)),
      // At least twice per max_staleness_s, so one slow sync does not flap the health.
      resync_every_(std::min<std::chrono::milliseconds>(std::chrono::seconds(config.resync_s),
                                                        std::chrono::milliseconds(config.max_staleness_s * 500))) {
  state_->Start();
  ticker_ = std::thread([this] { Tick(); });
}

RedisStore::~RedisStore() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  ticker_.join();
}

void RedisStore::Tick() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, kTick, [this] { return stop_; })) {
    lock.unlock();
    state_->NoteHealth();
    if (SteadyClock::now() - state_->last_resync_start() >= resync_every_ || state_->RetryDue()) state_->Resync();
    lock.lock();
  }
}

bool RedisStore::WaitForFirstSync(std::chrono::milliseconds timeout) { return state_->WaitForFirstSync(timeout); }
void RedisStore::Add(Entry entry, Done done) { state_->Add(std::move(entry), std::move(done)); }
void RedisStore::Withdraw(Kind kind, std::string value, Done done) {
  state_->Withdraw(kind, std::move(value), std::move(done));
}
const RevocationList& RedisStore::list() const { return state_->list_; }
Health RedisStore::health() const { return state_->health(); }
std::string RedisStore::sync_error() const { return state_->sync_error(); }
void RedisStore::Resync() { state_->Resync(); }

}  // namespace mcpgw::revocation
