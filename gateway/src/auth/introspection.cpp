#include "auth/introspection.h"

#include "auth/claim_values.h"
#include "auth/strict_json.h"
#include "crypto/base64.h"
#include "crypto/hmac.h"
#include "os/file.h"

#include <algorithm>
#include <cstdlib>
#include <list>
#include <optional>
#include <unordered_map>

namespace mcpgw::auth {
namespace {

using Clock = std::chrono::system_clock;
using json = nlohmann::json;

constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

Failure Unavailable(std::string why) {
  return Failure{FailureReason::kIntrospectionUnavailable, "token introspection failed: " + std::move(why)};
}

// RFC 6749 2.3.1: id and secret are form-encoded before they are joined.
std::string BasicAuthorization(std::string_view id, std::string_view secret) {
  return "Basic " + crypto::Base64Encode(net::FormEncode(id) + ":" + net::FormEncode(secret));
}

// A secret file's trailing line break is an accident of editors, not part of it.
std::string WithoutLineBreak(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

// The client secret, or nullopt with *error naming the setting (never the secret).
std::optional<std::string> ClientSecret(const config::Introspection& c, std::string* error) {
  if (!c.client_secret_env.empty()) {
    const char* value = std::getenv(c.client_secret_env.c_str());
    if (value != nullptr && *value != '\0') return value;
    *error = "auth.introspection.client_secret_env: the environment variable " + c.client_secret_env + " is not set";
    return std::nullopt;
  }
  std::string unreadable;
  std::optional<std::string> text = os::ReadFile(c.client_secret_file, &unreadable);
  if (!text) {
    *error = "auth.introspection.client_secret_file: " + unreadable;
    return std::nullopt;
  }
  std::string secret = WithoutLineBreak(*std::move(text));
  if (secret.empty()) {
    *error = "auth.introspection.client_secret_file: " + c.client_secret_file + " is empty";
    return std::nullopt;
  }
  return secret;
}

}  // namespace

// Bounded; the least recently used entry goes first; each entry carries
// its own deadline, after which it is never returned.
class Introspector::AnswerCache {
 public:
  explicit AnswerCache(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

  std::optional<Outcome> Find(const std::string& digest, Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    const auto found = index_.find(digest);
    if (found == index_.end()) return std::nullopt;
    const auto entry = found->second;
    if (now >= entry->until) {
      index_.erase(found);
      recency_.erase(entry);
      return std::nullopt;
    }
    recency_.splice(recency_.begin(), recency_, entry);
    return entry->outcome;
  }

  void Insert(const std::string& digest, Outcome outcome, Clock::time_point until) {
    const std::lock_guard lock(mutex_);
    if (const auto found = index_.find(digest); found != index_.end()) {
      recency_.erase(found->second);
      index_.erase(found);
    }
    if (recency_.size() >= capacity_) {
      index_.erase(recency_.back().digest);
      recency_.pop_back();
    }
    recency_.push_front(Entry{digest, std::move(outcome), until});
    index_.emplace(digest, recency_.begin());
  }

 private:
  struct Entry {
    std::string digest;
    Outcome outcome;
    Clock::time_point until;
  };
  std::mutex mutex_;
  const std::size_t capacity_;
  std::list<Entry> recency_;  // front: most recently used
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

std::variant<std::shared_ptr<Introspector>, std::string> Introspector::Create(boost::asio::any_io_executor executor,
                                                                              IntrospectionOptions options) {
  auto client = net::HttpClient::Create(std::move(executor), options.http);
  if (auto* error = std::get_if<std::string>(&client)) return "auth.introspection: " + *error;
  return std::shared_ptr<Introspector>(
      new Introspector(std::get<net::HttpClient>(std::move(client)), std::move(options)));
}

Introspector::Introspector(net::HttpClient client, IntrospectionOptions options)
    : client_(std::move(client)),
      options_(std::move(options)),
      authorization_(BasicAuthorization(options_.client_id, options_.client_secret)),
      active_(std::make_unique<AnswerCache>(options_.cache_entries)),
      refused_(std::make_unique<AnswerCache>(options_.cache_entries)) {}

Introspector::~Introspector() = default;

void Introspector::Introspect(std::string_view token, std::function<void(Outcome)> done, Clock::time_point now) {
  if (token.empty()) return done(Failure{FailureReason::kMalformed, "the token is empty"});
  if (token.size() > options_.max_token_bytes) return done(Failure{FailureReason::kTooLarge, "the token is too large"});
  std::string digest = crypto::Sha256(token);
  if (auto hit = active_->Find(digest, now)) return done(*std::move(hit));
  if (auto hit = refused_->Find(digest, now)) return done(*std::move(hit));
  {
    const std::lock_guard lock(waiting_mutex_);
    auto& waiters = waiting_[digest];
    waiters.push_back(std::move(done));
    if (waiters.size() > 1) return;  // its answer is on the way
  }
  net::HttpRequest request;
  request.method = boost::beast::http::verb::post;
  request.url = options_.endpoint;
  request.content_type = "application/x-www-form-urlencoded";
  request.body = "token=" + net::FormEncode(token) + "&token_type_hint=access_token";
  request.authorization = authorization_;
  client_.Send(std::move(request),
               [self = shared_from_this(), digest = std::move(digest), now](net::HttpOutcome outcome) {
                 self->OnAnswer(digest, std::move(outcome), now);
               });
}

void Introspector::OnAnswer(const std::string& digest, net::HttpOutcome answer, Clock::time_point now) {
  const Outcome outcome = Interpret(answer, now);
  if (const auto* claims = std::get_if<std::shared_ptr<const Claims>>(&outcome)) {
    active_->Insert(digest, outcome, std::min<Clock::time_point>((*claims)->expires_at, now + options_.max_cache));
  } else if (std::get<Failure>(outcome).reason != FailureReason::kIntrospectionUnavailable) {
    refused_->Insert(digest, outcome, now + options_.refusal_cache);
  }
  std::vector<std::function<void(Outcome)>> waiters;
  {
    const std::lock_guard lock(waiting_mutex_);
    const auto found = waiting_.find(digest);
    waiters = std::move(found->second);
    waiting_.erase(found);
  }
  for (auto& done : waiters) done(outcome);
}

Introspector::Outcome Introspector::Interpret(const net::HttpOutcome& outcome, Clock::time_point now) const {
  if (const auto* error = std::get_if<std::string>(&outcome)) return Unavailable(*error);
  const auto& response = std::get<net::HttpResponse>(outcome);
  if (response.status != 200) {
    return Unavailable(options_.endpoint.Origin() + " answered " + std::to_string(response.status) +
                       (response.status == 401 ? " (check auth.introspection.client_id and its secret)" : ""));
  }
  const std::optional<json> answer = ParseObjectWithUniqueKeys(response.body);
  if (!answer) return Unavailable("the answer is not a JSON object with unique member names");
  const auto active = answer->find("active");
  if (active == answer->end() || !active->is_boolean()) return Unavailable("the answer has no boolean \"active\"");
  if (!active->get<bool>()) return Failure{FailureReason::kInactive, "the token is not active"};

  Claims claims;
  std::optional<Failure> failure;
  std::optional<std::string> iss, client_id;
  if (!Take(NonEmptyString(*answer, "sub"), claims.subject, failure) ||
      !Take(NumericDate(*answer, "exp", Round::kDown), claims.expires_at, failure) ||
      !Take(OptionalString(*answer, "iss"), iss, failure) || !Take(Scopes(*answer), claims.scopes, failure) ||
      !Take(OptionalString(*answer, "client_id"), client_id, failure) ||
      !Take(OptionalString(*answer, "jti"), claims.token_id, failure) ||
      !Take(NonEmptyString(*answer, options_.tenant_claim), claims.tenant, failure) ||
      (answer->contains("aud") && !Take(Audiences(*answer), claims.audiences, failure))) {
    return *std::move(failure);
  }
  // Without `iat` the token counts as issued at the epoch: a subject or
  // client revocation then refuses it (the safe side), whenever it was made.
  claims.issued_at = std::chrono::sys_seconds{};
  if (answer->contains("iat") && !Take(NumericDate(*answer, "iat", Round::kUp), claims.issued_at, failure)) {
    return *std::move(failure);
  }
  if (!options_.issuer.empty() && iss != options_.issuer) {
    return Failure{FailureReason::kWrongIssuer, "the token is from another issuer"};
  }
  claims.issuer = iss.value_or("");
  claims.client_id = client_id.value_or("");
  if (now >= claims.expires_at) return Failure{FailureReason::kExpired, "the token has expired"};
  return std::make_shared<const Claims>(std::move(claims));
}

std::variant<std::shared_ptr<Introspector>, std::string> MakeIntrospector(const config::Auth& auth,
                                                                          boost::asio::any_io_executor executor) {
  const config::Introspection& c = auth.introspection;
  auto endpoint = net::ParseUrl(c.endpoint);
  if (auto* why = std::get_if<std::string>(&endpoint)) return "auth.introspection.endpoint: " + *why;
  std::string error;
  std::optional<std::string> secret = ClientSecret(c, &error);
  if (!secret) return error;
  IntrospectionOptions options;
  options.endpoint = std::get<net::Url>(std::move(endpoint));
  options.client_id = c.client_id;
  options.client_secret = *std::move(secret);
  options.issuer = c.issuer;
  options.tenant_claim = auth.tenant_claim;
  options.max_token_bytes = auth.max_token_bytes;
  options.cache_entries = c.cache_entries;
  options.max_cache = std::chrono::seconds(c.max_cache_s);
  options.http.timeout = std::chrono::milliseconds(c.timeout_ms);
  options.http.max_body_bytes = kMaxAnswerBytes;
  options.http.ca_file = c.ca_file;
  return Introspector::Create(std::move(executor), std::move(options));
}

}  // namespace mcpgw::auth
