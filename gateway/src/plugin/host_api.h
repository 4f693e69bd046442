// The host side of the plugin ABI: what the opaque mcpgw_call and mcpgw_host
// handles are, and the mcpgw_host_api table handed to every plugin.
#pragma once

#include "plugin/plugin_instance.h"

#include <mcpgw/plugin.h>

#include <atomic>
#include <string>

// One plugin function call. Lives on the stack of PluginInstance::Invoke.
struct mcpgw_call {
  std::string result;
  bool has_result = false;
  std::string error;
  mcpgw::plugin::CallObserver* observer = nullptr;
  bool nowait = false;  // running on an I/O thread: the plugin must not wait
};

// One plugin instance, as the plugin's host services see it.
struct mcpgw_host {
  std::string name;
  mcpgw::plugin::EventSink* events = nullptr;
  std::atomic<bool> creating{true};  // events are ignored while create runs
};

namespace mcpgw::plugin {

// The table every plugin receives. Static; valid for the process lifetime.
const mcpgw_host_api* HostApi();

}  // namespace mcpgw::plugin
