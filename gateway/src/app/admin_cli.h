// `mcp-gateway admin ...`: the operator's command line for the admin API
// (revoke, list and withdraw revocations, rate-limit state, plugins, routes,
// reload). Parses arguments, finds the credential, sends one request with
// the gateway's HTTP client and prints the answer; every failure is one
// line on stderr and a non-zero exit.
//
// Also `mcp-gateway api-key hash`: the configuration form of a key's SHA-256.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>

namespace mcpgw::app {

class AdminCli {
 public:
  // Adds the `admin` subcommand (and `api-key hash` under `api_key`) to the
  // parsed command line.
  AdminCli(CLI::App& app, CLI::App& api_key);
  ~AdminCli();

  // True when the command line chose one of these commands.
  bool parsed() const;
  // Runs it; returns the exit code.
  int Run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mcpgw::app
