// Where the memory store reports what only an operator should read (paths,
// errno, dropped log records): the gateway's own log in the plugin, a
// recorder in tests.
#pragma once

#include <mcpgw/plugin.h>

#include <functional>
#include <string_view>

namespace mcpgw::memory {

using LogSink = std::function<void(mcpgw_log_level level, std::string_view message)>;

}  // namespace mcpgw::memory
