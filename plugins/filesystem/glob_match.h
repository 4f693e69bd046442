// Glob patterns as the reference server applies them (minimatch with
// {dot: true}) to "/"-separated relative paths: "*", "?", "[a-z]", "[!x]",
// "{a,b}", "**" (any number of whole segments), "\" escapes, a leading "!"
// to negate. Extended globs ("+(a|b)") and POSIX classes are not supported;
// their characters match themselves.
#pragma once

#include <string_view>

namespace mcpgw::filesystem {

bool GlobMatch(std::string_view path, std::string_view pattern);

}  // namespace mcpgw::filesystem
