#include "file_format.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace mcpgw::filesystem {

std::string FormatSize(int64_t bytes) {
  static constexpr std::array<const char*, 5> kUnits = {"B", "KB", "MB", "GB", "TB"};
  if (bytes <= 0) return "0 B";
  const auto value = static_cast<double>(bytes);
  const int exponent = static_cast<int>(std::floor(std::log(value) / std::log(1024.0)));
  if (exponent <= 0) return std::to_string(bytes) + " B";
  const int unit = exponent < static_cast<int>(kUnits.size()) ? exponent : static_cast<int>(kUnits.size()) - 1;
  char text[64];
  std::snprintf(text, sizeof text, "%.2f %s", value / std::pow(1024.0, unit), kUnits[static_cast<size_t>(unit)]);
  return text;
}

std::string FormatJsDate(const timespec& when) {
  tm utc{};
  const time_t seconds = when.tv_sec;
  gmtime_r(&seconds, &utc);
  char text[96];
  std::strftime(text, sizeof text, "%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)", &utc);
  return text;
}

std::string FileUrl(std::string_view absolute_path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  for (const char c : absolute_path) {
    const auto byte = static_cast<unsigned char>(c);
    // The WHATWG path percent-encode set, plus what pathToFileURL adds
    // ('%', '\\', and control characters).
    const bool encode = byte <= 0x20 || byte >= 0x7F || c == '"' || c == '#' || c == '<' || c == '>' || c == '?' ||
                        c == '`' || c == '{' || c == '}' || c == '%' || c == '\\';
    if (!encode) {
      url.push_back(c);
      continue;
    }
    url.push_back('%');
    url.push_back(kHex[byte >> 4]);
    url.push_back(kHex[byte & 0xF]);
  }
  return url;
}

std::string MediaMimeType(std::string_view file_name) {
  struct Known {
    std::string_view extension;
    const char* mime;
  };
  static constexpr Known kKnown[] = {
      {".png", "image/png"},  {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},   {".gif", "image/gif"},
      {".webp", "image/webp"}, {".bmp", "image/bmp"}, {".svg", "image/svg+xml"}, {".mp3", "audio/mpeg"},
      {".wav", "audio/wav"},   {".ogg", "audio/ogg"}, {".flac", "audio/flac"},
  };
  // Node's path.extname: from the last '.', unless the name starts with it.
  const size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "application/octet-stream";
  std::string extension(file_name.substr(dot));
  for (char& c : extension) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (const Known& known : kKnown) {
    if (known.extension == extension) return known.mime;
  }
  return "application/octet-stream";
}

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  const auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t group = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(group >> shift) & 0x3F]);
  }
  if (const size_t left = bytes.size() - i; left > 0) {
    const uint32_t group = at(i) << 16 | (left == 2 ? at(i + 1) << 8 : 0);
    out.push_back(kAlphabet[(group >> 18) & 0x3F]);
    out.push_back(kAlphabet[(group >> 12) & 0x3F]);
    out.push_back(left == 2 ? kAlphabet[(group >> 6) & 0x3F] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace mcpgw::filesystem
