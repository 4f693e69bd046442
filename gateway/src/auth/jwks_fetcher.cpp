#include "auth/jwks_fetcher.h"

#include "auth/jwk.h"
#include "log/log.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mcpgw::auth {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

std::int64_t Ticks(Clock::time_point t) { return t.time_since_epoch().count(); }

// The max-age directive of a Cache-Control header (RFC 9111 5.2.2.1), or
// nullopt when there is none.
std::optional<std::chrono::seconds> MaxAge(std::string_view cache_control) {
  while (!cache_control.empty()) {
    const std::size_t comma = cache_control.find(',');
    std::string_view directive = cache_control.substr(0, comma);
    cache_control.remove_prefix(comma == std::string_view::npos ? cache_control.size() : comma + 1);
    while (!directive.empty() && directive.front() == ' ') directive.remove_prefix(1);
    while (!directive.empty() && directive.back() == ' ') directive.remove_suffix(1);
    constexpr std::string_view kName = "max-age=";
    if (directive.size() <= kName.size()) continue;
    std::string name(directive.substr(0, kName.size()));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name != kName) continue;
    std::string_view value = directive.substr(kName.size());
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    std::uint32_t seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc() && end == value.data() + value.size()) return std::chrono::seconds(seconds);
  }
  return std::nullopt;
}

}  // namespace

// One URL of one issuer. Touched on the strand only, except next_allowed.
struct JwksFetcher::Source {
  Source(asio::any_io_executor executor, RemoteJwks remote_jwks, net::Url parsed, Issuer& owner)
      : remote(std::move(remote_jwks)), url(std::move(parsed)), issuer(owner), timer(std::move(executor)) {}
  RemoteJwks remote;
  net::Url url;
  Issuer& issuer;
  asio::steady_timer timer;
  std::vector<Key> last_good;
  std::string last_body;  // the document last_good came from
  int failures = 0;  // in a row
  // Read by RequestRefetch on any thread: a fetch on its way answers any
  // request for one, and none is sooner than next_allowed (steady ticks).
  std::atomic<bool> in_flight{false};
  std::atomic<std::int64_t> next_allowed{0};
};

struct JwksFetcher::Issuer {
  std::string name;
  std::vector<Key> local;  // from files and secrets; kept in every install
  std::vector<std::unique_ptr<Source>> sources;
};

JwksFetcherOptions JwksFetcherOptions::From(const config::JwksFetch& config) {
  JwksFetcherOptions options;
  options.refresh = std::chrono::seconds(config.refresh_s);
  options.min_refetch_interval = std::chrono::seconds(config.min_refetch_interval_s);
  options.http.timeout = milliseconds(config.timeout_ms);
  options.http.max_body_bytes = config.max_bytes;
  options.http.ca_file = config.ca_file;
  return options;
}

std::variant<std::shared_ptr<JwksFetcher>, std::string> JwksFetcher::Create(asio::any_io_executor executor,
                                                                            BearerAuthenticator& target,
                                                                            const LoadedTrust& trust,
                                                                            JwksFetcherOptions options) {
  auto client = net::HttpClient::Create(executor, options.http);
  if (auto* error = std::get_if<std::string>(&client)) return "auth.jwks: " + *error;
  std::shared_ptr<JwksFetcher> fetcher(
      new JwksFetcher(executor, std::get<net::HttpClient>(std::move(client)), target, std::move(options)));
  for (const RemoteJwks& remote : trust.remote) {
    auto url = net::ParseUrl(remote.url);
    if (auto* why = std::get_if<std::string>(&url)) return "auth issuer \"" + remote.issuer + "\": jwks_url " + *why;
    auto found = std::find_if(fetcher->issuers_.begin(), fetcher->issuers_.end(),
                              [&](const auto& i) { return i->name == remote.issuer; });
    if (found == fetcher->issuers_.end()) {
      auto issuer = std::make_unique<Issuer>();
      issuer->name = remote.issuer;
      for (const TrustedIssuer& t : trust.issuers) {
        if (t.policy.issuer == remote.issuer) issuer->local = t.keys->keys();
      }
      fetcher->issuers_.push_back(std::move(issuer));
      found = std::prev(fetcher->issuers_.end());
    }
    Issuer& issuer = **found;
    issuer.sources.push_back(
        std::make_unique<Source>(fetcher->strand_, remote, std::get<net::Url>(std::move(url)), issuer));
  }
  return fetcher;
}

JwksFetcher::JwksFetcher(asio::any_io_executor executor, net::HttpClient client, BearerAuthenticator& target,
                         JwksFetcherOptions options)
    : strand_(asio::make_strand(std::move(executor))),
      client_(std::move(client)),
      target_(target),
      options_(std::move(options)) {}

JwksFetcher::~JwksFetcher() = default;

void JwksFetcher::Start() {
  asio::post(strand_, [weak = weak_from_this()] {
    const auto self = weak.lock();
    if (!self) return;
    for (const auto& issuer : self->issuers_) {
      for (const auto& source : issuer->sources) self->Fetch(*source);
    }
  });
}

void JwksFetcher::Stop() {
  stopped_ = true;
  asio::post(strand_, [weak = weak_from_this()] {
    const auto self = weak.lock();
    if (!self) return;
    for (const auto& issuer : self->issuers_) {
      for (const auto& source : issuer->sources) source->timer.cancel();
    }
  });
}

void JwksFetcher::RequestRefetch(std::string_view name) {
  if (stopped_) return;
  const auto issuer = std::find_if(issuers_.begin(), issuers_.end(), [&](const auto& i) { return i->name == name; });
  if (issuer == issuers_.end()) return;
  for (const auto& source : (*issuer)->sources) {
    // Whoever moves next_allowed forward asks for the fetch; every other
    // caller until then returns here, without posting anything.
    if (source->in_flight) continue;
    const std::int64_t now = Ticks(Clock::now());
    std::int64_t allowed = source->next_allowed.load();
    if (now < allowed) continue;
    const std::int64_t next = Ticks(Clock::now() + options_.min_refetch_interval);
    if (!source->next_allowed.compare_exchange_strong(allowed, next)) continue;
    asio::post(strand_, [weak = weak_from_this(), s = source.get()] {
      if (const auto self = weak.lock()) self->Fetch(*s);
    });
  }
}

std::function<void(std::string_view)> JwksFetcher::UnknownKidHook() {
  return [weak = weak_from_this()](std::string_view issuer) {
    if (const auto self = weak.lock()) self->RequestRefetch(issuer);
  };
}

void JwksFetcher::Fetch(Source& source) {
  if (stopped_ || source.in_flight) return;
  source.in_flight = true;
  source.timer.cancel();
  source.next_allowed = Ticks(Clock::now() + options_.min_refetch_interval);
  net::HttpRequest request;
  request.url = source.url;
  client_.Send(std::move(request), [weak = weak_from_this(), s = &source](net::HttpOutcome outcome) {
    const auto self = weak.lock();
    if (!self) return;
    asio::post(self->strand_, [weak, s, outcome = std::move(outcome)]() mutable {
      if (const auto owner = weak.lock()) owner->OnFetched(*s, std::move(outcome));
    });
  });
}

void JwksFetcher::OnFetched(Source& source, net::HttpOutcome outcome) {
  source.in_flight = false;
  if (stopped_) return;
  milliseconds next = options_.refresh;
  std::string problem;
  if (const auto* error = std::get_if<std::string>(&outcome)) {
    problem = *error;
  } else {
    const auto& response = std::get<net::HttpResponse>(outcome);
    if (const auto max_age = MaxAge(response.cache_control); max_age && response.status == 200) {
      next = std::clamp<milliseconds>(*max_age, options_.min_refetch_interval, options_.refresh);
    }
    problem = Accept(source, response);
  }
  if (problem.empty()) {
    source.failures = 0;
    return Schedule(source, next);
  }
  log::Warn("jwks_fetch_failed", {{"issuer", source.remote.issuer},
                                  {"reason", problem},
                                  {"keeping_keys", source.last_good.size()}});
  const int doublings = std::min(source.failures++, 20);
  Schedule(source, std::min<milliseconds>(options_.first_retry * (std::int64_t{1} << doublings), options_.refresh));
}

std::string JwksFetcher::Accept(Source& source, const net::HttpResponse& response) {
  if (response.status != 200) {
    return source.url.Origin() + ": answered " + std::to_string(response.status) +
           (response.status / 100 == 3 ? " (redirects are not followed)" : "");
  }
  if (!source.last_good.empty() && response.body == source.last_body) return "";
  auto keys = KeysFromJwks(response.body, JwkOptions{source.remote.algorithm, KeySource::kUrl});
  if (auto* invalid = std::get_if<std::string>(&keys)) return source.url.Origin() + ": " + *invalid;
  JwksKeys& usable = std::get<JwksKeys>(keys);
  source.last_good = std::move(usable.keys);
  source.last_body = response.body;
  Install(source.issuer);
  log::Info("jwks_installed", {{"issuer", source.remote.issuer},
                               {"url", source.url.Origin()},
                               {"keys", source.last_good.size()},
                               {"skipped", usable.skipped}});
  return "";
}

void JwksFetcher::Schedule(Source& source, milliseconds delay) {
  source.timer.expires_after(delay);
  source.timer.async_wait([weak = weak_from_this(), s = &source](const boost::system::error_code& ec) {
    if (ec) return;
    if (const auto self = weak.lock()) self->Fetch(*s);
  });
}

void JwksFetcher::ReplaceLocalKeys(const LoadedTrust& trust) {
  std::vector<std::pair<std::string, std::vector<Key>>> local;
  for (const TrustedIssuer& t : trust.issuers) local.emplace_back(t.policy.issuer, t.keys->keys());
  asio::post(strand_, [weak = weak_from_this(), local = std::move(local)] {
    const auto self = weak.lock();
    if (!self) return;
    for (const auto& [name, keys] : local) {
      for (const auto& issuer : self->issuers_) {
        if (issuer->name != name) continue;
        issuer->local = keys;
        self->Install(*issuer);
      }
    }
  });
}

void JwksFetcher::Install(const Issuer& issuer) {
  std::vector<Key> keys = issuer.local;
  for (const auto& source : issuer.sources) keys.insert(keys.end(), source->last_good.begin(), source->last_good.end());
  target_.ReplaceKeys(issuer.name, std::make_shared<const KeySet>(std::move(keys)));
}

}  // namespace mcpgw::auth
