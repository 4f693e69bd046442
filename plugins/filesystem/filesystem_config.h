// The plugin instance's `config:` block.
//
//   roots:                    # required, at least one
//     - name: workspace       # callers see it as /workspace
//       path: /srv/workspace  # absolute host path; never shown to callers
//   read_only: false          # true: no tool that changes anything is offered
//   no_symlinks: false        # true: paths may not pass through any symlink
//   max_read_bytes: 10485760  # largest file (or head/tail span) a read returns
//   max_write_bytes: 10485760 # largest content write_file/edit_file writes
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace mcpgw::filesystem {

struct RootConfig {
  std::string name;
  std::string host_path;
};

// A listing or walk stops once it has gathered this many entries: a
// directory or tree of millions is no answer a client can use.
inline constexpr size_t kMaxListedEntries = 100000;

struct FilesystemConfig {
  std::vector<RootConfig> roots;
  bool read_only = false;
  bool no_symlinks = false;
  uint64_t max_read_bytes = 10u << 20;
  uint64_t max_write_bytes = 10u << 20;
  size_t max_listed_entries = kMaxListedEntries;  // not a config key: fixed, a field so tests can lower it
};

// The config, or the reason it is unusable (the gateway refuses to start
// and prints it).
std::variant<FilesystemConfig, std::string> ParseFilesystemConfig(const nlohmann::json& config);

}  // namespace mcpgw::filesystem
