#include "utf8_text.h"

namespace mcpgw::filesystem {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// The length of the well-formed sequence at bytes[at], or 0 when it is
// ill-formed; `consumed` says how many bytes the ill-formed prefix spans.
size_t WellFormedLength(std::string_view bytes, size_t at, size_t& consumed) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const unsigned char lead = byte(at);
  consumed = 1;
  if (lead < 0x80) return 1;
  size_t need;
  unsigned char low = 0x80, high = 0xBF;  // bounds of the second byte (Unicode table 3-7)
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  for (size_t k = 1; k <= need; ++k) {
    if (at + k >= bytes.size()) return 0;
    const unsigned char next = byte(at + k);
    const unsigned char lo = k == 1 ? low : 0x80, hi = k == 1 ? high : 0xBF;
    if (next < lo || next > hi) return 0;
    consumed = k + 1;
  }
  return need + 1;
}

}  // namespace

std::string DecodeUtf8Lossy(std::string_view bytes) {
  std::string text;
  text.reserve(bytes.size());
  size_t at = 0;
  while (at < bytes.size()) {
    size_t consumed = 0;
    const size_t length = WellFormedLength(bytes, at, consumed);
    if (length > 0) {
      text.append(bytes.substr(at, length));
      at += length;
    } else {
      text.append(kReplacement);
      at += consumed;
    }
  }
  return text;
}

bool IsValidUtf8(std::string_view bytes) {
  size_t at = 0;
  while (at < bytes.size()) {
    size_t consumed = 0;
    const size_t length = WellFormedLength(bytes, at, consumed);
    if (length == 0) return false;
    at += length;
  }
  return true;
}

size_t Utf16Length(std::string_view text) {
  size_t units = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) == 0x80) continue;  // continuation byte
    units += byte >= 0xF0 ? 2 : 1;        // a 4-byte sequence is a surrogate pair
  }
  return units;
}

std::string PadEnd(std::string_view text, size_t width) {
  const size_t length = Utf16Length(text);
  std::string out(text);
  if (length < width) out.append(width - length, ' ');
  return out;
}

std::string PadStart(std::string_view text, size_t width) {
  const size_t length = Utf16Length(text);
  std::string out = length < width ? std::string(width - length, ' ') : std::string();
  out.append(text);
  return out;
}

}  // namespace mcpgw::filesystem
