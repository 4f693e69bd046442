// Where the store writes operator-facing log lines (the gateway's own log
// through host_log in the plugin, a recorder in tests).
#pragma once

#include <mcpgw/plugin.h>

#include <functional>
#include <string_view>

namespace mcpgw::vector {

using LogSink = std::function<void(mcpgw_log_level level, std::string_view message)>;

}  // namespace mcpgw::vector
