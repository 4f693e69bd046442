#include "app/admin_cli.h"

#include "auth/dev_token.h"
#include "auth/jws.h"
#include "config/config.h"
#include "crypto/base64.h"
#include "crypto/hmac.h"
#include "net/http_client.h"
#include "os/file.h"

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace mcpgw::app {

namespace {

using json = nlohmann::json;
namespace bhttp = boost::beast::http;

constexpr char kDefaultUrl[] = "http://127.0.0.1:9465";
constexpr char kTokenVariable[] = "MCP_GATEWAY_ADMIN_TOKEN";
constexpr char kApiKeyVariable[] = "MCP_GATEWAY_ADMIN_API_KEY";
constexpr auto kDevTokenLifetime = std::chrono::minutes(5);

// The credential the CLI sends, and how messages name it (never its value).
struct Credential {
  std::string authorization;  // "Bearer ..." or empty
  std::string api_key;        // or this
  std::string origin;         // e.g. "the token in /path/file"
};

// One failure: a message for stderr and the exit code.
struct Failure {
  std::string message;
  int code = 1;
};

std::string Trim(std::string s) {
  const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
  return s;
}

// A credential is one word of printable text: anything else would go out as
// a broken header (or as a header of its own). `where` names its source.
std::optional<Failure> OneWord(const std::string& text, const std::string& where, const char* what) {
  if (std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x21 || c == 0x7f; })) {
    return Failure{where + " must hold " + what + " alone, on one line (it has spaces or control characters)", 2};
  }
  return std::nullopt;
}

// Reads a credential from `path` ("-": standard input), trimmed: not empty,
// one word.
std::optional<Failure> ReadOneWord(const std::string& path, const std::string& where, const char* what,
                                   std::string* out) {
  if (path == "-") {
    out->assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::string error;
    auto text = os::ReadFile(path, &error);
    if (!text) return Failure{"cannot read " + where + ": " + error, 2};
    *out = std::move(*text);
  }
  *out = Trim(std::move(*out));
  if (out->empty()) return Failure{where + " is empty: it should hold " + what, 2};
  return OneWord(*out, where, what);
}

std::string UnixTime(int64_t seconds) {
  if (seconds == 0) return "-";
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  std::ostringstream out;
  out << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  return out.str();
}

// Left-aligned columns, two spaces apart.
void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
}

std::string Str(const json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// A member of an object, or `otherwise` when it is missing or j is no object.
json Member(const json& j, const char* name, json otherwise) {
  if (!j.is_object()) return otherwise;
  const auto it = j.find(name);
  return it == j.end() ? otherwise : *it;
}

int64_t Int(const json& j, const char* name) {
  const auto it = j.find(name);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

// The gateway's answer to one admin request.
struct Answer {
  unsigned status = 0;
  json body;  // null for an empty body
};

}  // namespace

// What --leaked-token-file names: claims read from a token, unverified.
struct LeakedToken {
  std::string where;  // "standard input" or the file
  std::string jti, subject, client, issuer;
  std::optional<int64_t> exp;
};

// Text from an unverified token, safe to print: control characters (a
// terminal escape, say) become '?'.
std::string Printable(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text;
}

struct AdminCli::State {
  CLI::App* admin = nullptr;
  CLI::App *revoke = nullptr, *revocations = nullptr, *withdraw = nullptr, *limits = nullptr, *plugins = nullptr,
           *routes = nullptr, *reload = nullptr, *key_hash = nullptr;

  // Options shared by every admin command.
  std::string url, config_path, token_file, api_key_file, ca_file;
  bool dev = false, as_json = false;
  uint32_t timeout_s = 10;

  // revoke / withdraw
  std::string jti, subject, client, reason, leaked_token_file;
  std::optional<int64_t> until, before;
  // limits
  std::string policy;
  std::map<std::string, std::string> dims;
  std::string dim_subject, dim_client, dim_tenant, dim_route, dim_tool, dim_source;
  CLI::Option *opt_subject = nullptr, *opt_client = nullptr, *opt_tenant = nullptr, *opt_route = nullptr,
              *opt_tool = nullptr, *opt_source = nullptr;

  std::optional<config::Config> config;  // loaded for --config or --dev
  Credential credential;

  // --- the pieces of Run ---
  std::optional<Failure> LoadConfig();
  std::optional<Failure> FindCredential();
  std::string BaseUrl() const;
  std::variant<Answer, Failure> Call(bhttp::verb method, const std::string& path, const std::string& body,
                                     const std::string& what);
  int Report(const Failure& f) const {
    std::cerr << "mcp-gateway: " << f.message << "\n";
    return f.code;
  }
  // "jti" and the value, from the --jti/--subject/--client option given.
  std::optional<std::pair<std::string, std::string>> KindAndValue() const;
  // --leaked-token-file: the token's claims, or why they cannot be read.
  std::variant<LeakedToken, Failure> ReadLeakedToken() const;
  int RunRevoke();
  int RunRevocations();
  int RunWithdraw();
  int RunLimits();
  int RunPlugins();
  int RunRoutes();
  int RunReload();
  int RunKeyHash();
};

AdminCli::AdminCli(CLI::App& app, CLI::App& api_key) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.admin = app.add_subcommand("admin", "Operate a running gateway through its admin API (admin: section)");
  s.admin->require_subcommand(1);
  // Shared options may follow the command: `admin revoke --jti X --url U`.
  s.admin->fallthrough();
  s.admin->footer(
      "Credential (first found): --token-file, --api-key-file, --dev, $MCP_GATEWAY_ADMIN_TOKEN, "
      "$MCP_GATEWAY_ADMIN_API_KEY.\nA token needs aud = admin.audience and the scope admin.scope; an API key needs "
      "admin.audience among its audiences and admin.scope among its scopes.");
  s.admin->add_option("--url", s.url, "The admin API, e.g. http://127.0.0.1:9465 (default: admin.listen of --config, "
                                      "else http://127.0.0.1:9465)");
  s.admin->add_option("-c,--config", s.config_path, "The gateway's YAML configuration (for the URL and --dev)")
      ->check(CLI::ExistingFile);
  s.admin->add_option("--token-file", s.token_file, "A file holding a bearer token for the admin audience")
      ->check(CLI::ExistingFile);
  s.admin->add_option("--api-key-file", s.api_key_file, "A file holding an API key allowed on the admin audience")
      ->check(CLI::ExistingFile);
  s.admin->add_flag("--dev", s.dev,
                    "Mint a 5-minute admin token with the local development key (configurations that trust it, "
                    "such as the embedded default)");
  s.admin->add_option("--ca-file", s.ca_file, "PEM CAs to trust for an https admin URL (default: the system store)")
      ->check(CLI::ExistingFile);
  s.admin->add_option("--timeout", s.timeout_s, "Seconds to wait for the answer")->check(CLI::Range(1, 600));

  s.revoke = s.admin->add_subcommand("revoke", "Revoke a token (by jti), or every token of a subject or client");
  auto* jti = s.revoke->add_option("--jti", s.jti, "The token id (jti) to revoke");
  auto* sub = s.revoke->add_option("--subject", s.subject, "Revoke every token of this subject issued before --before");
  auto* cli = s.revoke->add_option("--client", s.client, "Revoke every token of this client issued before --before");
  auto* leaked = s.revoke->add_option(
      "--leaked-token-file", s.leaked_token_file,
      "Revoke the token in this file (- for standard input) by its jti until its exp. The CLI reads the two claims "
      "without verifying the token and sends only them: the token itself never leaves this machine");
  jti->excludes(sub)->excludes(cli)->excludes(leaked);
  sub->excludes(cli)->excludes(leaked);
  cli->excludes(leaked);
  s.revoke->add_option("--until", s.until, "With --jti: keep the entry until this Unix time (the token's exp; "
                                           "default now + auth.max_token_lifetime_s)")
      ->needs(jti);
  s.revoke->add_option("--before", s.before, "With --subject/--client: tokens issued before this Unix time "
                                             "(default now)")
      ->excludes(jti)
      ->excludes(leaked);
  s.revoke->add_option("--reason", s.reason, "Why (kept with the entry and audited)");
  s.revoke->add_flag("--json", s.as_json, "Print the entry as JSON");

  s.revocations = s.admin->add_subcommand("revocations", "List the revocations");
  s.revocations->add_flag("--json", s.as_json, "Print the answer as JSON");

  s.withdraw = s.admin->add_subcommand("withdraw", "Withdraw a revocation");
  auto* wjti = s.withdraw->add_option("--jti", s.jti, "The revoked token id");
  auto* wsub = s.withdraw->add_option("--subject", s.subject, "The revoked subject");
  auto* wcli = s.withdraw->add_option("--client", s.client, "The revoked client");
  wjti->excludes(wsub)->excludes(wcli);
  wsub->excludes(wcli);

  s.limits = s.admin->add_subcommand("limits", "Show a rate-limit policy's state for one key (charges nothing)");
  s.limits->add_option("--policy", s.policy, "The policy name (rate_limits.policies[].name)")->required();
  s.opt_subject = s.limits->add_option("--subject", s.dim_subject, "The key's subject");
  s.opt_client = s.limits->add_option("--client", s.dim_client, "The key's client id");
  s.opt_tenant = s.limits->add_option("--tenant", s.dim_tenant, "The key's tenant");
  s.opt_route = s.limits->add_option("--route", s.dim_route, "The key's route name");
  s.opt_tool = s.limits->add_option("--tool", s.dim_tool, "The key's tool name");
  s.opt_source = s.limits->add_option("--source", s.dim_source, "The key's source address");
  s.limits->add_flag("--json", s.as_json, "Print the answer as JSON");

  s.plugins = s.admin->add_subcommand("plugins", "List the plugin instances and their health");
  s.plugins->add_flag("--json", s.as_json, "Print the answer as JSON");
  s.routes = s.admin->add_subcommand("routes", "List the routes and their health");
  s.routes->add_flag("--json", s.as_json, "Print the answer as JSON");
  s.reload = s.admin->add_subcommand("reload", "Reload what SIGHUP reloads (the config file's routes, limits and API keys, token keys, TLS files)");
  s.reload->add_flag("--json", s.as_json, "Print the answer as JSON");

  s.key_hash = api_key.add_subcommand(
      "hash", "Read an API key on stdin and print the sha256 line of its configuration entry");
}

AdminCli::~AdminCli() = default;

bool AdminCli::parsed() const { return state_->admin->parsed() || state_->key_hash->parsed(); }

int AdminCli::Run() {
  State& s = *state_;
  if (s.key_hash->parsed()) return s.RunKeyHash();
  if (auto f = s.LoadConfig()) return s.Report(*f);
  if (auto f = s.FindCredential()) return s.Report(*f);
  if (s.revoke->parsed()) return s.RunRevoke();
  if (s.revocations->parsed()) return s.RunRevocations();
  if (s.withdraw->parsed()) return s.RunWithdraw();
  if (s.limits->parsed()) return s.RunLimits();
  if (s.plugins->parsed()) return s.RunPlugins();
  if (s.routes->parsed()) return s.RunRoutes();
  return s.RunReload();
}

std::optional<Failure> AdminCli::State::LoadConfig() {
  if (config_path.empty() && !dev) return std::nullopt;
  auto loaded = config_path.empty()
                    ? config::Parse(config::EmbeddedDefaultYaml(), std::filesystem::current_path().string())
                    : config::LoadFile(config_path);
  if (auto* errors = std::get_if<std::vector<std::string>>(&loaded)) {
    std::string text = "the configuration " + (config_path.empty() ? std::string("(embedded default)") : config_path) +
                       " is invalid: " + errors->front();
    if (errors->size() > 1) text += " (and " + std::to_string(errors->size() - 1) + " more; see check-config)";
    return Failure{text, 2};
  }
  config = std::get<config::Config>(std::move(loaded));
  return std::nullopt;
}

std::optional<Failure> AdminCli::State::FindCredential() {
  const int given = !token_file.empty() + !api_key_file.empty() + dev;
  if (given > 1) return Failure{"pass one of --token-file, --api-key-file and --dev", 2};
  if (!token_file.empty()) {
    std::string token;
    if (auto f = ReadOneWord(token_file, token_file, "the credential", &token)) return f;
    credential = {"Bearer " + token, "", "the token in " + token_file};
  } else if (!api_key_file.empty()) {
    std::string key;
    if (auto f = ReadOneWord(api_key_file, api_key_file, "the credential", &key)) return f;
    credential = {"", key, "the API key in " + api_key_file};
  } else if (dev) {
    const bool trusts = std::any_of(config->auth.issuers.begin(), config->auth.issuers.end(),
                                    [](const config::Issuer& i) { return i.issuer == auth::kDevIssuer; });
    if (!trusts || !config->admin.enabled) {
      return Failure{"--dev needs a configuration whose auth: trusts the development issuer " +
                         std::string(auth::kDevIssuer) + " and whose admin: section is on (the embedded default does)",
                     2};
    }
    auth::TokenRequest request;
    request.audience = config->admin.audience;
    request.subject = std::getenv("USER") != nullptr ? std::getenv("USER") : "local-operator";
    request.scopes = {config->admin.scope};
    request.lifetime = kDevTokenLifetime;
    const auth::Minted minted = auth::MintDevToken(config->server.data_dir, request);
    if (minted.token.empty()) return Failure{"cannot mint a development token: " + minted.error, 1};
    credential = {"Bearer " + minted.token, "", "the development token (--dev)"};
  } else if (const char* token = std::getenv(kTokenVariable); token != nullptr && *token != '\0') {
    if (auto f = OneWord(Trim(token), std::string("$") + kTokenVariable, "the credential")) return f;
    credential = {"Bearer " + Trim(token), "", std::string("the token in $") + kTokenVariable};
  } else if (const char* key = std::getenv(kApiKeyVariable); key != nullptr && *key != '\0') {
    if (auto f = OneWord(Trim(key), std::string("$") + kApiKeyVariable, "the credential")) return f;
    credential = {"", Trim(key), std::string("the API key in $") + kApiKeyVariable};
  } else {
    return Failure{std::string("no admin credential: pass --token-file FILE, --api-key-file FILE or --dev, or set ") +
                       kTokenVariable + " or " + kApiKeyVariable,
                   2};
  }
  return std::nullopt;
}

std::string AdminCli::State::BaseUrl() const {
  std::string base = url;
  if (base.empty() && config) {
    const config::Endpoint& l = config->admin.listen;
    config::Endpoint to = l;
    if (to.host == "0.0.0.0") to.host = "127.0.0.1";
    if (to.host == "::") to.host = "::1";
    base = (l.IsLoopback() ? "http://" : "https://") + to.ToString();
  }
  if (base.empty()) base = kDefaultUrl;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

std::variant<Answer, Failure> AdminCli::State::Call(bhttp::verb method, const std::string& path,
                                                    const std::string& body, const std::string& what) {
  const std::string base = BaseUrl();
  auto parsed = net::ParseUrl(base + path);
  if (auto* why = std::get_if<std::string>(&parsed)) return Failure{"--url " + base + ": " + *why, 2};
  boost::asio::io_context io;
  net::HttpClientOptions options;
  options.timeout = std::chrono::seconds(timeout_s);
  options.ca_file = ca_file;
  options.max_body_bytes = 16 << 20;
  auto http = net::HttpClient::Create(io.get_executor(), options);
  if (auto* why = std::get_if<std::string>(&http)) return Failure{*why, 2};
  net::HttpRequest request;
  request.method = method;
  request.url = std::get<net::Url>(std::move(parsed));
  request.authorization = credential.authorization;
  if (!credential.api_key.empty()) request.headers.emplace_back("X-API-Key", credential.api_key);
  if (!body.empty()) {
    request.content_type = "application/json";
    request.body = body;
  }
  std::optional<net::HttpOutcome> outcome;
  std::get<net::HttpClient>(http).Send(std::move(request), [&](net::HttpOutcome o) { outcome = std::move(o); });
  io.run();
  if (!outcome) return Failure{"no answer from the admin API at " + base};
  if (auto* why = std::get_if<std::string>(&*outcome)) {
    return Failure{"cannot reach the admin API at " + base + " (" + *why +
                   "); is the gateway running with its admin listener on (the admin: section, admin.listen)?"};
  }
  const auto& response = std::get<net::HttpResponse>(*outcome);
  Answer answer{response.status, nullptr};
  if (!response.body.empty()) {
    answer.body = json::parse(response.body, nullptr, false);
    if (answer.body.is_discarded()) {
      return Failure{"the answer from " + base + " (HTTP " + std::to_string(response.status) +
                     ") is not JSON: is --url the gateway's admin listener?"};
    }
  }
  if (answer.status < 400) return answer;
  const std::string message = answer.body.is_object() ? Str(answer.body, "message") : "";
  if (answer.status == 401 || answer.status == 403) {
    // The gateway's message says what is missing: the audience, the scope.
    return Failure{"the admin API at " + base + " refused " + credential.origin + ": " + message};
  }
  std::string details = message.empty() ? std::string("no details") : message;
  if (answer.body.is_object() && answer.body.contains("steps")) {
    for (const json& step : answer.body["steps"]) {
      if (!step.value("ok", true)) details += "; " + Str(step, "what") + ": " + Str(step, "error");
    }
  }
  return Failure{what + " failed (HTTP " + std::to_string(answer.status) + "): " + details};
}

namespace {

// Percent-encodes a path segment (RFC 3986 unreserved characters stay).
std::string PathSegment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Describe(const json& entry) {
  const std::string kind = Str(entry, "kind");
  std::string text = kind + " " + Str(entry, "value");
  if (kind == "jti") {
    text += " until " + UnixTime(Int(entry, "until"));
  } else {
    text += " (tokens issued before " + UnixTime(Int(entry, "before")) + ")";
  }
  return text;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> AdminCli::State::KindAndValue() const {
  if (!jti.empty()) return std::make_pair(std::string("jti"), jti);
  if (!subject.empty()) return std::make_pair(std::string("subject"), subject);
  if (!client.empty()) return std::make_pair(std::string("client"), client);
  return std::nullopt;
}

// The claims of a JWS compact token, read without verifying it: it only
// names what to revoke, and a forged one could at most revoke an id.
std::variant<LeakedToken, Failure> AdminCli::State::ReadLeakedToken() const {
  LeakedToken token;
  token.where = leaked_token_file == "-" ? std::string("standard input") : leaked_token_file;
  const std::string& where = token.where;
  std::string text;
  if (auto f = ReadOneWord(leaked_token_file, where, "the token", &text)) return *f;
  const std::string instead = "; revoke every token of its subject or client instead (--subject, --client)";
  if (std::count(text.begin(), text.end(), '.') == 4) {
    return Failure{where + " holds an encrypted token (JWE): its jti cannot be read" + instead, 2};
  }
  const auto segments = auth::SplitCompact(text);
  if (!segments) {
    return Failure{where + " does not hold a JWT (three base64url parts separated by dots), so it has no jti to "
                           "revoke" + instead,
                   2};
  }
  const auto payload = crypto::Base64UrlDecode((*segments)[1]);
  const json claims = payload ? json::parse(*payload, nullptr, false) : json();
  if (!claims.is_object()) {
    return Failure{"the token in " + where + " has no readable claims (its payload is not base64url JSON)", 2};
  }
  const auto claim = [&claims](const char* name) {
    const auto it = claims.find(name);
    return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  token.jti = claim("jti");
  token.subject = claim("sub");
  token.client = claim("client_id").empty() ? claim("azp") : claim("client_id");
  token.issuer = claim("iss");
  if (token.jti.empty()) {
    std::string hint;
    if (!token.subject.empty()) hint += " --subject '" + Printable(token.subject) + "'";
    if (!token.client.empty()) hint += std::string(hint.empty() ? "" : " or") + " --client '" + Printable(token.client) + "'";
    return Failure{"the token in " + where + " has no jti, so it cannot be revoked alone; revoke every token of its "
                       "subject or client instead" + (hint.empty() ? std::string() : ":" + hint),
                   2};
  }
  if (const auto exp = claims.find("exp"); exp != claims.end() && exp->is_number()) {
    // A NumericDate may have a fraction; one far out of range reaches the
    // gateway, whose answer names the range.
    token.exp = static_cast<int64_t>(std::ceil(std::clamp(exp->get<double>(), -1e15, 1e15)));
  }
  return token;
}

int AdminCli::State::RunRevoke() {
  std::string leaked;
  if (!leaked_token_file.empty()) {
    auto read = ReadLeakedToken();
    if (auto* f = std::get_if<Failure>(&read)) return Report(*f);
    const LeakedToken& token = std::get<LeakedToken>(read);
    const int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    // Allowance for this machine's clock being ahead of a gateway's.
    constexpr int64_t kClockMarginS = 60;
    if (token.exp && *token.exp <= now - int64_t{config::kMaxClockSkewS} - kClockMarginS) {
      // No gateway accepts it (auth.clock_skew_s is at most 600 s): nothing to do.
      if (as_json) {
        std::cout << json{{"revoked", false}, {"jti", token.jti}, {"exp", *token.exp}, {"why", "expired"}}.dump(
                         2, ' ', false, json::error_handler_t::replace)
                  << "\n";
      } else {
        std::cout << "the token in " << token.where << " (jti " << Printable(token.jti) << ") expired at "
                  << (*token.exp <= 0 ? "Unix time " + std::to_string(*token.exp) : UnixTime(*token.exp))
                  << ", longer ago than any gateway's clock skew allows: every gateway refuses it already, so "
                     "nothing was revoked\n";
      }
      return 0;
    }
    jti = token.jti;
    // Until its exp. One that expires within a minute, or has expired, is
    // still accepted for up to the clock skew, and the gateway's clock may be
    // ahead of this one's: that entry is kept for the largest skew from now.
    if (token.exp) until = *token.exp > now + kClockMarginS ? *token.exp : now + config::kMaxClockSkewS;
    leaked = "the token of subject " + (token.subject.empty() ? std::string("(none)") : Printable(token.subject));
    if (!token.issuer.empty()) leaked += " from " + Printable(token.issuer);
  }
  const auto kv = KindAndValue();
  if (!kv) return Report({"admin revoke: pass --jti ID, --subject S, --client C or --leaked-token-file FILE", 2});
  json body = {{"kind", kv->first}, {"value", kv->second}};
  if (until) body["until"] = *until;
  if (before) body["before"] = *before;
  if (!reason.empty()) body["reason"] = reason;
  std::string text;
  try {
    text = body.dump();
  } catch (const json::type_error&) {  // the only one dump throws: a string that is not UTF-8
    return Report({"admin revoke: the " + kv->first + " and the reason must be UTF-8 text", 2});
  }
  auto answer = Call(bhttp::verb::post, "/admin/v1/revocations", text, "revoke");
  if (auto* f = std::get_if<Failure>(&answer)) return Report(*f);
  const json& entry = std::get<Answer>(answer).body;
  if (as_json) {
    std::cout << entry.dump(2) << "\n";
  } else {
    std::cout << "revoked " << Describe(entry) << (leaked.empty() ? "" : " (" + leaked + ")") << "\n";
  }
  return 0;
}

int AdminCli::State::RunRevocations() {
  auto answer = Call(bhttp::verb::get, "/admin/v1/revocations", "", "listing revocations");
  if (auto* f = std::get_if<Failure>(&answer)) return Report(*f);
  const json& body = std::get<Answer>(answer).body;
  if (as_json) {
    std::cout << body.dump(2) << "\n";
    return 0;
  }
  if (Member(body, "fresh", true) == false) {
    const json error = Member(body, "sync_error", json());
    std::cerr << "mcp-gateway: warning: the gateway's list was last synced " << Int(body, "since_sync_s") << " s ago ("
              << (error.is_string() ? "last sync: " + Printable(error.get<std::string>()) : "Redis unreachable?")
              << ")\n";
  }
  const json entries = Member(body, "revocations", json::array());
  if (entries.empty()) {
    std::cout << "no revocations\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows{{"KIND", "VALUE", "UNTIL", "BEFORE", "CREATED", "BY", "REASON"}};
  for (const json& e : entries) {
    rows.push_back({Str(e, "kind"), Str(e, "value"), UnixTime(Int(e, "until")), UnixTime(Int(e, "before")),
                    UnixTime(Int(e, "created")), Str(e, "by"), Str(e, "reason")});
  }
  PrintTable(rows);
  return 0;
}

int AdminCli::State::RunWithdraw() {
  const auto kv = KindAndValue();
  if (!kv) return Report({"admin withdraw: pass --jti ID, --subject S or --client C", 2});
  auto answer = Call(bhttp::verb::delete_, "/admin/v1/revocations/" + kv->first + "/" + PathSegment(kv->second), "",
                     "withdraw");
  if (auto* f = std::get_if<Failure>(&answer)) return Report(*f);
  std::cout << "withdrew the revocation of " << kv->first << " " << kv->second << "\n";
  return 0;
}

int AdminCli::State::RunLimits() {
  std::string query;
  const auto add = [&query](const char* name, const CLI::Option* opt, const std::string& value) {
    if (opt->count() == 0) return;
    query += (query.empty() ? "?" : "&") + std::string(name) + "=" + PathSegment(value);
  };
  add("subject", opt_subject, dim_subject);
  add("client", opt_client, dim_client);
  add("tenant", opt_tenant, dim_tenant);
  add("route", opt_route, dim_route);
  add("tool", opt_tool, dim_tool);
  add("source", opt_source, dim_source);
  auto answer = Call(bhttp::verb::get, "/admin/v1/limits/" + PathSegment(policy) + query, "", "reading the limit");
  if (auto* f = std::get_if<Failure>(&answer)) return Report(*f);
  const json& s = std::get<Answer>(answer).body;
  if (as_json) {
    std::cout << s.dump(2) << "\n";
    return 0;
  }
  std::string key;
  const json key_values = Member(s, "key", json::object());
  for (const auto& [name, value] : key_values.items()) {
    key += (key.empty() ? "" : ", ") + name + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
  }
  std::cout << "policy " << Str(s, "policy") << (key.empty() ? "" : " [" + key + "]") << ": " << Int(s, "used")
            << " of " << Int(s, "limit") << " used in a " << Int(s, "window_s") << " s window, "
            << Int(s, "remaining") << " remaining, back to zero in " << Int(s, "reset_s") << " s";
  if (Int(s, "retry_after_s") > 0) std::cout << ", next request allowed in " << Int(s, "retry_after_s") << " s";
  std::cout << "\n";
  return 0;
}

int AdminCli::State::RunPlugins() {
  auto answer = Call(bhttp::verb::get, "/admin/v1/plugins", "", "listing plugins");
  if (auto* f = std::get_if<Failure>(&answer)) return Report(*f);
  const json& body = std::get<Answer>(answer).body;
  if (as_json) {
    std::cout << body.dump(2) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows{{"NAME", "VERSION", "FILE", "LOADED", "WORKERS", "QUEUED", "CAPACITY"}};
  const json plugins_json = Member(body, "plugins", json::array());
  for (const json& p : plugins_json) {
    rows.push_back({Str(p, "name"), Str(p, "version"), Str(p, "file"), p.value("loaded", false) ? "yes" : "no",
                    Str(p, "workers"), Str(p, "queue_depth"), Str(p, "queue_capacity")});
  }
  PrintTable(rows);
  return 0;
}

int AdminCli::State::RunRoutes() {
  auto answer = Call(bhttp::verb::get, "/admin/v1/routes", "", "listing routes");
  if (auto* f = std::get_if<Failure>(&answer)) return Report(*f);
  const json& body = std::get<Answer>(answer).body;
  if (as_json) {
    std::cout << body.dump(2) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows{{"NAME", "PATH", "RESOURCE", "PLUGIN", "HEALTHY", "TOOLS"}};
  const json routes_json = Member(body, "routes", json::array());
  for (const json& r : routes_json) {
    rows.push_back({Str(r, "name"), Str(r, "path"), Str(r, "resource"), Str(r, "plugin"),
                    r.value("plugin_loaded", false) ? "yes" : "no", Str(r, "tools")});
  }
  PrintTable(rows);
  return 0;
}

int AdminCli::State::RunReload() {
  auto answer = Call(bhttp::verb::post, "/admin/v1/reload", "", "reload");
  // A failed step comes back as HTTP 500 with the steps; show them.
  if (auto* f = std::get_if<Failure>(&answer)) return Report(*f);
  const json& body = std::get<Answer>(answer).body;
  if (as_json) {
    std::cout << body.dump(2) << "\n";
    return 0;
  }
  const json steps = Member(body, "steps", json::array());
  if (steps.empty()) std::cout << "nothing to reload\n";
  for (const json& step : steps) {
    const std::string changed = Str(step, "changed");
    std::cout << "reloaded " << Str(step, "what") << (changed.empty() ? "" : ": " + changed) << "\n";
  }
  return 0;
}

int AdminCli::State::RunKeyHash() {
  std::string key(std::istreambuf_iterator<char>(std::cin), {});
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  if (key.empty()) return Report({"api-key hash: no key on stdin (e.g. printf %s \"$KEY\" | mcp-gateway api-key hash)", 2});
  if (key.find('\n') != std::string::npos) return Report({"api-key hash: give one key on stdin (it spans several lines)", 2});
  std::cout << "sha256: " << crypto::HexEncode(crypto::Sha256(key)) << "\n";
  return 0;
}

}  // namespace mcpgw::app
