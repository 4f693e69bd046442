// UTF-8 as Node decodes it: file bytes become text the way
// Buffer.toString('utf-8') would make them, and widths are counted in UTF-16
// code units the way String.prototype.padEnd counts them.
#pragma once

#include <string>
#include <string_view>

namespace mcpgw::filesystem {

// `bytes` with every ill-formed sequence replaced by U+FFFD (one per maximal
// ill-formed subpart, as the WHATWG decoder does), so the text is valid
// UTF-8 and can travel in JSON.
std::string DecodeUtf8Lossy(std::string_view bytes);

// Whether `bytes` is well-formed UTF-8 throughout (DecodeUtf8Lossy would
// return it unchanged).
bool IsValidUtf8(std::string_view bytes);

// The length of valid UTF-8 `text` in UTF-16 code units.
size_t Utf16Length(std::string_view text);

// `text` padded with spaces to `width` UTF-16 code units, on the right
// (padEnd) or on the left (padStart).
std::string PadEnd(std::string_view text, size_t width);
std::string PadStart(std::string_view text, size_t width);

}  // namespace mcpgw::filesystem
