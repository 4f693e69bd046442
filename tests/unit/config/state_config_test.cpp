// The sections about shared state and operations: redis, rate_limits,
// revocation, admin and server.trusted_proxies. Every mistake is reported
// with its key, before anything connects.
#include "config/config.h"
#include "config/state_sections.h"
#include "parse_helpers.h"

#include <gtest/gtest.h>

namespace mcpgw::config {
namespace {

constexpr char kBase[] = "plugins:\n  - name: memory\n    file: memory.so\n"
                         "routes:\n  - name: memory\n    path: /mcp/memory\n    plugin: memory\n";
constexpr char kAuth[] = "auth:\n  issuers:\n    - issuer: https://idp.test\n      jwks_file: jwks.json\n";
constexpr char kScopes[] = "    scopes:\n      list: []\n";

LoadResult Load(const std::string& yaml) { return Parse(std::string(kBase) + yaml, "/base"); }
Config Ok(const std::string& yaml) { return testing::ParseOk(std::string(kBase) + yaml); }
std::vector<std::string> Errors(const std::string& yaml) { return testing::Errors(std::string(kBase) + yaml); }
using testing::HasError;

TEST(RedisConfig, ReadsUrlCredentialSourceTimeoutsAndResolvesFiles) {
  const Config c = Ok("redis:\n  url: rediss://redis.internal:6380/2\n  username: gw\n  password_file: secret/redis\n"
                      "  tls:\n    ca_file: ca.pem\n  command_timeout_ms: 50\n");
  EXPECT_TRUE(c.redis.configured);
  EXPECT_EQ(c.redis.url, "rediss://redis.internal:6380/2");
  EXPECT_EQ(c.redis.password_file, "/base/secret/redis");
  EXPECT_EQ(c.redis.tls.ca_file, "/base/ca.pem");
  EXPECT_EQ(c.redis.command_timeout_ms, 50u);
  EXPECT_EQ(c.redis.key_prefix, "mcpgw:");
  EXPECT_FALSE(Ok("").redis.configured);
}

TEST(RedisConfig, AcceptsTheThreeUrlForms) {
  for (const std::string url : {"redis://127.0.0.1:6379/0", "redis://localhost", "redis://[::1]:6379",
                                "rediss://r.example:6380", "unix:///run/redis/redis.sock", "unix:///tmp/r.sock?db=3",
                                "redis://r.example:6379/"}) {
    EXPECT_EQ(Ok("redis:\n  url: \"" + url + "\"\n").redis.url, url);
  }
}

TEST(RedisConfig, RefusesUrlsWithCredentialsOrThatItCannotUse) {
  const std::pair<const char*, const char*> cases[] = {
      {"redis://user:pw@host:6379", "must not hold credentials"},
      {"http://host:6379", "must start with redis://"},
      {"redis://host:0", "port that is not a number from 1 to 65535"},
      {"redis://host:99999", "port that is not a number from 1 to 65535"},
      {"redis://host:6379/16", "database number"},
      {"redis://:6379", "names no host"},
      {"unix://relative.sock", "absolute socket path"},
      {"unix:///tmp/r.sock?timeout=3", "db=<0..15>"},
  };
  // Past sockaddr_un's 108 bytes: refused here, not thrown at connect time.
  const std::string long_path = "unix:///tmp/" + std::string(110, 'a') + "/redis.sock";
  EXPECT_TRUE(HasError(Errors("redis:\n  url: \"" + long_path + "\"\n"),
                       "redis.url: the socket path is 126 bytes long; a unix socket path holds at most 107"));
  for (const auto& [url, message] : cases) {
    const std::vector<std::string> errors = Errors("redis:\n  url: \"" + std::string(url) + "\"\n");
    ASSERT_EQ(errors.size(), 1u) << url;
    EXPECT_EQ(errors[0].rfind("redis.url: ", 0), 0u) << errors[0];
    EXPECT_NE(errors[0].find(message), std::string::npos) << url << ": " << errors[0];
  }
  EXPECT_TRUE(HasError(Errors("redis:\n  url: redis://u:p@h\n"), "redis.url: must not hold credentials"));
  EXPECT_TRUE(HasError(Errors("redis:\n  password_env: X\n"), "redis.url: is required"));
}

TEST(RedisConfig, RefusesContradictoryCredentialsAndTls) {
  EXPECT_TRUE(HasError(Errors("redis:\n  url: redis://h\n  password_file: a\n  password_env: B\n"),
                       "give password_file or password_env, not both"));
  EXPECT_TRUE(HasError(Errors("redis:\n  url: redis://h\n  username: gw\n"), "redis.username: needs password_file"));
  EXPECT_TRUE(HasError(Errors("redis:\n  url: redis://h\n  tls:\n    ca_file: ca.pem\n"),
                       "redis.tls: applies to rediss:// URLs only"));
  EXPECT_TRUE(HasError(Errors("redis:\n  url: rediss://h\n  tls:\n    cert_file: c.pem\n"),
                       "cert_file and key_file go together"));
  EXPECT_TRUE(HasError(Errors("redis:\n  url: redis://h\n  reconnect_min_ms: 500\n  reconnect_max_ms: 100\n"),
                       "reconnect_max_ms: must not be below"));
  EXPECT_TRUE(HasError(Errors("redis:\n  url: redis://h\n  key_prefix: \"a b\"\n"), "redis.key_prefix"));
  for (const char* glob : {"a*", "a?", "a[b]", "a\\\\b", "", "a\\tb", "caf\\u00e9"}) {
    EXPECT_TRUE(HasError(Errors(std::string("redis:\n  url: redis://h\n  key_prefix: \"") + glob + "\"\n"), "redis.key_prefix"))
        << glob << ": would widen the ACL's key pattern";
  }
  EXPECT_TRUE(HasError(Errors("redis:\n  url: redis://h\n  pasword_file: x\n"), "pasword_file"));
}

TEST(RateLimitConfig, ReadsPoliciesWithDimensionsMatchAndFailMode) {
  const Config c = Ok("rate_limits:\n  near_limit_percent: 90\n  policies:\n"
                      "    - name: per-subject\n      by: [subject, route]\n      limit: 100\n      window_s: 60\n"
                      "    - name: writes\n      by: [tenant, tool]\n      limit: 5\n      window_s: 1\n"
                      "      match: {route: memory, tool: \"create_*\"}\n      on_redis_down: closed\n");
  ASSERT_EQ(c.rate_limits.policies.size(), 2u);
  EXPECT_EQ(c.rate_limits.near_limit_percent, 90u);
  EXPECT_FALSE(c.rate_limits.headers_always) << "RateLimit headers on 429 only by default";
  const LimitPolicy& p = c.rate_limits.policies[0];
  EXPECT_EQ(p.by, (std::vector<LimitDimension>{LimitDimension::kSubject, LimitDimension::kRoute}));
  EXPECT_EQ(p.limit, 100u);
  EXPECT_EQ(p.on_redis_down, FailMode::kOpen) << "limits fail open (to the local limiter) by default";
  const LimitPolicy& w = c.rate_limits.policies[1];
  EXPECT_EQ(w.match.route, "memory");
  EXPECT_EQ(w.match.tool, "create_*");
  EXPECT_EQ(w.on_redis_down, FailMode::kClosed);
}

TEST(RateLimitConfig, SendsTheHeadersOnEveryAnswerOnlyWhenAskedTo) {
  const std::string policy = "  policies:\n    - name: p\n      by: [subject]\n      limit: 1\n      window_s: 1\n";
  EXPECT_TRUE(Ok("rate_limits:\n  headers: always\n" + policy).rate_limits.headers_always);
  EXPECT_FALSE(Ok("rate_limits:\n  headers: refusals\n" + policy).rate_limits.headers_always);
  EXPECT_TRUE(HasError(Errors("rate_limits:\n  headers: yes\n" + policy),
                       "rate_limits.headers: must be \"refusals\" (on 429 only, the default) or \"always\""));
}

TEST(RateLimitConfig, RefusesPoliciesItCannotApply) {
  const auto errors = Errors(
      "rate_limits:\n  policies:\n"
      "    - name: a\n      by: [subject, subject, planet]\n      limit: 0\n      on_redis_down: maybe\n"
      "    - name: a\n      limit: 1\n      match: {route: nowhere, tool: x, method: tools/list}\n"
      "    - by: [subject]\n");
  EXPECT_TRUE(HasError(errors, "rate_limits.policies[0].by: names \"subject\" twice"));
  EXPECT_TRUE(HasError(errors, "\"planet\" is not one of subject, client, tenant, route, tool, source"));
  EXPECT_TRUE(HasError(errors, "rate_limits.policies[0].limit"));
  EXPECT_TRUE(HasError(errors, "rate_limits.policies[0].on_redis_down: must be open or closed"));
  EXPECT_TRUE(HasError(errors, "rate_limits.policies[1].name: \"a\" is used by another policy"));
  EXPECT_TRUE(HasError(errors, "rate_limits.policies[1].match: a tool match applies to tools/call only"));
  EXPECT_TRUE(HasError(errors, "rate_limits.policies[2].name: is required"));
  EXPECT_TRUE(HasError(errors, "rate_limits.policies[2].limit: is required"));
  // Cross-checked once the sections themselves are well-formed.
  EXPECT_TRUE(HasError(Errors("rate_limits:\n  policies:\n    - name: a\n      limit: 1\n      match: {route: nowhere}\n"),
                       "rate_limits.policies[0].match.route: no route is named \"nowhere\""));
}

TEST(RevocationConfig, DefaultsToFailClosedAndAFileInTheDataDir) {
  const Config c = Ok("server:\n  data_dir: state\n");
  EXPECT_EQ(c.revocation.on_redis_down, FailMode::kClosed);
  EXPECT_EQ(c.revocation.file, "/base/state/revocations.json");
  const Config d = Ok("revocation:\n  on_redis_down: open\n  resync_s: 5\n  max_staleness_s: 20\n  file: r.json\n");
  EXPECT_EQ(d.revocation.on_redis_down, FailMode::kOpen);
  EXPECT_EQ(d.revocation.resync_s, 5u);
  EXPECT_EQ(d.revocation.file, "/base/r.json");
  EXPECT_TRUE(HasError(Errors("revocation:\n  resync_s: 0\n"), "revocation.resync_s"));
}

TEST(AdminConfig, IsOnWithAnAdminSectionAndNeedsAuthentication) {
  EXPECT_FALSE(Ok("").admin.enabled);
  EXPECT_TRUE(HasError(Errors("admin:\n  listen: 127.0.0.1:9465\n"), "admin: the admin API needs an auth: section"));
  auto result = Parse(std::string(kAuth) + kBase + kScopes + "admin:\n  listen: 127.0.0.1:9999\n  scope: ops:admin\n", "/b");
  ASSERT_TRUE(std::holds_alternative<Config>(result)) << std::get<std::vector<std::string>>(result).front();
  const Admin& a = std::get<Config>(result).admin;
  EXPECT_TRUE(a.enabled);
  EXPECT_EQ(a.listen.port, 9999);
  EXPECT_EQ(a.audience, "urn:mcp-gateway:admin");
  EXPECT_EQ(a.scope, "ops:admin");
  EXPECT_TRUE(std::holds_alternative<Config>(Load("admin:\n  enabled: false\n")));
}

TEST(AdminConfig, StaysOnLoopbackWithoutTlsAndOffTheOtherListeners) {
  const std::string base = std::string(kAuth) + kBase + kScopes;
  auto errors = [&](const std::string& admin) {
    auto result = Parse(base + admin, "/b");
    return std::holds_alternative<Config>(result) ? std::vector<std::string>{} : std::get<std::vector<std::string>>(result);
  };
  EXPECT_TRUE(HasError(errors("admin:\n  listen: 0.0.0.0:9465\n"), "admin.listen: must be a loopback address"));
  // Port 0 (any free port) is no exception: serve would refuse it.
  EXPECT_TRUE(HasError(errors("admin:\n  listen: 0.0.0.0:0\n"), "admin.listen: must be a loopback address"));
  EXPECT_TRUE(HasError(errors("admin:\n  listen: 127.0.0.1:9464\n"), "admin.listen: must differ"));
  EXPECT_TRUE(HasError(errors("admin:\n  scope: \"a b\"\n"), "admin.scope: must be one scope token"));
  EXPECT_TRUE(HasError(errors("admin:\n  listen: nowhere\n"), "admin.listen: must look like"));
}

TEST(TrustedProxiesConfig, TakesAddressesAndRangesOnly) {
  const Config c = Ok("server:\n  trusted_proxies: [10.0.0.0/8, 192.0.2.7, \"fd00::/8\"]\n");
  EXPECT_EQ(c.server.trusted_proxies.size(), 3u);
  const auto errors = Errors("server:\n  trusted_proxies: [10.0.0.1/8, proxy.internal, 10.0.0.0/33]\n");
  EXPECT_TRUE(HasError(errors, "server.trusted_proxies[0]"));
  EXPECT_TRUE(HasError(errors, "server.trusted_proxies[1]: \"proxy.internal\" is not an address"));
  EXPECT_TRUE(HasError(errors, "server.trusted_proxies[2]"));
}

TEST(EmbeddedDefault, ServesTheAdminApiAndLimitsWithoutRedis) {
  auto result = Parse(EmbeddedDefaultYaml(), "/b");
  ASSERT_TRUE(std::holds_alternative<Config>(result)) << std::get<std::vector<std::string>>(result).front();
  const Config& c = std::get<Config>(result);
  EXPECT_FALSE(c.redis.configured);
  EXPECT_TRUE(c.admin.enabled);
  EXPECT_TRUE(c.admin.listen.IsLoopback());
  EXPECT_FALSE(c.rate_limits.policies.empty());
}

}  // namespace
}  // namespace mcpgw::config
