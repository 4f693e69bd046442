#include "transport/http/sse.h"

#include <charconv>

namespace mcpgw::http {

std::string SseEvent(std::string_view id, std::string_view data) {
  std::string out;
  out.reserve(data.size() + id.size() + 32);
  out += "event: message\n";
  if (!id.empty()) {
    out += "id: ";
    out += id;
    out += '\n';
  }
  out += "data: ";
  out += data;
  out += "\n\n";
  return out;
}

std::string SsePriming(std::string_view id, uint32_t retry_ms) {
  return "id: " + std::string(id) + "\nretry: " + std::to_string(retry_ms) + "\ndata: \n\n";
}

std::string SseKeepAlive() { return ":\n\n"; }

std::string EventId(uint64_t stream, uint64_t sequence) {
  return std::to_string(stream) + "-" + std::to_string(sequence);
}

std::optional<EventPosition> ParseEventId(std::string_view id) {
  const auto dash = id.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 >= id.size()) return std::nullopt;
  EventPosition pos{};
  const char* begin = id.data();
  auto r1 = std::from_chars(begin, begin + dash, pos.stream);
  auto r2 = std::from_chars(begin + dash + 1, begin + id.size(), pos.sequence);
  if (r1.ec != std::errc() || r1.ptr != begin + dash || r2.ec != std::errc() || r2.ptr != begin + id.size()) {
    return std::nullopt;
  }
  return pos;
}

}  // namespace mcpgw::http
