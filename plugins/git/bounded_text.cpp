#include "bounded_text.h"

#include <cstdint>

namespace mcpgw::git {
namespace {

// The length of the valid UTF-8 sequence at the start of `s`, or 0.
size_t SequenceLength(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  const uint8_t lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  uint32_t code = lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i) & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

std::string ValidUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  while (!bytes.empty()) {
    const size_t length = SequenceLength(bytes);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      bytes.remove_prefix(1);
    } else {
      out.append(bytes.substr(0, length));
      bytes.remove_prefix(length);
    }
  }
  return out;
}

bool BoundedText::Append(std::string_view text) {
  if (truncated_) return false;
  if (text_.size() + text.size() <= max_bytes_) {
    text_.append(text);
    return true;
  }
  size_t fits = max_bytes_ - text_.size();
  // Cut before a UTF-8 continuation byte, not inside a character.
  while (fits > 0 && fits < text.size() && (static_cast<uint8_t>(text[fits]) & 0xC0) == 0x80) --fits;
  text_.append(text.substr(0, fits));
  truncated_ = true;
  return false;
}

std::string BoundedText::Finish(bool strip_final_newline) && {
  std::string out = ValidUtf8(text_);
  if (strip_final_newline && !truncated_ && !out.empty() && out.back() == '\n') out.pop_back();
  if (truncated_) {
    out += kTruncationMarker;
    out += std::to_string(max_bytes_) + "; narrow the request (a path, a smaller max_count) to see the rest]";
  }
  return out;
}

}  // namespace mcpgw::git
