// UTF-8 as JSON Schema sees strings: lengths and regular expressions work on
// Unicode code points, not bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcpgw::schema::detail {

// Counts code points; a stray byte in invalid UTF-8 counts as one.
std::size_t CountCodePoints(std::string_view utf8);

// Replaces `out` with `utf8` decoded to one wchar_t per code point (wchar_t
// is 32 bits here); an invalid sequence decodes to U+FFFD.
void DecodeUtf8(std::string_view utf8, std::wstring& out);

}  // namespace mcpgw::schema::detail
