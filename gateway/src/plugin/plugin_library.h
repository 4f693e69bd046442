// A plugin shared object whose ABI version has been checked.
//
// Decides whether a file can be used as a plugin at all: it must open, export
// the entry symbol, and describe itself with this gateway's ABI version and a
// complete descriptor. Every refusal names the file and, for a version
// mismatch, both versions.
#pragma once

#include "plugin/shared_library.h"

#include <mcpgw/plugin.h>

#include <memory>
#include <string>
#include <variant>

namespace mcpgw::plugin {

class PluginLibrary {
 public:
  static std::variant<std::shared_ptr<PluginLibrary>, std::string> Load(const std::string& path);

  const mcpgw_plugin& descriptor() const { return *descriptor_; }
  const std::string& path() const { return library_->path(); }

 private:
  PluginLibrary(std::unique_ptr<SharedLibrary> library, const mcpgw_plugin* descriptor)
      : library_(std::move(library)), descriptor_(descriptor) {}
  std::unique_ptr<SharedLibrary> library_;
  const mcpgw_plugin* descriptor_;
};

}  // namespace mcpgw::plugin
