#include "app/gateway.h"

#include "audit/audit.h"
#include "auth/introspection.h"
#include "auth/trust_loader.h"
#include "log/log.h"
#include "pipeline/authorize.h"
#include "revocation/local_store.h"
#include "revocation/redis_store.h"
#include "pipeline/rate_limit.h"
#include "pipeline/validate_arguments.h"
#include "session/session_id.h"
#include "transport/http/tls_context.h"
#include "transport/stdio/stdio_transport.h"

#include <sys/stat.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

namespace mcpgw::app {
namespace fs = std::filesystem;

namespace {

constexpr auto kSweepEvery = std::chrono::seconds(60);
constexpr auto kSessionIdle = std::chrono::hours(1);
constexpr auto kGrpcGrace = std::chrono::seconds(2);  // see PollDrain

std::string EnsurePrivateDir(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return "cannot create directory " + path + ": " + ec.message();
  ::chmod(path.c_str(), 0700);
  return "";
}

std::string ResolvePluginFile(const std::string& file, const std::string& plugin_dir) {
  if (fs::path(file).is_absolute()) return file;
  return (fs::path(plugin_dir) / file).lexically_normal().string();
}

}  // namespace

Gateway::Gateway(const config::Config& config)
    : config_(config),
      io_(config.server.io_threads ? config.server.io_threads : std::max(1u, std::thread::hardware_concurrency())) {}

Gateway::~Gateway() {
  // gRPC calls reach the core, admission and plugins: the gRPC server ends
  // them (cancelling any left) and joins its threads before anything else goes.
  if (grpc_shutdown_.joinable()) grpc_shutdown_.join();
  grpc_server_.reset();
  // The revocation store's resync thread uses the Redis client: it goes
  // first. Then the client: its destructor fails pending commands, whose
  // callbacks reach the limiter.
  if (admission_) admission_->UseRevocations(nullptr, false);
  revocations_.reset();
  redis_.reset();
  // Plugins drain their workers before the backends they report to go away.
  for (auto& p : plugins_) p->Drain();
}

std::variant<std::unique_ptr<Gateway>, std::string> Gateway::Create(const config::Config& config,
                                                                     const StartOptions& options) {
  std::unique_ptr<Gateway> gw(new Gateway(config));
  if (std::string error = gw->Build(options); !error.empty()) return error;
  return gw;
}

std::string Gateway::LoadPlugins(const std::string& plugin_dir) {
  std::map<std::string, std::shared_ptr<plugin::PluginLibrary>> libraries;
  for (const config::Plugin& p : config_.plugins) {
    const std::string path = ResolvePluginFile(p.file, plugin_dir);
    auto& lib = libraries[path];
    if (!lib) {
      auto loaded = plugin::PluginLibrary::Load(path);
      if (auto* why = std::get_if<std::string>(&loaded)) return *why;
      lib = std::get<std::shared_ptr<plugin::PluginLibrary>>(loaded);
    }
    const std::string data_dir = (fs::path(config_.server.data_dir) / "plugins" / p.name).string();
    if (std::string error = EnsurePrivateDir(data_dir); !error.empty()) return error;
    plugin::InstanceOptions o{p.name, data_dir, p.config.dump(), p.workers, p.queue_depth};
    fanouts_.push_back(std::make_unique<mcp::PluginEventFanout>());
    auto created = plugin::PluginInstance::Create(lib, o, fanouts_.back().get(), metrics_.get());
    if (auto* why = std::get_if<std::string>(&created)) return *why;
    plugins_.push_back(std::move(std::get<std::unique_ptr<plugin::PluginInstance>>(created)));
    log::Info("plugin_loaded", {{"plugin", p.name},
                                {"file", path},
                                {"plugin_version", lib->descriptor().version},
                                {"thread_safe", plugins_.back()->thread_safe()}});
  }
  return "";
}

std::string Gateway::BuildRevocations() {
  if (redis_) {
    auto store = std::make_unique<revocation::RedisStore>(*redis_, config_.revocation, metrics_.get());
    // Serve with the list in hand when Redis answers; if it does not, the
    // fail mode decides until it does.
    if (!store->WaitForFirstSync(std::chrono::milliseconds(config_.redis.connect_timeout_ms))) {
      // Whatever names the cause (an ACL refusal, a cluster's CROSSSLOT, a
      // replica, a refused connection) rather than blaming the clock.
      // The first try may have gone out before the connection was up.
      const std::string error = store->sync_error();
      std::string why = "Redis did not answer within redis.connect_timeout_ms";
      if (redis_->state() != redis::State::kConnected) {
        why = RedisNotConnected();
      } else if (!error.empty() && error != redis::kNotConnected) {
        why = "the sync failed: " + error;
      }
      log::Warn("revocations_not_synced", {{"why", why}});
    }
    revocations_ = std::move(store);
  } else {
    auto opened = revocation::LocalStore::Open(config_.revocation.file);
    if (auto* error = std::get_if<std::string>(&opened)) return *error;
    revocations_ = std::get<std::unique_ptr<revocation::LocalStore>>(std::move(opened));
  }
  log::Info("revocations", {{"store", redis_ ? "redis" : "local"}, {"entries", revocations_->list().size()}});
  return "";
}

std::string Gateway::BuildRedis() {
  if (!config_.redis.configured) return "";
  try {
    // A command connection per I/O thread too: a rate-limit decision goes
    // out and comes back on the request's own thread (ADR 0020).
    redis_ = std::make_unique<redis::Client>(config_.redis, io_.contexts());
  } catch (const std::exception& e) {
    return e.what();
  }
  metrics::Metrics* m = metrics_.get();
  m->redis_up().Set(0);
  redis_->OnLatency([m](std::chrono::nanoseconds d) { m->RecordRedisLatency(std::chrono::duration<double>(d).count()); });
  redis_->OnError([m](std::string_view kind) { m->RecordRedisError(kind); });
  redis::Client* client = redis_.get();
  redis_->OnStateChange([m, client](redis::State s) {
    m->redis_up().Set(s == redis::State::kConnected ? 1 : 0);
    // Never the password: last_error() holds only Redis's and the socket's words.
    if (s == redis::State::kConnected) {
      log::Info("redis_state", {{"state", "connected"}});
    } else {
      log::Warn("redis_state", {{"state", "down"}, {"why", client->last_error()}});
    }
  });
  return "";
}

std::string Gateway::Build(const StartOptions& options) {
  log::SetLevel(config_.log_level);
  config_path_ = options.config_path;
  if (std::string error = audit::Open(config_.audit.file); !error.empty()) return error;
  metrics_ = std::make_unique<metrics::Metrics>(kVersion);
  if (std::string error = EnsurePrivateDir(config_.server.data_dir); !error.empty()) return error;

  const std::string key_path = config_.server.sessions.secret_file.empty()
                                   ? (fs::path(config_.server.data_dir) / "session.key").string()
                                   : config_.server.sessions.secret_file;
  std::string key_error;
  auto key = session::LoadOrCreateKey(key_path, &key_error);
  if (!key) return key_error;
  session_codec_ =
      std::make_shared<session::SessionIdCodec>(*key, std::chrono::seconds(config_.server.sessions.lifetime_s));

  if (std::string error = BuildRedis(); !error.empty()) return error;

  const std::string plugin_dir = config_.plugin_dir.empty() ? options.default_plugin_dir : config_.plugin_dir;
  if (std::string error = LoadPlugins(plugin_dir); !error.empty()) return error;

  if (std::string error = ApplyRoutes(config_.routes, nullptr); !error.empty()) return error;

  pipeline::Pipeline pipeline;
  if (config_.auth.configured) pipeline.Append(std::make_unique<pipeline::Authorize>());
  BuildRateLimits(pipeline, options.listen);
  pipeline.Append(std::make_unique<pipeline::ValidateArguments>());
  mcp::CoreOptions core_options;
  core_options.page_size = config_.server.page_size;
  core_options.request_timeout = std::chrono::milliseconds(config_.server.limits.request_timeout_ms);
  core_options.server_version = kVersion;
  core_options.audit_tool_calls = config_.audit.tool_calls;
  core_options.authorize = config_.auth.configured;
  core_ = std::make_unique<mcp::Core>(std::move(pipeline), core_options, timeouts_, metrics_.get());

  http::StreamableHttpOptions http_options;
  if (config_.auth.configured) {
    auto loaded = auth::LoadTrustedIssuers(config_.auth);
    if (auto* error = std::get_if<std::string>(&loaded)) return *error;
    const auto& trust = std::get<auth::LoadedTrust>(loaded);
    for (const config::Issuer& is : config_.auth.issuers) {
      if (is.issuer.rfind("https://", 0) == 0 || is.issuer.rfind("http://", 0) == 0) {
        http_options.authorization_servers.push_back(is.issuer);
      }
    }
    auto bearer = std::make_unique<auth::BearerAuthenticator>(trust.issuers, config_.auth.cache_entries);
    bearer_ = bearer.get();
    if (!trust.remote.empty()) {
      auto fetcher = auth::JwksFetcher::Create(io_.control().get_executor(), *bearer, trust,
                                               auth::JwksFetcherOptions::From(config_.auth.jwks));
      if (auto* error = std::get_if<std::string>(&fetcher)) return *error;
      jwks_ = std::get<std::shared_ptr<auth::JwksFetcher>>(std::move(fetcher));
      bearer->OnUnknownKid(jwks_->UnknownKidHook());
    }
    std::shared_ptr<auth::Introspector> introspector;
    if (config_.auth.introspection.configured) {
      auto made = auth::MakeIntrospector(config_.auth, io_.control().get_executor());
      if (auto* error = std::get_if<std::string>(&made)) return *error;
      introspector = std::get<std::shared_ptr<auth::Introspector>>(std::move(made));
    }
    admission_ = std::make_unique<pipeline::Admission>(
        std::move(bearer), std::make_unique<auth::ApiKeys>(config_.auth.api_keys), std::move(introspector));
    if (std::string error = BuildRevocations(); !error.empty()) return error;
    admission_->UseRevocations(revocations_.get(), config_.revocation.on_redis_down == config::FailMode::kClosed);
  }
  if (!options.listen) return "";
  http_options.max_json_depth = config_.server.limits.max_json_depth;
  http_options.trusted_proxies = TrustedProxies();
  http_options.sse_retry_ms = config_.server.sessions.sse_retry_ms;
  http_options.event_buffer = config_.server.sessions.event_buffer;
  http_options.poll_after = std::chrono::milliseconds(config_.server.sessions.poll_after_ms);
  endpoint_ = std::make_unique<http::StreamableHttpEndpoint>(
      *core_, routes_,
      http::OriginPolicy(config_.server.allowed_origins, config_.server.public_url, config_.server.listen.IsLoopback()),
      http_options, timeouts_, metrics_.get(), admission_.get());

  http::ServerOptions server_options;
  server_options.host = config_.server.listen.host;
  server_options.port = config_.server.listen.port;
  server_options.max_body_bytes = config_.server.limits.max_body_bytes;
  server_options.max_header_bytes = config_.server.limits.max_header_bytes;
  server_options.max_connections = config_.server.limits.max_connections;
  server_options.hsts_max_age_s = config_.server.tls.hsts_max_age_s;
  server_options.name = "mcp";
  server_options.refusal = &http::StreamableHttpEndpoint::Refuse;
  http_ = std::make_unique<http::Server>(
      io_, server_options, [this](std::shared_ptr<http::Exchange> ex) { endpoint_->Handle(ex); }, metrics_.get());
  if (config_.server.tls.configured) {
    if (std::string error = ReloadTls(); !error.empty()) return error;
  }
  if (std::string error = http_->Listen(); !error.empty()) return error;

  if (config_.metrics.enabled) {
    ops_ = std::make_unique<http::OpsEndpoints>(*metrics_, [this] { return NotReadyReasons(); }, [this] {
      metrics_->pending_timeouts().Set(static_cast<double>(timeouts_.size()));
      if (admission_) {
        const auto totals = admission_->token_cache_totals();
        metrics_->SetTokenCacheTotals(totals.hits, totals.misses);
      }
      for (const auto& p : plugins_) metrics_->plugin_queue_depth(p->name()).Set(static_cast<double>(p->queue_depth()));
      if (revocations_) {
        revocation::ReportSizes(revocations_->list(), metrics_.get());
        metrics_->revocation_sync_age().Set(static_cast<double>(revocations_->health().since_sync.count()));
      }
    });
    http::ServerOptions ops_options;
    ops_options.host = config_.metrics.listen.host;
    ops_options.port = config_.metrics.listen.port;
    ops_options.max_body_bytes = 4096;
    ops_options.name = "ops";  // refusals: the server's plain-text default
    ops_server_ = std::make_unique<http::Server>(
        io_, ops_options, [this](std::shared_ptr<http::Exchange> ex) { ops_->Handle(ex); }, metrics_.get());
    if (std::string error = ops_server_->Listen(); !error.empty()) return error;
  }
  if (std::string error = BuildAdmin(); !error.empty()) return error;
  // After the admin API: the gRPC listener serves the admin service too.
  return BuildGrpc();
}

std::vector<net::Cidr> Gateway::TrustedProxies() const {
  std::vector<net::Cidr> out;
  for (const std::string& proxy : config_.server.trusted_proxies) {
    if (auto cidr = net::Cidr::Parse(proxy)) out.push_back(*cidr);  // validated with the config
  }
  return out;
}

std::string Gateway::BuildGrpc() {
  if (!config_.server.grpc.enabled) return "";
  rpc::GrpcDoorParts parts;
  parts.core = core_.get();
  parts.routes = &routes_;
  parts.admission = admission_.get();
  parts.metrics = metrics_.get();
  parts.trusted_proxies = TrustedProxies();
  // The admin service shares the listener only where an admin credential
  // may travel: loopback, or TLS (the rule admin.listen follows).
  if (admin_ && (config_.server.grpc.listen.IsLoopback() || config_.server.tls.configured)) parts.admin = admin_.get();
  parts.server.listen = config_.server.grpc.listen;
  parts.server.tls = &config_.server.tls;
  parts.server.max_message_bytes = static_cast<std::size_t>(config_.server.limits.max_body_bytes);
  auto started = rpc::StartGrpcDoor(parts);
  if (auto* error = std::get_if<std::string>(&started)) return *error;
  grpc_server_ = std::get<std::unique_ptr<rpc::GrpcDoor>>(std::move(started));
  return "";
}

uint16_t Gateway::grpc_port() const { return grpc_server_ ? grpc_server_->port() : 0; }

std::string Gateway::BuildAdmin() {
  if (!config_.admin.enabled) return "";
  admin::Dependencies deps;
  deps.config = &config_;
  deps.admission = admission_.get();
  deps.revocations = revocations_.get();
  deps.limiter = limiter_;
  deps.policies = [this]() -> pipeline::Policies { return rate_limit_ ? rate_limit_->policies() : nullptr; };
  deps.plugins = [this] {
    std::vector<admin::PluginStatus> out;
    for (std::size_t i = 0; i < plugins_.size(); ++i) {
      const config::Plugin& c = config_.plugins[i];
      const plugin::PluginInstance& p = *plugins_[i];
      out.push_back({p.name(), c.file, p.descriptor().version, true, p.thread_safe(), c.workers, c.queue_depth,
                     p.queue_depth()});
    }
    return out;
  };
  deps.routes = [this] {
    std::vector<admin::RouteStatus> out;
    const auto routes = routes_.Current();  // held: a reload may replace it meanwhile
    for (const auto& b : routes->list) {
      out.push_back({b->name(), b->path(), b->resource(), b->plugin_name(), true, b->tools().Current()->tools().size()});
    }
    return out;
  };
  deps.reload = [this] { return Reload(); };
  admin_ = std::make_unique<admin::AdminService>(std::move(deps));
  admin_endpoint_ = std::make_unique<admin::HttpEndpoint>(*admin_);
  http::ServerOptions options;
  options.host = config_.admin.listen.host;
  options.port = config_.admin.listen.port;
  options.max_body_bytes = 1 << 20;  // the endpoint answers 413 above admin::kMaxAdminBodyBytes itself
  options.max_connections = 64;
  options.hsts_max_age_s = config_.server.tls.hsts_max_age_s;
  options.name = "admin";
  options.refusal = [this](const http::Refusal& r) { return admin_endpoint_->Refuse(r); };
  admin_server_ = std::make_unique<http::Server>(
      io_, options, [this](std::shared_ptr<http::Exchange> ex) { admin_endpoint_->Handle(ex); }, metrics_.get());
  if (!config_.admin.listen.IsLoopback()) {
    // The config allows that only with server.tls: admin tokens never
    // travel in the clear off the machine.
    auto context = http::MakeTlsContext(config_.server.tls);
    if (auto* error = std::get_if<std::string>(&context)) return "admin.listen: " + *error;
    admin_server_->UseTls(std::get<std::shared_ptr<http::TlsContext>>(std::move(context)));
  }
  return admin_server_->Listen();
}

void Gateway::BuildRateLimits(pipeline::Pipeline& pipeline, bool post_to_io) {
  if (config_.rate_limits.policies.empty()) return;
  local_limiter_ = std::make_unique<limits::LocalLimiter>();
  limiter_ = local_limiter_.get();
  pipeline::RateLimitOptions options;
  options.metrics = metrics_.get();
  options.near_limit_percent = config_.rate_limits.near_limit_percent;
  options.headers_always = config_.rate_limits.headers_always;
  if (redis_) {
    limits::RedisLimiterOptions redis_options;
    if (post_to_io) {
      // A decision continues on the I/O thread that asked for it (any I/O
      // thread when asked from elsewhere), never on the Redis client's. The
      // answer usually arrives on that thread already (its own Redis
      // connection): then it continues at once, without a post.
      redis_options.resume_here = [this]() -> limits::Resume {
        boost::asio::io_context* here = transport::IoPool::Current();
        if (here == nullptr) here = &io_.Next();
        return [here](std::function<void()> work) { boost::asio::dispatch(*here, std::move(work)); };
      };
      // The decisions of one turn of an I/O thread share a script call.
      redis_options.defer_here = [](std::function<void()> work) {
        boost::asio::io_context* here = transport::IoPool::Current();
        if (here == nullptr) return false;
        boost::asio::post(*here, std::move(work));
        return true;
      };
    }
    redis_options.on_store_state = [m = metrics_.get()](bool healthy) { m->RecordRateLimitStore(healthy); };
    redis_limiter_ = std::make_unique<limits::RedisLimiter>(*redis_, *local_limiter_, std::move(redis_options));
    limiter_ = redis_limiter_.get();
    options.limiter_waits = true;
  }
  auto stage = std::make_unique<pipeline::RateLimit>(config_.rate_limits.policies, *limiter_, std::move(options));
  rate_limit_ = stage.get();
  pipeline.Append(std::move(stage));
  log::Info("rate_limits", {{"policies", config_.rate_limits.policies.size()}, {"store", redis_ ? "redis" : "local"}});
}

std::string Gateway::RedisNotConnected() const {
  const std::string why = redis_->last_error();
  return std::string(redis::kNotConnected) + (why.empty() ? "" : " (" + why + ")");
}

std::vector<std::string> Gateway::NotReadyReasons() const {
  std::vector<std::string> reasons;
  if (!ready_) reasons.emplace_back(stopping_ ? "draining after a termination signal" : "starting");
  // Redis is required when refusing is what happens without it: a
  // fail-closed limit policy, or the shared revocation list in fail-closed
  // mode. Fail-open policies serve from the local limiter instead.
  if (redis_ && rate_limit_ != nullptr && redis_->state() != redis::State::kConnected) {
    // The policies in force, which a reload may have changed.
    const pipeline::Policies policies = rate_limit_->policies();
    if (std::any_of(policies->begin(), policies->end(), [](const config::LimitPolicy& p) {
          return p.on_redis_down == config::FailMode::kClosed;
        })) {
      reasons.push_back(RedisNotConnected() + " and a rate-limit policy fails closed without it");
    }
  }
  if (revocations_ && admission_ && config_.revocation.on_redis_down == config::FailMode::kClosed &&
      !revocations_->health().fresh) {
    std::string reason = "the revocation list has not been synced from Redis within revocation.max_staleness_s";
    if (const std::string error = revocations_->sync_error(); !error.empty()) reason += " (last sync: " + error + ")";
    reasons.push_back(std::move(reason));
  }
  if (bearer_ != nullptr) {
    for (const std::string& issuer : bearer_->IssuersWithoutKeys()) {
      reasons.push_back("no verification keys loaded yet for issuer " + issuer);
    }
  }
  return reasons;
}

void Gateway::ScheduleSweep() {
  sweep_timer_ = std::make_unique<boost::asio::steady_timer>(io_.control(), kSweepEvery);
  sweep_timer_->async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    const auto routes = routes_.Current();  // held: a reload may replace it meanwhile
    for (const auto& b : routes->list) b->sessions().Sweep(kSessionIdle);
    ScheduleSweep();
  });
}

void Gateway::BeginShutdown(const std::string& signal) {
  if (stopping_.exchange(true)) return;
  ready_ = false;
  log::Info("draining", {{"signal", signal}, {"in_flight", core_->in_flight()}});
  http_->StopAccepting();
  if (ops_server_) ops_server_->StopAccepting();
  if (admin_server_) admin_server_->StopAccepting();
  if (grpc_server_) {
    // Health says NOT_SERVING at once; new calls are refused and the ones in
    // flight finish (they count in core_->in_flight(), which PollDrain waits
    // for) or are cancelled at the drain deadline. Off the I/O threads:
    // Shutdown blocks, and the calls it waits for need them.
    grpc_server_->SetServing(false);
    const auto deadline = std::chrono::system_clock::now() + std::chrono::seconds(config_.server.drain_s);
    grpc_shutdown_ = std::thread([this, server = grpc_server_.get(), deadline] {
      server->Shutdown(deadline);
      grpc_shut_down_ = true;
    });
  }
  if (sweep_timer_) sweep_timer_->cancel();
  if (jwks_) jwks_->Stop();
  core_->CloseListenStreams();
  drain_timer_ = std::make_unique<boost::asio::steady_timer>(io_.control());
  PollDrain(std::chrono::steady_clock::now() + std::chrono::seconds(config_.server.drain_s));
}

void Gateway::PollDrain(std::chrono::steady_clock::time_point deadline) {
  // Done when nothing is being answered and no new connection (one taken
  // from the listen backlog, say) is still sending its first request.
  const bool idle = core_->in_flight() == 0 && http_->busy_connections() == 0;
  const auto now = std::chrono::steady_clock::now();
  if (!idle) idle_since_.reset();
  if (idle && !idle_since_) idle_since_ = now;
  // gRPC may still be sending the last answers (a call leaves in_flight when
  // the core answers it, before gRPC has written it) and may hold calls that
  // never delivered their request, which nothing of ours waits for: it gets
  // a short grace to finish on its own, then what it still holds is cancelled.
  const bool grpc_settling = grpc_server_ && !grpc_shut_down_ && idle && now - *idle_since_ < kGrpcGrace;
  if ((idle && !grpc_settling) || now >= deadline) {
    if (!idle) {
      log::Warn("drain_timeout", {{"in_flight", core_->in_flight()}, {"busy_connections", http_->busy_connections()}});
    }
    if (grpc_server_ && !grpc_shut_down_) grpc_server_->CancelRemaining();
    // Let the last responses flush, then stop.
    drain_timer_->expires_after(std::chrono::milliseconds(50));
    drain_timer_->async_wait([this](const boost::system::error_code&) { io_.Stop(); });
    return;
  }
  drain_timer_->expires_after(std::chrono::milliseconds(20));
  drain_timer_->async_wait([this, deadline](const boost::system::error_code& ec) {
    if (!ec) PollDrain(deadline);
  });
}

void Gateway::WaitForSignal() {
  signals_->async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    if (signo != SIGHUP) return BeginShutdown(signo == SIGTERM ? "SIGTERM" : "SIGINT");
    if (!stopping_) Reload();
    WaitForSignal();
  });
}

admin::ReloadReport Gateway::Reload() {
  std::lock_guard lock(reload_mu_);
  // One step per thing reloaded; a step that fails keeps what it had.
  admin::ReloadReport done;
  const auto report = [&done](const char* what, const std::string& error, const std::string& changed = "") {
    if (!error.empty()) {
      log::Error("reload_failed", {{"what", what}, {"reason", error}});
    } else if (!changed.empty()) {
      log::Info("reloaded", {{"what", what}, {"changed", changed}});
    } else {
      log::Info("reloaded", {{"what", what}});
    }
    done.steps.push_back({what, error.empty(), error, changed});
  };
  // The file first: what it says now is what the steps below install. An
  // invalid file changes nothing (key files are still re-read).
  std::optional<config::Config> next;
  if (!config_path_.empty()) {
    auto loaded = config::LoadFile(config_path_);
    if (auto* errors = std::get_if<std::vector<std::string>>(&loaded)) {
      std::string joined;
      for (const std::string& e : *errors) joined += (joined.empty() ? "" : "; ") + e;
      report("config", "the configuration file is invalid, nothing in it was applied: " + joined);
    } else {
      next = std::get<config::Config>(std::move(loaded));
      report("config", NeedsRestart(*next));
    }
  }
  if (config_.server.tls.configured && http_) report("tls", ReloadTls());
  const bool same_issuers = next && next->auth.issuers.size() == config_.auth.issuers.size() &&
                            std::equal(next->auth.issuers.begin(), next->auth.issuers.end(),
                                       config_.auth.issuers.begin(), [](const config::Issuer& a, const config::Issuer& b) {
                                         return a.issuer == b.issuer;
                                       });
  if (bearer_ != nullptr) report("keys", ReloadKeys(same_issuers ? next->auth : config_.auth));
  if (next) {
    if (admission_) {
      admission_->ReplaceApiKeys(std::make_unique<auth::ApiKeys>(next->auth.api_keys));
      report("api_keys", "");
    }
    report("limits", ReloadLimits(*next));
    // A changed server section (listen, public_url) waits for a restart, so
    // a resource that follows public_url follows the one being served: the
    // audience every token was minted for stays what it is.
    for (config::Route& route : next->routes) {
      if (route.resource_defaulted) route.resource = config_.server.public_url + route.path;
    }
    std::string changed;
    const std::string error = ApplyRoutes(next->routes, &changed);
    report("routes", error.empty() ? "" : error + "; no route was changed", changed);
    log::SetLevel(next->log_level);
  }
  return done;
}

std::string Gateway::NeedsRestart(const config::Config& next) const {
  std::vector<std::string> changed;
  const auto check = [&changed](bool same, const char* what) {
    if (!same) changed.emplace_back(what);
  };
  check(next.server == config_.server, "server");
  check(next.metrics == config_.metrics, "metrics");
  check(next.admin == config_.admin, "admin");
  check(next.redis == config_.redis, "redis");
  check(next.revocation == config_.revocation, "revocation");
  check(next.audit == config_.audit, "audit");
  check(next.plugins == config_.plugins && next.plugin_dir == config_.plugin_dir, "plugins");
  // auth: keys and API keys reload; the rest of the section does not.
  config::Auth next_auth = next.auth, auth = config_.auth;
  next_auth.api_keys.clear();
  auth.api_keys.clear();
  for (config::Issuer& i : next_auth.issuers) i.keys.clear();
  for (config::Issuer& i : auth.issuers) i.keys.clear();
  check(next_auth == auth, "auth (except keys and api_keys)");
  check(next.rate_limits.near_limit_percent == config_.rate_limits.near_limit_percent, "rate_limits.near_limit_percent");
  check(next.rate_limits.headers_always == config_.rate_limits.headers_always, "rate_limits.headers");
  // Routes reload (their own step); the plugins they may use are those running.
  if (changed.empty()) return "";
  std::string list;
  for (const std::string& c : changed) list += (list.empty() ? "" : ", ") + c;
  return "changed but only applied by a restart: " + list + "; everything else was reloaded";
}

std::string Gateway::ReloadLimits(const config::Config& next) {
  if (rate_limit_ == nullptr) {
    return next.rate_limits.policies.empty() ? "" : "rate limits were not configured at start: restart to add them";
  }
  if (next.rate_limits.policies.empty()) return "every rate-limit policy was removed: restart to turn limits off";
  rate_limit_->ReplacePolicies(next.rate_limits.policies);
  return "";
}

std::size_t Gateway::PluginIndex(const std::string& name) const {
  std::size_t index = 0;
  while (index < plugins_.size() && plugins_[index]->name() != name) ++index;
  return index;
}

std::string Gateway::ApplyRoutes(const std::vector<config::Route>& routes, std::string* changed) {
  const mcp::RoutePlan plan = mcp::PlanRoutes(*routes_.Current(), routes);
  // Build what is new while the routes in force keep serving: nobody sees a
  // new backend before the table is replaced, so a failure changes nothing.
  std::vector<std::shared_ptr<mcp::Backend>> next;
  for (const mcp::RoutePlan::Entry& entry : plan.entries) {
    const config::Route& route = *entry.route;
    if (entry.keep) {
      next.push_back(entry.current);
      continue;
    }
    const std::size_t index = PluginIndex(route.plugin);
    if (index == plugins_.size()) {
      return "route " + route.name + " names plugin \"" + route.plugin +
             "\", which is not running (plugins are loaded at start: restart to add one)";
    }
    auto backend = std::make_shared<mcp::Backend>(route, plugins_[index].get(), session_codec_, metrics_.get());
    if (auto error = backend->LoadTools()) return "route " + route.name + ": plugin " + route.plugin + ": " + *error;
    next.push_back(std::move(backend));
  }
  // Nothing fails from here on.
  for (std::size_t i = 0; i < plan.entries.size(); ++i) {
    const mcp::RoutePlan::Entry& entry = plan.entries[i];
    if (entry.keep) {
      entry.current->ReplaceScopes(entry.route->scopes, config_.auth.configured);
    } else {
      fanouts_[PluginIndex(entry.route->plugin)]->Add(next[i]);
    }
  }
  routes_.Replace(next);
  // Requests that took the old table finish on the backends they hold.
  for (std::size_t i = 0; i < plan.entries.size(); ++i) {
    const mcp::RoutePlan::Entry& entry = plan.entries[i];
    if (!entry.keep && entry.current) RetireRoute(entry.current, next[i].get());
  }
  for (const auto& backend : plan.removed) RetireRoute(backend, nullptr);
  if (changed != nullptr) *changed = plan.Summary();
  return "";
}

void Gateway::RetireRoute(const std::shared_ptr<mcp::Backend>& backend, mcp::Backend* successor) {
  if (const std::size_t index = PluginIndex(backend->plugin_name()); index < fanouts_.size()) {
    fanouts_[index]->Remove(backend.get());
  }
  backend->Retire(successor);
  if (core_) core_->CloseListenStreams(backend.get());
}

std::string Gateway::ReloadKeys(const config::Auth& auth) {
  auto loaded = auth::LoadTrustedIssuers(auth);
  if (auto* error = std::get_if<std::string>(&loaded)) return *error;
  const auto& trust = std::get<auth::LoadedTrust>(loaded);
  for (const auth::TrustedIssuer& issuer : trust.issuers) {
    const bool fetched = std::any_of(trust.remote.begin(), trust.remote.end(),
                                     [&](const auth::RemoteJwks& r) { return r.issuer == issuer.policy.issuer; });
    if (!fetched) bearer_->ReplaceKeys(issuer.policy.issuer, issuer.keys);
  }
  if (jwks_) jwks_->ReplaceLocalKeys(trust);  // merged with what it fetched
  return "";
}

std::string Gateway::ReloadTls() {
  auto context = http::MakeTlsContext(config_.server.tls);
  if (auto* error = std::get_if<std::string>(&context)) return *error;
  http_->UseTls(std::get<std::shared_ptr<http::TlsContext>>(std::move(context)));
  return "";
}

int Gateway::RunHttp() {
  http_->Start();
  if (ops_server_) ops_server_->Start();
  if (admin_server_) admin_server_->Start();
  signals_ = std::make_unique<boost::asio::signal_set>(io_.control(), SIGTERM, SIGINT, SIGHUP);
  WaitForSignal();
  ScheduleSweep();
  if (jwks_) jwks_->Start();  // runs once the pool does; start-up never waits for an issuer
  ready_ = true;
  if (grpc_server_) grpc_server_->SetServing(true);
  nlohmann::json routes = nlohmann::json::array();
  const auto served = routes_.Current();
  for (const auto& b : served->list) {
    routes.push_back({{"route", b->name()}, {"path", b->path()}, {"resource", b->resource()}});
  }
  log::Info("listening", {{"mcp", config_.server.listen.host + ":" + std::to_string(http_->port())},
                          {"metrics", ops_server_ ? config_.metrics.listen.host + ":" + std::to_string(ops_server_->port())
                                                  : std::string("disabled")},
                          {"admin", admin_server_ ? config_.admin.listen.host + ":" + std::to_string(admin_server_->port())
                                                  : std::string("disabled")},
                          {"grpc", grpc_server_ ? config_.server.grpc.listen.host + ":" + std::to_string(grpc_server_->port())
                                                : std::string("disabled")},
                          {"routes", routes}});

  io_.Run();
  // Nothing is in flight any more (or the drain deadline passed, and
  // Shutdown cancels what is left): the gRPC server ends its calls before
  // the plugins stop.
  if (grpc_shutdown_.joinable()) grpc_shutdown_.join();
  for (auto& p : plugins_) p->Drain();
  audit::Flush();
  log::Info("stopped", {});
  return 0;
}

std::variant<Principal, pipeline::AdmissionDenial> Gateway::AdmitStdio(const mcp::Backend& backend) const {
  const char* token = std::getenv(std::string(kStdioTokenVariable).c_str());
  const char* key = std::getenv(std::string(kStdioApiKeyVariable).c_str());
  const std::string authorization = token != nullptr ? "Bearer " + std::string(token) : "";
  pipeline::Credentials credentials;
  if (token != nullptr) {
    credentials.authorization = authorization;
  } else if (key != nullptr) {
    credentials.api_key = std::string_view(key);
  }
  return admission_->Admit(credentials, backend.resource());
}

int Gateway::RunStdio(const std::string& route) {
  const std::shared_ptr<mcp::Backend> backend = routes_.Current()->Named(route);
  if (!backend) {
    log::Error("unknown_route", {{"route", route}});
    return 2;
  }
  Principal principal = LocalUserPrincipal();
  if (admission_) {
    auto admitted = AdmitStdio(*backend);
    if (auto* denial = std::get_if<pipeline::AdmissionDenial>(&admitted)) {
      audit::Record("auth_refused", {{"route", route}, {"reason", denial->reason}, {"method", denial->method},
                                     {"credential_id", denial->credential_id}, {"source", "stdio"}});
      audit::Flush();
      std::cerr << "mcp-gateway: not authenticated for route " << route << " (" << denial->reason << "): "
                << denial->message << ". Over stdio, set " << kStdioTokenVariable << " (a bearer token) or "
                << kStdioApiKeyVariable << " in the server's environment.\n";
      return 2;
    }
    principal = std::get<Principal>(std::move(admitted));
  }
  stdio::StdioTransport transport(*core_, backend, config_.server.limits.max_json_depth,
                                  config_.server.limits.max_body_bytes, std::move(principal));
  if (admission_) {
    transport.RecheckEachMessage([this](const Principal& p) { return admission_->Recheck(p); });
  }
  transport.Run(std::cin, std::cout);
  for (auto& p : plugins_) p->Drain();
  return 0;
}

}  // namespace mcpgw::app
