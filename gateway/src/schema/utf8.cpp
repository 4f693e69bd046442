#include "schema/utf8.h"

#include <cstdint>

namespace mcpgw::schema::detail {

namespace {

static_assert(sizeof(wchar_t) == 4, "patterns need one wchar_t per code point");

constexpr char32_t kReplacement = 0xFFFD;

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

std::size_t CountCodePoints(std::string_view utf8) {
  std::size_t count = 0;
  for (const char c : utf8) count += IsContinuation(static_cast<unsigned char>(c)) ? 0 : 1;
  return count;
}

void DecodeUtf8(std::string_view utf8, std::wstring& out) {
  out.clear();
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    std::size_t length = 1;
    char32_t code_point = lead;
    char32_t minimum = 0;
    if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4, code_point = lead & 0x07, minimum = 0x10000;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3, code_point = lead & 0x0F, minimum = 0x800;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2, code_point = lead & 0x1F, minimum = 0x80;
    } else if (lead >= 0x80) {
      length = 0;  // a continuation byte, or a lead byte UTF-8 never uses
    }
    bool valid = length > 0 && i + length <= utf8.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      valid = IsContinuation(next);
      code_point = (code_point << 6) | (next & 0x3F);
    }
    valid = valid && code_point >= minimum && code_point <= 0x10FFFF && (code_point < 0xD800 || code_point > 0xDFFF);
    out.push_back(static_cast<wchar_t>(valid ? code_point : kReplacement));
    i += valid ? length : 1;
  }
}

}  // namespace mcpgw::schema::detail
