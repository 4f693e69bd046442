// Lower-casing for search_nodes, close to JavaScript's String.toLowerCase.
#pragma once

#include <string>
#include <string_view>

namespace mcpgw::memory {

// Maps every code point of the UTF-8 text `text` to its simple Unicode
// lowercase (towlower in the C.UTF-8 locale; ASCII only if that locale is
// missing). Differs from JavaScript only for the few code points whose
// lowercase is longer (U+0130) or depends on context (final sigma).
// Bytes that are not valid UTF-8 are kept as they are.
std::string ToLowercase(std::string_view text);

}  // namespace mcpgw::memory
