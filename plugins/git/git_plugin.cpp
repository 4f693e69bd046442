// The git plugin: the tools of the reference mcp-server-git on libgit2,
// every repository confined beneath the route's configured roots.
//
// This file only adapts GitTools to the plugin ABI: it reads the config,
// registers the tools, and maps cancellation to its protocol status. Calls
// run on the gateway's workers (every tool touches the disk, so there is no
// no-wait path) and may overlap: each opens its own repository handle.
#include <mcpgw/plugin.hpp>
#include <stdexcept>
#include <string>
#include <variant>

#include "git_config.h"
#include "git_tools.h"
#include "tool_definitions.h"

namespace {

using mcpgw::json;
namespace git = mcpgw::git;

git::GitOptions OptionsOrThrow(const json& config) {
  auto parsed = git::ParseGitConfig(config);
  if (auto* problem = std::get_if<std::string>(&parsed)) throw std::invalid_argument(*problem);
  return std::get<git::GitOptions>(std::move(parsed));
}

class GitPlugin : public mcpgw::Plugin {
 public:
  explicit GitPlugin(const mcpgw_plugin_init* init) : Plugin(init), tools_(OptionsOrThrow(config())) {
    for (json& definition : git::GitToolDefinitions()) {
      const std::string name = definition.at("name");
      AddTool(std::move(definition), [this, name](mcpgw::Call& call, const json& arguments) -> mcpgw::ToolOutput {
        const git::Caller caller{call.principal().subject, call.principal().tenant};
        try {
          auto result = tools_.Call(name, caller, arguments, [&call] { return call.Cancelled(); });
          if (!result) throw mcpgw::Error(MCPGW_NOT_FOUND, "Unknown tool: " + name);
          return std::move(*result);
        } catch (const git::GitCancelled&) {
          throw mcpgw::Error(MCPGW_CANCELLED, "cancelled");
        }
      });
    }
  }

 private:
  git::GitTools tools_;
};

}  // namespace

MCPGW_PLUGIN(GitPlugin, "git", "1.0.0", MCPGW_PLUGIN_THREAD_SAFE)
