#include "mcp/pagination.h"

#include "crypto/base64.h"

#include <charconv>

namespace mcpgw::mcp {
namespace {

constexpr std::string_view kPrefix = "mcpgw-page:";

std::string Encode(std::size_t offset) { return crypto::Base64UrlEncode(std::string(kPrefix) + std::to_string(offset)); }

std::optional<std::size_t> Decode(const std::string& cursor) {
  const auto raw = crypto::Base64UrlDecode(cursor);
  if (!raw || raw->rfind(kPrefix, 0) != 0) return std::nullopt;
  std::size_t offset = 0;
  const char* begin = raw->data() + kPrefix.size();
  const char* end = raw->data() + raw->size();
  const auto [ptr, ec] = std::from_chars(begin, end, offset);
  if (ec != std::errc() || ptr != end || begin == end) return std::nullopt;
  return offset;
}

}  // namespace

std::optional<Page> Paginate(const nlohmann::json& all, const std::optional<std::string>& cursor,
                             std::size_t page_size) {
  std::size_t offset = 0;
  if (cursor) {
    const auto decoded = Decode(*cursor);
    if (!decoded || *decoded == 0 || *decoded >= all.size()) return std::nullopt;
    offset = *decoded;
  }
  Page page;
  const std::size_t end = std::min(all.size(), offset + page_size);
  for (std::size_t i = offset; i < end; ++i) page.items.push_back(all[i]);
  if (end < all.size()) page.next_cursor = Encode(end);
  return page;
}

}  // namespace mcpgw::mcp
