#include "plugin/plugin_library.h"

#include <cstddef>

namespace mcpgw::plugin {

std::variant<std::shared_ptr<PluginLibrary>, std::string> PluginLibrary::Load(const std::string& path) {
  auto opened = SharedLibrary::Open(path);
  if (auto* why = std::get_if<std::string>(&opened)) return "cannot load plugin " + path + ": " + *why;
  auto library = std::move(std::get<std::unique_ptr<SharedLibrary>>(opened));

  auto entry = reinterpret_cast<mcpgw_plugin_entry_fn>(library->Find(MCPGW_PLUGIN_ENTRY_SYMBOL));
  if (entry == nullptr) {
    return "plugin " + path + " does not export " + MCPGW_PLUGIN_ENTRY_SYMBOL +
           "(): it is not an MCP gateway plugin (this gateway speaks plugin ABI " +
           std::to_string(MCPGW_PLUGIN_ABI_VERSION) + ")";
  }
  const mcpgw_plugin* d = entry();
  if (d == nullptr) return "plugin " + path + ": " + MCPGW_PLUGIN_ENTRY_SYMBOL + "() returned no descriptor";
  if (d->abi_version != MCPGW_PLUGIN_ABI_VERSION) {
    return "plugin " + path + " was built for plugin ABI " + std::to_string(d->abi_version) +
           ", but this gateway speaks plugin ABI " + std::to_string(MCPGW_PLUGIN_ABI_VERSION) +
           ": rebuild the plugin against this gateway's plugin.h";
  }
  // The fields every v1 plugin must have, up to and including call_tool.
  constexpr std::size_t kMinimum = offsetof(mcpgw_plugin, call_tool) + sizeof(d->call_tool);
  if (d->struct_size < kMinimum) {
    return "plugin " + path + " has a descriptor of " + std::to_string(d->struct_size) +
           " bytes, smaller than the " + std::to_string(kMinimum) + " that ABI " +
           std::to_string(MCPGW_PLUGIN_ABI_VERSION) + " requires";
  }
  if (d->name == nullptr || d->version == nullptr || d->create == nullptr || d->destroy == nullptr ||
      d->list_tools == nullptr || d->call_tool == nullptr) {
    return "plugin " + path + " has an incomplete descriptor: name, version, create, destroy, list_tools and "
           "call_tool are required";
  }
  return std::shared_ptr<PluginLibrary>(new PluginLibrary(std::move(library), d));
}

}  // namespace mcpgw::plugin
