// How callers name files. Each configured root appears to callers as the
// absolute directory "/<root name>" (never its host path). A caller path is
// either absolute, "/<root name>/rest", or relative, "rest", which is taken
// below the first root. Only the root is picked here; "rest" goes to the
// kernel unchanged (see ConfinedRoot), so ".." and symlinks in it are
// judged by openat2, not by string handling.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::filesystem {

struct Address {
  size_t root = 0;       // index into the configured roots
  std::string relative;  // below that root; "" is the root itself
};

// The root and relative path a caller path names, or nullopt when it names
// nothing below any root ("/", "/unknown/x", "/.."). Root names never contain
// '/' and are never "." or "..".
std::optional<Address> ResolveAddress(const std::vector<std::string>& root_names, std::string_view caller_path);

// "/<root>/<relative>" with "." and ".." folded lexically and slashes
// collapsed: the absolute name results show for an entry (search_files hits,
// diff headers, file URIs). Only for display: the kernel already judged the
// path when it was opened.
std::string DisplayPath(std::string_view root_name, std::string_view relative);

}  // namespace mcpgw::filesystem
