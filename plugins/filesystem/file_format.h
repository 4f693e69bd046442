// The small text formats the reference server's answers are made of, so
// results read the same: sizes ("1.50 KB"), dates (JavaScript's
// Date.prototype.toString, in UTC), file URLs, MIME types by extension.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

namespace mcpgw::filesystem {

// "0 B", "512 B", "1.50 KB", "2.00 MB", ... (1024-based, two decimals).
std::string FormatSize(int64_t bytes);

// "Tue Mar 04 2025 10:20:30 GMT+0000 (Coordinated Universal Time)".
std::string FormatJsDate(const timespec& when);

// "file://" + `absolute_path` percent-encoded as Node's pathToFileURL does.
std::string FileUrl(std::string_view absolute_path);

// The MIME type the reference server gives a media file, by its extension
// (case-insensitive); "application/octet-stream" when it knows none.
std::string MediaMimeType(std::string_view file_name);

// Standard base64 with padding.
std::string Base64(std::string_view bytes);

}  // namespace mcpgw::filesystem
