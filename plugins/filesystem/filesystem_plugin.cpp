// The filesystem plugin: the tools of the reference server-filesystem over
// operator-configured roots, confined by the kernel (openat2 beneath each
// root's directory descriptor).
//
// This file only adapts FilesystemTools to the plugin ABI: it reads the
// config, lists the tools the route offers and routes calls. Every call does
// disk I/O, so the plugin never asks for no-wait calls; it is thread-safe
// because FilesystemTools holds nothing but open root descriptors.
#include <mcpgw/plugin.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "filesystem_config.h"
#include "filesystem_tools.h"

namespace {

using mcpgw::json;
namespace filesystem = mcpgw::filesystem;

std::unique_ptr<filesystem::FilesystemTools> ToolsOrThrow(const json& config) {
  auto parsed = filesystem::ParseFilesystemConfig(config);
  if (auto* error = std::get_if<std::string>(&parsed)) throw std::invalid_argument(*error);
  auto tools = filesystem::FilesystemTools::Create(std::get<filesystem::FilesystemConfig>(std::move(parsed)));
  if (auto* error = std::get_if<std::string>(&tools)) throw std::invalid_argument(*error);  // create fails with it
  return std::move(std::get<std::unique_ptr<filesystem::FilesystemTools>>(tools));
}

class FilesystemPlugin : public mcpgw::Plugin {
 public:
  explicit FilesystemPlugin(const mcpgw_plugin_init* init) : Plugin(init), tools_(ToolsOrThrow(config())) {}

  json ListTools(mcpgw::Call&) override { return tools_->ListTools(); }

  mcpgw::ToolOutput CallTool(mcpgw::Call&, const std::string& name, const json& arguments) override {
    auto answer = tools_->Call(name, arguments);
    if (!answer) throw mcpgw::Error(MCPGW_NOT_FOUND, "Unknown tool: " + name);
    return std::move(*answer);
  }

 private:
  std::unique_ptr<filesystem::FilesystemTools> tools_;
};

}  // namespace

MCPGW_PLUGIN(FilesystemPlugin, "filesystem", "1.0.0", MCPGW_PLUGIN_THREAD_SAFE)
