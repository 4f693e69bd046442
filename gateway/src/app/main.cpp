// mcp-gateway: the command line. Subcommands only parse arguments and call
// into the gateway library.
#include "app/admin_cli.h"
#include "app/allocator.h"
#include "app/gateway.h"
#include "auth/api_keys.h"
#include "auth/dev_token.h"
#include "auth/scope_policy.h"
#include "config/config.h"
#include "log/log.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace {

namespace fs = std::filesystem;
using mcpgw::config::Config;

std::string ExecutableDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

// The plugins next to the binary: <bin>/../plugins (build tree) or
// <bin>/../lib/mcp-gateway/plugins (installed).
std::string DefaultPluginDir() {
  const fs::path bin = ExecutableDir();
  for (const fs::path& candidate : {bin / ".." / "plugins", bin / ".." / "lib" / "mcp-gateway" / "plugins"}) {
    if (fs::is_directory(candidate)) return fs::weakly_canonical(candidate).string();
  }
  return (bin / ".." / "plugins").string();
}

bool LoadConfig(const std::string& path, Config* out) {
  auto loaded = path.empty() ? mcpgw::config::Parse(mcpgw::config::EmbeddedDefaultYaml(), fs::current_path().string())
                             : mcpgw::config::LoadFile(path);
  if (auto* errors = std::get_if<std::vector<std::string>>(&loaded)) {
    std::cerr << "mcp-gateway: the configuration is invalid:\n";
    for (const auto& e : *errors) std::cerr << "  - " << e << "\n";
    return false;
  }
  *out = std::get<Config>(std::move(loaded));
  return true;
}

bool TrustsDevKey(const Config& c) {
  return std::any_of(c.auth.issuers.begin(), c.auth.issuers.end(),
                     [](const auto& i) { return i.issuer == mcpgw::auth::kDevIssuer; });
}

// A development token for `route` when the configuration trusts the local
// development key, else "" (tokens then come from the operator's issuer).
std::string DevTokenFor(const Config& c, const mcpgw::config::Route& route) {
  if (!TrustsDevKey(c)) return "";
  mcpgw::auth::TokenRequest request;
  request.audience = route.resource;
  request.subject = std::getenv("USER") != nullptr ? std::getenv("USER") : "local-user";
  request.lifetime = std::chrono::hours(8);
  request.scopes = mcpgw::auth::ScopePolicy(route.scopes).supported();
  return mcpgw::auth::MintDevToken(c.server.data_dir, request).token;
}

void PrintConnectInfo(const Config& c, uint16_t port, const std::string& config_path) {
  std::cout << "\nMCP gateway " << mcpgw::app::kVersion << " is listening.\n\n";
  const std::string host = c.server.listen.ToString().substr(0, c.server.listen.ToString().rfind(':'));
  std::string token;  // the first route's, for the client snippet
  for (const auto& r : c.routes) {
    std::cout << "  route " << r.name << ": http://" << host << ":" << port << r.path << "\n";
    const std::string route_token = DevTokenFor(c, r);
    if (!route_token.empty()) std::cout << "    token (8h, development key): " << route_token << "\n";
    if (token.empty()) token = route_token;
  }
  const auto& first = c.routes.front();
  std::cout << "\nConnect an MCP client (Streamable HTTP), for example in VS Code's mcp.json:\n"
            << "  {\"servers\": {\"" << first.name << "\": {\"type\": \"http\", \"url\": \"http://" << host << ":"
            << port << first.path << "\""
            << (token.empty() ? "" : ", \"headers\": {\"Authorization\": \"Bearer " + token + "\"}") << "}}}\n"
            << "New tokens: " << ExecutableDir() << "/mcp-gateway token mint --route " << first.name
            << " --sub <you> --route-scopes --ttl 8h" << (config_path.empty() ? "" : " -c " + config_path) << "\n"
            << "\nOr run it over stdio, for example in Claude Desktop's claude_desktop_config.json:\n"
            << "  {\"mcpServers\": {\"" << first.name << "\": {\"command\": \"" << ExecutableDir()
            << "/mcp-gateway\", \"args\": [\"serve\", \"--stdio\", \"--route\", \"" << first.name << "\""
            << (config_path.empty() ? "" : ", \"--config\", \"" + fs::absolute(config_path).string() + "\"") << "]"
            << (token.empty() ? "" : ", \"env\": {\"" + std::string(mcpgw::app::kStdioTokenVariable) + "\": \"" + token + "\"}")
            << "}}}\n\n"
            << "Metrics: http://" << c.metrics.listen.ToString() << "/metrics   (Ctrl-C drains and stops)\n";
  if (c.admin.enabled) {
    std::cout << "Revoke a token everywhere: " << ExecutableDir() << "/mcp-gateway admin revoke --leaked-token-file <file>"
              << (TrustsDevKey(c) ? " --dev" : " --token-file <admin token>")
              << (config_path.empty() ? "" : " -c " + config_path) << "   (admin API: http://"
              << c.admin.listen.ToString() << "/admin/v1, see mcp-gateway admin --help)\n";
  }
  std::cout << "\n" << std::flush;
}

int PrintNewApiKey(const Config& c, const std::string& name, const std::vector<std::string>& routes,
                   const std::vector<std::string>& scopes) {
  if (!mcpgw::config::IsValidName(name)) {
    std::cerr << "mcp-gateway: --name must be 1-64 letters, digits, '-' or '_' (it becomes the key's subject)\n";
    return 2;
  }
  // Quoted as JSON strings, which YAML reads as they are.
  const auto quoted = [](const std::string& s) { return nlohmann::json(s).dump(); };
  std::string audiences;
  for (const std::string& route : routes) {
    const auto* r = c.FindRoute(route);
    if (r == nullptr) {
      std::cerr << "mcp-gateway: no route named \"" << route << "\"\n";
      return 2;
    }
    audiences += (audiences.empty() ? "" : ", ") + quoted(r->resource);
  }
  std::string scope_list;
  for (const std::string& s : scopes) {
    // RFC 6749 §3.3 scope-token: printable ASCII but space, '"' and '\\'.
    const bool token = !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
      return ch >= 0x21 && ch <= 0x7E && ch != '"' && ch != '\\';
    });
    if (!token) {
      std::cerr << "mcp-gateway: --scope \"" << s << "\" is not a scope (RFC 6749: printable ASCII without spaces, "
                << "'\"' or '\\')\n";
      return 2;
    }
    scope_list += (scope_list.empty() ? "" : ", ") + quoted(s);
  }
  const mcpgw::auth::NewApiKey key = mcpgw::auth::GenerateApiKey();
  std::cout << "API key (shown once; give it to the client as a secret, send it as X-API-Key):\n  " << key.key
            << "\n\nAdd this to the auth: section of the configuration (it holds only the key's SHA-256):\n"
            << "  api_keys:\n    - name: " << name << "\n      sha256: " << key.sha256 << "\n      audiences: ["
            << audiences << "]\n      scopes: [" << scope_list << "]\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"MCP gateway: one process that serves MCP backends (plugins) over Streamable HTTP and stdio"};
  app.require_subcommand(1);
  app.set_version_flag("--version", mcpgw::app::kVersion);

  std::string config_path, route;
  bool use_stdio = false;
  auto* serve = app.add_subcommand("serve", "Serve the configured routes (HTTP, or one route over stdio)");
  serve->add_option("-c,--config", config_path, "YAML configuration file (default: the embedded default)")
      ->check(CLI::ExistingFile);
  serve->add_flag("--stdio", use_stdio, "Serve one route on stdin/stdout instead of listening on the network");
  serve->add_option("--route", route, "With --stdio: the route to serve (default: the only route)");

  auto* check = app.add_subcommand("check-config", "Validate a configuration file and exit");
  check->add_option("-c,--config", config_path, "YAML configuration file (default: the embedded default)")
      ->check(CLI::ExistingFile);

  auto* show_default = app.add_subcommand("default-config", "Print the embedded default configuration");

  auto* dev_key = app.add_subcommand("dev-key", "Manage the local development signing key");
  dev_key->require_subcommand(1);
  auto* dev_key_init = dev_key->add_subcommand(
      "init", "Create an ES256 key pair under <data_dir>/dev-key/ (kept if it exists) for local development");
  dev_key_init->add_option("-c,--config", config_path, "YAML configuration file (default: the embedded default)")
      ->check(CLI::ExistingFile);

  auto* token = app.add_subcommand("token", "Development tokens");
  token->require_subcommand(1);
  auto* mint = token->add_subcommand("mint", "Print a short-lived token signed with the development key");
  mcpgw::auth::TokenRequest mint_request;
  std::string mint_route, mint_ttl = "60m";
  mint->add_option("-c,--config", config_path, "YAML configuration file (default: the embedded default)")
      ->check(CLI::ExistingFile);
  auto* mint_route_opt = mint->add_option("--route", mint_route, "The route the token is for (its resource URI is the audience)");
  mint->add_option("--aud", mint_request.audience, "The audience, instead of --route")->excludes(mint_route_opt);
  mint->add_option("--sub", mint_request.subject, "The subject")->required();
  mint->add_option("--scope", mint_request.scopes, "A scope to grant (repeatable)");
  bool mint_route_scopes = false;
  mint->add_flag("--route-scopes", mint_route_scopes, "Grant every scope the route's configuration mentions")
      ->needs(mint_route_opt);

  auto* api_key = app.add_subcommand("api-key", "API keys (X-API-Key)");
  api_key->require_subcommand(1);
  auto* api_key_new = api_key->add_subcommand(
      "new", "Print a new random API key and the configuration entry that accepts it (only its SHA-256)");
  std::string key_name;
  std::vector<std::string> key_routes, key_scopes;
  api_key_new->add_option("-c,--config", config_path, "YAML configuration file (default: the embedded default)")
      ->check(CLI::ExistingFile);
  api_key_new->add_option("--name", key_name, "The key's name: the subject of its requests")->required();
  api_key_new->add_option("--route", key_routes, "A route the key may be used on (repeatable)")->required();
  api_key_new->add_option("--scope", key_scopes, "A scope to grant (repeatable)");
  mint->add_option("--ttl", mint_ttl, "Lifetime: a number and s, m or h, e.g. 15m (at most 24h)")
      ->check([](const std::string& v) {
        return mcpgw::auth::ParseLifetime(v) ? std::string() : "expected e.g. 90s, 15m or 2h, at most 24h";
      });

  mcpgw::app::AdminCli admin_cli(app, *api_key);

  CLI11_PARSE(app, argc, argv);

  if (admin_cli.parsed()) return admin_cli.Run();

  if (show_default->parsed()) {
    std::cout << mcpgw::config::EmbeddedDefaultYaml();
    return 0;
  }
  Config config;
  if (!LoadConfig(config_path, &config)) return 2;
  if (dev_key_init->parsed()) {
    bool created = false;
    if (const std::string error = mcpgw::auth::EnsureDevKey(config.server.data_dir, &created); !error.empty()) {
      std::cerr << "mcp-gateway: " << error << "\n";
      return 1;
    }
    const auto paths = mcpgw::auth::DevKeyPathsUnder(config.server.data_dir);
    std::cout << (created ? "created " : "kept the existing ") << paths.private_key << " (private, mode 0600) and "
              << paths.jwks << "\n";
    return 0;
  }
  if (api_key_new->parsed()) return PrintNewApiKey(config, key_name, key_routes, key_scopes);
  if (mint->parsed()) {
    if (!mint_route.empty()) {
      const auto* r = config.FindRoute(mint_route);
      if (r == nullptr) {
        std::cerr << "mcp-gateway: no route named \"" << mint_route << "\"\n";
        return 2;
      }
      mint_request.audience = r->resource;
      if (mint_route_scopes) {
        const mcpgw::auth::ScopePolicy policy(r->scopes);
        for (const std::string& scope : policy.supported()) {
          if (std::find(mint_request.scopes.begin(), mint_request.scopes.end(), scope) == mint_request.scopes.end()) {
            mint_request.scopes.push_back(scope);
          }
        }
      }
    }
    if (mint_request.audience.empty()) {
      std::cerr << "mcp-gateway: pass --route NAME or --aud URI\n";
      return 2;
    }
    mint_request.lifetime = *mcpgw::auth::ParseLifetime(mint_ttl);
    const auto minted = mcpgw::auth::MintDevToken(config.server.data_dir, mint_request);
    if (minted.token.empty()) {
      std::cerr << "mcp-gateway: " << minted.error << "\n";
      return 1;
    }
    std::cout << minted.token << "\n";
    return 0;
  }
  if (check->parsed()) {
    std::cout << "configuration OK: " << config.routes.size() << " route(s), " << config.plugins.size()
              << " plugin instance(s)\n";
    return 0;
  }

  mcpgw::app::StartOptions options;
  options.default_plugin_dir = DefaultPluginDir();
  options.listen = !use_stdio;
  options.config_path = config_path;
  if (use_stdio) {
    if (route.empty()) {
      if (config.routes.size() != 1) {
        std::cerr << "mcp-gateway: --stdio serves one route; pass --route with one of:";
        for (const auto& r : config.routes) std::cerr << " " << r.name;
        std::cerr << "\n";
        return 2;
      }
      route = config.routes.front().name;
    }
    if (config.FindRoute(route) == nullptr) {
      std::cerr << "mcp-gateway: no route named \"" << route << "\"\n";
      return 2;
    }
  }
  if (TrustsDevKey(config)) {
    // The configuration (the embedded default, say) trusts the local
    // development key: make it once.
    bool made = false;
    if (const std::string error = mcpgw::auth::EnsureDevKey(config.server.data_dir, &made); !error.empty()) {
      std::cerr << "mcp-gateway: cannot create the development key: " << error << "\n";
      return 1;
    }
    if (made) mcpgw::log::Info("dev_key_created", {{"dir", config.server.data_dir + "/" + mcpgw::auth::kDevKeyDir}});
  }
  mcpgw::log::Info("allocator", {{"malloc", mcpgw::app::AllocatorInUse()}});
  auto created = mcpgw::app::Gateway::Create(config, options);
  if (auto* error = std::get_if<std::string>(&created)) {
    std::cerr << "mcp-gateway: cannot start: " << *error << "\n";
    return 1;
  }
  auto& gateway = *std::get<std::unique_ptr<mcpgw::app::Gateway>>(created);
  if (use_stdio) return gateway.RunStdio(route);
  if (isatty(STDOUT_FILENO) || std::getenv("MCPGW_PRINT_CONNECT_INFO")) {
    PrintConnectInfo(config, gateway.http_port(), config_path);
  }
  return gateway.RunHttp();
}
